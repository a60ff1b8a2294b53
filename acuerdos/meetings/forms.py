"""Forms of the coordinator's meeting pages: a round, and a meeting with its participants.

What a person can fix in the form is said next to the field in Spanish; the services check
everything again (and the minuta by its content) before anything is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from acuerdos.meetings import minuta as minuta_files
from acuerdos.meetings.models import Meeting, MeetingKind, Round
from acuerdos.organization.models import Region, Unit, UnitKind

INVALID_CHOICE = _("Seleccione una opción de la lista; la que indicó no está disponible.")
REQUIRED = _("Este dato es obligatorio.")
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
KIND_ORDER = (UnitKind.OOAD, UnitKind.UMAE, UnitKind.WORKING_GROUP, UnitKind.NORMATIVE_AREA)


def _date(label: Any) -> forms.DateField:
    """A date typed as `30/06/2026`, like every date box of Acuerdos."""
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        error_messages={
            "invalid": _("Escriba una fecha válida, por ejemplo 30/06/2026."),
            "required": _("Escriba la fecha (dd/mm/aaaa)."),
        },
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/aaaa", "inputmode": "numeric", "autocomplete": "off"},
        ),
    )


class RoundForm(forms.Form):
    """A round of Regional Meetings: "8ª Ronda de Reuniones Regionales 2026", 8, 2026."""

    name = forms.CharField(
        label=_("Nombre"),
        max_length=200,
        error_messages={"required": REQUIRED},
        widget=forms.TextInput(attrs={"placeholder": _("8ª Ronda de Reuniones Regionales 2026")}),
    )
    number = forms.IntegerField(
        label=_("Número"),
        required=False,
        min_value=1,
        max_value=999,
        error_messages={"invalid": _("Escriba un número entero, por ejemplo 8.")},
    )
    year = forms.IntegerField(
        label=_("Año"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": REQUIRED,
            "invalid": _("Escriba el año con cuatro cifras, por ejemplo 2026."),
            "min_value": _("Escriba un año a partir de 2000."),
            "max_value": _("Escriba un año hasta 2100."),
        },
    )

    def __init__(self, *args: Any, instance: Round | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "number": instance.number,
                "year": instance.year,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        taken = Round.objects.filter(name__iexact=name)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Ya hay una ronda con ese nombre."))
        return name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField[Unit]):
    """Participating units, labelled "OOAD Querétaro", "UMAE HE CMN Siglo XXI"."""

    def label_from_instance(self, obj: Unit) -> str:
        if obj.kind == UnitKind.WORKING_GROUP:
            return obj.short_name
        return f"{obj.get_kind_display()} {obj.short_name}"


class MeetingForm(forms.Form):
    """A meeting: its data, its participating units (with region shortcuts) and its minuta."""

    code = forms.CharField(
        label=_("Clave"),
        max_length=30,
        help_text=_("Prefijo de los folios de sus acuerdos, por ejemplo RR8-CEN."),
        error_messages={"required": REQUIRED},
    )
    name = forms.CharField(label=_("Nombre"), max_length=200, error_messages={"required": REQUIRED})
    kind = forms.ChoiceField(
        label=_("Tipo"),
        choices=MeetingKind.choices,
        error_messages={"required": REQUIRED, "invalid_choice": INVALID_CHOICE},
    )
    round = forms.ModelChoiceField(
        label=_("Ronda"),
        queryset=Round.objects.order_by("-year", "-number", "name"),
        required=False,
        empty_label=_("Sin ronda"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    region = forms.ModelChoiceField(
        label=_("Región"),
        queryset=Region.objects.order_by("order", "name"),
        empty_label=_("Elija la región"),
        error_messages={"required": REQUIRED, "invalid_choice": INVALID_CHOICE},
    )
    venue = forms.CharField(
        label=_("Sede"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Querétaro, Qro.")}),
    )
    start_date = _date(_("Fecha de inicio"))
    end_date = _date(_("Fecha de término"))
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
    participants = UnitMultipleChoiceField(
        label=_("Unidades participantes"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": INVALID_CHOICE, "invalid_pk_value": INVALID_CHOICE},
    )
    minuta = forms.FileField(
        label=_("Minuta (PDF o Word)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": minuta_files.ACCEPT}),
    )

    def __init__(self, *args: Any, instance: Meeting | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": instance.code,
                "name": instance.name,
                "kind": instance.kind,
                "round": instance.round_id,
                "region": instance.region_id,
                "venue": instance.venue,
                "start_date": instance.start_date,
                "end_date": instance.end_date,
                "participants": [u.pk for u in instance.participants.all()],
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        participants = self.fields["participants"]
        assert isinstance(participants, UnitMultipleChoiceField)
        participants.queryset = (
            Unit.objects.filter(
                Q(is_active=True) | Q(meetings=instance) if instance else Q(is_active=True)
            )
            .filter(kind__in=KIND_ORDER)
            .select_related("region")
            .distinct()
            .annotate(
                kind_order=Case(
                    *(When(kind=kind, then=Value(n)) for n, kind in enumerate(KIND_ORDER)),
                    default=Value(len(KIND_ORDER)),
                    output_field=IntegerField(),
                )
            )
            .order_by("kind_order", "short_name")
        )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().upper()
        taken = Meeting.objects.filter(code__iexact=code)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Ya hay una reunión con esa clave."))
        return code

    def clean_minuta(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("minuta")
        if upload is not None and (upload.size or 0) > minuta_files.max_bytes():
            raise forms.ValidationError(_("La minuta pesa más del máximo permitido."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start_date")
        end: dt.date | None = data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("La fecha de término no puede ser anterior a la fecha de inicio.")
            )
        return data

    def chosen_units(self) -> list[Unit]:
        """The ticked units plus those the region shortcuts stand for."""
        data = self.cleaned_data
        units = {u.pk: u for u in data.get("participants") or []}
        kinds = [
            kind
            for kind, flag in (
                (UnitKind.OOAD, "all_region_ooad"),
                (UnitKind.UMAE, "all_region_umae"),
            )
            if data.get(flag)
        ]
        region = data.get("region")
        if kinds and region is not None:
            for unit in Unit.objects.filter(region=region, kind__in=kinds, is_active=True):
                units.setdefault(unit.pk, unit)
        return list(units.values())
