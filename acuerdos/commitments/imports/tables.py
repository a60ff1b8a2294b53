"""Walking the data rows of a table under its header, collecting issues by row and column.

Shared by the agreements, milestones and progress importers: it skips blank rows, total rows
("Total", "TOTAL GENERAL"), a repeated header row (a table continued on the next page) and
rows with a single value (a section title merged across the row), telling the person which.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from acuerdos.commitments.imports.headers import Field, HeaderMatch
from acuerdos.commitments.imports.issues import ImportIssue
from acuerdos.commitments.imports.readers import Row, Table
from acuerdos.commitments.imports.values import CellValue, is_blank, text
from acuerdos.core.text import normalize


@dataclass
class Issues:
    """The errors and warnings of one import, in the order found."""

    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)

    def error(
        self, message: str, *, row: int | None = None, column: str = "", table: str = ""
    ) -> None:
        self.errors.append(ImportIssue(message=message, row=row, column=column, table=table))

    def warn(
        self, message: str, *, row: int | None = None, column: str = "", table: str = ""
    ) -> None:
        self.warnings.append(ImportIssue(message=message, row=row, column=column, table=table))


def _is_total(row: Row) -> bool:
    first = next((text(cell) for cell in row.cells if not is_blank(cell)), "")
    head = normalize(first[:1])
    if head and head[0] not in "tgs":
        return False  # the common row: decided by its first letter alone
    folded = normalize(first)
    return folded == "total" or folded.startswith(("total ", "totales", "gran total", "suma "))


class _HeaderRepeat:
    """Whether a row repeats the header (a table continued on another page): at least two of
    its cells (one if the header has one column) read as the header's own labels."""

    def __init__(self, header: HeaderMatch) -> None:
        self.labels = [
            (column, header.labels[key].casefold()) for key, column in header.columns.items()
        ]
        self.needed = min(2, header.score)

    def __call__(self, row: Row) -> bool:
        cells = row.cells
        count = len(cells)
        same = 0
        for column, label in self.labels:
            if column >= count:
                continue
            cell = cells[column]
            # Header labels are words (match_row skips numbers and dates): only text and
            # yes/no cells can read as one.
            if isinstance(cell, str):
                folded = cell.strip().casefold()
                if folded == label or (folded[:1] == "'" and text(cell).casefold() == label):
                    same += 1
            elif isinstance(cell, bool) and text(cell).casefold() == label:
                same += 1
        return same >= self.needed


@dataclass
class RowView:
    """One data row seen through its header: values by field key, and issues by column."""

    table: Table
    header: HeaderMatch
    fields: dict[str, Field]
    row: Row
    issues: Issues
    failed: bool = False

    @property
    def number(self) -> int:
        return self.row.number

    def has(self, key: str) -> bool:
        return self.header.has(key)

    def value(self, key: str) -> CellValue:
        column = self.header.columns.get(key)
        if column is None:
            return None
        cells = self.row.cells
        return cells[column] if column < len(cells) else None

    def text(self, key: str) -> str:
        return text(self.value(key))

    def column(self, key: str) -> str:
        return self.header.labels.get(key) or self.fields[key].label

    def error(self, key: str, message: str) -> None:
        self.failed = True
        self.issues.error(message, row=self.number, column=self.column(key), table=self.table.label)

    def warn(self, key: str, message: str) -> None:
        self.issues.warn(message, row=self.number, column=self.column(key), table=self.table.label)


def data_rows(
    table: Table, header: HeaderMatch, fields: Sequence[Field], issues: Issues
) -> Iterator[RowView]:
    """The rows below the header that hold data; skipped rows are reported as warnings."""
    by_key = {item.key: item for item in fields}
    repeats_header = _HeaderRepeat(header)
    for row in table.rows[header.index + 1 :]:
        if row.is_blank:
            continue
        if _is_total(row):
            issues.warn("Se omitió la fila de totales.", row=row.number, table=table.label)
            continue
        filled = [cell for cell in row.cells if not is_blank(cell)]
        if len(filled) == 1:
            issues.warn(
                f"Se omitió la fila porque sólo tiene un dato («{text(filled[0])[:60]}»): "
                "parece un título o una celda combinada.",
                row=row.number,
                table=table.label,
            )
            continue
        if repeats_header(row):
            continue  # the header repeated (a table continued on another page)
        yield RowView(table=table, header=header, fields=by_key, row=row, issues=issues)


def missing_columns(
    table: Table, header: HeaderMatch, fields: Sequence[Field], issues: Issues, *, hint: str
) -> bool:
    """Report each required column the header lacks; True when one is missing."""
    missing = [item for item in fields if item.required and not header.has(item.key)]
    for item in missing:
        synonyms = ", ".join(f"«{s}»" for s in item.synonyms[:4])
        also = f" (o {synonyms})" if synonyms else ""
        issues.error(
            f"Falta la columna «{item.label}»{also} en la fila de encabezados. {hint}",
            row=header.number,
            column=item.label,
            table=table.label,
        )
    return bool(missing)
