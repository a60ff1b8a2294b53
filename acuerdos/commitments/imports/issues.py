"""What an import reports back: every problem with the place where the person finds it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportIssue:
    """One error or warning, by table, row (as numbered in the person's program) and column.

    `column` is the header as written in the file (or the canonical name of a missing column).
    """

    message: str
    row: int | None = None
    column: str = ""
    table: str = ""

    @property
    def location(self) -> str:
        parts: list[str] = []
        if self.table:
            parts.append(self.table)
        if self.row is not None:
            parts.append(f"fila {self.row}" if parts else f"Fila {self.row}")
        if self.column:
            parts.append(f"columna «{self.column}»" if parts else f"Columna «{self.column}»")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


@dataclass
class UnknownName:
    """A unit name the catalog does not know, where it appears, and the closest known names —
    so that the preview screen can offer to register it as an alias."""

    text: str
    suggestions: list[str]
    places: list[str]
