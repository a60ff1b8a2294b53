"""Forms of the agreements pages. Filters are whitelisted, typed fields: request keys never reach
the ORM; the selector receives an `AgreementFilters` built from validated values only."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from acuerdos.commitments import selectors
from acuerdos.commitments.models import Agreement, Commitment, Milestone, Priority, TargetKind
from acuerdos.commitments.selectors import AgreementFilters
from acuerdos.commitments.services import CommitmentSpec, MilestoneSpec
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


# --- Creating and editing agreements and commitments (coordinators) ---------------------------

REQUIRED = _("Este dato es obligatorio.")
INVALID_NUMBER = _("Escriba un número, por ejemplo 12.5.")
MAX_CHARS = _("Escriba como máximo %(limit_value)d caracteres.")


def _number_field(
    label: StrOrPromise, *, required: bool = False, **kwargs: Any
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=kwargs.pop("max_digits", 16),
        decimal_places=kwargs.pop("decimal_places", 4),
        error_messages={
            "required": REQUIRED,
            "invalid": INVALID_NUMBER,
            "max_digits": _("El número tiene demasiadas cifras."),
            "max_decimal_places": _("Use como máximo %(max)s decimales."),
            "max_whole_digits": _("El número es demasiado grande."),
            "min_value": _("Debe ser mayor que cero."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField[Unit]):
    """Units picked from the catalog, labelled "OOAD Querétaro · Centro"."""

    def label_from_instance(self, obj: Unit) -> str:
        kind = obj.short_name if obj.kind == UnitKind.WORKING_GROUP else None
        label = kind or f"{obj.get_kind_display()} {obj.short_name}"
        return f"{label} · {obj.region.short_name}" if obj.region is not None else label


def _unit_multiple(label: StrOrPromise, *, required: bool) -> UnitMultipleChoiceField:
    return UnitMultipleChoiceField(
        label=label,
        queryset=selectors.responsible_units(),
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Elija al menos una unidad responsable."),
            "invalid_choice": INVALID_CHOICE,
            "invalid_pk_value": INVALID_CHOICE,
        },
    )


@dataclass
class MilestoneRow:
    """One row of the milestones list as typed (kept as text, so nothing is lost on an error)."""

    pk: str = ""
    name: str = ""
    due_date: str = ""
    weight: str = "1"
    errors: list[str] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        return not (self.name.strip() or self.due_date.strip()) and self.weight.strip() in ("", "1")


DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d")


def _parse_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


class AgreementFieldsForm(forms.Form):
    """The agreement itself: folio (unique, proposed in the meeting's series), text,
    deliverable, theme, validating area (the theme's lead area by default) and priority."""

    folio = forms.CharField(
        label=_("Folio"),
        max_length=40,
        help_text=_("Se propone el siguiente de la serie de la reunión; puede cambiarlo."),
        error_messages={"required": _("Escriba el folio del acuerdo."), "max_length": MAX_CHARS},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    text = forms.CharField(
        label=_("Texto del acuerdo"),
        max_length=4000,
        error_messages={"required": _("Escriba el texto del acuerdo."), "max_length": MAX_CHARS},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    deliverable = forms.CharField(
        label=_("Entregable"),
        required=False,
        max_length=2000,
        error_messages={"max_length": MAX_CHARS},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    theme = forms.ModelChoiceField(
        label=_("Línea de acción"),
        queryset=Theme.objects.filter(is_active=True).select_related("lead_area"),
        empty_label=_("Elija una línea de acción"),
        error_messages={
            "required": _("Elija la línea de acción."),
            "invalid_choice": INVALID_CHOICE,
        },
    )
    validating_area = forms.ModelChoiceField(
        label=_("Área normativa que valida"),
        queryset=Unit.objects.normative().filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("La de la línea de acción"),
        help_text=_("Si no elige otra, valida el área líder de la línea de acción."),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    priority = forms.ChoiceField(
        label=_("Prioridad"),
        choices=Priority.choices,
        initial=Priority.MEDIUM,
        error_messages={"required": REQUIRED, "invalid_choice": INVALID_CHOICE},
    )

    def __init__(self, *args: Any, agreement_pk: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement_pk = agreement_pk
        # htmx: the folio is checked as it is typed; choosing a theme proposes its lead area.
        self.fields["folio"].widget.attrs.update(
            {
                "hx-get": reverse("commitments:agreement_folio_check"),
                "hx-trigger": "input changed delay:400ms, change",
                "hx-target": "#folio-check",
                "hx-sync": "this:replace",
                "aria-describedby": "id_folio_help folio-check",
            }
        )
        if agreement_pk is not None:
            self.fields["folio"].widget.attrs["hx-vals"] = json.dumps({"acuerdo": agreement_pk})
        self.fields["theme"].widget.attrs.update(
            {
                "hx-get": reverse("commitments:agreement_theme_area"),
                "hx-trigger": "change",
                "hx-target": "#area-field",
                "hx-swap": "outerHTML",
            }
        )
        self.fields["validating_area"].choices = [  # type: ignore[attr-defined]
            ("", _("La de la línea de acción")),
            *_normative_tree_choices()[1:],
        ]

    def clean_folio(self) -> str:
        folio = str(self.cleaned_data["folio"]).strip()
        if not folio:
            raise forms.ValidationError(_("Escriba el folio del acuerdo."))
        if selectors.folio_taken(folio, exclude_pk=self.agreement_pk):
            raise forms.ValidationError(
                _("El folio «%(folio)s» ya está registrado en otro acuerdo: use otro."),
                params={"folio": folio},
            )
        return folio

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError(_("Escriba el texto del acuerdo."))
        return text

    def area(self) -> Unit:
        """The validating area chosen, or the theme's lead area."""
        chosen: Unit | None = self.cleaned_data.get("validating_area")
        theme: Theme = self.cleaned_data["theme"]
        return chosen or theme.lead_area


class CommitmentFieldsForm(forms.Form):
    """What each commitment carries: dates, weight, co-responsible units and the target
    (percent, indicator, or milestones typed as rows `m-name`/`m-date`/`m-weight`/`m-id`)."""

    start_date = _date_field(_("Fecha de inicio"))
    due_date = _required_date_field(_("Fecha compromiso"))
    weight = _number_field(
        _("Peso"),
        required=True,
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=Decimal("1"),
    )
    co_responsible_units = _unit_multiple(_("Unidades corresponsables"), required=False)
    target_kind = forms.ChoiceField(
        label=_("Tipo de meta"),
        choices=TargetKind.choices,
        initial=TargetKind.PERCENT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Elija el tipo de meta."), "invalid_choice": INVALID_CHOICE},
    )
    indicator_name = forms.CharField(
        label=_("Nombre del indicador"),
        required=False,
        max_length=300,
        error_messages={"max_length": MAX_CHARS},
    )
    unit_of_measure = forms.CharField(
        label=_("Unidad de medida"),
        required=False,
        max_length=80,
        error_messages={"max_length": MAX_CHARS},
        widget=forms.TextInput(attrs={"placeholder": _("días, %, consultas…")}),
    )
    baseline = _number_field(_("Línea base"))
    target_value = _number_field(_("Meta"))

    def __init__(
        self,
        *args: Any,
        default_start: dt.date | None = None,
        milestones: list[Milestone] | None = None,
        reported_milestone_ids: frozenset[int] = frozenset(),
        kind_locked: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.default_start = default_start
        self.kind_locked = kind_locked
        self.reported_milestone_ids = reported_milestone_ids
        if self.is_bound:
            self.milestone_rows = self._rows_from_data()
        else:
            self.milestone_rows = [
                MilestoneRow(
                    pk=str(m.pk),
                    name=m.name,
                    due_date=f"{m.due_date:%d/%m/%Y}",
                    weight=f"{m.weight.normalize():f}",
                )
                for m in milestones or []
            ]
        # Blank rows to type into without JavaScript (blank rows are ignored when saving);
        # with JavaScript, "Agregar hito" and "Quitar" manage the rows.
        if not self.milestone_rows or not self.milestone_rows[-1].is_blank:
            self.milestone_rows.append(MilestoneRow())
        while len(self.milestone_rows) < 3:
            self.milestone_rows.append(MilestoneRow())
        self.milestone_error = ""

    def _rows_from_data(self) -> list[MilestoneRow]:
        data = self.data
        assert isinstance(data, QueryDict)
        lists = [data.getlist(f"m-{key}") for key in ("id", "name", "date", "weight")]
        size = max(len(values) for values in lists)
        rows = []
        for index in range(min(size, 100)):
            pk, name, date, weight = (
                values[index] if index < len(values) else "" for values in lists
            )
            rows.append(MilestoneRow(pk=pk.strip(), name=name, due_date=date, weight=weight))
        return rows

    def _clean_milestones(self, start: dt.date | None, due: dt.date | None) -> list[MilestoneSpec]:
        specs: list[MilestoneSpec] = []
        names: set[str] = set()
        for row in self.milestone_rows:
            row.errors = []
            if row.is_blank and not row.pk:
                continue
            name = row.name.strip()
            if not name:
                row.errors.append(str(_("Escriba el nombre del hito.")))
            elif len(name) > 300:
                row.errors.append(str(_("El nombre del hito es demasiado largo.")))
            elif name.casefold() in names:
                row.errors.append(str(_("Ya hay otro hito con ese nombre.")))
            names.add(name.casefold())
            date = _parse_date(row.due_date)
            if date is None:
                row.errors.append(str(_("Escriba la fecha del hito (dd/mm/aaaa).")))
            elif start and date < start:
                row.errors.append(str(_("La fecha del hito es anterior al inicio del compromiso.")))
            elif due and date > due:
                row.errors.append(str(_("La fecha del hito es posterior a la fecha compromiso.")))
            try:
                weight = Decimal(row.weight.strip().replace(",", "."))
            except ArithmeticError:
                weight = Decimal("-1")
            if not weight.is_finite() or weight <= 0 or weight >= Decimal("100000"):
                row.errors.append(str(_("El peso del hito debe ser un número mayor que cero.")))
            elif weight != weight.quantize(Decimal("0.01")):
                row.errors.append(str(_("Use como máximo 2 decimales en el peso.")))
            if not row.errors and date is not None:
                specs.append(
                    MilestoneSpec(
                        name=name,
                        due_date=date,
                        weight=weight,
                        pk=int(row.pk) if row.pk.isdigit() else None,
                    )
                )
        return specs

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: dt.date | None = cleaned.get("start_date") or self.default_start
        due: dt.date | None = cleaned.get("due_date")
        if start and due and due < start:
            self.add_error(
                "due_date", _("La fecha compromiso no puede ser anterior a la fecha de inicio.")
            )
        kind = cleaned.get("target_kind")
        if kind == TargetKind.INDICATOR:
            baseline, target = cleaned.get("baseline"), cleaned.get("target_value")
            if not str(cleaned.get("indicator_name") or "").strip():
                self.add_error("indicator_name", _("Escriba el nombre del indicador."))
            if baseline is None and "baseline" not in self.errors:
                self.add_error("baseline", _("Escriba la línea base."))
            if target is None and "target_value" not in self.errors:
                self.add_error("target_value", _("Escriba la meta."))
            if baseline is not None and target is not None and baseline == target:
                self.add_error(
                    "target_value",
                    _("La meta debe ser distinta de la línea base (si es menor, menos es mejor)."),
                )
        cleaned["milestones"] = []
        if kind == TargetKind.MILESTONES:
            specs = self._clean_milestones(start, due)
            if any(row.errors for row in self.milestone_rows):
                self.milestone_error = str(_("Revise los hitos señalados."))
            elif not specs:
                self.milestone_error = str(_("Agregue al menos un hito con nombre, fecha y peso."))
            kept = {s.pk for s in specs if s.pk is not None}
            for row in self.milestone_rows:
                if row.pk.isdigit() and int(row.pk) in self.reported_milestone_ids:
                    kept.add(int(row.pk))
            lost = self.reported_milestone_ids - kept
            if lost and not self.milestone_error:
                self.milestone_error = str(
                    _("No puede quitar un hito que ya se reportó como cumplido.")
                )
            if self.milestone_error:
                self.add_error(None, self.milestone_error)
            cleaned["milestones"] = specs
        return cleaned

    @property
    def milestone_total(self) -> Decimal:
        total = Decimal(0)
        for row in self.milestone_rows:
            if not row.name.strip():
                continue
            try:
                total += max(Decimal(row.weight.replace(",", ".")), Decimal(0))
            except ArithmeticError:
                continue
        return total

    def spec_for(self, unit: Unit) -> CommitmentSpec:
        """The same commitment for one responsible unit (the target is applied to each)."""
        data = self.cleaned_data
        indicator = data["target_kind"] == TargetKind.INDICATOR
        return CommitmentSpec(
            responsible_unit=unit,
            due_date=data["due_date"],
            start_date=data.get("start_date") or self.default_start,
            co_responsible_units=[u for u in data["co_responsible_units"] if u.pk != unit.pk],
            weight=data["weight"],
            target_kind=data["target_kind"],
            indicator_name=(data.get("indicator_name") or "").strip() if indicator else "",
            unit_of_measure=(data.get("unit_of_measure") or "").strip() if indicator else "",
            baseline=data.get("baseline") if indicator else None,
            target_value=data.get("target_value") if indicator else None,
            milestones=data["milestones"],
        )


class AgreementCreateForm(AgreementFieldsForm, CommitmentFieldsForm):
    """Nuevo acuerdo: the agreement and one commitment per responsible unit, chosen from the
    catalog or with the shortcuts "all OOAD / all UMAE of the meeting's region"."""

    responsible_units = _unit_multiple(_("Unidades responsables"), required=False)
    all_region_ooad = forms.BooleanField(
        label=_("Todas las OOAD de la región"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    all_region_umae = forms.BooleanField(
        label=_("Todas las UMAE de la región"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, default_start=meeting.end_date, **kwargs)
        self.meeting = meeting
        self.region_ooad = selectors.region_units(meeting.region_id, UnitKind.OOAD)
        self.region_umae = selectors.region_units(meeting.region_id, UnitKind.UMAE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        units: dict[int, Unit] = {u.pk: u for u in cleaned.get("responsible_units") or []}
        if cleaned.get("all_region_ooad"):
            units.update({u.pk: u for u in self.region_ooad})
        if cleaned.get("all_region_umae"):
            units.update({u.pk: u for u in self.region_umae})
        if not units and "responsible_units" not in self.errors:
            self.add_error(
                "responsible_units",
                _("Elija al menos una unidad responsable (o use un atajo de la región)."),
            )
        co = {u.pk for u in cleaned.get("co_responsible_units") or []}
        both = sorted(u.short_name for u in units.values() if u.pk in co)
        if both:
            self.add_error(
                "co_responsible_units",
                _("Una unidad no puede ser responsable y corresponsable a la vez: %(units)s.")
                % {"units": ", ".join(both)},
            )
        cleaned["units"] = sorted(units.values(), key=lambda u: (u.kind, u.short_name))
        return cleaned


class AgreementEditForm(AgreementFieldsForm):
    """Editar acuerdo: the agreement's own fields, with the version the person read."""

    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["folio"].help_text = _("Único en todo el sistema.")


class CommitmentEditForm(CommitmentFieldsForm):
    """Editar compromiso: dates, weight, target, co-responsible units and milestones; the
    reason is required once the commitment has validated progress."""

    reason = forms.CharField(
        label=_("Motivo del cambio"),
        required=False,
        max_length=2000,
        error_messages={"max_length": MAX_CHARS},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, commitment: Commitment, reason_required: bool, **kwargs: Any):
        super().__init__(*args, default_start=commitment.start_date, **kwargs)
        self.commitment = commitment
        self.reason_required = reason_required
        self.fields["start_date"].required = True
        if not reason_required:
            self.fields["reason"].label = _("Motivo del cambio (opcional)")
        else:
            self.fields["reason"].help_text = _(
                "Obligatorio: el compromiso ya tiene avance validado. Queda en su historial."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        co = cleaned.get("co_responsible_units") or []
        if any(u.pk == self.commitment.responsible_unit_id for u in co):
            self.add_error(
                "co_responsible_units",
                _("La unidad responsable no puede ser también corresponsable."),
            )
        return cleaned


class CommitmentAddForm(CommitmentFieldsForm):
    """Agregar compromiso: another responsible unit of an existing agreement."""

    responsible_unit = UnitChoiceField(
        label=_("Unidad responsable"),
        queryset=Unit.objects.none(),
        empty_label=_("Elija la unidad"),
        error_messages={
            "required": _("Elija la unidad responsable."),
            "invalid_choice": INVALID_CHOICE,
        },
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, default_start=agreement.meeting.end_date, **kwargs)
        self.agreement = agreement
        field_ = self.fields["responsible_unit"]
        assert isinstance(field_, UnitChoiceField)
        field_.queryset = selectors.responsible_units().exclude(
            pk__in=agreement.commitments.values("responsible_unit_id")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        unit: Unit | None = cleaned.get("responsible_unit")
        co = cleaned.get("co_responsible_units") or []
        if unit is not None and any(u.pk == unit.pk for u in co):
            self.add_error(
                "co_responsible_units",
                _("La unidad responsable no puede ser también corresponsable."),
            )
        return cleaned


class MeetingPickForm(forms.Form):
    """The meeting in which a new agreement is registered (`?reunion=<pk>`)."""

    reunion = MeetingChoiceField(
        label=_("Reunión"),
        queryset=Meeting.objects.none(),
        empty_label=_("Elija la reunión"),
        error_messages={"required": _("Elija la reunión."), "invalid_choice": INVALID_CHOICE},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_ = self.fields["reunion"]
        assert isinstance(field_, MeetingChoiceField)
        field_.queryset = selectors.meetings_for_agreements(user)
