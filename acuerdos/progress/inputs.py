"""Evaluation inputs kept with the data: each report's exact progress, and each commitment's
inputs as of today (latest counting progress, due date in force, last submission, since when
it is complete). The status itself is never stored: it changes with the date alone.

Integer arithmetic only, so that the database can compare exact values (PRODUCT.md §3.5).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection, transaction

from acuerdos.commitments.models import (
    Commitment,
    ExtensionRequest,
    ExtensionStatus,
    Milestone,
    TargetKind,
)
from acuerdos.core.dates import today
from acuerdos.progress.models import ProgressReport, ReportState

SCALE = 10_000  # values carry at most four decimals (DecimalField decimal_places=4)
CHUNK = 5_000


def _units(value: Decimal) -> int:
    """A decimal with at most four places as an integer number of 1/10 000ths."""
    return int(value * SCALE)


def _reduced(num: int, den: int) -> tuple[int, int]:
    if num == 0:
        return 0, 1
    g = math.gcd(num, den)
    return num // g, den // g


def report_fraction(
    *,
    target_kind: str,
    percent: Decimal | None = None,
    indicator_value: Decimal | None = None,
    baseline: Decimal | None = None,
    target_value: Decimal | None = None,
    milestone_weights: Sequence[tuple[int, Decimal]] = (),
    milestones_done: Iterable[int] = (),
) -> tuple[int, int]:
    """§3.2: the report's progress p ∈ [0, 100] as an exact fraction (num, den) of percent."""
    if target_kind == TargetKind.PERCENT:
        if percent is None:
            return 0, 1
        num = min(max(_units(percent), 0), 100 * SCALE)
        return _reduced(num, SCALE)
    if target_kind == TargetKind.INDICATOR:
        if indicator_value is None or baseline is None or target_value is None:
            return 0, 1
        num = _units(indicator_value) - _units(baseline)
        den = _units(target_value) - _units(baseline)
        if den < 0:  # lower is better: flip both signs
            num, den = -num, -den
        num = min(max(num, 0), den)
        return _reduced(100 * num, den)
    if target_kind == TargetKind.MILESTONES:
        done = set(milestones_done)
        total = sum(_units(w) for _, w in milestone_weights)
        if total == 0:
            return 0, 1
        reached = sum(_units(w) for mid, w in milestone_weights if mid in done)
        return _reduced(100 * reached, total)
    raise ValueError(f"unknown target kind {target_kind!r}")


def fraction_for(report: ProgressReport, commitment: Commitment) -> tuple[int, int]:
    """The fraction of a saved report (milestones read from the database)."""
    weights: list[tuple[int, Decimal]] = []
    done: list[int] = []
    if commitment.target_kind == TargetKind.MILESTONES:
        weights = list(Milestone.objects.filter(commitment=commitment).values_list("pk", "weight"))
        done = list(report.milestones_done.values_list("pk", flat=True))
    return report_fraction(
        target_kind=commitment.target_kind,
        percent=report.percent,
        indicator_value=report.indicator_value,
        baseline=commitment.baseline,
        target_value=commitment.target_value,
        milestone_weights=weights,
        milestones_done=done,
    )


def set_fraction(report: ProgressReport, commitment: Commitment) -> None:
    """Store the report's exact progress (call after its values and milestones are saved)."""
    num, den = fraction_for(report, commitment)
    if (num, den) != (report.progress_num, report.progress_den):
        report.progress_num, report.progress_den = num, den
        ProgressReport.objects.filter(pk=report.pk).update(progress_num=num, progress_den=den)


@transaction.atomic
def refresh_inputs(commitment_ids: Iterable[int] | None = None) -> int:
    """Recompute the today-inputs of the given commitments (all when None) from their reports
    and extensions, in a few queries whatever their number.

    These columns are a cache derived from audited rows (reports, extensions), so refreshing
    them writes no audit event of its own. Nothing is dated in the future (as-of ≤ submission ≤
    validation ≤ today), so the inputs stay right for every date from the last write on.
    """
    on = today()
    queryset = Commitment.objects.order_by()
    if commitment_ids is not None:
        queryset = queryset.filter(pk__in=list(commitment_ids))
    commitments = {c.pk: c for c in queryset.only("pk", "due_date")}
    if not commitments:
        return 0
    ids = list(commitments)
    counting: dict[int, list[tuple[dt.date, dt.date, int, int, int]]] = defaultdict(list)
    last_submitted: dict[int, dt.date] = {}
    due: dict[int, dt.date] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        reports = (
            ProgressReport.objects.filter(commitment_id__in=part, submitted_on__lte=on)
            .order_by()
            .values_list(
                "commitment_id",
                "state",
                "as_of",
                "validated_on",
                "pk",
                "progress_num",
                "progress_den",
                "submitted_on",
            )
        )
        for cid, state, as_of, validated_on, pk, num, den, submitted_on in reports:
            assert submitted_on is not None
            if cid not in last_submitted or submitted_on > last_submitted[cid]:
                last_submitted[cid] = submitted_on
            if state == ReportState.VALIDATED and validated_on is not None and validated_on <= on:
                counting[cid].append((as_of, validated_on, pk, num, den))
        extensions = (
            ExtensionRequest.objects.filter(
                commitment_id__in=part, status=ExtensionStatus.APPROVED, decided_on__lte=on
            )
            .order_by("commitment_id", "decided_on", "created_at", "pk")
            .values_list("commitment_id", "new_due_date")
        )
        for cid, new_due in extensions:
            due[cid] = new_due  # in decision order: the latest approved one wins
    for cid, commitment in commitments.items():
        rows = sorted(counting.get(cid, []))
        num, den = (rows[-1][3], rows[-1][4]) if rows else (0, 1)
        complete_since: dt.date | None = None
        for as_of, _validated_on, _pk, r_num, r_den in rows:
            # The run of 100 % reports that reaches the latest one starts here.
            complete_since = (complete_since or as_of) if r_num == 100 * r_den else None
        commitment.current_progress_num = num
        commitment.current_progress_den = den
        commitment.current_due_date = due.get(cid, commitment.due_date)
        commitment.last_submitted_on = last_submitted.get(cid)
        commitment.complete_since = complete_since
    _write_inputs(list(commitments.values()))
    return len(commitments)


def _write_inputs(commitments: list[Commitment]) -> None:
    """Write the cached inputs: one UPDATE … FROM a temporary table (bulk_update's CASE per
    row is far slower at national scale); a plain save for a handful."""
    fields = [
        "current_progress_num",
        "current_progress_den",
        "current_due_date",
        "last_submitted_on",
        "complete_since",
    ]
    if len(commitments) <= 50:
        for commitment in commitments:
            commitment.save(update_fields=fields)
        return
    pg = connection.vendor == "postgresql"
    rows = [
        (
            c.pk,
            c.current_progress_num,
            c.current_progress_den,
            _db_date(c.current_due_date, pg),
            _db_date(c.last_submitted_on, pg),
            _db_date(c.complete_since, pg),
        )
        for c in commitments
    ]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS tmp_commitment_inputs")
        cursor.execute(
            "CREATE TEMP TABLE tmp_commitment_inputs (id BIGINT PRIMARY KEY, pn BIGINT, "
            "pd BIGINT, due DATE, ls DATE, cs DATE)"
        )
        cursor.executemany(
            "INSERT INTO tmp_commitment_inputs VALUES (%s, %s, %s, %s, %s, %s)", rows
        )
        cursor.execute(
            "UPDATE commitments_commitment SET current_progress_num = tmp.pn, "
            "current_progress_den = tmp.pd, current_due_date = tmp.due, "
            "last_submitted_on = tmp.ls, complete_since = tmp.cs "
            "FROM tmp_commitment_inputs tmp WHERE commitments_commitment.id = tmp.id"
        )
        cursor.execute("DROP TABLE tmp_commitment_inputs")


def _db_date(value: dt.date | None, pg: bool) -> dt.date | str | None:
    return value if pg or value is None else value.isoformat()


@transaction.atomic
def recompute_fractions(commitment_ids: Iterable[int] | None = None) -> int:
    """Recompute every report's exact progress from its values and its commitment's target
    (bulk paths — seeders, migrations of targets — write reports without it). Returns the
    number of reports whose fraction changed."""
    commitments = Commitment.objects.order_by()
    if commitment_ids is not None:
        commitments = commitments.filter(pk__in=list(commitment_ids))
    targets = {
        pk: (kind, baseline, target)
        for pk, kind, baseline, target in commitments.values_list(
            "pk", "target_kind", "baseline", "target_value"
        )
    }
    weights: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for mid, cid, weight in Milestone.objects.filter(
        commitment__target_kind=TargetKind.MILESTONES
    ).values_list("pk", "commitment_id", "weight"):
        if cid in targets:
            weights[cid].append((mid, weight))
    done: dict[int, set[int]] = defaultdict(set)
    through = ProgressReport.milestones_done.through
    for report_id, milestone_id in through.objects.values_list("progressreport_id", "milestone_id"):
        done[report_id].add(milestone_id)
    changed: list[tuple[int, int, int]] = []
    reports = ProgressReport.objects.order_by().values_list(
        "pk", "commitment_id", "percent", "indicator_value", "progress_num", "progress_den"
    )
    if commitment_ids is not None:
        reports = reports.filter(commitment_id__in=list(targets))
    for pk, cid, percent, value, old_num, old_den in reports.iterator(chunk_size=10_000):
        kind, baseline, target = targets[cid]
        num, den = report_fraction(
            target_kind=kind,
            percent=percent,
            indicator_value=value,
            baseline=baseline,
            target_value=target,
            milestone_weights=weights.get(cid, ()),
            milestones_done=done.get(pk, ()),
        )
        if (num, den) != (old_num, old_den):
            changed.append((pk, num, den))
    if changed:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS tmp_report_fractions")
            cursor.execute(
                "CREATE TEMP TABLE tmp_report_fractions (id BIGINT PRIMARY KEY, pn BIGINT, "
                "pd BIGINT)"
            )
            cursor.executemany("INSERT INTO tmp_report_fractions VALUES (%s, %s, %s)", changed)
            cursor.execute(
                "UPDATE progress_progressreport SET progress_num = tmp.pn, progress_den = tmp.pd "
                "FROM tmp_report_fractions tmp WHERE progress_progressreport.id = tmp.id"
            )
            cursor.execute("DROP TABLE tmp_report_fractions")
    return len(changed)
