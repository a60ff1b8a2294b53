"""The fast XLSX writer of the list exports: the same workbook as the xlsxwriter one."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from acuerdos.core.exports import SEMAFORO_FILLS, XLSX_MAX_CELL_CHARS, Column
from acuerdos.exports.xlsx import sheet_response, write_sheet

COLUMNS = [
    Column("Folio"),
    Column("=Texto"),
    Column("Fecha", kind="date"),
    Column("Momento", kind="datetime"),
    Column("Avance (%)", kind="percent"),
    Column("Días", kind="integer"),
    Column("Peso", kind="number"),
    Column("Estado"),
]
MOMENT = timezone.make_aware(dt.datetime(2026, 6, 30, 14, 5))
ROWS = [
    ["F-1", '=HYPERLINK("x")', dt.date(2026, 6, 30), MOMENT, Decimal("45.5"), 3, 1.5, "on_track"],
    ["F-2", "a & b <c> _x0041_ \x01 fin", None, None, None, None, None, "overdue"],
    ["F-3", "x" * (XLSX_MAX_CELL_CHARS + 10), dt.date(2026, 1, 1), True, 0, -2, Decimal("0"), ""],
]


def workbook(tmp_path: Path, rows=ROWS, **kwargs):
    target = tmp_path / "lista.xlsx"
    count = write_sheet(COLUMNS, iter(rows), target, status=lambda row: row[7], **kwargs)
    return count, openpyxl.load_workbook(target), target


def test_it_writes_headers_values_and_types(tmp_path):
    count, book, _ = workbook(tmp_path)
    sheet = book.active
    assert count == 3
    assert [c.value for c in sheet[1]][:2] == ["Folio", "'=Texto"]
    first = list(sheet[2])
    assert first[1].value == '\'=HYPERLINK("x")'
    assert first[1].data_type == "s"
    assert first[2].value == dt.datetime(2026, 6, 30)
    assert first[2].number_format == "dd/mm/yyyy"
    assert first[3].value == dt.datetime(2026, 6, 30, 14, 5)  # Mexico City time
    assert first[3].number_format == "dd/mm/yyyy hh:mm"
    assert (first[4].value, first[4].number_format) == (45.5, "0.0")
    assert (first[5].value, first[5].number_format) == (3, "0")
    assert first[6].value == 1.5
    second = [c.value for c in sheet[3]]
    # As spreadsheet programs store them (openpyxl shows the stored form; Excel and LibreOffice
    # show "_x0041_" and the control character itself).
    assert second[1] == "a & b <c> _x005F_x0041_ _x0001_ fin"
    third = [c.value for c in sheet[4]]
    assert len(third[1]) == XLSX_MAX_CELL_CHARS
    assert third[3] == "Sí"
    assert (third[4], third[5]) == (0, -2)


def test_it_freezes_the_header_filters_and_fills_the_semaforo(tmp_path):
    _, book, _ = workbook(tmp_path, sheet_name="Compromisos: ¿todos?")
    sheet = book.active
    assert sheet.title == "Compromisos  ¿todos"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H4"
    assert sheet["A2"].fill.fgColor.rgb == "FF" + SEMAFORO_FILLS["verde"].lstrip("#")
    assert sheet["C3"].fill.fgColor.rgb == "FF" + SEMAFORO_FILLS["rojo"].lstrip("#")
    assert sheet["A4"].fill.fill_type is None
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["B"].width == 60


def test_it_writes_an_empty_list_with_its_header(tmp_path):
    count, book, _ = workbook(tmp_path, rows=[])
    assert count == 0
    assert book.active.max_row == 1
    assert book.active.auto_filter.ref == "A1:H2"


def test_it_answers_a_download_that_leaves_no_file_behind(tmp_path):
    response = sheet_response("compromisos 2026", COLUMNS, iter(ROWS), sheet_name="Lista")
    data = b"".join(response.streaming_content)
    assert response["Content-Disposition"] == 'attachment; filename="compromisos 2026.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert openpyxl.load_workbook(io.BytesIO(data)).active.title == "Lista"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_it(tmp_path):
    _, _, target = workbook(tmp_path)
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader((tmp_path / "lista.csv").open(encoding="utf-8")))
    assert rows[0][0] == "Folio"
    assert rows[1][:3] == ["F-1", '\'=HYPERLINK("x")', "30/06/2026"]
    assert rows[2][0] == "F-2"
