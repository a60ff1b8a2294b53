"""Builders of import files for the tests: XLSX with openpyxl, CSV in several encodings."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

from acuerdos.commitments.imports import ImportFile

FIXTURES = Path(__file__).parent / "fixtures"

HEADERS = [
    "Folio",
    "Acuerdo",
    "Línea de acción",
    "Responsable",
    "Fecha compromiso",
    "Meta",
    "Línea base",
    "Indicador",
    "Unidad de medida",
]


def xlsx_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    title: str = "Acuerdos",
    extra: dict[str, Sequence[Sequence[Any]]] | None = None,
    merges: Sequence[str] = (),
) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for ref in merges:
        sheet.merge_cells(ref)
    for name, more in (extra or {}).items():
        other = workbook.create_sheet(name)
        for row in more:
            other.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(rows, name: str = "acuerdos.xlsx", **kwargs) -> ImportFile:
    return ImportFile(name=name, data=xlsx_bytes(rows, **kwargs))


def csv_file(
    rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8", delimiter: str = ",", bom=False
) -> ImportFile:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    data = buffer.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    return ImportFile(name="acuerdos.csv", data=data)


def fixture(name: str) -> ImportFile:
    return ImportFile.from_path(FIXTURES / name)
