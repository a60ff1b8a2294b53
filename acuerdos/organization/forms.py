"""Forms of the organisation pages: login, and the filters of the people list."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from acuerdos.organization.models import Role, Unit
from acuerdos.organization.selectors import PeopleFilters


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
    """Filters of the people list: free text on name or e-mail, role and unit."""

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

    def to_filters(self) -> PeopleFilters:
        """The validated values (a field with an error is left out and shown as such)."""
        if not self.is_bound:
            return PeopleFilters()
        self.is_valid()
        data = self.cleaned_data
        return PeopleFilters(
            text=data.get("q") or "", role=data.get("role") or "", unit=data.get("unit")
        )
