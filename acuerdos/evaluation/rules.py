"""The evaluation rules of PRODUCT.md §3 (v1), as pure functions.

Plain values in, plain values out: no ORM, no clock (`t` is always passed in), thresholds from a
`Thresholds` value (built from settings by the caller). Arithmetic is exact (`Fraction`), because
the rules compare exact values and round only when a figure is shown or exported.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

HUNDRED = Fraction(100)


class Status(StrEnum):
    CANCELLED = "cancelled"
    FULFILLED = "fulfilled"
    OVERDUE = "overdue"
    AT_RISK = "at_risk"
    ON_TRACK = "on_track"


STATUS_ORDER = (
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.OVERDUE,
    Status.FULFILLED,
    Status.CANCELLED,
)
SEMAFORO = {
    Status.ON_TRACK: "verde",
    Status.AT_RISK: "amarillo",
    Status.OVERDUE: "rojo",
    Status.FULFILLED: "azul",
    Status.CANCELLED: "gris",
}
STATUS_LABELS = {
    Status.ON_TRACK: "En tiempo",
    Status.AT_RISK: "En riesgo",
    Status.OVERDUE: "Vencido",
    Status.FULFILLED: "Cumplido",
    Status.CANCELLED: "Cancelado",
}


@dataclass(frozen=True)
class Thresholds:
    """The settings of §3: the at-risk margin, the stale window and the level colours."""

    at_risk_margin: Fraction = Fraction(20)
    stale_after_days: int = 31
    stale_window_days: int = 30
    level_green: Fraction = Fraction(90)
    level_yellow: Fraction = Fraction(70)


@dataclass(frozen=True)
class Report:
    """A progress report as the rules see it.

    `value` is the percent, the indicator value, or the frozenset of milestone ids done.
    `submitted_on` is None for drafts; `validated_on` is set only for validated reports.
    `sequence` orders reports created on the same dates (creation order).
    """

    as_of: dt.date
    value: Fraction | frozenset[int] | None
    submitted_on: dt.date | None
    validated_on: dt.date | None = None
    sequence: int = 0


@dataclass(frozen=True)
class Extension:
    """An approved extension: from `decided_on` on, the due date is `new_due`."""

    decided_on: dt.date
    new_due: dt.date
    sequence: int = 0


@dataclass(frozen=True)
class Target:
    """The commitment's target: kind `percent`, `indicator` (baseline, target) or `milestones`
    (weights by milestone id)."""

    kind: str
    baseline: Fraction | None = None
    target: Fraction | None = None
    milestone_weights: tuple[tuple[int, Fraction], ...] = ()


@dataclass(frozen=True)
class Commitment:
    """Everything the rules need about one commitment."""

    start: dt.date
    due: dt.date
    target: Target
    weight: Fraction = Fraction(1)
    cancelled_on: dt.date | None = None
    reports: tuple[Report, ...] = ()
    extensions: tuple[Extension, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    """One commitment evaluated at `t`."""

    counts: bool
    progress: Fraction
    expected: Fraction
    due: dt.date
    status: Status
    on_time: bool | None
    stale: bool
    overdue_days: int
    weight: Fraction
    # D of §3.7: due on or before t, or fulfilled (so early completions count).
    in_denominator: bool

    @property
    def semaforo(self) -> str:
        return SEMAFORO[self.status]


def clamp(value: Fraction, low: Fraction, high: Fraction) -> Fraction:
    return max(low, min(high, value))


def report_progress(target: Target, value: Fraction | frozenset[int] | None) -> Fraction:
    """§3.2: the progress a report's value means for the target, in [0, 100]."""
    if value is None:
        return Fraction(0)
    if target.kind == "percent":
        assert isinstance(value, Fraction)
        return clamp(value, Fraction(0), HUNDRED)
    if target.kind == "indicator":
        assert isinstance(value, Fraction)
        assert target.baseline is not None and target.target is not None
        span = target.target - target.baseline
        return clamp((value - target.baseline) / span, Fraction(0), Fraction(1)) * HUNDRED
    if target.kind == "milestones":
        assert isinstance(value, frozenset)
        total = sum((w for _, w in target.milestone_weights), Fraction(0))
        if total == 0:
            return Fraction(0)
        done = sum((w for mid, w in target.milestone_weights if mid in value), Fraction(0))
        return done / total * HUNDRED
    raise ValueError(f"unknown target kind {target.kind!r}")


def counting_reports(c: Commitment, t: dt.date) -> list[Report]:
    """§3.1: validated, as-of ≤ t and validated on or before t; oldest first, so that the last
    one is the latest (greatest as-of, then latest validation, then latest created)."""
    counting = [
        r for r in c.reports if r.validated_on is not None and r.as_of <= t and r.validated_on <= t
    ]
    return sorted(counting, key=lambda r: (r.as_of, r.validated_on or r.as_of, r.sequence))


def progress(c: Commitment, t: dt.date) -> Fraction:
    """§3.2: p(c, t) from the latest counting report; 0 without one."""
    counting = counting_reports(c, t)
    return report_progress(c.target, counting[-1].value) if counting else Fraction(0)


def due_date(c: Commitment, t: dt.date) -> dt.date:
    """§3.3: the original due date, replaced by the latest extension approved on or before t."""
    approved = [e for e in c.extensions if e.decided_on <= t]
    if not approved:
        return c.due
    return max(approved, key=lambda e: (e.decided_on, e.sequence)).new_due


def expected(start: dt.date, due: dt.date, t: dt.date) -> Fraction:
    """§3.4: 0 before the start, 100 from the due date, linear in days between."""
    if t <= start:
        return Fraction(0)
    if t >= due:
        return HUNDRED
    return Fraction((t - start).days, (due - start).days) * HUNDRED


def _fulfilled_on_time(c: Commitment, counting: Sequence[Report], due: dt.date) -> bool:
    """§3.5: on time when the report that opened the final run of 100 % is dated ≤ due."""
    first_of_run = None
    for report in counting:
        if report_progress(c.target, report.value) == HUNDRED:
            if first_of_run is None:
                first_of_run = report
        else:
            first_of_run = None
    assert first_of_run is not None
    return first_of_run.as_of <= due


def is_stale(c: Commitment, t: dt.date, status: Status, th: Thresholds) -> bool:
    """§3.6: open, at least 31 days old, and nothing submitted in [t − 30, t]."""
    if status in (Status.CANCELLED, Status.FULFILLED):
        return False
    if (t - c.start).days < th.stale_after_days:
        return False
    window_start = t - dt.timedelta(days=th.stale_window_days)
    return not any(
        r.submitted_on is not None and window_start <= r.submitted_on <= t for r in c.reports
    )


def evaluate(c: Commitment, t: dt.date, th: Thresholds | None = None) -> Evaluation:
    """§3.0–3.6: everything about one commitment at date t."""
    th = th or Thresholds()
    counting = counting_reports(c, t)
    p = report_progress(c.target, counting[-1].value) if counting else Fraction(0)
    d = due_date(c, t)
    e = expected(c.start, d, t)
    on_time: bool | None = None
    if c.cancelled_on is not None and c.cancelled_on <= t:
        status = Status.CANCELLED
    elif p == HUNDRED:
        status = Status.FULFILLED
        on_time = _fulfilled_on_time(c, counting, d)
    elif t > d:
        status = Status.OVERDUE
    elif p < e - th.at_risk_margin:
        status = Status.AT_RISK
    else:
        status = Status.ON_TRACK
    return Evaluation(
        counts=c.start <= t,
        progress=p,
        expected=e,
        due=d,
        status=status,
        on_time=on_time,
        stale=is_stale(c, t, status, th),
        overdue_days=(t - d).days if status == Status.OVERDUE else 0,
        weight=c.weight,
        in_denominator=status == Status.FULFILLED or d <= t,
    )


@dataclass(frozen=True)
class GroupFigures:
    """§3.7: the figures of a group (unit, region, theme, area, meeting, round, nation, agreement).

    Levels are exact fractions in [0, 100], or None for n/a; round them only to show them.
    """

    total: int
    counts: dict[Status, int]
    compliance_level: Fraction | None
    average_progress: Fraction | None
    timeliness: Fraction | None
    overdue_days_sum: int
    overdue_days_max: int
    fulfilled_on_time: int
    fulfilled_late: int


def aggregate(evaluations: Iterable[Evaluation]) -> GroupFigures:
    """§3.7 over the commitments that count at t (cancelled ones only in their own count)."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    fulfilled = in_d = open_ = fresh = total = 0
    weighted = weights = Fraction(0)
    overdue_sum = overdue_max = on_time = late = 0
    for ev in evaluations:
        if not ev.counts:
            continue
        counts[ev.status] += 1
        if ev.status == Status.CANCELLED:
            continue
        total += 1
        weighted += ev.weight * ev.progress
        weights += ev.weight
        in_d += 1 if ev.in_denominator else 0
        if ev.status == Status.FULFILLED:
            fulfilled += 1
            on_time += 1 if ev.on_time else 0
            late += 0 if ev.on_time else 1
        else:
            open_ += 1
            fresh += 0 if ev.stale else 1
        if ev.status == Status.OVERDUE:
            overdue_sum += ev.overdue_days
            overdue_max = max(overdue_max, ev.overdue_days)
    return GroupFigures(
        total=total,
        counts=counts,
        compliance_level=Fraction(fulfilled, in_d) * HUNDRED if in_d else None,
        average_progress=weighted / weights if weights else None,
        timeliness=Fraction(fresh, open_) * HUNDRED if open_ else None,
        overdue_days_sum=overdue_sum,
        overdue_days_max=overdue_max,
        fulfilled_on_time=on_time,
        fulfilled_late=late,
    )


def level_colour(level: Fraction | None, th: Thresholds | None = None) -> str:
    """§3.7: verde ≥ 90 %, amarillo ≥ 70 %, rojo below; n/a is gris."""
    th = th or Thresholds()
    if level is None:
        return "gris"
    if level >= th.level_green:
        return "verde"
    if level >= th.level_yellow:
        return "amarillo"
    return "rojo"


def shown(value: Fraction | None) -> Decimal | None:
    """A percentage as shown or exported: rounded half up to one decimal (None stays n/a)."""
    if value is None:
        return None
    tenths = math.floor(value * 10 + Fraction(1, 2))
    return (Decimal(tenths) / 10).quantize(Decimal("0.1"))
