"""Forms of the second-factor pages: a code from the app (or a recovery code) and the password
asked again before turning the second factor off or replacing the recovery codes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from acuerdos.organization.models import User


class CodeForm(forms.Form):
    """The six digits the authenticator app shows now (or, at the verify step, a recovery code)."""

    code = forms.CharField(
        label=_("Código de verificación"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "off",
                "placeholder": "123456",
            }
        ),
        error_messages={"required": _("Escriba el código que muestra su aplicación.")},
    )


class PasswordCheckForm(forms.Form):
    """The person's current password, asked again before a sensitive change."""

    password = forms.CharField(
        label=_("Su contraseña actual"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Escriba su contraseña para confirmar.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("La contraseña no es correcta."))
        return password


class TwoFactorResetForm(forms.Form):
    """A coordinator resets a person's second factor: why (kept in the audit trail) and the
    confirmation that the person's identity was checked, since anyone can phone and say they
    lost their phone."""

    reason = forms.CharField(
        label=_("Motivo del restablecimiento"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("Por ejemplo: perdió su teléfono")}),
        error_messages={"required": _("Escriba el motivo del restablecimiento.")},
    )
    confirm = forms.BooleanField(
        label=_("Confirmé la identidad de la persona por un medio distinto a este sistema."),
        error_messages={"required": _("Confirme que verificó la identidad de la persona.")},
    )
