"""Forms of the progress pages: the report form, the validator's decision, comments and the
filters of Por validar.

The forms check what a person can fix in the form itself (dates, ranges, required fields, file
sizes) and say it next to the field; the services check everything again, and also the content
of every file, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from acuerdos.commitments.forms import (
    INVALID_CHOICE,
    INVALID_DATE,
    MeetingChoiceField,
    UnitChoiceField,
    _normative_tree_choices,
)
from acuerdos.commitments.models import Commitment, Milestone, TargetKind
from acuerdos.core.dates import today
from acuerdos.core.uploads import ACCEPTED_HINT
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Region, Theme, Unit
from acuerdos.progress.selectors import QueueFilters
from acuerdos.progress.services import ReportInput, Upload

MAX_FILES = 10
ACCEPT = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
DRAFT, SUBMIT = "draft", "submit"
REQUIRED = _("Este dato es obligatorio.")


def size_label(limit: int) -> str:
    """A size limit as people say it: `25 MB`, `512 KB` (filesizeformat would say `25.0 MB`)."""
    mib = 1024 * 1024
    if limit % mib == 0:
        return f"{limit // mib} MB"
    if limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return str(filesizeformat(limit))


def max_evidence_bytes() -> int:
    return int(settings.ACUERDOS["EVIDENCE_MAX_BYTES"])


def date_field(label: StrOrPromise, *, required: bool = True) -> forms.DateField:
    """A date typed as `30/06/2026`, like every date box of Acuerdos (see commitments.forms)."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"],
        error_messages={"invalid": INVALID_DATE, "required": _("Escriba la fecha (dd/mm/aaaa).")},
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/aaaa", "inputmode": "numeric", "autocomplete": "off"},
        ),
    )


class FlexibleDecimalField(forms.DecimalField):
    """A number typed the Mexican way (`1,250.5`) or with a decimal comma (`40,5`).

    A single comma followed by exactly three digits separates thousands (`1,250`); any other
    single comma without a point is read as the decimal separator."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("%", "")
            whole, comma, decimals = value.partition(",")
            if comma and "." not in value and "," not in decimals and len(decimals) != 3:
                value = f"{whole}.{decimals}"
            else:
                value = value.replace(",", "")
        return super().to_python(value)


def _number_widget() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class MultipleFileInput(forms.FileInput):
    """`<input type="file" multiple>`: several evidence files in one go."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; each is cleaned as one FileField, the result is a list (maybe empty)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("allow_empty_file", True)  # refused below with the file's name
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        single = super().clean
        return [single(item, initial) for item in items if item]


class ReportForm(forms.Form):
    """Reportar avance: the as-of date, the value for the commitment's target kind, what was
    done, and the evidence. "Guardar borrador" asks little; "Enviar a validación" asks for all."""

    as_of = date_field(_("Avance con fecha al"))
    percent = FlexibleDecimalField(
        label=_("Porcentaje de avance"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        widget=_number_widget(),
        error_messages={
            "invalid": _("Escriba un número entre 0 y 100, por ejemplo 45 o 62.5."),
            "min_value": _("El porcentaje de avance debe estar entre 0 y 100."),
            "max_value": _("El porcentaje de avance debe estar entre 0 y 100."),
            "max_decimal_places": _("Use como máximo dos decimales."),
            "max_digits": _("El porcentaje de avance debe estar entre 0 y 100."),
            "max_whole_digits": _("El porcentaje de avance debe estar entre 0 y 100."),
        },
    )
    indicator_value = FlexibleDecimalField(
        label=_("Valor alcanzado del indicador"),
        required=False,
        max_digits=16,
        decimal_places=4,
        widget=_number_widget(),
        error_messages={
            "invalid": _("Escriba un número, por ejemplo 32 o 32.5."),
            "max_decimal_places": _("Use como máximo cuatro decimales."),
            "max_digits": _("El número es demasiado grande."),
            "max_whole_digits": _("El número es demasiado grande."),
        },
    )
    milestones = forms.ModelMultipleChoiceField(
        label=_("Hitos cumplidos"),
        queryset=Milestone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": INVALID_CHOICE,
            "invalid_pk_value": INVALID_CHOICE,
        },
    )
    narrative = forms.CharField(
        label=_("Descripción del avance"),
        required=False,
        max_length=10_000,
        help_text=_("Qué se hizo, con qué resultado y qué falta. Cite las evidencias que adjunta."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": _("Escriba como máximo %(limit_value)d caracteres.")},
    )
    evidence = MultipleFileField(
        label=_("Evidencias"),
        required=False,
        help_text=_(
            "Puede seleccionar varios archivos a la vez: PDF, imágenes (PNG, JPG), Word, Excel o "
            "PowerPoint, de hasta %(size)s cada uno."
        ),
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    answers = forms.IntegerField(required=False, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[(DRAFT, _("Guardar borrador")), (SUBMIT, _("Enviar a validación"))],
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        commitment: Commitment,
        has_evidence: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.commitment = commitment
        self.has_evidence = has_evidence
        self.fields["evidence"].help_text = str(self.fields["evidence"].help_text) % {
            "size": size_label(max_evidence_bytes())
        }
        kind = commitment.target_kind
        if kind != TargetKind.PERCENT:
            del self.fields["percent"]
        if kind != TargetKind.INDICATOR:
            del self.fields["indicator_value"]
        else:
            label = commitment.indicator_name or _("Valor alcanzado del indicador")
            self.fields["indicator_value"].label = label
        if kind != TargetKind.MILESTONES:
            del self.fields["milestones"]
        else:
            field = self.fields["milestones"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = commitment.milestones.order_by("order", "pk")

    @property
    def submitting(self) -> bool:
        return bool(self.is_bound and self.data.get("action") == SUBMIT)

    def milestone_rows(self) -> list[tuple[Milestone, bool]]:
        """The commitment's milestones with whether each box is checked (typed data first)."""
        if "milestones" not in self.fields:
            return []
        if self.is_bound:
            raw = self.data.getlist("milestones") if hasattr(self.data, "getlist") else []
            checked = {str(v) for v in raw}
        else:
            checked = {str(v) for v in self.initial.get("milestones", [])}
        field = self.fields["milestones"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        milestones: Iterable[Milestone] = field.queryset or []
        return [(m, str(m.pk) in checked) for m in milestones]

    def clean_as_of(self) -> dt.date:
        value: dt.date = self.cleaned_data["as_of"]
        if value > today():
            raise forms.ValidationError(_("La fecha del avance no puede ser posterior a hoy."))
        if value < self.commitment.start_date:
            raise forms.ValidationError(
                _("La fecha del avance no puede ser anterior al inicio del compromiso (%(date)s).")
                % {"date": self.commitment.start_date.strftime("%d/%m/%Y")}
            )
        return value

    def clean_evidence(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("evidence") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Adjunte como máximo %(n)d archivos por reporte.") % {"n": MAX_FILES}
            )
        limit = max_evidence_bytes()
        errors = []
        for item in files:
            name = item.name or "archivo"
            if not item.size:
                errors.append(
                    forms.ValidationError(
                        _("No se aceptó «%(name)s»: el archivo está vacío.") % {"name": name}
                    )
                )
            elif item.size > limit:
                errors.append(
                    forms.ValidationError(
                        _(
                            "No se aceptó «%(name)s»: pesa más de %(size)s, el máximo permitido. "
                            "Redúzcalo o divídalo."
                        )
                        % {"name": name, "size": size_label(limit)}
                    )
                )
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.submitting:
            return cleaned
        kind = self.commitment.target_kind
        missing_percent = kind == TargetKind.PERCENT and cleaned.get("percent") is None
        if missing_percent and "percent" not in self.errors:
            self.add_error("percent", _("Indique el porcentaje de avance (de 0 a 100)."))
        missing_value = kind == TargetKind.INDICATOR and cleaned.get("indicator_value") is None
        if missing_value and "indicator_value" not in self.errors:
            self.add_error("indicator_value", _("Indique el valor alcanzado del indicador."))
        if not (cleaned.get("narrative") or "").strip():
            self.add_error("narrative", _("Describa el avance: qué se hizo y qué falta."))
        if not cleaned.get("evidence") and not self.has_evidence and "evidence" not in self.errors:
            self.add_error(
                "evidence",
                _("Adjunte al menos un archivo de evidencia (%(hint)s).") % {"hint": ACCEPTED_HINT},
            )
        return cleaned

    @property
    def files_were_attached(self) -> bool:
        """Whether the person had chosen files: the browser never sends them again."""
        return bool(self.files and any(f for f in self.files.getlist("evidence")))

    def to_input(self) -> ReportInput:
        data = self.cleaned_data
        milestones: Sequence[Milestone] = data.get("milestones") or []
        return ReportInput(
            as_of=data["as_of"],
            percent=data.get("percent"),
            indicator_value=data.get("indicator_value"),
            milestone_ids=[m.pk for m in milestones],
            narrative=data.get("narrative") or "",
        )

    def uploads(self) -> list[Upload]:
        return [
            Upload(stream=cast(IO[bytes], item), name=item.name or "archivo")
            for item in self.cleaned_data.get("evidence") or []
        ]


VALIDATE, RETURN, REJECT = "validate", "return", "reject"


class ReviewForm(forms.Form):
    """The validator's decision: Validar, Devolver (observations required) or Rechazar (reason
    required). The three buttons share one text box."""

    decision = forms.ChoiceField(
        choices=[
            (VALIDATE, _("Validar")),
            (RETURN, _("Devolver con observaciones")),
            (REJECT, _("Rechazar")),
        ],
        error_messages={
            "required": _("Elija Validar, Devolver o Rechazar."),
            "invalid_choice": _("Elija Validar, Devolver o Rechazar."),
        },
    )
    comment = forms.CharField(
        label=_("Observaciones para la unidad"),
        required=False,
        max_length=5000,
        help_text=_(
            "Obligatorias para devolver (qué debe corregir o completar la unidad) y para rechazar "
            "(el motivo). Opcionales al validar."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Escriba como máximo %(limit_value)d caracteres.")},
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = cleaned.get("decision")
        if not (cleaned.get("comment") or "").strip():
            if decision == RETURN:
                self.add_error("comment", _("Escriba las observaciones para la unidad."))
            elif decision == REJECT:
                self.add_error("comment", _("Escriba el motivo del rechazo."))
        return cleaned


class CommentForm(forms.Form):
    """A comment in the commitment's thread."""

    text = forms.CharField(
        label=_("Comentario"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Escriba el comentario."),
            "max_length": _("Escriba como máximo %(limit_value)d caracteres."),
        },
    )

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError(_("Escriba el comentario."))
        return text


class QueueFilterForm(forms.Form):
    """The filters of Por validar. Whitelisted, typed fields: request keys never reach the ORM."""

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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting_field = self.fields["meeting"]
        assert isinstance(meeting_field, MeetingChoiceField)
        meeting_field.queryset = Meeting.objects.visible_to(user).order_by("-start_date", "code")
        self.fields["area"].choices = _normative_tree_choices()  # type: ignore[attr-defined]

    def to_filters(self) -> QueueFilters:
        """The filters that validated; a field with an error is left out (and shown as such)."""
        if not self.is_bound:
            return QueueFilters()
        self.is_valid()
        data = self.cleaned_data
        return QueueFilters(
            meeting=data.get("meeting"),
            unit=data.get("unit"),
            theme=data.get("theme"),
            region=data.get("region"),
            area=data.get("area"),
        )

    @property
    def active_count(self) -> int:
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return 0
        return sum(1 for value in self.cleaned_data.values() if value not in (None, ""))
