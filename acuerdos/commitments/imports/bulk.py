"""Writing a large import quickly, inside the import's one transaction.

A 10,000-row file writes some 10,000 agreements, 13,000 commitments and 23,000 audit events.
`bulk_create` spends most of that time compiling every value through the ORM (model instances,
`get_db_prep_save` per field); here each column gets one adapter from the database backend
(`connection.ops`) and the rows go to multi-row `INSERT … VALUES`. What bulk_create skips
(save(), signals, full_clean) is skipped alike; the database's constraints still apply, so a
race on a folio still fails the whole transaction.

Audit events are written the same way, with the fields `audit.build()` gives them (actor and its
label, request id, source), computed once for the whole import rather than once per event.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from itertools import chain, islice
from operator import itemgetter
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from acuerdos.audit.models import AuditEvent
from acuerdos.core.request_context import current_request_id

BATCH_SIZE = 1_000


class AuditJSONEncoder(DjangoJSONEncoder):
    """Values in an event's changes and context exactly as `audit.services._jsonable` writes
    them (ISO dates, decimals without trailing zeros, objects by their key); the tests compare
    the two."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.date):
            return o.isoformat()
        if isinstance(o, Decimal):
            return format(o.normalize(), "f")
        if isinstance(o, models.Model):
            return o.pk
        if isinstance(o, set | frozenset):
            return list(o)
        return super().default(o)


Row = Mapping[str, Any]


def _adapter(
    field: models.Field[Any, Any], json_encoder: type[DjangoJSONEncoder] | None
) -> Callable[[Any], Any] | None:
    """How the backend wants a column's non-null values, or None when the driver takes the
    Python value as it is (text, numbers, keys; dates and decimals on PostgreSQL, decimals on
    SQLite, where Django registers `str` for Decimal)."""
    ops = connection.ops
    native_dates = connection.vendor == "postgresql"  # the postgresql ops return them as is
    if isinstance(field, models.DateTimeField):
        return None if native_dates else ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return None if native_dates else ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        # The JSON text, as `json.dumps(value, cls=encoder)` writes it (what the SQLite
        # backend binds), from one encoder for the whole INSERT; PostgreSQL reads the same
        # text into jsonb.
        return (json_encoder or field.encoder or json.JSONEncoder)().encode
    if isinstance(field, models.DecimalField):
        if type(ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value:
            return None  # the base method returns the value itself
        digits, places = field.max_digits, field.decimal_places

        def adapt_decimal(value: Any) -> Any:
            return ops.adapt_decimalfield_value(value, digits, places)

        return adapt_decimal
    return None


class _Columns:
    """The columns of one INSERT and how a row dict becomes its tuple of values: the row's
    keys (read in C with one itemgetter), adapted where the backend needs it, then the columns
    the rows leave out, filled with the field's default (`auto_now` ones with the time)."""

    def __init__(
        self,
        model: type[models.Model],
        keys: Iterable[str],
        json_encoder: type[DjangoJSONEncoder] | None,
    ) -> None:
        # Generated columns are the database's to write.
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and not getattr(f, "generated", False)
        ]
        given = set(keys)
        unknown = given - {f.attname for f in fields}
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        present = [f for f in fields if f.attname in given]
        names = [f.attname for f in present]
        self.getter: Callable[[Row], tuple[Any, ...]] = (
            itemgetter(*names) if len(names) > 1 else (lambda row, name=names[0]: (row[name],))  # type: ignore[misc]
        )
        self.adapters = [
            (index, adapt)
            for index, field in enumerate(present)
            if (adapt := _adapter(field, json_encoder)) is not None
        ]
        now = timezone.now()
        constant_fields: list[models.Field[Any, Any]] = []
        constants: list[Any] = []
        factory_fields: list[models.Field[Any, Any]] = []
        self.factories: list[Callable[[], Any]] = []
        for field in fields:
            if field.attname in given:
                continue
            adapt = _adapter(field, json_encoder)
            if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
                value: Any = now
            elif field.has_default() and callable(field.default):
                factory_fields.append(field)
                self.factories.append(self._factory(field, adapt))
                continue
            else:
                value = field.get_default()
            constant_fields.append(field)
            constants.append(value if value is None or adapt is None else adapt(value))
        self.constants = tuple(constants)
        # In the order of the values: the row's, the constant defaults, the computed ones.
        self.fields = present + constant_fields + factory_fields

    @staticmethod
    def _factory(
        field: models.Field[Any, Any], adapt: Callable[[Any], Any] | None
    ) -> Callable[[], Any]:
        def make() -> Any:
            value = field.get_default()
            return value if value is None or adapt is None else adapt(value)

        return make

    def values(self, row: Row) -> tuple[Any, ...]:
        values = self.getter(row)
        if self.adapters:
            adapted = list(values)
            for index, adapt in self.adapters:
                value = adapted[index]
                if value is not None:
                    adapted[index] = adapt(value)
            values = tuple(adapted)
        if self.factories:
            return values + self.constants + tuple(make() for make in self.factories)
        return values + self.constants


def insert_rows(
    model: type[models.Model],
    rows: Iterable[Row],
    *,
    json_encoder: type[DjangoJSONEncoder] | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """INSERT rows given as `{attname: value}`, every row with the same keys; the columns they
    leave out take the field's default (and `auto_now`/`auto_now_add` columns the current
    time). Returns how many rows were written.

    Must run inside the caller's transaction (an import is all or nothing)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("insert_rows() must be called inside the import's transaction")
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = _Columns(model, first.keys(), json_encoder)
    tuples = map(columns.values, chain((first,), iterator))
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(f.column) for f in columns.fields)
    written = 0
    if connection.vendor == "postgresql":
        # COPY: no SQL to build or parse at all, the fastest way into PostgreSQL.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for values in tuples:
                copy.write_row(values)
                written += 1
        return written
    # Table and column names come from the model; every value is bound. One prepared
    # statement run by sqlite3's executemany (in C, no round trips on SQLite).
    placeholders = ", ".join(["%s"] * len(columns.fields))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        while batch := list(islice(tuples, batch_size)):
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


class EventWriter:
    """Audit events of one import: who, from where and which request are fixed once."""

    def __init__(self, *, actor: Any, source: str) -> None:
        user = actor if actor is not None and getattr(actor, "pk", None) else None
        self.common = {
            "actor_id": user.pk if user is not None else None,
            "actor_label": str(user) if user is not None else (str(actor) if actor else "sistema"),
            "request_id": current_request_id(),
            "source": source,
        }

    def event(
        self,
        *,
        action: str,
        target: type[models.Model],
        target_id: Any,
        label: str,
        changes: Mapping[str, Any],
        context: Mapping[str, Any],
        commitment_id: int | None = None,
    ) -> dict[str, Any]:
        """One event's row, as `audit.build()` would fill it (values made JSON by
        `AuditJSONEncoder`, like `audit.services._jsonable`)."""
        return {
            **self.common,
            "action": action,
            "target_type": target._meta.label_lower,
            "target_id": str(target_id),
            "target_label": label[:300],
            "commitment_id": commitment_id,
            "changes": dict(changes),
            "context": dict(context),
        }

    def write(self, events: Iterable[dict[str, Any]]) -> int:
        return insert_rows(AuditEvent, events, json_encoder=AuditJSONEncoder)


def batched(items: list[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
