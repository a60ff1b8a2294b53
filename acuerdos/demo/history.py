"""The demo progress history of a commitment, as plain data: reports, extensions, comments and
cancellation, from the meeting up to the seed's as-of date.

Planning is pure, like `plan.py`: no clock, no database ids. Each commitment draws from its own
`random.Random` seeded with the demo seed, its folio and its unit, and plans its *life* in date
order — a profile (fulfilled on time, late, extended, lagging, stalled, silent, cancelled), a
reporting cadence, a progress curve, then one report per period with its submission, review,
observations and answers. Generation stops at the first period after the as-of date, and the
life is then cut at that date: what happened later does not exist yet (a report submitted but
not yet reviewed is `submitted`, one being written is a `draft`, an extension not yet decided is
`pending`). So the history up to a date is the same whatever later `--as-of` is asked for, and a
commitment's history does not depend on the other commitments.

Dates follow the rules of PRODUCT.md §3: a report's as-of date is a month end, a mid-month or the
due date; it is submitted a few working days later and reviewed some days after that; a returned
report is answered by a new report for the same period (`answers`).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from acuerdos.commitments.models import TargetKind
from acuerdos.core.dates import MONTHS_ES, long_date
from acuerdos.demo import history_texts as texts
from acuerdos.demo.plan import AgreementPlan, CommitmentPlan
from acuerdos.evaluation import rules
from acuerdos.progress.models import ReportState

MEXICO_CITY = ZoneInfo("America/Mexico_City")
# Nothing is planned after this date, whatever the as-of date.
HORIZON = dt.date(2027, 12, 31)

# Who acts, as the plan names them; the writer maps them to users.
LIAISON = "liaison"
HEAD = "head"
VALIDATOR = "validator"
COORDINATOR = "coordinator"


class Profile(StrEnum):
    """How a commitment's life goes."""

    ON_TIME = "on_time"  # reaches 100 % on or before its due date
    LATE = "late"  # reaches 100 % after its due date
    EXTENDED = "extended"  # asks for a reprogramación before the due date
    LAGGING = "lagging"  # keeps reporting but never reaches 100 %
    STALLED = "stalled"  # reports once or a few times and stops
    SILENT = "silent"  # never reports
    CANCELLED = "cancelled"  # cancelled by the coordination


PROFILES: tuple[tuple[Profile, float], ...] = (
    (Profile.ON_TIME, 46),
    (Profile.LATE, 16),
    (Profile.EXTENDED, 9),
    (Profile.LAGGING, 15),
    (Profile.STALLED, 7),
    (Profile.SILENT, 4),
    (Profile.CANCELLED, 3),
)
# Works and procurements are late and extended more often.
THEME_DIFFICULTY: dict[str, float] = {"INF": 1.8, "EQU": 1.5, "ABA": 1.2, "DIG": 1.2}
CADENCES: tuple[tuple[str, float], ...] = (
    ("monthly", 58),
    ("mid_month", 15),
    ("fortnightly", 3),
    ("bimonthly", 11),
    ("irregular", 13),
)
DRAFT_SHARE = 0.12
RETURN_SHARE = 0.13
REJECT_SHARE = 0.035
ANSWER_RETURN_SHARE = 0.1
COORDINATOR_REVIEW_SHARE = 0.08
HEAD_AUTHOR_SHARE = 0.2
# The first report covers at least this many days of work after the meeting.
FIRST_REPORT_DAYS = 20


# --- The plan of a commitment's history -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvidencePlan:
    """An evidence file. Files with the same `key` have the same content and may share one
    stored file; `title` and `subtitle` are what the document shows."""

    key: str
    kind: str  # "pdf" | "png"
    title: str
    subtitle: str
    original_name: str


@dataclass(slots=True)
class ReportPlan:
    """A progress report as it stands at the seed's as-of date (plain data: not frozen only
    because there are millions of them at --scale 100 and frozen dataclasses build slower).

    `milestones_done` are indexes into the commitment's milestones; `answers` is the index (in
    the history's `reports`) of the returned report it answers.
    """

    as_of: dt.date
    state: str
    author: str
    created_at: dt.datetime
    narrative: str
    evidence: tuple[EvidencePlan, ...]
    percent: Decimal | None = None
    indicator_value: Decimal | None = None
    milestones_done: tuple[int, ...] = ()
    submitted_at: dt.datetime | None = None
    reviewer: str = ""
    reviewed_at: dt.datetime | None = None
    review_comment: str = ""
    answers: int | None = None
    version: int = 1

    @property
    def submitted_on(self) -> dt.date | None:
        return _local_date(self.submitted_at) if self.submitted_at else None

    @property
    def validated_on(self) -> dt.date | None:
        if self.state != ReportState.VALIDATED or self.reviewed_at is None:
            return None
        return _local_date(self.reviewed_at)


@dataclass(frozen=True, slots=True)
class ExtensionPlan:
    """A reprogramación: asked on `requested_at`; decided (approved or not) on `decided_at`, or
    still pending at the as-of date (`approved` None)."""

    requested_at: dt.datetime
    requested_by: str
    previous_due_date: dt.date
    new_due_date: dt.date
    justification: str
    decided_at: dt.datetime | None = None
    approved: bool | None = None
    decision_comment: str = ""

    @property
    def decided_on(self) -> dt.date | None:
        return _local_date(self.decided_at) if self.decided_at else None


@dataclass(frozen=True, slots=True)
class CommentPlan:
    """A comment of the commitment's thread."""

    at: dt.datetime
    author: str
    text: str


@dataclass(frozen=True, slots=True)
class CancellationPlan:
    """The coordination cancelled the commitment."""

    at: dt.datetime
    reason: str

    @property
    def on(self) -> dt.date:
        return _local_date(self.at)


@dataclass(frozen=True, slots=True)
class CommitmentHistory:
    """Everything that happened to one commitment up to the as-of date."""

    profile: Profile
    reports: tuple[ReportPlan, ...] = ()
    extensions: tuple[ExtensionPlan, ...] = ()
    comments: tuple[CommentPlan, ...] = ()
    cancellation: CancellationPlan | None = None


@dataclass(frozen=True)
class HistoryContext:
    """What every commitment's history needs to know besides its own plan."""

    seed: int
    as_of: dt.date
    unit_names: Mapping[str, str]
    head_units: frozenset[str] = frozenset()


def commitment_history(
    context: HistoryContext, agreement: AgreementPlan, commitment: CommitmentPlan
) -> CommitmentHistory:
    """The history of one commitment up to `context.as_of` (deterministic for the seed)."""
    return _Life(context, agreement, commitment).plan()


# --- The pure rules, applied to the plan -----------------------------------------------------


def rules_commitment(plan: CommitmentPlan, history: CommitmentHistory) -> rules.Commitment:
    """The commitment as `acuerdos.evaluation.rules` sees it (milestones by index)."""
    kind = plan.target_kind
    target = rules.Target(
        kind=kind,
        baseline=Fraction(plan.baseline) if plan.baseline is not None else None,
        target=Fraction(plan.target_value) if plan.target_value is not None else None,
        milestone_weights=tuple((i, Fraction(m.weight)) for i, m in enumerate(plan.milestones)),
    )
    reports = tuple(
        rules.Report(
            as_of=r.as_of,
            value=_rules_value(kind, r),
            submitted_on=r.submitted_on,
            validated_on=r.validated_on,
            sequence=sequence,
        )
        for sequence, r in enumerate(history.reports)
        if r.state != ReportState.DRAFT
    )
    extensions = tuple(
        rules.Extension(decided_on=e.decided_on, new_due=e.new_due_date, sequence=sequence)
        for sequence, e in enumerate(history.extensions)
        if e.approved and e.decided_on is not None
    )
    return rules.Commitment(
        start=plan.start_date,
        due=plan.due_date,
        target=target,
        weight=Fraction(plan.weight),
        cancelled_on=history.cancellation.on if history.cancellation else None,
        reports=reports,
        extensions=extensions,
    )


def _rules_value(kind: str, report: ReportPlan) -> Fraction | frozenset[int] | None:
    if kind == TargetKind.PERCENT:
        return Fraction(report.percent) if report.percent is not None else None
    if kind == TargetKind.INDICATOR:
        return Fraction(report.indicator_value) if report.indicator_value is not None else None
    return frozenset(report.milestones_done)


# --- Dates ----------------------------------------------------------------------------------


def _local_date(value: dt.datetime) -> dt.date:
    """The calendar date of a planned moment: they are all in Mexico City time (no DST there
    since 2022, so adding hours keeps the wall clock)."""
    return value.date()


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _workday(day: dt.date) -> dt.date:
    """Offices work Monday to Friday: a weekend date moves to the next Monday."""
    weekday = day.weekday()
    return day + dt.timedelta(days=7 - weekday) if weekday >= 5 else day


def _snap(day: dt.date) -> dt.date:
    """The next mid-month or month end on or after `day` (where reports are dated)."""
    if day.day <= 15:
        return dt.date(day.year, day.month, 15)
    return _month_end(day.year, day.month)


def _days(day: dt.date, days: float) -> dt.date:
    return day + dt.timedelta(days=round(days))


def _slug(text: str, words: int = 6) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = [p for p in re.split(r"[^a-z0-9]+", plain) if p and len(p) > 2][:words]
    return "_".join(parts) or "evidencia"


@lru_cache(maxsize=4096)
def _traits(seed: int, key: str) -> tuple[float, float]:
    """A unit's diligence (0.6–1.4) or an area's review speed (days), stable for the seed."""
    rng = random.Random(f"{seed}/traits/{key}")
    return rng.uniform(0.6, 1.4), rng.uniform(2.0, 9.0)


# --- One commitment's life -------------------------------------------------------------------


@dataclass
class _Report:
    """A report being planned (mutable while its review and answers are drawn)."""

    as_of: dt.date
    author: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    narrative: str
    evidence: list[EvidencePlan]
    value: Decimal | None = None
    milestones_done: tuple[int, ...] = ()
    outcome: str = ""
    reviewer: str = ""
    reviewed_at: dt.datetime | None = None
    review_comment: str = ""
    answers: _Report | None = None
    drafted: bool = False
    order: int = 0


@dataclass
class _Draw:
    """The upfront decisions of a life: when it ends and how progress grows."""

    finish: dt.date | None = None  # as-of date of the report that reaches 100 %
    gamma: float = 1.0
    plateau: float = 0.0
    max_reports: int | None = None
    extensions: list[ExtensionPlan] = field(default_factory=list)
    cancellation: CancellationPlan | None = None


class _Life:
    """Plans one commitment's life in date order and cuts it at the as-of date."""

    def __init__(
        self, context: HistoryContext, agreement: AgreementPlan, commitment: CommitmentPlan
    ) -> None:
        self.context = context
        self.agreement = agreement
        self.c = commitment
        self.rng = random.Random(f"{context.seed}/{agreement.folio}/{commitment.unit_code}")
        self.start = commitment.start_date
        self.due = commitment.due_date
        self.texts = texts.THEMES.get(agreement.theme_code) or texts.THEMES["AM"]
        self.diligence, _ = _traits(context.seed, f"unit:{commitment.unit_code}")
        _, self.review_days = _traits(context.seed, f"area:{agreement.validating_area_code}")
        self.has_head = commitment.unit_code in context.head_units
        self.unit_name = context.unit_names.get(commitment.unit_code, commitment.unit_code)
        self.reports: list[_Report] = []
        self.comments: list[CommentPlan] = []
        self.previous_value: Decimal | None = None
        self.previous_done: tuple[int, ...] = ()
        self.milestone_dates: tuple[dt.date, ...] = ()
        self.observations = _observations(commitment.target_kind)

    # -- the plan

    def plan(self) -> CommitmentHistory:
        rng = self.rng
        profile = self._profile()
        cadence = self._weighted(CADENCES)
        draw = self._draw(profile)
        self.milestone_dates = self._milestone_dates(draw)
        as_of = self.context.as_of
        stop_at = draw.cancellation.on if draw.cancellation else HORIZON
        count = 0
        for day in self._report_dates(cadence, draw.finish):
            if day > as_of or day >= stop_at:
                break
            if draw.max_reports is not None and count >= draw.max_reports:
                if rng.random() < 0.4:
                    self._abandoned_draft(day, draw)
                break
            if draw.finish is None and day > self.due:
                # After the due date a lagging unit reports less and less.
                roll = rng.random()
                if roll < 0.12:
                    if rng.random() < 0.3:
                        self._abandoned_draft(day, draw)
                    break
                if roll < 0.35:
                    continue
                if rng.random() < 0.18:
                    self._thread(texts.THREADS_OVERDUE, _days(day, rng.uniform(3, 12)))
            final = day == draw.finish
            self._period(day, draw, final=final)
            count += 1
            if final:
                break
        if draw.cancellation is not None and rng.random() < 0.45:
            before = _days(draw.cancellation.on, -rng.uniform(6, 20))
            if before > self.start:
                self._thread(texts.THREADS_BEFORE_CANCELLATION, before)
        return self._cut(profile, draw)

    def _profile(self) -> Profile:
        difficulty = THEME_DIFFICULTY.get(self.agreement.theme_code, 1.0)
        weights = []
        for profile, weight in PROFILES:
            if profile == Profile.ON_TIME:
                weight *= self.diligence / difficulty
            elif profile in (Profile.LATE, Profile.EXTENDED):
                weight *= difficulty
            elif profile in (Profile.LAGGING, Profile.STALLED, Profile.SILENT):
                weight /= self.diligence
            weights.append(weight)
        return self.rng.choices([p for p, _ in PROFILES], weights=weights)[0]

    def _draw(self, profile: Profile) -> _Draw:
        rng = self.rng
        span = (self.due - self.start).days
        draw = _Draw(gamma=rng.uniform(0.5, 0.95))
        if profile == Profile.ON_TIME:
            draw.finish = self._on_time_finish(self.due)
        elif profile == Profile.LATE:
            draw.gamma = rng.uniform(0.7, 1.2)
            draw.finish = _snap(_days(self.due, rng.uniform(8, 110)))
            if rng.random() < 0.3:
                asked = self._at(_workday(_days(self.due, rng.uniform(3, 20))))
                draw.extensions.append(self._extension(asked, self.due, late=True, approve=False))
        elif profile == Profile.EXTENDED:
            draw.gamma = rng.uniform(0.6, 1.1)
            asked_on = _workday(max(_days(self.due, -rng.uniform(3, 30)), _days(self.start, 15)))
            approve = rng.random() < 0.8
            first = self._extension(self._at(asked_on), self.due, late=False, approve=approve)
            draw.extensions.append(first)
            if not approve:
                draw.finish = _snap(_days(self.due, rng.uniform(20, 100)))
            elif rng.random() < 0.72:
                draw.finish = self._on_time_finish(first.new_due_date)
            else:
                new_due = first.new_due_date
                draw.finish = _snap(_days(new_due, rng.uniform(10, 60)))
                if rng.random() < 0.35 and first.decided_at is not None:
                    after = first.decided_at.date() + dt.timedelta(days=1)
                    asked = self._at(_workday(max(_days(new_due, -rng.uniform(3, 15)), after)))
                    again = self._extension(asked, new_due, late=False, approve=rng.random() < 0.6)
                    draw.extensions.append(again)
                    if again.approved:
                        draw.finish = self._on_time_finish(again.new_due_date)
        elif profile == Profile.LAGGING:
            draw.gamma = rng.uniform(0.9, 1.6)
            draw.plateau = rng.uniform(0.25, 0.9)
            if rng.random() < 0.2:
                asked_on = max(_days(self.due, -rng.uniform(2, 25)), _days(self.start, 15))
                asked = self._at(_workday(asked_on))
                draw.extensions.append(
                    self._extension(asked, self.due, late=False, approve=rng.random() < 0.5)
                )
        elif profile == Profile.STALLED:
            draw.plateau = rng.uniform(0.05, 0.45)
            draw.max_reports = rng.randint(1, 3)
        elif profile == Profile.SILENT:
            draw.max_reports = 0
        else:
            draw.plateau = rng.uniform(0.05, 0.5)
            on = _workday(_days(self.start, rng.uniform(40, max(60, span + 40))))
            draw.cancellation = CancellationPlan(
                at=self._at(on), reason=rng.choice(texts.CANCELLATION_REASONS)
            )
        return draw

    def _on_time_finish(self, due: dt.date) -> dt.date:
        """A completion on or before `due`: the due date itself, a report date shortly before
        it, or, now and then, well ahead of it."""
        rng = self.rng
        span = (due - self.start).days
        if rng.random() < 0.12:
            early = _snap(_days(self.start, span * rng.uniform(0.45, 0.8)))
            if early < due:
                return early
        if rng.random() < 0.4:
            return due
        candidate = _snap(_days(due, -rng.uniform(5, 45)))
        return candidate if self.start + dt.timedelta(days=20) <= candidate <= due else due

    def _extension(
        self, asked: dt.datetime, in_force: dt.date, *, late: bool, approve: bool
    ) -> ExtensionPlan:
        rng = self.rng
        new_due = _month_end(*_ym(_days(in_force, rng.uniform(25, 95))))
        templates = texts.LATE_EXTENSION_JUSTIFICATIONS if late else texts.EXTENSION_JUSTIFICATIONS
        justification = _contract(
            rng.choice(templates).format(
                obstacle=rng.choice(self.texts.obstacles),
                due=long_date(in_force),
                new_due=long_date(new_due),
                deliverable=_lower_first(self.agreement.deliverable),
            )
        )
        wait = rng.uniform(2, 16) if rng.random() > 0.1 else rng.uniform(20, 45)
        decided = self._at(_workday(_days(asked.date(), wait)))
        if approve:
            comment = rng.choice(texts.APPROVAL_COMMENTS)
        else:
            comment = texts.LATE_DENIAL if late else rng.choice(texts.DENIAL_COMMENTS)
        return ExtensionPlan(
            requested_at=asked,
            requested_by=self._author(),
            previous_due_date=in_force,
            new_due_date=new_due,
            justification=justification,
            decided_at=decided,
            approved=approve,
            decision_comment=comment,
        )

    # -- report dates and values

    def _report_dates(self, cadence: str, finish: dt.date | None) -> Iterator[dt.date]:
        """The as-of dates of the reports: the cadence's dates, then the completion date."""
        first = self.start + dt.timedelta(days=FIRST_REPORT_DAYS)
        year, month = first.year, first.month
        parity = self.rng.randint(0, 1)
        while True:
            end = _month_end(year, month)
            mid = dt.date(year, month, 15)
            if cadence == "monthly":
                days = [end]
            elif cadence == "mid_month":
                days = [mid]
            elif cadence == "fortnightly":
                days = [mid, end]
            elif cadence == "bimonthly":
                days = [end] if month % 2 == parity else []
            else:
                days = [end] if self.rng.random() > 0.3 else []
            for day in days:
                if day < first:
                    continue
                if finish is not None and day >= finish:
                    yield finish
                    return
                if day > HORIZON:
                    return
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def _fraction(self, day: dt.date, draw: _Draw, *, final: bool) -> float:
        """How much of the commitment is done on `day`, in [0, 1]."""
        if final:
            return 1.0
        rng = self.rng
        if draw.finish is not None:
            x = (day - self.start).days / max(1, (draw.finish - self.start).days)
            value = math.pow(min(1.0, x), draw.gamma)
            return min(0.97, value * rng.uniform(0.95, 1.05))
        span = max(1, (self.due - self.start).days)
        x = min(1.0, (day - self.start).days / span)
        value = draw.plateau * math.pow(x, draw.gamma)
        if day > self.due:
            value += min(0.1, (day - self.due).days / 365 * 0.2)
        return max(0.0, min(0.95, value * rng.uniform(0.93, 1.07)))

    def _value(self, fraction: float, *, final: bool) -> Decimal | None:
        """The percent or indicator value for a fraction done (None for milestones)."""
        c = self.c
        if c.target_kind == TargetKind.PERCENT:
            percent = Decimal(100) if final else Decimal(min(99, round(fraction * 100)))
            if self.previous_value is not None and percent < self.previous_value:
                percent = self.previous_value
            return percent
        if c.target_kind == TargetKind.INDICATOR and c.baseline is not None:
            assert c.target_value is not None
            baseline, target = c.baseline, c.target_value
            quantum = Decimal(1).scaleb(min(_exponent(baseline), _exponent(target)))
            span = target - baseline
            if final:
                overshoot = self.rng.uniform(0, 0.08) if self.rng.random() < 0.3 else 0.0
                value = target + span * Decimal(repr(overshoot))
            else:
                value = baseline + span * Decimal(repr(fraction))
            value = value.quantize(quantum, rounding=ROUND_HALF_UP)
            if c.unit_of_measure == "%":
                value = min(value, Decimal(100))
            value = max(value, Decimal(0))
            if not final and (value - baseline) / span >= 1:
                value = target - (quantum if span > 0 else -quantum)
            if final and (value - baseline) / span < 1:
                value = target
            return value
        return None

    def _milestone_dates(self, draw: _Draw) -> tuple[dt.date, ...]:
        """When each milestone is done (date.max: not within the plan)."""
        milestones = self.c.milestones
        if not milestones:
            return ()
        rng = self.rng
        span = max(1, (self.due - self.start).days)
        count = len(milestones)
        if draw.finish is not None:
            stretch = (draw.finish - self.start).days / span
            reached = count
        else:
            stretch = rng.uniform(1.1, 1.5)
            reached = min(count - 1, int(draw.plateau * count + 0.3))
        dates: list[dt.date] = []
        for index, milestone in enumerate(milestones):
            if index >= reached:
                dates.append(dt.date.max)
                continue
            if draw.finish is not None and index == count - 1:
                dates.append(draw.finish)
                continue
            offset = (milestone.due_date - self.start).days * stretch + rng.uniform(-6, 6)
            day = _days(self.start, max(3, offset))
            if dates and day <= dates[-1]:
                day = dates[-1] + dt.timedelta(days=1)
            if draw.finish is not None and day >= draw.finish:
                day = draw.finish - dt.timedelta(days=count - index)
            dates.append(day)
        return tuple(dates)

    # -- one period: the report, its review, observations and answers

    def _period(self, day: dt.date, draw: _Draw, *, final: bool) -> None:
        rng = self.rng
        fraction = self._fraction(day, draw, final=final)
        value = self._value(fraction, final=final)
        done: tuple[int, ...] = ()
        if self.c.target_kind == TargetKind.MILESTONES:
            done = tuple(i for i, d in enumerate(self.milestone_dates) if d <= day)
            if len(done) < len(self.previous_done):
                done = self.previous_done
        lag = rng.choice((1, 2, 2, 3, 3, 4, 5, 6, 8, 10)) / self.diligence
        submitted = self._at(_workday(_days(day, max(1, lag))))
        author = self._author()
        narrative = self._narrative(day, value, done, fraction, final=final, draw=draw)
        evidence = self._evidence(day, final=final)
        report = self._new_report(day, author, submitted, narrative, evidence, value, done)
        self.previous_value = value if value is not None else self.previous_value
        self.previous_done = done
        self._review(report, final=final)
        if rng.random() < 0.05:
            self._thread(texts.THREADS_GENERAL, _days(submitted.date(), rng.uniform(1, 10)))

    def _new_report(
        self,
        day: dt.date,
        author: str,
        submitted: dt.datetime,
        narrative: str,
        evidence: list[EvidencePlan],
        value: Decimal | None,
        done: tuple[int, ...],
        answers: _Report | None = None,
    ) -> _Report:
        rng = self.rng
        created = submitted
        drafted = False
        if rng.random() < DRAFT_SHARE:
            start = _days(submitted.date(), -rng.uniform(1, 4))
            earliest = answers.reviewed_at.date() if answers and answers.reviewed_at else day
            if start > earliest:
                created = self._at(start)
                drafted = created < submitted
                created = created if drafted else submitted
        report = _Report(
            as_of=day,
            author=author,
            created_at=created,
            submitted_at=submitted,
            narrative=narrative,
            evidence=evidence,
            value=value,
            milestones_done=done,
            answers=answers,
            drafted=drafted,
            order=len(self.reports),
        )
        self.reports.append(report)
        return report

    def _review(self, report: _Report, *, final: bool, depth: int = 0) -> None:
        rng = self.rng
        assert report.submitted_at is not None
        wait = rng.uniform(1, self.review_days * 2)
        if rng.random() < 0.1:
            wait = rng.uniform(15, 45)
        reviewed_on = _workday(_days(report.submitted_at.date(), max(1.0, wait)))
        report.reviewed_at = self._at(reviewed_on)
        report.reviewer = COORDINATOR if rng.random() < COORDINATOR_REVIEW_SHARE else VALIDATOR
        roll = rng.random()
        if depth > 0:
            returned, rejected = roll < ANSWER_RETURN_SHARE and depth < 3, False
        else:
            returned = roll < RETURN_SHARE
            rejected = not final and RETURN_SHARE <= roll < RETURN_SHARE + REJECT_SHARE
        if rejected:
            report.outcome = ReportState.REJECTED
            report.review_comment = rng.choice(texts.REJECTION_REASONS)
            return
        if not returned:
            report.outcome = ReportState.VALIDATED
            if rng.random() < 0.15:
                report.review_comment = rng.choice(texts.VALIDATION_REMARKS)
            return
        report.outcome = ReportState.RETURNED
        observation = rng.choice(self.observations)
        report.review_comment = observation.text
        if rng.random() < 0.3:
            thread = rng.choice(texts.THREADS_AFTER_RETURN)
            self._thread((thread,), _days(reviewed_on, rng.uniform(1, 3)))
        answered = self._at(_workday(_days(reviewed_on, rng.uniform(1, 9) / self.diligence + 1)))
        evidence = (
            [self._document_evidence(observation.remedy, report.as_of)]
            if (observation.remedy)
            else []
        )
        evidence += report.evidence[: 2 - len(evidence)]
        narrative = f"{rng.choice(texts.ANSWER_OPENINGS)} {report.narrative}"
        answer = self._new_report(
            report.as_of,
            report.author,
            answered,
            narrative,
            evidence,
            report.value,
            report.milestones_done,
            answers=report,
        )
        self._review(answer, final=final, depth=depth + 1)

    def _abandoned_draft(self, day: dt.date, draw: _Draw) -> None:
        """A report an enlace started and never sent."""
        rng = self.rng
        created = self._at(_workday(_days(day, rng.uniform(2, 15))))
        value = self._value(self._fraction(day, draw, final=False), final=False)
        done = tuple(i for i, d in enumerate(self.milestone_dates) if d <= day)
        narrative = f"{rng.choice(self.texts.activities)}."
        self.reports.append(
            _Report(
                as_of=day,
                author=self._author(),
                created_at=created,
                submitted_at=None,
                narrative=narrative,
                evidence=self._evidence(day, final=False)[:1] if rng.random() < 0.5 else [],
                value=value,
                milestones_done=done,
                drafted=True,
                order=len(self.reports),
            )
        )

    # -- texts and evidence

    def _narrative(
        self,
        day: dt.date,
        value: Decimal | None,
        done: tuple[int, ...],
        fraction: float,
        *,
        final: bool,
        draw: _Draw,
    ) -> str:
        rng = self.rng
        parts = [f"{rng.choice(self.texts.activities)}."]
        date = long_date(day)
        c = self.c
        if c.target_kind == TargetKind.PERCENT:
            parts.append(rng.choice(texts.PERCENT_SENTENCES).format(date=date, value=value))
        elif c.target_kind == TargetKind.INDICATOR:
            parts.append(
                rng.choice(texts.INDICATOR_SENTENCES).format(
                    date=date,
                    name=c.indicator_name,
                    value=value,
                    unit=c.unit_of_measure,
                    baseline=c.baseline,
                    target=c.target_value,
                )
            )
        elif c.milestones:
            new = [i for i in done if i not in self.previous_done]
            total = len(c.milestones)
            if new:
                parts.append(
                    rng.choice(texts.MILESTONE_DONE_SENTENCES).format(
                        milestone=c.milestones[new[-1]].name, done=len(done), total=total
                    )
                )
            elif len(done) < total:
                pending = [m for i, m in enumerate(c.milestones) if i not in done]
                sentences = (
                    texts.MILESTONE_PENDING_SENTENCES if done else texts.MILESTONE_FIRST_SENTENCES
                )
                parts.append(
                    rng.choice(sentences).format(
                        milestone=pending[0].name, done=len(done), total=total
                    )
                )
        if final:
            parts.append(
                rng.choice(texts.FINAL_SENTENCES).format(
                    deliverable=_lower_first(self.agreement.deliverable)
                )
            )
            return " ".join(parts)
        behind = draw.finish is None or fraction < 0.5 * (
            (day - self.start).days / max(1, (self.due - self.start).days)
        )
        if behind and rng.random() < 0.6:
            sentence = rng.choice(texts.OBSTACLE_SENTENCES)
            parts.append(_contract(sentence.format(obstacle=rng.choice(self.texts.obstacles))))
        parts.append(f"{rng.choice(self.texts.next_steps)}.")
        return " ".join(parts)

    def _evidence(self, day: dt.date, *, final: bool) -> list[EvidencePlan]:
        rng = self.rng
        roll = rng.random()
        count = 1 if roll < 0.86 else 2 if roll < 0.98 else 3
        pool = self.texts.documents + texts.GENERIC_DOCUMENTS
        chosen = rng.sample(pool, min(count, len(pool)))
        evidence = [self._document_evidence(d, day) for d in chosen]
        if final:
            deliverable = self.agreement.deliverable or "Informe final de cumplimiento"
            evidence.insert(
                0,
                _deliverable(deliverable, self.c.unit_code, self.unit_name, day.year),
            )
            evidence = evidence[:3]
        return evidence

    def _document_evidence(self, document: texts.Document, day: dt.date) -> EvidencePlan:
        if document.kind == "png":
            return _photo(document.slug, document.title, self.rng.randrange(3))
        return _document(
            document.slug, document.title, self.c.unit_code, self.unit_name, day.year, day.month
        )

    def _thread(self, threads: Sequence[tuple[tuple[str, str], ...]], day: dt.date) -> None:
        """A short exchange between the unit and the area, starting on `day` (office hours)."""
        rng = self.rng
        thread = rng.choice(threads)
        obstacle = rng.choice(self.texts.obstacles)
        values = {
            "due": long_date(self.due),
            "month": MONTHS_ES[_days(day, 40).month - 1],
            "obstacle": obstacle,
            "obstacle_cap": obstacle[0].upper() + obstacle[1:],
            "deliverable": _lower_first(self.agreement.deliverable or "el entregable"),
        }
        at = self._at(_workday(day))
        for speaker, text in thread:
            if speaker == "unit":
                author = self._author()
            else:
                author = COORDINATOR if rng.random() < 0.15 else VALIDATOR
            self.comments.append(
                CommentPlan(at=at, author=author, text=_contract(text.format(**values)))
            )
            minutes = at.hour * 60 + at.minute + rng.randint(20, 240)
            if minutes < 19 * 60:
                at = at.replace(hour=minutes // 60, minute=minutes % 60)
            else:
                at = self._at(_workday(at.date() + dt.timedelta(days=1)))

    def _author(self) -> str:
        return HEAD if self.has_head and self.rng.random() < HEAD_AUTHOR_SHARE else LIAISON

    def _at(self, day: dt.date) -> dt.datetime:
        """A moment of office hours on `day`, Mexico City time."""
        minute = 8 * 60 + int(self.rng.random() * 11 * 60)
        return dt.datetime(
            day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=MEXICO_CITY
        )

    def _weighted(self, options: Sequence[tuple[str, float]]) -> str:
        return self.rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]

    # -- the cut at the as-of date

    def _cut(self, profile: Profile, draw: _Draw) -> CommitmentHistory:
        """The life as it stands at the as-of date. After a cancellation the unit writes nothing
        more; a validator may still close a review that was pending."""
        as_of = self.context.as_of
        cancellation = draw.cancellation
        cancelled_at = cancellation.at if cancellation else None

        def happened(moment: dt.datetime | None) -> bool:
            return moment is not None and _local_date(moment) <= as_of

        def written(moment: dt.datetime | None) -> bool:
            if moment is None or not happened(moment):
                return False
            return cancelled_at is None or moment < cancelled_at

        kept = sorted(
            (r for r in self.reports if written(r.created_at)),
            key=lambda r: (r.created_at, r.order),
        )
        index = {id(r): i for i, r in enumerate(kept)}
        reports = tuple(self._report_at(r, written, happened, index) for r in kept)
        extensions = []
        for e in draw.extensions:
            if not written(e.requested_at):
                continue
            if not happened(e.decided_at):
                e = replace(e, decided_at=None, approved=None, decision_comment="")
            extensions.append(e)
        comments = sorted((c for c in self.comments if written(c.at)), key=lambda c: c.at)
        return CommitmentHistory(
            profile=profile,
            reports=reports,
            extensions=tuple(extensions),
            comments=tuple(comments),
            cancellation=cancellation if cancellation and cancellation.on <= as_of else None,
        )

    def _report_at(
        self,
        r: _Report,
        written: Callable[[dt.datetime | None], bool],
        happened: Callable[[dt.datetime | None], bool],
        index: Mapping[int, int],
    ) -> ReportPlan:
        kind = self.c.target_kind
        base = ReportPlan(
            as_of=r.as_of,
            state=ReportState.DRAFT,
            author=r.author,
            created_at=r.created_at,
            narrative=r.narrative,
            evidence=tuple(r.evidence),
            percent=r.value if kind == TargetKind.PERCENT else None,
            indicator_value=r.value if kind == TargetKind.INDICATOR else None,
            milestones_done=r.milestones_done,
            answers=index.get(id(r.answers)) if r.answers is not None else None,
        )
        if not written(r.submitted_at):
            return base
        version = 2 if r.drafted else 1
        if not happened(r.reviewed_at):
            return ReportPlan(
                as_of=r.as_of,
                state=ReportState.SUBMITTED,
                author=r.author,
                created_at=r.created_at,
                narrative=r.narrative,
                evidence=base.evidence,
                percent=base.percent,
                indicator_value=base.indicator_value,
                milestones_done=r.milestones_done,
                answers=base.answers,
                submitted_at=r.submitted_at,
                version=version,
            )
        return ReportPlan(
            as_of=r.as_of,
            state=r.outcome,
            author=r.author,
            created_at=r.created_at,
            narrative=r.narrative,
            evidence=base.evidence,
            percent=base.percent,
            indicator_value=base.indicator_value,
            milestones_done=r.milestones_done,
            answers=base.answers,
            submitted_at=r.submitted_at,
            reviewer=r.reviewer,
            reviewed_at=r.reviewed_at,
            review_comment=r.review_comment,
            version=version + 1,
        )


@cache
def _document(
    slug: str, title: str, unit_code: str, unit_name: str, year: int, month: int
) -> EvidencePlan:
    """A unit's document of a month: every report of the unit that month may attach it."""
    name = MONTHS_ES[month - 1]
    return EvidencePlan(
        key=f"pdf|{slug}|{unit_code}|{year}-{month:02d}",
        kind="pdf",
        title=title,
        subtitle=f"{unit_name} · {name} de {year}",
        original_name=f"{slug}_{name}.pdf",
    )


@cache
def _observations(kind: str) -> tuple[texts.Observation, ...]:
    return tuple(o for o in texts.OBSERVATIONS if not o.kinds or kind in o.kinds)


@cache
def _deliverable(deliverable: str, unit_code: str, unit_name: str, year: int) -> EvidencePlan:
    """The deliverable of an agreement as one unit delivers it (the same document may close
    several of the unit's commitments)."""
    return EvidencePlan(
        key=f"final|{deliverable}|{unit_code}|{year}",
        kind="pdf",
        title=deliverable,
        subtitle=f"{unit_name} · {year}",
        original_name=f"{_slug(deliverable)}.pdf",
    )


@cache
def _photo(slug: str, title: str, variant: int) -> EvidencePlan:
    return EvidencePlan(
        key=f"png|{slug}|{variant}",
        kind="png",
        title=title,
        subtitle="Fotografía de la unidad",
        original_name=f"{slug}_{variant + 1}.png",
    )


def _ym(day: dt.date) -> tuple[int, int]:
    return day.year, day.month


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


_CONTRACTIONS = re.compile(r"\b([Aa]|[Dd]e) el\b")


def _contract(text: str) -> str:
    """Spanish contractions after filling templates: «debido a el retraso» → «debido al
    retraso», «de el proveedor» → «del proveedor»."""
    return _CONTRACTIONS.sub(lambda m: m.group(1)[0] + ("l" if m.group(1) in "Aa" else "el"), text)


def _lower_first(text: str) -> str:
    """«Acta de entrega» → «acta de entrega» (but «IMSS…», «SIAM…» keep their capitals)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
