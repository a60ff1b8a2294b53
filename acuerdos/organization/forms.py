"""Forms of the organisation pages: login, the people list's filters, invitations, memberships
and deactivation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from acuerdos.organization.models import Role, Unit, User
from acuerdos.organization.selectors import AccountStatus, LastAccess, PeopleFilters
from acuerdos.organization.services import email_domain_allowed, email_domains


class LoginForm(AuthenticationForm):
    """Log in with the work e-mail (case and surrounding spaces ignored) and password."""

    username = forms.EmailField(
        label=_("Correo institucional"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "placeholder": "nombre.apellido@imss.gob.mx",
            }
        ),
        error_messages={
            "required": _("Escriba su correo institucional."),
            "invalid": _("Escriba un correo válido, por ejemplo nombre.apellido@imss.gob.mx."),
        },
    )
    password = forms.CharField(
        label=_("Contraseña"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Escriba su contraseña.")},
    )

    error_messages = {
        "invalid_login": _(
            "El correo o la contraseña no son correctos. Tras varios intentos fallidos el "
            "acceso se bloquea temporalmente."
        ),
        "inactive": _("Esta cuenta está desactivada. Acuda a la Coordinación central."),
    }

    def clean_username(self) -> str:
        value: str = self.cleaned_data["username"]
        return value.strip().lower()


class PeopleFilterForm(forms.Form):
    """Filters of the people list: free text on name or e-mail, role, unit, whether the account
    is active and when the person last logged in."""

    q = forms.CharField(
        label=_("Buscar"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nombre o correo")}),
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        required=False,
        choices=[("", _("Todos")), *Role.choices],
        error_messages={"invalid_choice": _("Seleccione un rol de la lista.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Unidad"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        empty_label=_("Todas"),
        error_messages={
            "invalid_choice": _("Seleccione una unidad de la lista; la que indicó no existe.")
        },
    )

    status = forms.ChoiceField(
        label=_("Cuenta"),
        required=False,
        choices=[("", _("Todas")), *AccountStatus.choices],
        error_messages={"invalid_choice": _("Seleccione un estado de la lista.")},
    )
    access = forms.ChoiceField(
        label=_("Último ingreso"),
        required=False,
        choices=[("", _("Cualquiera")), *LastAccess.choices],
        error_messages={"invalid_choice": _("Seleccione una opción de la lista.")},
    )

    def to_filters(self) -> PeopleFilters:
        """The validated values (a field with an error is left out and shown as such)."""
        if not self.is_bound:
            return PeopleFilters()
        self.is_valid()
        data = self.cleaned_data
        return PeopleFilters(
            text=data.get("q") or "",
            role=data.get("role") or "",
            unit=data.get("unit"),
            status=data.get("status") or "",
            access=data.get("access") or "",
        )

    @property
    def active_count(self) -> int:
        """How many filters are applied (for the results bar)."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return 0
        return sum(1 for value in self.cleaned_data.values() if value)


def _unit_label(unit: Unit) -> str:
    return f"{unit.short_name} ({unit.code})"


class UnitRoleMixin(forms.Form):
    """A unit and a role that fit it: enlaces and titulares belong to an OOAD, UMAE or working
    group; validators to a normative area; coordination and consulta to any unit."""

    unit = forms.ModelChoiceField(
        label=_("Unidad"),
        queryset=Unit.objects.filter(is_active=True).order_by("kind", "short_name"),
        empty_label=_("Seleccione una unidad"),
        error_messages={
            "required": _("Seleccione la unidad."),
            "invalid_choice": _("Seleccione una unidad de la lista; la que indicó no existe."),
        },
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=[("", _("Seleccione un rol")), *Role.choices],
        error_messages={
            "required": _("Seleccione el rol."),
            "invalid_choice": _("Seleccione un rol de la lista."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.label_from_instance = _unit_label  # type: ignore[assignment,method-assign]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit: Unit | None = data.get("unit")
        role = data.get("role")
        if unit is not None and role:
            if role in (Role.LIAISON, Role.HEAD) and not unit.is_responsible:
                self.add_error(
                    "unit",
                    _("Un enlace o titular pertenece a un OOAD, una UMAE o un grupo de trabajo."),
                )
            elif role == Role.VALIDATOR and not unit.is_normative:
                self.add_error(
                    "unit", _("Un área normativa valida desde una dirección o coordinación.")
                )
        return data


class PersonInviteForm(UnitRoleMixin):
    """Invite a person: work e-mail, name and the first unit and role. Nothing else is asked
    (only the personal data the work needs, PRODUCT.md §4.10)."""

    field_order = ("email", "full_name", "unit", "role")

    email = forms.EmailField(
        label=_("Correo institucional"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "off", "placeholder": "nombre.apellido@imss.gob.mx"}
        ),
        error_messages={
            "required": _("Escriba el correo institucional."),
            "invalid": _("Escriba un correo válido, por ejemplo nombre.apellido@imss.gob.mx."),
        },
    )
    full_name = forms.CharField(
        label=_("Nombre completo"),
        max_length=200,
        error_messages={"required": _("Escriba el nombre completo.")},
    )

    def clean_email(self) -> str:
        return clean_work_email(self.cleaned_data["email"])

    def clean_full_name(self) -> str:
        value: str = " ".join(self.cleaned_data["full_name"].split())
        if len(value) < 3:
            raise forms.ValidationError(_("Escriba el nombre completo."))
        return value


def clean_work_email(raw: str, *, person: User | None = None) -> str:
    """A work e-mail for an account: lower case, in an allowed domain (`ACUERDOS_EMAIL_DOMAINS`)
    and used by no other account than `person`."""
    value = raw.strip().lower()
    if not email_domain_allowed(value):
        allowed = ", ".join(f"@{d}" for d in email_domains())
        raise forms.ValidationError(
            _("Use el correo institucional (%(allowed)s)."), params={"allowed": allowed}
        )
    others = User.objects.filter(email__iexact=value)
    if person is not None:
        others = others.exclude(pk=person.pk)
    if others.exists():
        raise forms.ValidationError(_("Ya existe una cuenta con ese correo."))
    return value


class EmailChangeForm(forms.Form):
    """Change the work e-mail a person logs in with (their password and sessions stay)."""

    email = forms.EmailField(
        label=_("Correo institucional nuevo"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "off", "placeholder": "nombre.apellido@imss.gob.mx"}
        ),
        error_messages={
            "required": _("Escriba el correo institucional nuevo."),
            "invalid": _("Escriba un correo válido, por ejemplo nombre.apellido@imss.gob.mx."),
        },
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self) -> str:
        value = clean_work_email(self.cleaned_data["email"], person=self.person)
        if value == self.person.email.lower():
            raise forms.ValidationError(_("Es el mismo correo que ya tiene la cuenta."))
        return value


class RenameForm(forms.Form):
    """Correct a person's name as it should appear in reports and the history."""

    full_name = forms.CharField(
        label=_("Nombre completo"),
        max_length=200,
        error_messages={"required": _("Escriba el nombre completo.")},
    )

    def clean_full_name(self) -> str:
        value: str = " ".join(self.cleaned_data["full_name"].split())
        if len(value) < 3:
            raise forms.ValidationError(_("Escriba el nombre completo."))
        return value


class MembershipForm(UnitRoleMixin):
    """Give a person one more role in a unit."""


class DeactivateForm(forms.Form):
    """Deactivate a person who left: an optional reason kept in the audit trail."""

    reason = forms.CharField(
        label=_("Motivo (opcional)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("Por ejemplo: cambió de adscripción")}),
    )


class PasswordResetRequestForm(forms.Form):
    """«¿Olvidó su contraseña?»: the work e-mail only."""

    email = forms.EmailField(
        label=_("Correo institucional"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "placeholder": "nombre.apellido@imss.gob.mx",
            }
        ),
        error_messages={
            "required": _("Escriba su correo institucional."),
            "invalid": _("Escriba un correo válido, por ejemplo nombre.apellido@imss.gob.mx."),
        },
    )


class SetPasswordForm(auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    """Choose a password (twice), checked against AUTH_PASSWORD_VALIDATORS, in Spanish."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = _("Nueva contraseña")
        second.label = _("Confirme la contraseña")
        first.help_text = _(
            "Al menos 10 caracteres; que no sea común, ni solo números, ni parecida a su nombre "
            "o correo."
        )
        second.help_text = ""
        first.widget.attrs.update({"autocomplete": "new-password", "autofocus": True})
        second.widget.attrs["autocomplete"] = "new-password"
        first.error_messages["required"] = _("Escriba la contraseña nueva.")
        second.error_messages["required"] = _("Escriba otra vez la contraseña.")
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": _("Las dos contraseñas no coinciden."),
        }
