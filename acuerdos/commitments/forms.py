"""Forms of the agreements pages. Filters are whitelisted, typed fields: request keys never reach
the ORM; the selector receives an `AgreementFilters` built from validated values only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from acuerdos.commitments.selectors import AgreementFilters
from acuerdos.meetings.models import Meeting, Round
from acuerdos.organization.models import Region, Theme, Unit, UnitKind

INVALID_CHOICE = _("Seleccione una opción de la lista; la que indicó no está disponible.")
INVALID_DATE = _("Escriba una fecha válida, por ejemplo 30/06/2026.")


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    """A responsible unit, labelled with its kind: "OOAD Querétaro", "UMAE HE CMN Siglo XXI"."""

    def label_from_instance(self, obj: Unit) -> str:
        if obj.kind == UnitKind.WORKING_GROUP:
            return obj.short_name
        return f"{obj.get_kind_display()} {obj.short_name}"


class MeetingChoiceField(forms.ModelChoiceField[Meeting]):
    """A meeting, labelled with its code so that similar names stay apart."""

    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.code} · {obj.name}"


def _normative_tree_choices() -> list[tuple[Any, Any]]:
    """Normative areas in tree order, each coordination indented under its direction."""
    areas = list(Unit.objects.normative().filter(is_active=True).order_by("name"))
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {area.pk for area in areas}
    for area in areas:
        parent = area.parent_id if area.parent_id in ids else None
        by_parent.setdefault(parent, []).append(area)
    choices: list[tuple[Any, Any]] = [("", _("Todas"))]

    def walk(parent: int | None, depth: int) -> None:
        for area in by_parent.get(parent, []):
            indent = "\u00a0\u00a0\u00a0" * depth
            choices.append((area.pk, f"{indent}{area.name}"))
            walk(area.pk, depth + 1)

    walk(None, 0)
    return choices


def _date_field(label: StrOrPromise) -> forms.DateField:
    """A date typed as `30/06/2026` (ISO `2026-06-30` is accepted too, for shared links).

    A text box rather than `type="date"`: the browser's date control shows its own language's
    format (`mm/dd/yyyy` on an English browser), and Acuerdos must read the same everywhere.
    """
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


class AgreementFilterForm(forms.Form):
    """The filters of the agreements list. Every choice list is catalog data or scoped."""

    q = forms.CharField(
        label=_("Buscar"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Escriba como máximo %(limit_value)d caracteres.")},
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Folio o texto del acuerdo")}
        ),
    )
    round = forms.ModelChoiceField(
        label=_("Ronda"),
        queryset=Round.objects.all(),
        required=False,
        empty_label=_("Todas"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    meeting = MeetingChoiceField(
        label=_("Reunión"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Todas"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    region = forms.ModelChoiceField(
        label=_("Región"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Todas"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    unit = UnitChoiceField(
        label=_("Unidad responsable"),
        queryset=Unit.objects.responsible().filter(is_active=True),
        required=False,
        empty_label=_("Todas"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    theme = forms.ModelChoiceField(
        label=_("Línea de acción"),
        queryset=Theme.objects.filter(is_active=True),
        required=False,
        empty_label=_("Todas"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    area = forms.ModelChoiceField(
        label=_("Área normativa que valida"),
        help_text=_("Incluye sus coordinaciones."),
        queryset=Unit.objects.normative().filter(is_active=True),
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    due_from = _date_field(_("Fecha compromiso desde"))
    due_to = _date_field(_("Fecha compromiso hasta"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting_field = self.fields["meeting"]
        assert isinstance(meeting_field, MeetingChoiceField)
        # Only meetings the user may see can be chosen (or even named) in the filter.
        meeting_field.queryset = Meeting.objects.visible_to(user).order_by("-start_date", "code")
        self.fields["area"].choices = _normative_tree_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        due_from: dt.date | None = cleaned.get("due_from")
        due_to: dt.date | None = cleaned.get("due_to")
        if due_from and due_to and due_from > due_to:
            self.add_error(
                "due_to", _("La fecha final no puede ser anterior a la fecha inicial del rango.")
            )
        return cleaned

    def to_filters(self) -> AgreementFilters:
        """The filters that validated; a field with an error is left out (and shown as such)."""
        if not self.is_bound:
            return AgreementFilters()
        self.is_valid()
        data = self.cleaned_data
        return AgreementFilters(
            text=data.get("q") or "",
            round=data.get("round"),
            meeting=data.get("meeting"),
            region=data.get("region"),
            unit=data.get("unit"),
            theme=data.get("theme"),
            area=data.get("area"),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
        )

    @property
    def active_count(self) -> int:
        """How many filters are applied (for the "Filtros (3)" label and the clear button)."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return 0
        return sum(1 for value in self.cleaned_data.values() if value not in (None, ""))


def _required_date_field(label: StrOrPromise) -> forms.DateField:
    field = _date_field(label)
    field.required = True
    field.error_messages["required"] = _("Escriba la fecha (dd/mm/aaaa).")
    return field


class ExtensionRequestForm(forms.Form):
    """Solicitar reprogramación: the new due date and why."""

    new_due_date = _required_date_field(_("Nueva fecha compromiso"))
    justification = forms.CharField(
        label=_("Justificación"),
        max_length=4000,
        help_text=_("Explique por qué no se puede cumplir en la fecha vigente y qué se hará."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Escriba la justificación de la reprogramación."),
            "max_length": _("Escriba como máximo %(limit_value)d caracteres."),
        },
    )

    def __init__(self, *args: Any, start_date: dt.date, in_force: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_date = start_date
        self.in_force = in_force

    def clean_new_due_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["new_due_date"]
        if value == self.in_force:
            raise forms.ValidationError(
                _("La nueva fecha compromiso debe ser distinta de la vigente.")
            )
        if value < self.start_date:
            raise forms.ValidationError(
                _("La nueva fecha compromiso no puede ser anterior al inicio del compromiso.")
            )
        return value

    def clean_justification(self) -> str:
        text = str(self.cleaned_data["justification"]).strip()
        if not text:
            raise forms.ValidationError(_("Escriba la justificación de la reprogramación."))
        return text


APPROVE, DENY = "approve", "deny"


class ExtensionDecisionForm(forms.Form):
    """Aprobar or Negar a pending extension; denying needs a reason. The hidden id names the request
    the person saw (`extension`), so that a decision never lands on a different one."""

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Aprobar")), (DENY, _("Negar"))],
        error_messages={
            "required": _("Elija Aprobar o Negar."),
            "invalid_choice": _("Elija Aprobar o Negar."),
        },
    )
    comment = forms.CharField(
        label=_("Comentario de la resolución"),
        required=False,
        max_length=4000,
        help_text=_("Obligatorio para negar: el motivo."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Escriba como máximo %(limit_value)d caracteres.")},
    )
    extension = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == DENY and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Escriba el motivo por el que se niega la reprogramación."))
        return cleaned


class CancelForm(forms.Form):
    """Cancelar un compromiso: the reason is required and stays in its history."""

    reason = forms.CharField(
        label=_("Motivo de la cancelación"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Escriba el motivo de la cancelación."),
            "max_length": _("Escriba como máximo %(limit_value)d caracteres."),
        },
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_reason(self) -> str:
        text = str(self.cleaned_data["reason"]).strip()
        if not text:
            raise forms.ValidationError(_("Escriba el motivo de la cancelación."))
        return text
