"""The filters of the Bitácora page: whitelisted, typed fields (request keys never reach
the ORM)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from acuerdos.audit.selectors import TARGET_TYPES, AuditFilters, action_choices

INVALID_CHOICE = _("Seleccione una opción de la lista; la que indicó no está disponible.")
INVALID_DATE = _("Escriba una fecha válida, por ejemplo 30/06/2026.")


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"],
        error_messages={"invalid": INVALID_DATE},
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/aaaa", "inputmode": "numeric", "autocomplete": "off"},
        ),
    )


class AuditFilterForm(forms.Form):
    """Action, person, date range, object type, text in the object's description."""

    q = forms.CharField(
        label=_("Objeto"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Folio, unidad, nombre del archivo…")}
        ),
        error_messages={"max_length": _("Escriba como máximo %(limit_value)d caracteres.")},
    )
    user = forms.CharField(
        label=_("Persona"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nombre o correo")}),
        error_messages={"max_length": _("Escriba como máximo %(limit_value)d caracteres.")},
    )
    action = forms.ChoiceField(
        label=_("Acción"),
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    target_type = forms.ChoiceField(
        label=_("Tipo de objeto"),
        required=False,
        choices=[("", _("Todos")), *sorted(TARGET_TYPES.items(), key=lambda c: c[1])],
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    date_from = _date_field(_("Desde"))
    date_to = _date_field(_("Hasta"))
    commitment = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Todas")), *action_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from: dt.date | None = cleaned.get("date_from")
        date_to: dt.date | None = cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to", _("La fecha final no puede ser anterior a la fecha inicial del rango.")
            )
        return cleaned

    def to_filters(self) -> AuditFilters:
        """The filters that validated; a field with an error is left out (and shown as such)."""
        if not self.is_bound:
            return AuditFilters()
        self.is_valid()
        data = self.cleaned_data
        return AuditFilters(
            action=data.get("action") or "",
            user=(data.get("user") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            target_type=data.get("target_type") or "",
            text=(data.get("q") or "").strip(),
            commitment_id=data.get("commitment"),
        )

    @property
    def active_count(self) -> int:
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return 0
        return sum(1 for value in self.cleaned_data.values() if value not in (None, ""))
