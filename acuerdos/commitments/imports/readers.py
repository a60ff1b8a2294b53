"""Tables out of XLSX workbooks, CSV text and the tables of a DOCX minuta.

Every reader returns `Table`s of `Row`s numbered as the person sees them in their program
(sheet row, CSV record, table row), with merged cells filled down so that a folio or an
agreement text written once over several rows applies to each of them. Formulas are never
evaluated: XLSX cells give their cached value.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils.cell import range_boundaries

from acuerdos.commitments.imports.files import (
    MAX_COLUMNS,
    MAX_ROWS,
    FileRefused,
    ImportFile,
    detect_kind,
)
from acuerdos.commitments.imports.headers import best_score_any
from acuerdos.commitments.imports.values import CellValue, is_blank

# Rows read beyond the data limit before giving up (title rows, blanks, totals).
ROW_SLACK = 1_000
# Rows that are only formatting (Excel keeps some down to the last row): stop after this many.
MAX_BLANK_RUN = 2_000
MAX_MERGE_XML_BYTES = 4 * 1024 * 1024

if not openpyxl.DEFUSEDXML:  # pragma: no cover - a packaging mistake, not a runtime condition
    raise RuntimeError("defusedxml must be installed: openpyxl parses XLSX with it")


@dataclass
class Row:
    """One row of a table: its number as the person sees it and its cells, left to right."""

    number: int
    cells: list[CellValue]

    def get(self, index: int) -> CellValue:
        return self.cells[index] if 0 <= index < len(self.cells) else None

    @property
    def is_blank(self) -> bool:
        return all(is_blank(cell) for cell in self.cells)


@dataclass
class Table:
    """A sheet, a CSV file or one table of a document.

    `label` names it in messages ("Hoja «Acuerdos»", "Tabla 2"); empty for a lone CSV.
    """

    name: str
    label: str
    rows: list[Row] = field(default_factory=list)


def read_tables(file: ImportFile) -> list[Table]:
    """Every table in the file, whatever its format (detected from the content)."""
    kind = detect_kind(file)
    if kind == "xlsx":
        return read_xlsx(file)
    if kind == "docx":
        return read_docx(file)
    return [read_csv(file)]


def _too_many_rows() -> FileRefused:
    return FileRefused(
        f"El archivo tiene más de {MAX_ROWS:,} filas; divídalo en varios archivos.".replace(
            ",", " "
        )
    )


# --- XLSX -------------------------------------------------------------------------------------


def _cell_value(cell: Any) -> CellValue:
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number_format = getattr(cell, "number_format", "") or ""
        if "%" in number_format:
            # What the person sees in a percent-formatted cell is the value × 100.
            return Decimal(repr(float(value))) * 100
    if isinstance(value, dt.timedelta):
        return None
    if isinstance(value, str | int | float | dt.datetime | dt.date | dt.time | bool):
        return value
    return None if value is None else str(value)


_MERGE_OPEN = re.compile(rb"<(?:\w+:)?mergeCells[\s>]")
_MERGE_CLOSE = re.compile(rb"</(?:\w+:)?mergeCells>")
_PREFIX = re.compile(rb"(</?)\w+:")


def _merged_ranges(data: bytes, member: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a worksheet: `<mergeCells>` comes after the cell data, so the
    member is scanned as bytes for that element and only that fragment is parsed (defusedxml)."""
    fragment = b""
    tail = b""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            if not fragment:
                buffer = tail + chunk
                start = _MERGE_OPEN.search(buffer)
                if start is None:
                    tail = buffer[-64:]
                    continue
                fragment = buffer[start.start() :]
            else:
                fragment += chunk
            if _MERGE_CLOSE.search(fragment) or len(fragment) > MAX_MERGE_XML_BYTES:
                break
    end = _MERGE_CLOSE.search(fragment)
    if end is None:
        return []
    xml = _PREFIX.sub(rb"\1", fragment[: end.end()])
    try:
        root = SafeET.fromstring(xml, forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException):
        return []
    ranges = []
    for element in root:
        ref = element.get("ref", "")
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if min_col and min_row and max_col and max_row:
            ranges.append((min_col, min_row, max_col, max_row))
    return ranges


def _fill_merged(rows: list[Row], ranges: list[tuple[int, int, int, int]]) -> None:
    """A value merged over several rows applies to each of them (the top-left cell holds it)."""
    by_number = {row.number: row for row in rows}
    for min_col, min_row, _max_col, max_row in ranges:
        if max_row == min_row:
            continue
        top = by_number.get(min_row)
        if top is None:
            continue
        value = top.get(min_col - 1)
        for number in range(min_row + 1, max_row + 1):
            row = by_number.get(number)
            if row is None:
                continue
            while len(row.cells) < min_col:
                row.cells.append(None)
            if is_blank(row.cells[min_col - 1]):
                row.cells[min_col - 1] = value


def read_xlsx(file: ImportFile) -> list[Table]:
    """Every worksheet, with cached values for formulas (`data_only=True`), in read-only mode."""
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(file.data), read_only=True, data_only=True, keep_links=False
        )
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise FileRefused(
            "No se pudo leer el libro de Excel: está dañado o no es un .xlsx válido. "
            "Ábralo y guárdelo de nuevo."
        ) from exc
    except DefusedXmlException as exc:
        raise FileRefused(
            "El libro de Excel contiene construcciones XML no permitidas y se rechazó."
        ) from exc
    tables: list[Table] = []
    try:
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            table = Table(name=sheet.title, label=f"Hoja «{sheet.title}»")
            sheet.reset_dimensions()
            blank_run = 0
            # Rows come as wide as their last cell; only the first MAX_COLUMNS are read.
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                values = [
                    None if cell.value is None else _cell_value(cell)
                    for cell in cells[:MAX_COLUMNS]
                ]
                while values and is_blank(values[-1]):
                    values.pop()
                if not values:
                    blank_run += 1
                    if blank_run > MAX_BLANK_RUN:
                        break
                    continue
                blank_run = 0
                table.rows.append(Row(number=number, cells=values))
                if len(table.rows) > MAX_ROWS + ROW_SLACK:
                    raise _too_many_rows()
            member = getattr(sheet, "_worksheet_path", None)
            if member and table.rows:
                _fill_merged(table.rows, _merged_ranges(file.data, member))
            tables.append(table)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise FileRefused(
            "No se pudo leer el libro de Excel: su contenido XML está dañado o no es seguro."
        ) from exc
    finally:
        workbook.close()
    return tables


# --- CSV --------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (what Excel in Spanish
    saves as «CSV (delimitado por comas)»)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(content: str, delimiter: str, limit: int | None) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    for index, record in enumerate(reader):
        if limit is not None and index >= limit:
            return
        yield record


def _best_delimiter(content: str, score: Callable[[list[list[str]]], int] | None) -> str:
    sample = content[: 64 * 1024]
    best, best_key = ",", (-1, -1)
    for delimiter in (",", ";", "\t", "|"):
        try:
            rows = list(_csv_rows(sample, delimiter, 30))
        except csv.Error:
            continue
        if score is not None:
            key = (score(rows), max((len(r) for r in rows), default=0))
        else:
            key = (0, max((len(r) for r in rows), default=0))
        if key > best_key:
            best, best_key = delimiter, key
    return best


def read_csv(
    file: ImportFile, *, header_score: Callable[[list[list[str]]], int] | None = None
) -> Table:
    """A CSV file: encoding as `decode_text`, separator `,` `;` or tab — the one with which the
    header row is recognised best (or that splits the first rows into the most columns)."""
    content = decode_text(file.data)
    delimiter = _best_delimiter(content, header_score or _default_header_score)
    table = Table(name=file.name, label="")
    try:
        for number, record in enumerate(_csv_rows(content, delimiter, None), start=1):
            cells: list[CellValue] = list(record[:MAX_COLUMNS])
            while cells and is_blank(cells[-1]):
                cells.pop()
            if not cells:
                continue
            table.rows.append(Row(number=number, cells=cells))
            if len(table.rows) > MAX_ROWS + ROW_SLACK:
                raise _too_many_rows()
    except csv.Error as exc:
        raise FileRefused(
            f"No se pudo leer el CSV: {exc}. Revise las comillas del archivo."
        ) from exc
    return table


def _default_header_score(rows: list[list[str]]) -> int:
    return best_score_any(rows)


# --- DOCX -------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _cell_text(cell: Element) -> str:
    paragraphs: list[str] = []
    for paragraph in cell.iter(f"{_W}p"):
        parts: list[str] = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append(" ")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(p for p in paragraphs if p.strip()).strip()


def _int_attr(element: Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(1, int(element.get(f"{_W}val", default)))
    except ValueError:
        return default


class _DocxRows:
    """Rows of one top-level table, with the text of vertically merged cells carried down."""

    def __init__(self, index: int) -> None:
        self.table = Table(name=f"Tabla {index}", label=f"Tabla {index}")
        self.above: dict[int, str] = {}
        self.count = 0

    def add(self, tr: Element) -> None:
        self.count += 1
        cells: list[CellValue] = []
        properties = tr.find(f"{_W}trPr")
        before = properties.find(f"{_W}gridBefore") if properties is not None else None
        cells.extend([None] * _int_attr(before, 0))
        for tc in tr:
            if tc.tag != f"{_W}tc":
                continue
            tc_pr = tc.find(f"{_W}tcPr")
            span = _int_attr(tc_pr.find(f"{_W}gridSpan") if tc_pr is not None else None, 1)
            v_merge = tc_pr.find(f"{_W}vMerge") if tc_pr is not None else None
            column = len(cells)
            value = _cell_text(tc)
            if v_merge is not None and v_merge.get(f"{_W}val", "continue") == "continue":
                value = self.above.get(column, "")
            self.above[column] = value
            cells.append(value or None)
            cells.extend([None] * (span - 1))
            if len(cells) > MAX_COLUMNS:
                break
        while cells and is_blank(cells[-1]):
            cells.pop()
        if cells:
            self.table.rows.append(Row(number=self.count, cells=cells))
        if len(self.table.rows) > MAX_ROWS + ROW_SLACK:
            raise _too_many_rows()


def read_docx(file: ImportFile) -> list[Table]:
    """The tables of a Word document (`word/document.xml`), streamed through defusedxml's
    parser row by row, so that memory does not grow with the document. Cells spanning columns
    (`w:gridSpan`) leave the following columns empty; cells continuing a vertical merge
    (`w:vMerge`) take the text of the cell where the merge started. Tables nested in a cell
    count as that cell's text."""
    tables: list[Table] = []
    current: _DocxRows | None = None
    depth = 0
    try:
        with (
            zipfile.ZipFile(io.BytesIO(file.data)) as archive,
            archive.open("word/document.xml") as stream,
        ):
            for event, element in SafeET.iterparse(
                stream, events=("start", "end"), forbid_dtd=True
            ):
                tag = element.tag
                if tag == f"{_W}tbl":
                    if event == "start":
                        depth += 1
                        if depth == 1:
                            current = _DocxRows(len(tables) + 1)
                    else:
                        depth -= 1
                        if depth == 0 and current is not None:
                            tables.append(current.table)
                            current = None
                            element.clear()
                elif event == "end" and tag == f"{_W}tr" and depth == 1 and current is not None:
                    current.add(element)
                    element.clear()
                elif event == "end" and depth == 0 and tag == f"{_W}p":
                    element.clear()
    except (zipfile.BadZipFile, KeyError) as exc:
        raise FileRefused("No se pudo leer el documento de Word: está dañado.") from exc
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise FileRefused(
            "No se pudo leer el documento de Word: su contenido XML está dañado o no es seguro."
        ) from exc
    if not tables:
        raise FileRefused(
            "El documento de Word no contiene tablas: los acuerdos deben estar en una tabla "
            "con una fila de encabezados (Folio, Acuerdo, Responsable, Fecha compromiso…)."
        )
    return tables
