"""The downloadable XLSX templates: canonical columns, instructions in Spanish, and lists of
units, themes and normative areas offered in the cells (data validation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Literal

import xlsxwriter

from acuerdos.commitments.imports.files import MAX_FILE_BYTES, MAX_ROWS
from acuerdos.commitments.imports.headers import (
    AGREEMENT_FIELDS,
    MILESTONE_FIELDS,
    PROGRESS_FIELDS,
    Field,
)
from acuerdos.organization.models import NORMATIVE_KINDS, RESPONSIBLE_KINDS, Theme, Unit

TemplateKind = Literal["agreements", "progress"]
VALIDATED_ROWS = 5_000

_GENERAL = (
    "Escriba un renglón por acuerdo, o un renglón por cada unidad responsable repitiendo el "
    "folio y el texto del acuerdo.",
    "La fila de encabezados puede estar debajo de filas de título; los encabezados se "
    "reconocen sin importar acentos ni mayúsculas (también sinónimos como «No.», "
    "«Descripción», «Área responsable», «Fecha límite», «Tema»).",
    "Varias unidades en una celda (separadas por coma, punto y coma, diagonal o «y») crean un "
    "compromiso por unidad. «Todas las OOAD de la región» incluye las OOAD de la región de la "
    "reunión.",
    "Fechas: 30/06/2026, 2026-06-30, 30 de junio de 2026 o una fecha de Excel.",
    "Si Línea base y Meta son números, el compromiso tiene meta de indicador (escriba también "
    "Indicador y Unidad de medida); si no, es de porcentaje de avance y el texto de la Meta es "
    "su entregable.",
    "La hoja «Hitos» (opcional) agrega hitos a los compromisos: folio, unidad (vacía = todas "
    "las del acuerdo), hito, fecha y peso.",
    "Las filas vacías, las de totales y los títulos en celdas combinadas se omiten. Las "
    "fórmulas se leen por su valor calculado.",
    "Si hay cualquier error no se guarda nada: la vista previa dice la fila y la columna de "
    "cada error. Importar dos veces el mismo archivo no duplica nada (el folio identifica el "
    "acuerdo).",
    f"Límites: {MAX_FILE_BYTES // (1024 * 1024)} MB por archivo y {MAX_ROWS:,} filas.".replace(
        ",", " "
    ),
)

_PROGRESS_GENERAL = (
    "Un renglón por reporte de avance: folio del acuerdo, unidad responsable y fecha del "
    "avance lo identifican; importar dos veces el mismo archivo no duplica nada.",
    "Porcentaje de avance (0 a 100) para metas de porcentaje; Valor del indicador para metas "
    "de indicador; Hitos cumplidos (nombres separados por «;») para metas por hitos.",
    "Estado: Enviado, Validado, Devuelto o Rechazado (Validado si se deja vacío). Si no se "
    "indica, la fecha de envío es la del avance y la de validación la de envío.",
    "Fechas: 30/06/2026, 2026-06-30, 30 de junio de 2026 o una fecha de Excel.",
    "Si hay cualquier error no se guarda nada: la vista previa dice la fila y la columna de "
    "cada error.",
)


_LIST_TITLES = {
    "units": "Unidades responsables",
    "themes": "Catálogo de líneas de acción",
    "areas": "Catálogo de áreas normativas",
    "priorities": "Prioridades",
    "states": "Estados del reporte",
}


def _list_values() -> dict[str, list[str]]:
    return {
        "units": [
            unit.short_name
            for unit in Unit.objects.filter(is_active=True, kind__in=RESPONSIBLE_KINDS).order_by(
                "kind", "short_name"
            )
        ],
        "themes": [t.name for t in Theme.objects.filter(is_active=True).order_by("order", "name")],
        "areas": [
            unit.short_name
            for unit in Unit.objects.filter(is_active=True, kind__in=NORMATIVE_KINDS).order_by(
                "short_name"
            )
        ],
        "priorities": ["Alta", "Media", "Baja"],
        "states": ["Enviado", "Validado", "Devuelto", "Rechazado"],
    }


def _list_ranges(values: dict[str, list[str]]) -> dict[str, str]:
    """The range formula of each list in the «Listas» sheet, one list per column."""
    ranges: dict[str, str] = {}
    for column, (key, items) in enumerate(values.items()):
        letter = xlsxwriter.utility.xl_col_to_name(column)
        ranges[key] = f"=Listas!${letter}$2:${letter}${max(len(items), 1) + 1}"
    return ranges


def _write_lists(workbook: xlsxwriter.Workbook, values: dict[str, list[str]]) -> None:
    """The hidden sheet with the catalog lists that the data sheets' drop-downs refer to."""
    sheet = workbook.add_worksheet("Listas")
    bold = workbook.add_format({"bold": True})
    for column, (key, items) in enumerate(values.items()):
        sheet.write_string(0, column, _LIST_TITLES[key], bold)
        for row, value in enumerate(items, start=1):
            sheet.write_string(row, column, value)
        sheet.set_column(column, column, 40)
    sheet.hide()


def _data_sheet(
    workbook: xlsxwriter.Workbook,
    name: str,
    fields: Sequence[Field],
    lists: dict[str, str],
    list_columns: dict[str, str],
) -> None:
    sheet = workbook.add_worksheet(name)
    required = workbook.add_format(
        {
            "bold": True,
            "bg_color": "#1F4E3D",
            "font_color": "#FFFFFF",
            "text_wrap": True,
            "valign": "top",
            "border": 1,
        }
    )
    optional = workbook.add_format(
        {"bold": True, "bg_color": "#D9E7E1", "text_wrap": True, "valign": "top", "border": 1}
    )
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for column, item in enumerate(fields):
        sheet.write_string(0, column, item.label, required if item.required else optional)
        if item.help:
            sheet.write_comment(0, column, item.help, {"x_scale": 2, "y_scale": 1.5})
        is_date = "date" in item.key or item.key in ("as_of", "submitted_on", "validated_on")
        width = 50 if item.key in ("text", "narrative", "deliverable") else 22
        sheet.set_column(column, column, width, date_format if is_date else wrap)
        if is_date:
            sheet.data_validation(
                1,
                column,
                VALIDATED_ROWS,
                column,
                {
                    "validate": "date",
                    "criteria": ">=",
                    "value": dt.date(2020, 1, 1),
                    "error_type": "warning",
                    "error_title": "Fecha",
                    "error_message": "Escriba una fecha, p. ej. 30/06/2026.",
                },
            )
        elif item.key in list_columns:
            source = lists[list_columns[item.key]]
            strict = list_columns[item.key] in ("priorities", "states")
            sheet.data_validation(
                1,
                column,
                VALIDATED_ROWS,
                column,
                {
                    "validate": "list",
                    "source": source,
                    "error_type": "stop" if strict else "information",
                    "error_title": item.label,
                    "error_message": (
                        "Elija un valor de la lista."
                        if strict
                        else "No está en la lista: se aceptan claves, nombres, alias y varias "
                        "unidades separadas por coma; la vista previa avisará si no se reconoce."
                    ),
                },
            )
    sheet.set_row(0, 32)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, 0, len(fields) - 1)


def _instructions(
    workbook: xlsxwriter.Workbook,
    title: str,
    general: Sequence[str],
    tables: Sequence[tuple[str, Sequence[Field]]],
) -> None:
    sheet = workbook.add_worksheet("Instrucciones")
    heading = workbook.add_format({"bold": True, "font_size": 14})
    bold = workbook.add_format({"bold": True, "bg_color": "#D9E7E1", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 13)
    sheet.set_column(2, 2, 90)
    sheet.write_string(0, 0, title, heading)
    row = 2
    for line in general:
        sheet.write_string(row, 0, "•")
        sheet.merge_range(row, 1, row, 2, line, wrap)
        sheet.set_row(row, 32)
        row += 1
    for sheet_name, fields in tables:
        row += 1
        sheet.write_string(row, 0, f"Hoja «{sheet_name}»", heading)
        row += 1
        for column, label in enumerate(("Columna", "Obligatoria", "Qué escribir")):
            sheet.write_string(row, column, label, bold)
        row += 1
        for item in fields:
            sheet.write_string(row, 0, item.label, wrap)
            sheet.write_string(row, 1, "Sí" if item.required else "No", wrap)
            sheet.write_string(row, 2, item.help, wrap)
            row += 1


def template_build(target: str | Path | IO[bytes], *, kind: TemplateKind = "agreements") -> None:
    """Write the import template to a path or binary stream: the data sheet(s) with the
    canonical headers (required ones dark), an «Instrucciones» sheet and, in a hidden «Listas»
    sheet, the units, themes and areas that the cells offer as drop-down lists."""
    workbook = xlsxwriter.Workbook(
        str(target) if isinstance(target, Path) else target,
        {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True},
    )
    values = _list_values()
    lists = _list_ranges(values)
    if kind == "agreements":
        _data_sheet(
            workbook,
            "Acuerdos",
            AGREEMENT_FIELDS,
            lists,
            {
                "responsible": "units",
                "co_responsible": "units",
                "theme": "themes",
                "validating_area": "areas",
                "priority": "priorities",
            },
        )
        _data_sheet(workbook, "Hitos", MILESTONE_FIELDS, lists, {"unit": "units"})
        _instructions(
            workbook,
            "Plantilla de importación de acuerdos",
            _GENERAL,
            (("Acuerdos", AGREEMENT_FIELDS), ("Hitos", MILESTONE_FIELDS)),
        )
    else:
        _data_sheet(
            workbook, "Avances", PROGRESS_FIELDS, lists, {"unit": "units", "state": "states"}
        )
        _instructions(
            workbook,
            "Plantilla de importación del historial de avances",
            _PROGRESS_GENERAL,
            (("Avances", PROGRESS_FIELDS),),
        )
    _write_lists(workbook, values)
    workbook.worksheets()[0].activate()
    workbook.close()
