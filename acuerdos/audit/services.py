"""`record()`: the one way to write an audit event, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction

from acuerdos.audit.models import AuditEvent
from acuerdos.core.request_context import current_request_id, current_source, current_token


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        # 20.00 and 20 are the same figure: compare and show them without trailing zeros.
        return format(value.normalize(), "f")
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value changed, as `{field: [old, new]}` ready for `record()`."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
        for key in after
        if _jsonable(before.get(key)) != _jsonable(after.get(key))
    }


def build(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    commitment_id: int | None = None,
    source: str | None = None,
    label: str | None = None,
) -> AuditEvent:
    """An unsaved audit event (for `bulk_create` in seeders and imports). Pass `label` in bulk
    paths: `str(target)` may follow foreign keys.

    `source` defaults to where the current request came from ("web" pages or the "api"), and to
    "web" outside a request; commands, jobs and imports pass their own. A request made with an
    API token names the token in the event's context."""
    user = actor if actor is not None and getattr(actor, "pk", None) else None
    context = dict(context or {})
    if (token := current_token()) is not None:
        context.setdefault("token", {"id": token[0], "name": token[1]})
    return AuditEvent(
        actor=user,
        actor_label=str(user) if user is not None else (str(actor) if actor else "sistema"),
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=(label if label is not None else str(target))[:300],
        commitment_id=commitment_id,
        changes=_jsonable(dict(changes or {})),
        context=_jsonable(context),
        request_id=current_request_id(),
        source=source or current_source() or "web",
    )


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    commitment_id: int | None = None,
    source: str | None = None,
) -> AuditEvent:
    """Write one audit event. Must run inside the transaction of the write it describes."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the write's transaction")
    event = build(
        actor=actor,
        action=action,
        target=target,
        changes=changes,
        context=context,
        commitment_id=commitment_id,
        source=source,
    )
    event.save()
    return event


def record_many(events: Iterable[AuditEvent], *, batch_size: int = 2000) -> None:
    """Bulk-write events built with `build()` (seeders and imports), in the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many() must be called inside the write's transaction")
    AuditEvent.objects.bulk_create(list(events), batch_size=batch_size)
