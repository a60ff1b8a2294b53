"""Reading one cell: text, dates in the four forms people write them, numbers, percentages.

Every parser raises `ValueProblem` with a Spanish message that says what to write instead; the
importers attach the row and the column.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from acuerdos.core.dates import MONTHS_ES
from acuerdos.core.text import normalize

CellValue = str | int | float | Decimal | dt.datetime | dt.date | dt.time | bool | None

# What exports prefix to neutralise a formula (see acuerdos.core.exports); imports undo it so
# that an exported list round-trips.
_NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")

_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(MONTHS_ES, start=1):
    _MONTHS[_name] = _number
    _MONTHS[_name[:3]] = _number
_MONTHS.update({"sept": 9, "set": 9, "setiembre": 9})

_WEEKDAYS = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_LONG = re.compile(r"^(\d{1,2})\s*(?:de\s+)?([a-z]+)\.?\s*(?:de\s+|del\s+)?(\d{4})$")
_SHORT = re.compile(r"^(\d{1,2})\s*[\-/ ]\s*([a-z]+)\.?\s*[\-/ ]\s*(\d{2}|\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class ValueProblem(ValueError):
    """A cell that cannot be read as what its column needs; the message says what to write."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def text(value: CellValue) -> str:
    """The cell as the person reads it, trimmed; an exported neutralised formula is undone."""
    if value is None:
        return ""
    if isinstance(value, str):
        shown = value.replace("\r\n", "\n").strip() if "\r" in value else value.strip()
        return _NEUTRALISED.sub("", shown) if shown[:1] == "'" else shown
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return f"{value:%d/%m/%Y}"
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _build(year: int, month: int, day: int, shown: str) -> dt.date:
    if not 1 <= month <= 12:
        hint = ""
        if 1 <= day <= 12:
            hint = " ¿Escribió primero el mes? Use día/mes/año, p. ej. 30/06/2026."
        raise ValueProblem(f"La fecha «{shown}» no existe: el mes debe ir de 1 a 12.{hint}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueProblem(
            f"La fecha «{shown}» no existe: {MONTHS_ES[month - 1]} de {year} tiene {last} días."
        )
    return dt.date(year, month, day)


def _year(digits: str) -> int:
    year = int(digits)
    return 2000 + year if len(digits) == 2 else year


def parse_date(value: CellValue) -> dt.date:
    """A date written as an Excel date, `30/06/2026`, `2026-06-30` or `30 de junio de 2026`
    (also `30-jun-2026` and day-first forms with `-` or `.`)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem("Escriba una fecha, p. ej. 30/06/2026.")
    if isinstance(value, int | float | Decimal):
        serial = float(value)
        if serial.is_integer() and 20_000 <= serial <= 80_000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
        raise ValueProblem(f"«{text(value)}» no es una fecha: escríbala como 30/06/2026.")
    shown = text(value)
    if not shown:
        raise ValueProblem("Falta la fecha: escríbala como 30/06/2026.")
    folded = normalize(shown).rstrip(".")
    for weekday in _WEEKDAYS:
        if folded.startswith(weekday):
            folded = folded[len(weekday) :].lstrip(" ,")
            break
    if match := _DMY.match(folded):
        day, month, year = match.groups()
        return _build(_year(year), int(month), int(day), shown)
    if match := _YMD.match(folded):
        year, month, day = match.groups()
        return _build(int(year), int(month), int(day), shown)
    for pattern in (_LONG, _SHORT):
        if match := pattern.match(folded):
            day, month_name, year = match.groups()
            month = _MONTHS.get(month_name)
            if month is None:
                raise ValueProblem(
                    f"En la fecha «{shown}» no se reconoce el mes «{month_name}»: escriba el "
                    "nombre del mes en español, p. ej. 30 de junio de 2026."
                )
            return _build(_year(year), month, int(day), shown)
    raise ValueProblem(
        f"«{shown}» no es una fecha reconocible: use 30/06/2026, 2026-06-30 o 30 de junio de 2026."
    )


_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d{1,2}$")


def parse_decimal(value: CellValue) -> Decimal:
    """A number as written in Mexico (`1,234.5`), tolerating `%`, spaces and a decimal comma."""
    if isinstance(value, bool):
        raise ValueProblem("Escriba un número.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    shown = text(value)
    raw = shown.replace("%", "").replace("\u00a0", "").replace(" ", "").replace("$", "")
    if _THOUSANDS.match(raw):
        raw = raw.replace(",", "")
    elif _DECIMAL_COMMA.match(raw):
        raw = raw.replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValueProblem(f"«{shown}» no es un número.") from None
    if not number.is_finite():
        raise ValueProblem(f"«{shown}» no es un número.")
    return number


def looks_numeric(value: CellValue) -> bool:
    """True when the cell holds a number (not a date, not empty)."""
    if is_blank(value) or isinstance(value, bool | dt.date | dt.time):
        return False
    try:
        parse_decimal(value)
    except ValueProblem:
        return False
    return True


def fits(number: Decimal, *, max_digits: int, decimal_places: int) -> bool:
    """Whether a number fits a DecimalField(max_digits, decimal_places) once rounded."""
    rounded = number.quantize(Decimal(1).scaleb(-decimal_places))
    return abs(rounded) < Decimal(10) ** (max_digits - decimal_places)


def quantize(number: Decimal, decimal_places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-decimal_places))
