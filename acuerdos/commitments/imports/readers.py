"""Tables out of XLSX workbooks, CSV text and the tables of a DOCX minuta.

Every reader returns `Table`s of `Row`s numbered as the person sees them in their program
(sheet row, CSV record, table row), with merged cells filled down so that a folio or an
agreement text written once over several rows applies to each of them. Formulas are never
evaluated: XLSX cells give their cached value.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element
from xml.parsers.expat import ExpatError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from acuerdos.commitments.imports.files import (
    MAX_COLUMNS,
    MAX_ROWS,
    FileRefused,
    ImportFile,
    detect_kind,
)
from acuerdos.commitments.imports.headers import best_score_any
from acuerdos.commitments.imports.values import CellValue, is_blank
from acuerdos.commitments.imports.xlsx import StopReading, open_workbook, read_sheet

# Rows read beyond the data limit before giving up (title rows, blanks, totals).
ROW_SLACK = 1_000
# Rows that are only formatting (Excel keeps some down to the last row): stop after this many.
MAX_BLANK_RUN = 2_000


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


def _damaged(exc: Exception) -> FileRefused:
    if isinstance(exc, DefusedXmlException):
        return FileRefused(
            "El libro de Excel contiene construcciones XML no permitidas y se rechazó."
        )
    return FileRefused(
        "No se pudo leer el libro de Excel: está dañado o no es un .xlsx válido. "
        "Ábralo y guárdelo de nuevo."
    )


class _SheetRows:
    """Keeps the rows of a sheet that hold data, as their cells arrive from the parser."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.last = 0

    def __call__(self, number: int, cells: list[CellValue]) -> None:
        while cells and is_blank(cells[-1]):
            cells.pop()
        if number - self.last - (1 if cells else 0) > MAX_BLANK_RUN:
            raise StopReading  # only formatting below (Excel keeps some rows down to the last)
        if not cells:
            return
        self.last = number
        self.rows.append(Row(number=number, cells=cells))
        if len(self.rows) > MAX_ROWS + ROW_SLACK:
            raise _too_many_rows()


def read_xlsx(file: ImportFile) -> list[Table]:
    """Every visible worksheet, with cached values for formulas (see `imports.xlsx`: one
    streaming pass of expat over each sheet's XML, guarded as defusedxml guards it)."""
    try:
        archive, book = open_workbook(file.data)
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, OSError, ExpatError) as exc:
        raise _damaged(exc) from exc  # DefusedXmlException is a ValueError
    tables: list[Table] = []
    try:
        for title, member in book.sheets:
            table = Table(name=title, label=f"Hoja «{title}»")
            collect = _SheetRows(table.rows)
            if member not in archive.NameToInfo:
                continue
            merges = read_sheet(book, member, max_columns=MAX_COLUMNS, on_row=collect)
            if merges and table.rows:
                _fill_merged(table.rows, merges)
            tables.append(table)
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, OSError, ExpatError) as exc:
        raise _damaged(exc) from exc  # DefusedXmlException is a ValueError
    finally:
        archive.close()
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
