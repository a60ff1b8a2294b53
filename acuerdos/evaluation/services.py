"""Writes on evaluation: cut-offs and the closing that freezes their snapshot."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from acuerdos.audit import services as audit
from acuerdos.core.errors import DomainError
from acuerdos.evaluation.engine import evaluated_rows_sql, freeze_group_figures
from acuerdos.evaluation.models import CutOff, CutOffStatus
from acuerdos.evaluation.rules import Thresholds
from acuerdos.evaluation.settings import thresholds
from acuerdos.evaluation.signals import cutoff_closed


def cutoff_get_or_create(*, date: dt.date, actor: Any = None, source: str | None = None) -> CutOff:
    """The cut-off of that date, created (open) and audited if it does not exist."""
    existing = CutOff.objects.filter(date=date).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            cutoff = CutOff.objects.create(date=date)
            audit.record(
                actor=actor,
                action="cutoff.created",
                target=cutoff,
                changes={"date": [None, date]},
                source=source,
            )
            return cutoff
    except IntegrityError:  # created by someone else at the same moment
        return CutOff.objects.get(date=date)


SNAPSHOT_COLUMNS = (
    "cutoff_id, commitment_id, unit_id, region_id, round_id, meeting_id, theme_id, area_id, "
    "agreement_id, weight_cents, progress_num, progress_den, expected_num, expected_den, "
    "due_date, status, on_time, stale, in_denominator, overdue_days"
)


def _true(column: str) -> str:
    return f"({column} = 1)" if connection.vendor == "postgresql" else column


@transaction.atomic
def cutoff_close(
    *, date: dt.date, actor: Any = None, source: str | None = None, th: Thresholds | None = None
) -> tuple[CutOff, bool]:
    """Close the cut-off of `date`: freeze one snapshot row per commitment that counts at that
    date, evaluated with the history as it stood then, and the figures of every group computed
    from those rows. Idempotent, and safe when two closings race (the cut-off row is locked;
    the second one finds it closed). Returns (cut-off, closed now)."""
    if date > timezone.localdate():
        raise DomainError("No se puede cerrar un corte con fecha futura.")
    cutoff = cutoff_get_or_create(date=date, actor=actor, source=source)
    cutoff = CutOff.objects.select_for_update().get(pk=cutoff.pk)
    if cutoff.is_closed:
        return cutoff, False
    rows_sql, params = evaluated_rows_sql(
        source="history", as_of=date, thresholds=th or thresholds()
    )
    insert = f"""
        INSERT INTO evaluation_snapshot ({SNAPSHOT_COLUMNS})
        SELECT %s, r.cid, r.unit_id, r.region_id, r.round_id, r.meeting_id, r.theme_id,
               r.area_id, r.agreement_id, r.w, r.pn, r.pd, r.e_num, r.e_den, r.d, r.status,
               CASE WHEN r.on_time IS NULL THEN NULL ELSE {_true("r.on_time")} END,
               {_true("r.stale")}, {_true("r.in_d")}, r.overdue_days
        FROM ({rows_sql}) r"""  # noqa: S608 - constant SQL, bound values
    with connection.cursor() as cursor:
        cursor.execute(insert, [cutoff.pk, *params])
        frozen = cursor.rowcount
    groups = freeze_group_figures(cutoff.pk)
    cutoff.status = CutOffStatus.CLOSED
    cutoff.closed_at = timezone.now()
    cutoff.closed_by = actor if getattr(actor, "pk", None) else None
    cutoff.snapshot_rows = frozen
    cutoff.save()
    audit.record(
        actor=actor,
        action="cutoff.closed",
        target=cutoff,
        changes={"status": [CutOffStatus.OPEN, CutOffStatus.CLOSED]},
        context={"snapshot_rows": frozen, "groups": groups},
        source=source,
    )
    transaction.on_commit(partial(cutoff_closed.send, sender=CutOff, cutoff_id=cutoff.pk))
    return cutoff, True
