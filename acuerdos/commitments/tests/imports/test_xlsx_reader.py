"""The streaming XLSX reader reads what openpyxl reads (read-only, cached values), and refuses
XML that defusedxml refuses."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from acuerdos.commitments.imports.files import MAX_COLUMNS, FileRefused, ImportFile
from acuerdos.commitments.imports.readers import MAX_BLANK_RUN, read_tables

from .helpers import FIXTURES, HEADERS


def _reference(data: bytes) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    """What the reader returned when it used openpyxl (read_only, data_only): visible sheets,
    rows with data, trailing blanks trimmed, percent cells × 100, durations blank, merges
    filled down."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        sheet.reset_dimensions()
        rows = []
        blank_run = 0
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values: list[Any] = []
            for cell in cells[:MAX_COLUMNS]:
                value = cell.value
                numeric = isinstance(value, int | float) and not isinstance(value, bool)
                if numeric and "%" in (getattr(cell, "number_format", "") or ""):
                    value = Decimal(repr(float(value))) * 100
                if isinstance(value, dt.timedelta):
                    value = None
                values.append(value)
            while values and (values[-1] is None or str(values[-1]).strip() == ""):
                values.pop()
            if not values:
                blank_run += 1
                if blank_run > MAX_BLANK_RUN:
                    break
                continue
            blank_run = 0
            rows.append((number, values))
        sheets.append((sheet.title, rows))
    workbook.close()
    full = openpyxl.load_workbook(io.BytesIO(data))
    for title, rows in sheets:
        by_number = dict(rows)
        for merged in full[title].merged_cells.ranges:
            top = by_number.get(merged.min_row)
            if top is None or merged.max_row == merged.min_row:
                continue
            value = top[merged.min_col - 1] if merged.min_col - 1 < len(top) else None
            for number in range(merged.min_row + 1, merged.max_row + 1):
                below = by_number.get(number)
                if below is None:
                    continue
                while len(below) < merged.min_col:
                    below.append(None)
                if below[merged.min_col - 1] is None:
                    below[merged.min_col - 1] = value
    return sheets


def _ours(data: bytes) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    return [
        (table.name, [(row.number, list(row.cells)) for row in table.rows])
        for table in read_tables(ImportFile("libro.xlsx", data))
    ]


def _saved(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _openpyxl_book() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Acuerdos"
    sheet.append(["Acuerdos de la reunión"])
    sheet.append([])
    sheet.append(HEADERS)
    sheet.append(
        ["RR8-1", "Texto con acentos: ñandú", "CECI", "Jalisco", dt.date(2026, 6, 30), 90, 10]
    )
    sheet.append(["RR8-2", "  espacios  ", "CECI", "Jalisco, Colima", dt.datetime(2026, 7, 1, 9)])
    sheet.append([None, None, None, "Nayarit", "30/06/2026", True, 1.5, 3e20])
    sheet.append(["=1+1", "x", None, None, dt.time(9, 30), dt.timedelta(hours=30)])
    sheet.append([7, "Total", 0.25])
    sheet["C8"].number_format = "0.00%"
    sheet.cell(row=9, column=2, value=CellRichText(["uno ", TextBlock(InlineFont(b=True), "dos")]))
    sheet.cell(row=9, column=MAX_COLUMNS + 5, value="más allá del límite")
    sheet.merge_cells("A4:A6")
    sheet.cell(row=2500, column=1, value="después de muchas filas vacías")
    hidden = workbook.create_sheet("Oculta")
    hidden.append(["no", "se", "lee"])
    hidden.sheet_state = "hidden"
    second = workbook.create_sheet("Hitos")
    second.append(["Folio", "Hito", "Fecha"])
    second.append(["RR8-1", "Primer hito", dt.date(2026, 5, 1)])
    return _saved(workbook)


def _xlsxwriter_book(constant_memory: bool) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": constant_memory})
    sheet = workbook.add_worksheet("Datos")
    date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    percent = workbook.add_format({"num_format": "0%"})
    sheet.write_row(0, 0, HEADERS)
    sheet.write_string(1, 0, "F-1")
    sheet.write_string(1, 1, "Acuerdo «uno» & <dos>")
    sheet.write_datetime(1, 4, dt.datetime(2026, 6, 30), date)
    sheet.write_number(1, 5, 0.4, percent)
    sheet.write_formula(1, 6, "=2*3", None, 6)
    sheet.write_formula(1, 7, '="a"&"b"', None, "ab")
    sheet.write_boolean(1, 8, False)
    sheet.write_string(3, 2, "fila 4")
    sheet.write_number(3, 3, 12345678901)
    workbook.close()
    return buffer.getvalue()


def _epoch_1904() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    workbook.active.append(["Fecha", dt.date(2026, 6, 30), dt.datetime(2020, 1, 1, 12)])
    return _saved(workbook)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: (FIXTURES / "acuerdos_centro.xlsx").read_bytes(), id="libreoffice"),
        pytest.param(_openpyxl_book, id="openpyxl"),
        pytest.param(lambda: _xlsxwriter_book(False), id="xlsxwriter-shared-strings"),
        pytest.param(lambda: _xlsxwriter_book(True), id="xlsxwriter-inline-strings"),
        pytest.param(_epoch_1904, id="epoch-1904"),
    ],
)
def test_it_reads_what_openpyxl_reads(make):
    data = make()
    assert _ours(data) == _reference(data)


def test_it_reads_the_values_the_importers_expect():
    ((_, rows), (_, milestones)) = _ours(_openpyxl_book())
    by_number = dict(rows)
    assert by_number[4][:4] == ["RR8-1", "Texto con acentos: ñandú", "CECI", "Jalisco"]
    assert by_number[4][4] == dt.datetime(2026, 6, 30)
    assert by_number[5][0] == by_number[6][0] == "RR8-1"  # merged down
    assert by_number[6][5:8] == [True, 1.5, 3e20]
    assert by_number[7][:2] == [None, "x"]  # formula without a cached value: blank
    assert by_number[7][4] == dt.time(9, 30) and len(by_number[7]) == 5  # duration: blank
    assert by_number[8][2] == Decimal("25.00")
    assert by_number[9] == [None, "uno dos"]
    assert 2500 not in by_number  # below 2,000 blank rows: formatting, not data
    assert milestones == [
        (1, ["Folio", "Hito", "Fecha"]),
        (2, ["RR8-1", "Primer hito", dt.datetime(2026, 5, 1)]),
    ]
    ((_, cached),) = _ours(_xlsxwriter_book(True))
    assert dict(cached)[2][5:9] == [Decimal("40.0"), 6, "ab", False]


def _replace_sheet(data: bytes, xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = xml
            target.writestr(info.filename, content)
    return buffer.getvalue()


def _simple() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["a", "b"])
    return _saved(workbook)


@pytest.mark.parametrize(
    "xml",
    [
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&b;</t></is></c>'
            b"</row></sheetData></worksheet>",
            id="billion-laughs",
        ),
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&x;</t></is></c>'
            b"</row></sheetData></worksheet>",
            id="external-entity",
        ),
    ],
)
def test_it_refuses_sheet_xml_with_a_dtd_or_entities(xml):
    with pytest.raises(FileRefused, match="XML no permitidas"):
        read_tables(ImportFile("malo.xlsx", _replace_sheet(_simple(), xml)))


def test_it_refuses_damaged_sheet_xml_in_spanish():
    with pytest.raises(FileRefused, match="dañado"):
        read_tables(ImportFile("roto.xlsx", _replace_sheet(_simple(), b"<worksheet><sheetData")))


def test_it_reads_prefixed_elements_and_cells_without_references():
    xml = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>uno</x:t></x:is></x:c>'
        b'<x:c><x:v>2</x:v></x:c></x:row><x:row r="3"><x:c r="B3"><x:v>3.5</x:v></x:c>'
        b"</x:row></x:sheetData></x:worksheet>"
    )
    ((_, rows),) = _ours(_replace_sheet(_simple(), xml))
    assert rows == [(1, ["uno", 2]), (3, [None, 3.5])]


def test_it_refuses_a_cell_reference_that_is_not_one():
    xml = b'<worksheet><sheetData><row r="1"><c r="$1"><v>1</v></c></row></sheetData></worksheet>'
    with pytest.raises(FileRefused, match="dañado"):
        read_tables(ImportFile("roto.xlsx", _replace_sheet(_simple(), xml)))
