"""Streaming exports of any list to CSV and XLSX, safe to open in a spreadsheet program.

Rows come in as an iterable (a generator over a queryset's `.iterator()`), never as a list, so
that 100,000 rows are written in bounded memory: CSV is yielded chunk by chunk, XLSX is written
by xlsxwriter in `constant_memory` mode to a temporary file.

Every text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is neutralised
by prefixing an apostrophe (OWASP "CSV injection"): the program shows it as text and never
runs it as a formula. The XLSX writer also writes text only with `write_string`, so no string
ever becomes a formula there either. The importers undo the apostrophe, so exports round-trip.

Views build a list of `Column`s and a generator of row sequences and return
`csv_response(...)` or `xlsx_response(...)`; the scoping (`visible_to(user)`) is the view's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Literal

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

ColumnKind = Literal["text", "number", "integer", "percent", "date", "datetime"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL_CHARS = 32_767
WIDTH_SAMPLE_ROWS = 200
CSV_CHUNK_ROWS = 500

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Semáforo fills (PRODUCT.md §3.5): the status codes of the evaluation and their colour names.
SEMAFORO_FILLS: dict[str, str] = {
    "verde": "#D4EDDA",
    "amarillo": "#FFF3CD",
    "rojo": "#F8D7DA",
    "azul": "#CCE5FF",
    "gris": "#E2E3E5",
}
STATUS_COLOURS: dict[str, str] = {
    "on_track": "verde",
    "at_risk": "amarillo",
    "overdue": "rojo",
    "fulfilled": "azul",
    "fulfilled_on_time": "azul",
    "fulfilled_late": "azul",
    "cancelled": "gris",
    "n/a": "gris",
    "na": "gris",
    **{colour: colour for colour in SEMAFORO_FILLS},
    "green": "verde",
    "yellow": "amarillo",
    "red": "rojo",
    "blue": "azul",
    "grey": "gris",
    "gray": "gris",
}

_DEFAULT_WIDTHS: dict[str, float] = {
    "text": 18,
    "number": 12,
    "integer": 10,
    "percent": 10,
    "date": 12,
    "datetime": 17,
}


def neutralise(value: str) -> str:
    """`=HYPERLINK(…)` → `'=HYPERLINK(…)`: text that a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


@dataclass(frozen=True)
class Column:
    """A column of an export: its Spanish header, how to write its values, its width.

    `kind` decides the cell type in XLSX (dates as real dates shown dd/mm/yyyy, numbers as
    numbers) and the text form in CSV (ISO dates, `.` as the decimal separator).
    """

    header: str
    kind: ColumnKind = "text"
    width: float | None = None


def _local(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def csv_value(value: Any, kind: ColumnKind = "text") -> str:
    """One value as CSV text: ISO dates, plain decimals, «Sí»/«No», neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if isinstance(value, dt.datetime):
        return _local(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


class _Echo:
    """A file-like object whose `write` returns the line, for a streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def iter_csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV as text chunks: UTF-8 BOM (so Excel reads the accents), `,` separator, every
    field quoted when needed, CRLF line ends."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield CSV_BOM + writer.writerow([neutralise(c.header) for c in columns])
    kinds = [c.kind for c in columns]
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([csv_value(v, k) for v, k in zip(row, kinds, strict=False)]))
        if len(chunk) >= CSV_CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]], target: IO[str]) -> int:
    """Write the CSV to a text stream (open it with `newline=""`); returns the rows written."""
    counter = itertools.count()

    def counted() -> Iterator[Sequence[Any]]:
        for row in rows:
            next(counter)
            yield row

    for chunk in iter_csv(columns, counted()):
        target.write(chunk)
    return next(counter)


class XlsxExport:
    """An XLSX workbook written row by row in constant memory, one or more sheets.

    Each sheet has a bold frozen header, an autofilter over the data, column widths (given or
    estimated from the first rows), dates as dates (dd/mm/yyyy) and, when a status column is
    given, the semáforo fill of each row.
    """

    def __init__(self, target: str | Path) -> None:
        self.workbook = xlsxwriter.Workbook(
            str(target),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "remove_timezone": True,
            },
        )
        self._formats: dict[tuple[str, str | None], Any] = {}
        self.header_format = self.workbook.add_format(
            {
                "bold": True,
                "bg_color": "#1F4E3D",
                "font_color": "#FFFFFF",
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        )

    def _format(self, kind: ColumnKind, fill: str | None) -> Any:
        key = (kind, fill)
        if key not in self._formats:
            spec: dict[str, Any] = {"valign": "top"}
            if kind == "date":
                spec["num_format"] = "dd/mm/yyyy"
            elif kind == "datetime":
                spec["num_format"] = "dd/mm/yyyy hh:mm"
            elif kind == "percent":
                spec["num_format"] = "0.0"
            elif kind == "integer":
                spec["num_format"] = "0"
            if fill:
                spec["bg_color"] = SEMAFORO_FILLS[fill]
            self._formats[key] = self.workbook.add_format(spec)
        return self._formats[key]

    def add_sheet(
        self,
        name: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        status: Callable[[Sequence[Any]], str | None] | int | None = None,
    ) -> int:
        """Write a sheet; `status` is the index of a column of status codes (or a function of
        the row) whose semáforo colour fills the row. Returns the number of data rows."""
        sheet = self.workbook.add_worksheet(name[:31])
        iterator = iter(rows)
        sample = list(itertools.islice(iterator, WIDTH_SAMPLE_ROWS))
        for index, column in enumerate(columns):
            width = column.width or column_width(column, index, sample)
            sheet.set_column(index, index, width)
        sheet.set_row(0, 30)
        for index, column in enumerate(columns):
            sheet.write_string(0, index, neutralise(column.header), self.header_format)
        sheet.freeze_panes(1, 0)
        status_of = _status_getter(status)
        kinds = [c.kind for c in columns]
        count = 0
        for count, row in enumerate(itertools.chain(sample, iterator), start=1):
            if count >= XLSX_MAX_ROWS:
                raise ValueError("Excel admite como máximo 1 048 575 filas por hoja.")
            fill = STATUS_COLOURS.get(str(status_of(row)).lower()) if status_of else None
            for index, kind in enumerate(kinds):
                value = row[index] if index < len(row) else None
                self._write(sheet, count, index, value, kind, fill)
        sheet.autofilter(0, 0, max(count, 1), max(len(columns) - 1, 0))
        return count

    def _write(
        self, sheet: Any, row: int, column: int, value: Any, kind: ColumnKind, fill: str | None
    ) -> None:
        cell_format = self._format(kind, fill)
        if value is None or value == "":
            if fill:
                sheet.write_blank(row, column, None, cell_format)
            return
        if isinstance(value, bool):
            sheet.write_string(row, column, "Sí" if value else "No", cell_format)
        elif isinstance(value, dt.datetime):
            date_format = self._format("datetime", fill) if kind != "date" else cell_format
            sheet.write_datetime(row, column, _local(value), date_format)
        elif isinstance(value, dt.date):
            sheet.write_datetime(
                row, column, dt.datetime.combine(value, dt.time()), self._format("date", fill)
            )
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, column, float(value), cell_format)
        else:
            text = neutralise(str(value))
            if len(text) > XLSX_MAX_CELL_CHARS:
                text = text[: XLSX_MAX_CELL_CHARS - 1] + "…"
            sheet.write_string(row, column, text, cell_format)

    def close(self) -> None:
        self.workbook.close()


def _status_getter(
    status: Callable[[Sequence[Any]], str | None] | int | None,
) -> Callable[[Sequence[Any]], str | None] | None:
    if status is None:
        return None
    if isinstance(status, int):
        index = status
        return lambda row: row[index] if index < len(row) else None
    return status


def column_width(column: Column, index: int, sample: Sequence[Sequence[Any]]) -> float:
    """A column's width in characters: its longest shown value in `sample` (or its header),
    at least its kind's default, at most 60."""
    longest = len(column.header)
    for row in sample:
        if index < len(row) and row[index] is not None:
            value = row[index]
            shown = csv_value(value, column.kind)
            longest = max(longest, max((len(line) for line in shown.splitlines()), default=0))
    return float(min(max(longest + 2, _DEFAULT_WIDTHS[column.kind]), 60))


def write_xlsx(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    target: str | Path,
    *,
    sheet_name: str = "Datos",
    status: Callable[[Sequence[Any]], str | None] | int | None = None,
) -> int:
    """One-sheet XLSX to a path; returns the number of data rows."""
    export = XlsxExport(target)
    try:
        return export.add_sheet(sheet_name, columns, rows, status=status)
    finally:
        export.close()


# --- Django responses --------------------------------------------------------------------------


def _filename(name: str, extension: str) -> str:
    safe = "".join(ch for ch in name if ch.isalnum() or ch in " -_.").strip() or "exportacion"
    return safe if safe.lower().endswith(extension) else f"{safe}{extension}"


def csv_response(
    filename: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV download (`Content-Disposition: attachment`, `nosniff`)."""
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in iter_csv(columns, rows)),
        content_type="text/csv; charset=utf-8",
    )
    disposition = content_disposition_header(
        as_attachment=True, filename=_filename(filename, ".csv")
    )
    response["Content-Disposition"] = disposition or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(
    filename: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = "Datos",
    status: Callable[[Sequence[Any]], str | None] | int | None = None,
) -> FileResponse:
    """An XLSX download written to a temporary file first (xlsxwriter needs to seek), then
    streamed; the file is unlinked at once and disappears when the response closes it."""
    handle, path = tempfile.mkstemp(prefix="acuerdos-export-", suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(columns, rows, path, sheet_name=sheet_name, status=status)
        stream: IO[bytes] = Path(path).open("rb")  # noqa: SIM115 - FileResponse closes it
    finally:
        Path(path).unlink(missing_ok=True)
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=_filename(filename, ".xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_bytes(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = "Datos",
    status: Callable[[Sequence[Any]], str | None] | int | None = None,
) -> bytes:
    """A small XLSX in memory (tests, e-mail attachments); use `xlsx_response` for lists."""
    with tempfile.TemporaryDirectory(prefix="acuerdos-export-") as directory:
        path = Path(directory) / "export.xlsx"
        write_xlsx(columns, rows, path, sheet_name=sheet_name, status=status)
        return path.read_bytes()


def csv_text(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> str:
    """The whole CSV as one string (tests and small files)."""
    buffer = io.StringIO()
    write_csv(columns, rows, buffer)
    return buffer.getvalue()
