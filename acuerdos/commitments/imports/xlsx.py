"""Reading the worksheets of an XLSX straight from their XML, in one streaming pass.

openpyxl in read-only mode builds an element tree and a cell object for every cell and reads
inline strings through its rich-text classes; a 10,000-row sheet took most of an import's time
before anything was matched. Here the sheet XML is fed in chunks to expat (the C parser under
ElementTree) with a few small handlers, and only what the importers need is kept: each row's
cached values, and the merged ranges (`<mergeCells>` follows the data, in the same pass).

Values are what openpyxl gives with `read_only=True, data_only=True` — the tests compare the
two on every fixture: shared and inline strings (phonetic runs left out, `_x005F_` undone),
numbers as int or float, dates by the cell's number format (openpyxl's own `is_date_format`,
`from_excel`, 1900 or 1904 epoch), booleans, formula results as their cached value (never
evaluated), errors as their text. Two differences, both what `readers._cell_value` did: a
number in a percent format is read as the value × 100 (what the person sees), a duration as
blank.

Safety: the caller has already checked the zip's directory (files.checked_zip_names) before
this module opens any member, and `zipfile` never returns more than a member declares. Every
XML part goes through `safe_parser()`: expat with the guards defusedxml installs (a DOCTYPE,
an entity declaration or an external reference raises defusedxml's own exceptions), so a
billion-laughs or XXE payload is refused, not expanded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import IO, Any, NoReturn
from xml.parsers import expat

from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from acuerdos.commitments.imports.values import CellValue

CHUNK = 256 * 1024
_REL_WORKSHEET = "/worksheet"
_REL_STRINGS = "/sharedStrings"
_REL_STYLES = "/styles"


class StopReading(Exception):
    """Raised by a row callback to end a sheet early (the rest is not parsed)."""


def safe_parser() -> Any:
    """An expat parser that refuses what defusedxml refuses (DTDs, entities, external
    references), raising defusedxml's exceptions; text is buffered into whole runs."""
    parser = expat.ParserCreate()

    def doctype(name: str, sysid: str | None, pubid: str | None, _subset: bool) -> None:
        raise DTDForbidden(name, sysid, pubid)

    def entity(
        name: str,
        _is_parameter: bool,
        value: str | None,
        base: str | None,
        sysid: str | None,
        pubid: str | None,
        notation: str | None,
    ) -> None:
        raise EntitiesForbidden(name, value, base, sysid, pubid, notation)

    def unparsed(
        name: str, base: str | None, sysid: str | None, pubid: str | None, notation: str | None
    ) -> None:
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation)

    def external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> NoReturn:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = unparsed
    parser.ExternalEntityRefHandler = external
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    return parser


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


def _feed(parser: Any, stream: IO[bytes]) -> None:
    while chunk := stream.read(CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _parse_part(
    archive: zipfile.ZipFile,
    member: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    data: Callable[[str], None] | None = None,
) -> None:
    parser = safe_parser()
    parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    if end is not None:
        parser.EndElementHandler = lambda name: end(_local(name))
    if data is not None:
        parser.CharacterDataHandler = data
    with archive.open(member) as stream:
        _feed(parser, stream)


def _target(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base_dir, target))


class _Texts:
    """Collects the text of `<t>` elements inside a container (`<si>` or `<is>`), leaving out
    phonetic runs (`<rPh>`), as openpyxl's `Text.content`."""

    def __init__(self) -> None:
        self.parts: list[str] | None = None
        self.inside = False
        self.phonetic = False
        self.collecting = False

    def begin(self) -> None:
        self.parts = []
        self.inside = True
        self.phonetic = False

    def start(self, name: str) -> None:
        if name == "t":
            self.collecting = not self.phonetic
        elif name == "rPh":
            self.phonetic = True

    def end(self, name: str) -> None:
        if name == "t":
            self.collecting = False
        elif name == "rPh":
            self.phonetic = False

    def data(self, text: str) -> None:
        if self.collecting and self.parts is not None:
            self.parts.append(text)

    def finish(self) -> str:
        text = "".join(self.parts or ())
        self.parts = None
        self.inside = False
        self.collecting = False
        return text


def _shared_strings(archive: zipfile.ZipFile, member: str) -> list[str]:
    strings: list[str] = []
    texts = _Texts()

    def start(name: str, _attrs: dict[str, str]) -> None:
        if name == "si":
            texts.begin()
        elif texts.inside:
            texts.start(name)

    def end(name: str) -> None:
        if name == "si":
            strings.append(texts.finish().replace("x005F_", ""))
        elif texts.inside:
            texts.end(name)

    _parse_part(archive, member, start, end, texts.data)
    return strings


class _Styles:
    """Which cell styles (`s` attribute, an index into `cellXfs`) are dates, durations or
    percentages."""

    def __init__(self) -> None:
        self.dates: set[int] = set()
        self.durations: set[int] = set()
        self.percents: set[int] = set()

    @classmethod
    def read(cls, archive: zipfile.ZipFile, member: str | None) -> _Styles:
        styles = cls()
        if member is None or member not in archive.NameToInfo:
            return styles
        custom: dict[int, str] = {}
        cell_formats: list[int] = []
        state = {"in_xfs": False}

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == "numFmt":
                with contextlib.suppress(ValueError):
                    custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            elif name == "cellXfs":
                state["in_xfs"] = True
            elif name == "xf" and state["in_xfs"]:
                try:
                    cell_formats.append(int(attrs.get("numFmtId", "0")))
                except ValueError:
                    cell_formats.append(0)

        def end(name: str) -> None:
            if name == "cellXfs":
                state["in_xfs"] = False

        _parse_part(archive, member, start, end)
        for index, format_id in enumerate(cell_formats):
            code = custom.get(format_id) or BUILTIN_FORMATS.get(format_id, "General")
            if is_date_format(code):
                styles.dates.add(index)
                if is_timedelta_format(code):
                    styles.durations.add(index)
            elif "%" in code:
                styles.percents.add(index)
        return styles


class Workbook:
    """The visible worksheets of a package (name and member), its shared strings, styles and
    epoch, read from `xl/workbook.xml` and its relationships."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        sheets: list[tuple[str, str, str]] = []  # name, state, relationship id
        flags = {"date1904": False}

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == "sheet":
                rel = next((v for k, v in attrs.items() if k == "id" or k.endswith(":id")), "")
                sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rel))
            elif name == "workbookPr":
                flags["date1904"] = attrs.get("date1904", "").lower() in ("1", "true")

        _parse_part(archive, "xl/workbook.xml", start)
        relations: dict[str, tuple[str, str]] = {}

        def relation(name: str, attrs: dict[str, str]) -> None:
            if name == "Relationship" and attrs.get("TargetMode") != "External":
                relations[attrs.get("Id", "")] = (
                    attrs.get("Type", ""),
                    _target("xl", attrs.get("Target", "")),
                )

        if "xl/_rels/workbook.xml.rels" in archive.NameToInfo:
            _parse_part(archive, "xl/_rels/workbook.xml.rels", relation)
        by_type: dict[str, str] = {}
        for kind, member in relations.values():
            for suffix in (_REL_STRINGS, _REL_STYLES):
                if kind.endswith(suffix):
                    by_type.setdefault(suffix, member)
        self.epoch = CALENDAR_MAC_1904 if flags["date1904"] else WINDOWS_EPOCH
        self.sheets: list[tuple[str, str]] = []
        for sheet_name, state, rel in sheets:
            kind, member = relations.get(rel, ("", ""))
            if state == "visible" and kind.endswith(_REL_WORKSHEET) and member:
                self.sheets.append((sheet_name, member))
        strings_member = by_type.get(_REL_STRINGS, "xl/sharedStrings.xml")
        self.strings = (
            _shared_strings(archive, strings_member) if strings_member in archive.NameToInfo else []
        )
        self.styles = _Styles.read(archive, by_type.get(_REL_STYLES, "xl/styles.xml"))


_COLUMNS: dict[str, int] = {}


def _column(letters: str) -> int:
    """`A` → 1, `AB` → 28; a reference that is not a column (a damaged file) is a ValueError."""
    number = _COLUMNS.get(letters)
    if number is None:
        if not letters or not letters.isascii() or not letters.isalpha():
            raise ValueError(f"not a cell reference: {letters!r}")
        number = 0
        for letter in letters.upper():
            number = number * 26 + (ord(letter) - 64)
        if len(letters) <= 3:  # XFD is the last column: the cache stays small
            _COLUMNS[letters] = number
    return number


def _add_merge(merges: list[tuple[int, int, int, int]], attrs: dict[str, str]) -> None:
    try:
        min_col, min_row, max_col, max_row = range_boundaries(attrs.get("ref", ""))
    except (ValueError, TypeError):
        return
    if min_col and min_row and max_col and max_row:
        merges.append((min_col, min_row, max_col, max_row))


RowCallback = Callable[[int, list[CellValue]], None]


class _SheetParser:
    """Handlers for one worksheet: cells into a row list, the row to `on_row` when it ends.

    Bound to expat directly (no wrapper per event); text is collected only inside `<v>` and
    the `<t>` of an inline string, by pointing expat's text handler at a list's `append`."""

    def __init__(self, book: Workbook, max_columns: int, on_row: RowCallback) -> None:
        self.strings = book.strings
        self.dates = book.styles.dates
        self.durations = book.styles.durations
        self.percents = book.styles.percents
        self.epoch = book.epoch
        self.max_columns = max_columns
        self.on_row = on_row
        self.merges: list[tuple[int, int, int, int]] = []
        self.row_number = 0
        self.column = 0
        self.cells: list[CellValue] = []
        self.kind = "n"
        self.style = 0
        self.value: list[str] | None = None
        self.inline = _Texts()
        self.parser = safe_parser()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end

    def parse(self, archive: zipfile.ZipFile, member: str) -> None:
        with archive.open(member) as stream:
            _feed(self.parser, stream)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            ref = attrs.get("r")
            if ref:
                self.column = _column(ref.rstrip("0123456789"))
            else:
                self.column += 1
            self.kind = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = int(style) if style else 0
            self.value = None
        elif name == "v":
            self.value = []
            self.parser.CharacterDataHandler = self.value.append
        elif self.inline.inside:
            self.inline.start(name)
            if self.inline.collecting and self.inline.parts is not None:
                self.parser.CharacterDataHandler = self.inline.parts.append
        elif name == "is":
            self.inline.begin()
        elif name == "row":
            number = attrs.get("r")
            self.row_number = int(number) if number else self.row_number + 1
            self.column = 0
            self.cells = []
        elif name == "mergeCell":
            _add_merge(self.merges, attrs)

    def end(self, name: str) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            if self.column <= self.max_columns:
                value = self.cell_value()
                if value is not None:
                    cells = self.cells
                    missing = self.column - 1 - len(cells)
                    if missing > 0:
                        cells.extend([None] * missing)
                    if missing >= 0:
                        cells.append(value)
                    else:
                        cells[self.column - 1] = value
            self.value = None
        elif name == "v":
            self.parser.CharacterDataHandler = None
        elif self.inline.inside:
            self.parser.CharacterDataHandler = None
            if name == "is":
                self.value = [self.inline.finish()]
            else:
                self.inline.end(name)
        elif name == "row":
            self.on_row(self.row_number, self.cells)

    def cell_value(self) -> CellValue:
        kind = self.kind
        if self.value is None:
            return None
        raw = "".join(self.value)
        if kind == "inlineStr":
            return raw
        if not raw:
            return None
        if kind == "n":
            number: int | float = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
            style = self.style
            if style in self.dates:
                if style in self.durations:
                    return None  # a duration: not a value any importer reads
                try:
                    moment: Any = from_excel(number, self.epoch)
                except (OverflowError, ValueError):
                    return "#VALUE!"
                return moment  # type: ignore[no-any-return]
            if style in self.percents:
                # What the person sees in a percent-formatted cell is the value × 100.
                return Decimal(repr(float(number))) * 100
            return number
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            parsed: dt.datetime | dt.date | dt.time | dt.timedelta = from_ISO8601(raw)
            return None if isinstance(parsed, dt.timedelta) else parsed
        return raw  # "str" (a formula's text result), "e" (an error such as #N/A)


def read_sheet(
    book: Workbook, member: str, *, max_columns: int, on_row: RowCallback
) -> list[tuple[int, int, int, int]]:
    """Parse one worksheet, calling `on_row(number, cells)` for each `<row>` (cells left to
    right, None where empty, at most `max_columns`); returns its merged ranges. `on_row` may
    raise `StopReading` to end the sheet early (its merges are then not read)."""
    sheet = _SheetParser(book, max_columns, on_row)
    try:
        sheet.parse(book.archive, member)
    except StopReading:
        return _merges_only(book.archive, member)
    return sheet.merges


_MERGE_OPEN = re.compile(rb"<(?:\w+:)?mergeCells[\s>]")
_MERGE_CLOSE = re.compile(rb"</(?:\w+:)?mergeCells>")
MAX_MERGE_XML_BYTES = 4 * 1024 * 1024


def _merges_only(archive: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a sheet whose rows were not all parsed: `<mergeCells>` follows the
    cell data, so the member is scanned as bytes for that element and only that fragment is
    parsed (safely)."""
    fragment = b""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            if not fragment:
                buffer = tail + chunk
                found = _MERGE_OPEN.search(buffer)
                if found is None:
                    tail = buffer[-64:]
                    continue
                fragment = buffer[found.start() :]
            else:
                fragment += chunk
            if _MERGE_CLOSE.search(fragment) or len(fragment) > MAX_MERGE_XML_BYTES:
                break
    end = _MERGE_CLOSE.search(fragment)
    if end is None:
        return []
    merges: list[tuple[int, int, int, int]] = []
    parser = safe_parser()
    parser.StartElementHandler = lambda name, attrs: (
        _add_merge(merges, attrs) if _local(name) == "mergeCell" else None
    )
    try:
        parser.Parse(fragment[: end.end()], True)
    except expat.ExpatError:
        return []
    return merges


def open_workbook(data: bytes) -> tuple[zipfile.ZipFile, Workbook]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        return archive, Workbook(archive)
    except BaseException:
        archive.close()
        raise
