"""Forms of the import screen: the uploads, the alias registration and the confirmation.

The upload forms check the size the browser declares (20 MB) so that an oversized file is
refused at once; the import services check the file again by its content (type, zip limits,
rows) whatever the form let through.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from acuerdos.commitments.forms import MeetingChoiceField, UnitChoiceField
from acuerdos.commitments.imports.files import MAX_FILE_BYTES
from acuerdos.commitments.imports.staging import SHA256_PATTERN
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Unit

ACCEPTED = ",".join(
    (
        ".xlsx",
        ".csv",
        ".docx",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
)
_CODE_IN_LABEL = re.compile(r"\(([^()]+)\)\s*$")


def _file_field(help_text: Any) -> forms.FileField:
    return forms.FileField(
        label=_("Archivo"),
        help_text=help_text,
        max_length=255,
        allow_empty_file=False,
        error_messages={
            "required": _("Elija el archivo que quiere importar."),
            "empty": _("El archivo está vacío."),
            "invalid": _("No se recibió un archivo: elíjalo de nuevo."),
            "max_length": _("El nombre del archivo es demasiado largo (máximo 255 caracteres)."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
    )


class _UploadForm(forms.Form):
    file: forms.FileField
    # Both upload forms share a page: their ids must differ («id_file» twice breaks the labels).
    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            megabytes = upload.size / (1024 * 1024)
            raise forms.ValidationError(
                _(
                    "El archivo pesa %(size).0f MB y el límite es %(limit)d MB. Divídalo en "
                    "varios archivos o quite hojas e imágenes que no se importan."
                ),
                params={"size": megabytes, "limit": MAX_FILE_BYTES // (1024 * 1024)},
            )
        return upload


class AgreementUploadForm(_UploadForm):
    """Importar acuerdos: the meeting where they were signed and the file."""

    id_prefix = "acuerdos"

    meeting = MeetingChoiceField(
        label=_("Reunión"),
        queryset=Meeting.objects.order_by("-start_date", "code"),
        empty_label=_("Elija la reunión"),
        help_text=_("Los acuerdos del archivo se registran en esta reunión."),
        error_messages={
            "required": _("Elija la reunión en la que se firmaron los acuerdos."),
            "invalid_choice": _("Elija una reunión de la lista."),
        },
    )
    file = _file_field(
        _("Excel (.xlsx), CSV (UTF-8 o Windows-1252) o la minuta en Word (.docx); hasta 20 MB.")
    )


class ProgressUploadForm(_UploadForm):
    """Importar historial de avances: the file (folio, unit and as-of date identify a report)."""

    id_prefix = "avances"

    file = _file_field(_("Excel (.xlsx) o CSV con los avances; hasta 20 MB."))


class ConfirmForm(forms.Form):
    """Confirmar: what the preview promised, so that a file whose plan changed meanwhile (someone
    imported part of it) is shown again instead of written."""

    expected_create = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    expected_unchanged = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class AliasForm(forms.Form):
    """Agregar como alias: register a name the file uses for a unit, then preview again."""

    alias = forms.CharField(
        max_length=300,
        widget=forms.HiddenInput,
        error_messages={"required": _("Falta el nombre que quiere registrar.")},
    )
    unit = UnitChoiceField(
        label=_("Unidad"),
        queryset=Unit.objects.responsible().filter(is_active=True).order_by("kind", "short_name"),
        empty_label=_("Elija la unidad"),
        error_messages={
            "required": _("Elija la unidad a la que corresponde el nombre."),
            "invalid_choice": _("Elija una unidad de la lista."),
        },
    )
    kind = forms.ChoiceField(
        choices=[("agreements", "agreements"), ("progress", "progress")],
        widget=forms.HiddenInput,
    )
    meeting = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    sha256 = forms.RegexField(regex=SHA256_PATTERN, widget=forms.HiddenInput)


def _code(label: str) -> str | None:
    match = _CODE_IN_LABEL.search(label)
    return match.group(1) if match else None


def alias_choice_rows(unknown: list[Any]) -> list[dict[str, Any]]:
    """For each unknown name of a plan: the name, where it appears, and the units behind its
    suggestions («Querétaro (OOAD-QRO)» → the unit), in the order given — one query."""
    codes = {code for item in unknown for label in item.suggestions if (code := _code(label))}
    found = {
        unit.code: unit
        for unit in Unit.objects.responsible().filter(code__in=codes, is_active=True)
    }
    rows = []
    for item in unknown:
        units = [found[c] for label in item.suggestions if (c := _code(label)) in found]
        rows.append({"name": item.text, "places": item.places, "units": units})
    return rows
