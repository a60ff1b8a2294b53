"""Database expressions the two supported databases write differently."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.compiler import SQLCompiler

EPOCH = dt.date(1970, 1, 1)
# A date's day number in each database's SQL; `%(expressions)s` is the date. julianday() of
# 1970-01-01 is 2440587.5, so the difference of two dates is whole.
DAY_NUMBER_SQL = {
    "sqlite": "CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
    "postgresql": "(%(expressions)s - DATE '1970-01-01')",
}


def day_number(day: dt.date) -> int:
    """The days from 1970-01-01 to `day`: what `DayNumber` stores for it."""
    return (day - EPOCH).days


class DayNumber(models.Func):
    """A date's day number (days since 1970-01-01) as an integer, immutable on both databases so
    that it can be a stored generated column: day arithmetic and comparisons on integers cost a
    fraction of SQLite's `julianday()` on ISO text, which the national evaluation does per row."""

    output_field = models.IntegerField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> Any:
        return self.as_sql(compiler, connection, template=DAY_NUMBER_SQL["sqlite"], **extra)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> Any:
        return self.as_sql(compiler, connection, template=DAY_NUMBER_SQL["postgresql"], **extra)
