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
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from itertools import islice
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
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


def _column(
    field: models.Field[Any, Any], now: Any, json_encoder: type[DjangoJSONEncoder] | None
) -> Callable[[Row], Any]:
    """How one column's value is read from a row (or defaulted) and adapted for the backend."""
    ops = connection.ops
    name = field.attname
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        stamp = ops.adapt_datetimefield_value(now)
        return lambda row: stamp
    if field.has_default() and callable(field.default):
        fallback: Callable[[], Any] = field.get_default
    else:
        constant = field.get_default()

        def fallback() -> Any:
            return constant

    if isinstance(field, models.DateTimeField):
        adapt: Callable[[Any], Any] = ops.adapt_datetimefield_value
    elif isinstance(field, models.DateField):
        adapt = ops.adapt_datefield_value
    elif isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places

        def adapt(value: Any) -> Any:
            return ops.adapt_decimalfield_value(value, digits, places)

    elif isinstance(field, models.JSONField):
        encoder = json_encoder or field.encoder

        def adapt(value: Any) -> Any:
            return ops.adapt_json_value(value, encoder)

    else:

        def adapt(value: Any) -> Any:
            return value

    def read(row: Row) -> Any:
        value = row[name] if name in row else fallback()
        return None if value is None else adapt(value)

    return read


def insert_rows(
    model: type[models.Model],
    rows: Iterable[Row],
    *,
    json_encoder: type[DjangoJSONEncoder] | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """INSERT rows given as `{attname: value}`; other columns take the field's default (and
    `auto_now`/`auto_now_add` columns the current time). Returns how many rows were written.

    Must run inside the caller's transaction (an import is all or nothing)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("insert_rows() must be called inside the import's transaction")
    ops = connection.ops
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    readers = [_column(f, now, json_encoder) for f in fields]
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    head = f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES "  # noqa: S608
    # Table and column names come from the model; every value is bound. Multi-row VALUES: one
    # statement per batch (executemany would send one per row, a round trip each on
    # PostgreSQL), within the backend's limit of parameters.
    limit = connection.features.max_query_params
    per_statement = min(batch_size, limit // len(fields)) if limit else batch_size
    written = 0
    iterator = iter(rows)
    if connection.vendor == "postgresql":
        # COPY: no SQL to build or parse at all, the fastest way into PostgreSQL.
        copy_sql = f"COPY {ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in iterator:
                copy.write_row([read(row) for read in readers])
                written += 1
        return written
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, per_statement)):
            values = [value for row in batch for value in (read(row) for read in readers)]
            cursor.execute(head + ", ".join([one_row] * len(batch)), values)
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
