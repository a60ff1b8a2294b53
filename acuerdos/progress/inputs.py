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
from dataclasses import asdict, dataclass
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
from acuerdos.progress.models import InputPeriod, ProgressReport, ReportState

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


@dataclass(frozen=True)
class Inputs:
    """A commitment's evaluation inputs on one day (PRODUCT.md §3): its latest counting
    progress as num/den, the due date of the extension in force (None: its own), its last
    submission and the as-of date that opened its final run of 100 % reports."""

    progress_num: int = 0
    progress_den: int = 1
    due_date: dt.date | None = None
    last_submitted_on: dt.date | None = None
    complete_since: dt.date | None = None


NO_INPUTS = Inputs()


@dataclass(frozen=True)
class Period:
    """Inputs in force from `valid_from` up to the day before `valid_to` (None: open)."""

    valid_from: dt.date
    valid_to: dt.date | None
    inputs: Inputs


# (as_of, validated_on, report id, num, den) of a validated report; (decided_on, created_at,
# id, new due date) of an approved extension.
Counting = tuple[dt.date, dt.date, int, int, int]
Extension = tuple[dt.date, dt.datetime, int, dt.date]


def inputs_at(
    day: dt.date,
    counting: Sequence[Counting],
    submissions: Sequence[dt.date],
    extensions: Sequence[Extension],
) -> Inputs:
    """The inputs on `day` (§3.1): only reports validated by then count, the latest by as-of
    date; the latest extension approved by then is in force. `counting` and `extensions` come
    sorted."""
    rows = [row for row in counting if row[0] <= day and row[1] <= day]
    num, den = (rows[-1][3], rows[-1][4]) if rows else (0, 1)
    complete_since: dt.date | None = None
    for as_of, _validated_on, _pk, r_num, r_den in rows:
        # The run of 100 % reports that reaches the latest one starts here.
        complete_since = (complete_since or as_of) if r_num == 100 * r_den else None
    due = [new_due for decided_on, _at, _pk, new_due in extensions if decided_on <= day]
    sent = [on for on in submissions if on <= day]
    return Inputs(
        progress_num=num,
        progress_den=den,
        due_date=due[-1] if due else None,
        last_submitted_on=max(sent) if sent else None,
        complete_since=complete_since,
    )


def input_periods(
    counting: Sequence[Counting],
    submissions: Sequence[dt.date],
    extensions: Sequence[Extension],
) -> list[Period]:
    """Every stretch of days with the same inputs, from the first day any input changed (before
    it: `NO_INPUTS`). The inputs only change on a day a report was submitted or validated or an
    extension was approved."""
    days = sorted(
        {*submissions, *(max(row[0], row[1]) for row in counting), *(e[0] for e in extensions)}
    )
    periods: list[Period] = []
    previous = NO_INPUTS
    for day in days:
        inputs = inputs_at(day, counting, submissions, extensions)
        if inputs == previous:
            continue
        if periods:
            periods[-1] = Period(periods[-1].valid_from, day, periods[-1].inputs)
        periods.append(Period(day, None, inputs))
        previous = inputs
    return periods


@transaction.atomic
def refresh_inputs(commitment_ids: Iterable[int] | None = None) -> int:
    """Recompute the inputs of the given commitments (all when None) from their reports and
    extensions, in a few queries whatever their number: their periods (`InputPeriod`, read by
    the evaluation of past dates) and the inputs in force today (columns of the commitment).

    Both are caches derived from audited rows (reports, extensions), so refreshing them writes
    no audit event of its own. Every write of a report or an extension calls this.
    """
    on = today()
    queryset = Commitment.objects.order_by()
    if commitment_ids is not None:
        # Locked first, in id order: two writes on one commitment at once (two validations, a
        # submission and a validation) rewrite its inputs one after the other, each reading
        # what the other committed — never two sets of periods.
        queryset = queryset.filter(pk__in=list(commitment_ids)).select_for_update().order_by("pk")
    commitments = {c.pk: c for c in queryset.only("pk", "due_date")}
    if not commitments:
        return 0
    ids = list(commitments)
    counting: dict[int, list[Counting]] = defaultdict(list)
    submissions: dict[int, list[dt.date]] = defaultdict(list)
    extensions: dict[int, list[Extension]] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        reports = (
            ProgressReport.objects.filter(commitment_id__in=part, submitted_on__isnull=False)
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
            submissions[cid].append(submitted_on)
            if state == ReportState.VALIDATED and validated_on is not None:
                counting[cid].append((as_of, validated_on, pk, num, den))
        approved = (
            ExtensionRequest.objects.filter(
                commitment_id__in=part,
                status=ExtensionStatus.APPROVED,
                decided_on__isnull=False,
            )
            .order_by()
            .values_list("commitment_id", "decided_on", "created_at", "pk", "new_due_date")
        )
        for cid, decided_on, created_at, pk, new_due in approved:
            assert decided_on is not None
            extensions[cid].append((decided_on, created_at, pk, new_due))
    periods: list[dict[str, object]] = []
    for cid, commitment in commitments.items():
        rows, sent, approvals = sorted(counting[cid]), submissions[cid], sorted(extensions[cid])
        now = inputs_at(on, rows, sent, approvals)
        commitment.current_progress_num = now.progress_num
        commitment.current_progress_den = now.progress_den
        commitment.current_due_date = now.due_date or commitment.due_date
        commitment.last_submitted_on = now.last_submitted_on
        commitment.complete_since = now.complete_since
        periods += (
            {
                "commitment_id": cid,
                "valid_from": period.valid_from,
                "valid_to": period.valid_to,
                **asdict(period.inputs),
            }
            for period in input_periods(rows, sent, approvals)
        )
    _write_inputs(list(commitments.values()))
    _write_periods(None if commitment_ids is None else ids, periods)
    return len(commitments)


def _write_periods(ids: list[int] | None, periods: list[dict[str, object]]) -> None:
    """Replace the periods of these commitments (of all when None)."""
    # The imports package imports the commitments services, which import this module.
    from acuerdos.commitments.imports.bulk import insert_rows

    stale = InputPeriod.objects.order_by()
    if ids is None:
        stale._raw_delete(stale.db)
    else:
        for start in range(0, len(ids), CHUNK):
            part = stale.filter(commitment_id__in=ids[start : start + CHUNK])
            part._raw_delete(part.db)
    insert_rows(InputPeriod, periods)


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
