"""Exports: formulas neutralised in CSV and XLSX, dates as dates, semáforo fills, streaming in
bounded memory, and the download responses."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import tracemalloc
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.http import FileResponse, StreamingHttpResponse

from acuerdos.core.exports import (
    SEMAFORO_FILLS,
    Column,
    XlsxExport,
    csv_response,
    csv_text,
    iter_csv,
    neutralise,
    write_xlsx,
    xlsx_bytes,
    xlsx_response,
)

DANGEROUS = ["=1+1", "+52 55 1234", "-2", "@SUM(A1)", "\tTAB", "\rCR", '=HYPERLINK("http://x")']
COLUMNS = [
    Column("Folio"),
    Column("Texto"),
    Column("Fecha compromiso", kind="date"),
    Column("Avance", kind="percent"),
    Column("Semáforo"),
]


def _rows():
    return [
        ["RR8-CEN-2026-0001", text, dt.date(2026, 6, 30), Decimal("55.5"), "on_track"]
        for text in DANGEROUS
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+5", "'+5"),
        ("-5", "'-5"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Normal", "Normal"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_it_neutralises_text_that_a_spreadsheet_would_run(value, expected):
    assert neutralise(value) == expected


def test_it_writes_csv_with_bom_quoting_and_neutralised_cells():
    text = csv_text(
        [*COLUMNS, Column("Número", kind="number"), Column("Validado"), Column("Enviado")],
        [[*row, -3, True, dt.datetime(2026, 7, 2, 18, 30, tzinfo=dt.UTC)] for row in _rows()]
        + [["RR8, con coma", 'Dijo "hola"\ny salto', None, None, None, None, False, None]],
    )
    assert text.startswith("\ufeffFolio,Texto,Fecha compromiso,")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert [r[1] for r in rows[1:8]] == [f"'{value}" for value in DANGEROUS]
    assert rows[1][2:8] == ["2026-06-30", "55.5", "on_track", "-3", "Sí", "2026-07-02 12:30"]
    assert rows[8][:2] == ["RR8, con coma", 'Dijo "hola"\ny salto']
    assert rows[8][6] == "No"


def test_it_writes_xlsx_where_no_text_becomes_a_formula(settings):
    data = xlsx_bytes(COLUMNS, _rows(), sheet_name="Compromisos", status=4)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["Compromisos"]
    for index, value in enumerate(DANGEROUS, start=2):
        cell = sheet.cell(row=index, column=2)
        assert cell.data_type == "s"
        # xlsxwriter escapes a carriage return as OOXML's `_x000D_`, which Excel shows as CR.
        assert cell.value.replace("_x000D_", "\r") == f"'{value}"
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert sheet[1][0].font.b
    date_cell = sheet.cell(row=2, column=3)
    assert date_cell.value == dt.datetime(2026, 6, 30)
    assert date_cell.number_format == "dd/mm/yyyy"
    assert sheet.cell(row=2, column=4).value == 55.5
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E8"
    assert sheet.column_dimensions["B"].width > 10
    # Nor when read the way our own import reads it: cached values only.
    values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    assert next(values["Compromisos"].iter_rows(min_row=2, values_only=True))[1] == "'=1+1"


def test_it_fills_each_row_with_its_semaforo_colour(tmp_path):
    statuses = ["on_track", "at_risk", "overdue", "fulfilled", "cancelled", "verde", None, "???"]
    path = tmp_path / "semaforo.xlsx"
    write_xlsx(
        [Column("Unidad"), Column("Estado"), Column("Vence", kind="date")],
        [["Querétaro", status, dt.date(2026, 6, 30)] for status in statuses],
        path,
        status=1,
    )
    sheet = openpyxl.load_workbook(path).active
    fills = [
        (sheet.cell(row=i, column=1).fill.fgColor.rgb, sheet.cell(row=i, column=3).fill.fgColor.rgb)
        for i in range(2, 2 + len(statuses))
    ]
    expected = ["verde", "amarillo", "rojo", "azul", "gris", "verde"]
    for (first, last), colour in zip(fills, expected, strict=False):
        rgb = "FF" + SEMAFORO_FILLS[colour].lstrip("#").upper()
        assert first == last == rgb
    assert fills[-2][0] in ("00000000", None) and fills[-1][0] in ("00000000", None)
    assert sheet.cell(row=2, column=3).number_format == "dd/mm/yyyy"


def test_it_writes_several_sheets_and_a_status_function(tmp_path):
    path = tmp_path / "libro.xlsx"
    export = XlsxExport(path)
    export.add_sheet("Acuerdos", [Column("Folio")], [["A-1"], ["A-2"]])
    export.add_sheet(
        "Compromisos",
        [Column("Folio"), Column("Avance", kind="number")],
        [["A-1", 100], ["A-2", 10]],
        status=lambda row: "azul" if row[1] == 100 else "rojo",
    )
    export.close()
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Acuerdos", "Compromisos"]
    assert workbook["Compromisos"]["A2"].fill.fgColor.rgb == "FFCCE5FF"


def test_it_keeps_datetimes_in_mexico_city_time():
    data = xlsx_bytes(
        [Column("Enviado", kind="datetime")], [[dt.datetime(2026, 7, 2, 18, 30, tzinfo=dt.UTC)]]
    )
    cell = openpyxl.load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.value == dt.datetime(2026, 7, 2, 12, 30)
    assert cell.number_format == "dd/mm/yyyy hh:mm"


def _rows_generator(count):
    for index in range(count):
        yield [
            f"RR8-CEN-2026-{index:06d}",
            "Fortalecer la atención en las unidades de medicina familiar de la región.",
            dt.date(2026, 6, 30),
            Decimal(index % 100),
            ("on_track", "at_risk", "overdue")[index % 3],
        ]


def _peak(function):
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_it_streams_in_memory_that_does_not_grow_with_the_rows(tmp_path):
    def xlsx(count):
        return lambda: write_xlsx(
            COLUMNS, _rows_generator(count), tmp_path / f"{count}.xlsx", status=4
        )

    def csv_(count):
        return lambda: sum(len(chunk) for chunk in iter_csv(COLUMNS, _rows_generator(count)))

    small, large = _peak(xlsx(1_000)), _peak(xlsx(10_000))
    assert large < small * 1.5 + 1_000_000, (small, large)
    assert large < 10 * 1024 * 1024
    small, large = _peak(csv_(1_000)), _peak(csv_(10_000))
    assert large < small * 1.5 + 1_000_000, (small, large)
    assert openpyxl.load_workbook(tmp_path / "10000.xlsx", read_only=True).active.max_row == 10_001


def test_it_streams_a_csv_attachment():
    response = csv_response("compromisos región", COLUMNS, iter(_rows()))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="compromisos región.csv"' or (
        "filename*=utf-8''compromisos%20regi%C3%B3n.csv" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffFolio,") and "'=1+1" in body


def test_it_sends_an_xlsx_from_a_temporary_file_already_gone(monkeypatch):
    created = []
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        handle, path = real_mkstemp(*args, **kwargs)
        created.append(Path(path))
        return handle, path

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    response = xlsx_response("compromisos", COLUMNS, iter(_rows()), status=4)
    ours = [path for path in created if path.name.startswith("acuerdos-export-")]
    assert len(ours) == 1 and not ours[0].exists()
    assert isinstance(response, FileResponse)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="compromisos.xlsx"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    data = b"".join(response.streaming_content)
    response.file_to_stream.close()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["B2"].value == "'=1+1"
