"""Calendar dates as the Institute counts them: in Mexico City time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def today() -> dt.date:
    """Today's calendar date in the project's time zone (America/Mexico_City)."""
    return timezone.localdate()


def next_midnight(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the project's time zone: what happened before it
    happened on or before that day."""
    return timezone.make_aware(
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min),
        timezone.get_default_timezone(),
    )


def long_date(value: dt.date) -> str:
    """`31 de mayo de 2026`: the form used in reports and 'con corte al …'."""
    return f"{value.day} de {MONTHS_ES[value.month - 1]} de {value.year}"


def parse_iso_date(value: str) -> dt.date:
    """Parse `YYYY-MM-DD` strictly; raises ValueError otherwise."""
    return dt.date.fromisoformat(value.strip())
