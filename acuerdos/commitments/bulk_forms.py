"""Forms of the Compromisos list and its bulk actions. Filters are whitelisted, typed fields (the
agreements list's, plus today's status); the selection and the action's values are validated
here, and the service validates them again under lock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from acuerdos.commitments.bulk_services import AREA, CANCEL, DUE_DATE, REASSIGN, BulkParams
from acuerdos.commitments.forms import (
    INVALID_CHOICE,
    AgreementFilterForm,
    UnitChoiceField,
    _date_field,
    _normative_tree_choices,
)
from acuerdos.organization.models import Unit

STATUS_CHOICES = [
    ("", _("Todos")),
    ("on_track", _("En tiempo (verde)")),
    ("at_risk", _("En riesgo (amarillo)")),
    ("overdue", _("Vencido (rojo)")),
    ("fulfilled", _("Cumplido (azul)")),
    ("cancelled", _("Cancelado (gris)")),
    ("not_started", _("Aún no inicia")),
]

ACTION_CHOICES = [
    (REASSIGN, _("Reasignar la unidad responsable")),
    (DUE_DATE, _("Cambiar la fecha compromiso")),
    (AREA, _("Cambiar el área normativa que valida (del acuerdo)")),
    (CANCEL, _("Cancelar")),
]
ACTION_LABELS = dict(ACTION_CHOICES)


class CommitmentFilterForm(AgreementFilterForm):
    """The agreements list's filters, applied to commitments, plus today's semáforo."""

    status = forms.ChoiceField(
        label=_("Semáforo hoy"),
        choices=STATUS_CHOICES,
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    @property
    def status_value(self) -> str:
        """Today's status asked for ("" when none, or when it did not validate)."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return ""
        return str(self.cleaned_data.get("status") or "")


class BulkSelectionForm(forms.Form):
    """Step 1, from the list: which commitments (ticked, or all that match the filters) and
    which action."""

    action = forms.ChoiceField(
        label=_("Acción"),
        choices=[("", _("Elija una acción…")), *ACTION_CHOICES],
        error_messages={
            "required": _("Elija una acción."),
            "invalid_choice": _("Elija una acción de la lista."),
        },
    )
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    select_all = forms.BooleanField(required=False)
    filters = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any number is accepted here; the selection is resolved against visible_to() later.
        field = self.fields["ids"]
        field.valid_value = lambda value: str(value).isdigit()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("select_all") and not cleaned.get("ids"):
            raise forms.ValidationError(
                _("Marque al menos un compromiso, o «seleccionar todos los que cumplen el filtro».")
            )
        return cleaned


class BulkParamsForm(forms.Form):
    """Step 2: the value the action sets and the reason (kept in each commitment's history).

    `items` carries the selection with the versions seen (see `bulk_services.items_encode`)."""

    action = forms.ChoiceField(choices=ACTION_CHOICES, widget=forms.HiddenInput)
    items = forms.CharField(widget=forms.HiddenInput, max_length=200_000)
    filters = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    unit = UnitChoiceField(
        label=_("Nueva unidad responsable"),
        queryset=Unit.objects.responsible().filter(is_active=True).order_by("kind", "short_name"),
        required=False,
        empty_label=_("Elija la unidad…"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    due_date = _date_field(_("Nueva fecha compromiso"))
    area = forms.ModelChoiceField(
        label=_("Nueva área normativa que valida"),
        queryset=Unit.objects.normative().filter(is_active=True),
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    reason = forms.CharField(
        label=_("Motivo"),
        max_length=4000,
        help_text=_("Queda en la historia de cada compromiso que cambie."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Escriba el motivo del cambio."),
            "max_length": _("Escriba como máximo %(limit_value)d caracteres."),
        },
    )

    REQUIRED_BY_ACTION = {
        REASSIGN: ("unit", _("Elija la nueva unidad responsable.")),
        DUE_DATE: ("due_date", _("Escriba la nueva fecha compromiso (dd/mm/aaaa).")),
        AREA: ("area", _("Elija la nueva área normativa que valida.")),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        choices = _normative_tree_choices()
        choices[0] = ("", _("Elija el área…"))
        area_field.choices = choices  # type: ignore[attr-defined]

    def clean_reason(self) -> str:
        text = str(self.cleaned_data["reason"]).strip()
        if not text:
            raise forms.ValidationError(_("Escriba el motivo del cambio."))
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        needed = self.REQUIRED_BY_ACTION.get(cleaned.get("action") or "")
        if needed is not None:
            name, message = needed
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def to_params(self) -> BulkParams:
        data = self.cleaned_data
        action = data["action"]
        due: dt.date | None = data.get("due_date") if action == DUE_DATE else None
        return BulkParams(
            action=action,
            reason=data["reason"],
            unit=data.get("unit") if action == REASSIGN else None,
            due_date=due,
            area=data.get("area") if action == AREA else None,
        )
