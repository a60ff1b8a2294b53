"""Reads of the dashboards (tableros): what each page shows, for one user at one basis.

Every level and count comes from `selectors.figures_by` — the same function the `compliance`
command, the reports and the API use — so that a figure on screen is the figure in print.
Two reads are added here because `figures_by` has no shape for them:

- the trend across closed cut-offs, read from the snapshots of several cut-offs in one query
  and assembled exactly as `engine.group_figures` does (a test holds it equal to `figures_by`
  for each cut-off);
- the reports "reportado, sin validar" of a group, which §3.7 wants shown apart from the
  validated figures and never mixed into them.

Each page costs a constant number of queries whatever the number of commitments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.evaluation.charts import TrendPoint
from acuerdos.evaluation.models import CutOff, CutOffStatus, Snapshot
from acuerdos.evaluation.rules import GroupFigures, Status
from acuerdos.evaluation.selectors import Basis, GroupRow, figures_by
from acuerdos.organization.models import Region, Unit
from acuerdos.organization.scope import scope_for
from acuerdos.progress.models import ReportState

TREND_CUTOFFS = 12
"""How many of the latest closed cut-offs the trend draws (a year of monthly cut-offs)."""
RANKING_SIZE = 10
AGREEMENTS_SHOWN = 100
# Which rows of a unit's agreements need attention first.
ATTENTION = (Status.OVERDUE, Status.AT_RISK, Status.ON_TRACK, Status.FULFILLED, Status.CANCELLED)


def closed_cutoffs() -> list[CutOff]:
    """The closed cut-offs, latest first (the "as of" choices and the trend's points)."""
    return list(CutOff.objects.filter(status=CutOffStatus.CLOSED).order_by("-date"))


def scoped_commitments(user: Any) -> QuerySet[Commitment] | None:
    """The commitments the user may see, or None for "all of them" (coordinators, viewers)."""
    if scope_for(user).sees_everything:
        return None
    return Commitment.objects.visible_to(user)


def _within(user: Any, within: QuerySet[Commitment] | None) -> QuerySet[Commitment] | None:
    visible = scoped_commitments(user)
    if within is None:
        return visible
    return within if visible is None else visible.filter(pk__in=within.values("pk"))


def in_region(region: Region) -> QuerySet[Commitment]:
    """Commitments signed at a meeting of the region (the region of §3.0's grouping)."""
    return Commitment.objects.filter(agreement__meeting__region=region)


def of_unit(unit: Unit) -> QuerySet[Commitment]:
    """Commitments whose responsible unit is `unit` (never its co-responsible ones, §3.0)."""
    return Commitment.objects.filter(responsible_unit=unit)


def of_agreement(agreement: Agreement) -> QuerySet[Commitment]:
    return Commitment.objects.filter(agreement=agreement)


def has_any(user: Any, within: QuerySet[Commitment]) -> bool:
    """Whether the user's scope holds a commitment of `within` (region and unit pages answer
    404 when it holds none: for that user there is nothing there)."""
    visible = _within(user, within)
    assert visible is not None
    return visible.exists()


# --- Pieces shared by the pages -----------------------------------------------------------


def overall(user: Any, basis: Basis, within: QuerySet[Commitment] | None = None) -> GroupRow | None:
    """The figures of everything in scope (and in `within`), or None when there is nothing."""
    rows = figures_by(user, by="national", basis=basis, within=within)
    return rows[0] if rows else None


@dataclass(frozen=True)
class Ranking:
    """Groups ordered by compliance level: the best and the worst, or all of them when few.

    Groups whose level is n/a (nothing due yet) cannot be ranked; they are counted apart.
    """

    best: list[GroupRow]
    worst: list[GroupRow]
    unranked: int

    @property
    def split(self) -> bool:
        return bool(self.worst)


def ranking(rows: Sequence[GroupRow], size: int = RANKING_SIZE) -> Ranking:
    """Best first by compliance level, then by average progress, then by name."""
    ranked = sorted(
        (row for row in rows if row.figures.compliance_level is not None),
        key=lambda row: (
            -(row.figures.compliance_level or 0),
            -(row.figures.average_progress or 0),
            row.short_name or row.name,
        ),
    )
    unranked = len(rows) - len(ranked)
    if len(ranked) <= 2 * size:
        return Ranking(best=ranked, worst=[], unranked=unranked)
    return Ranking(best=ranked[:size], worst=list(reversed(ranked[-size:])), unranked=unranked)


def trend(
    user: Any,
    cutoffs: Sequence[CutOff],
    within: QuerySet[Commitment] | None = None,
    limit: int = TREND_CUTOFFS,
) -> list[TrendPoint]:
    """The three levels at each of the latest closed cut-offs, oldest first, in one query.

    Read from the snapshots alone (§3.8) and assembled as `engine.group_figures` assembles a
    group: exact sums grouped by the progress denominator, divided in Python.
    """
    chosen = sorted((c for c in cutoffs if c.is_closed), key=lambda c: c.date)[-limit:]
    if not chosen:
        return []
    snapshots = Snapshot.objects.filter(cutoff__in=[c.pk for c in chosen])
    visible = _within(user, within)
    if visible is not None:
        snapshots = snapshots.filter(commitment_id__in=visible.values("pk"))
    active = ~Q(status=Status.CANCELLED)
    open_ = active & ~Q(status=Status.FULFILLED)
    grouped = (
        snapshots.order_by()
        .values("cutoff_id", "progress_den")
        .annotate(
            fulfilled=Count("pk", filter=Q(status=Status.FULFILLED)),
            in_d=Count("pk", filter=active & Q(in_denominator=True)),
            open=Count("pk", filter=open_),
            fresh=Count("pk", filter=open_ & Q(stale=False)),
            weighted=Sum(F("weight_cents") * F("progress_num"), filter=active),
            weights=Sum("weight_cents", filter=active),
        )
    )
    sums: dict[int, dict[str, Any]] = {}
    for row in grouped:
        acc = sums.setdefault(
            row["cutoff_id"],
            {"fulfilled": 0, "in_d": 0, "open": 0, "fresh": 0, "weighted": Fraction(0), "w": 0},
        )
        acc["fulfilled"] += row["fulfilled"]
        acc["in_d"] += row["in_d"]
        acc["open"] += row["open"]
        acc["fresh"] += row["fresh"]
        acc["weighted"] += Fraction(int(row["weighted"] or 0), int(row["progress_den"]))
        acc["w"] += int(row["weights"] or 0)
    points = []
    for cutoff in chosen:
        found = sums.get(cutoff.pk)
        if found is None:
            points.append(TrendPoint(cutoff.date, None, None, None))
            continue
        acc = found
        points.append(
            TrendPoint(
                date=cutoff.date,
                compliance=Fraction(acc["fulfilled"], acc["in_d"]) * 100 if acc["in_d"] else None,
                progress=acc["weighted"] / acc["w"] if acc["w"] else None,
                timeliness=Fraction(acc["fresh"], acc["open"]) * 100 if acc["open"] else None,
            )
        )
    return points


def pending_validation(user: Any, basis: Basis, within: QuerySet[Commitment]) -> int:
    """Progress reports "reportado, sin validar" at the basis date, in one query: submitted on
    or before it and not yet decided then (still submitted, or validated, returned or rejected
    after it). Shown apart: §3.7 never mixes them into the validated figures."""
    from acuerdos.progress.models import ProgressReport

    visible = _within(user, within)
    assert visible is not None
    reports = ProgressReport.objects.filter(commitment__in=visible.values("pk"))
    if basis.source == "today":
        return reports.filter(state=ReportState.SUBMITTED).count()
    return reports.undecided_at(basis.as_of).count()


def main_status(figures: GroupFigures) -> Status:
    """The status that needs attention first among a group's commitments (for one commitment,
    its status)."""
    for status in ATTENTION:
        if figures.counts.get(status):
            return status
    return Status.ON_TRACK


# --- The pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeBoard:
    """Inicio: the figures of the user's scope, by region and by unit, and the trend; for heads
    and liaisons, their own units first."""

    overall: GroupRow | None
    regions: list[GroupRow]
    units: list[GroupRow]
    ranking: Ranking
    trend: list[TrendPoint]
    own_units: list[GroupRow] = field(default_factory=list)
    own_pending: int | None = None


def home_board(user: Any, basis: Basis, cutoffs: Sequence[CutOff]) -> HomeBoard:
    scope = scope_for(user)
    units = figures_by(user, by="unit", basis=basis)
    own_units = [row for row in units if row.key in scope.unit_ids]
    own_pending = None
    if scope.unit_ids:
        own = Commitment.objects.filter(responsible_unit_id__in=scope.unit_ids)
        own_pending = pending_validation(user, basis, own)
    return HomeBoard(
        overall=overall(user, basis),
        regions=figures_by(user, by="region", basis=basis),
        units=units,
        ranking=ranking(units),
        trend=trend(user, cutoffs),
        own_units=own_units,
        own_pending=own_pending,
    )


@dataclass(frozen=True)
class RegionBoard:
    overall: GroupRow | None
    units: list[GroupRow]
    ranking: Ranking
    themes: list[GroupRow]
    trend: list[TrendPoint]


def region_board(user: Any, region: Region, basis: Basis, cutoffs: Sequence[CutOff]) -> RegionBoard:
    within = in_region(region)
    units = figures_by(user, by="unit", basis=basis, within=within)
    return RegionBoard(
        overall=overall(user, basis, within),
        units=units,
        ranking=ranking(units),
        themes=figures_by(user, by="theme", basis=basis, within=within),
        trend=trend(user, cutoffs, within),
    )


@dataclass(frozen=True)
class AgreementLine:
    """One agreement of a unit's page: its figures over that unit's commitment(s)."""

    row: GroupRow
    status: Status


@dataclass(frozen=True)
class UnitBoard:
    overall: GroupRow | None
    pending: int
    agreements: list[AgreementLine]
    agreements_total: int
    themes: list[GroupRow]
    trend: list[TrendPoint]


def unit_board(user: Any, unit: Unit, basis: Basis, cutoffs: Sequence[CutOff]) -> UnitBoard:
    within = of_unit(unit)
    lines = [
        AgreementLine(row=row, status=main_status(row.figures))
        for row in figures_by(user, by="agreement", basis=basis, within=within)
    ]
    lines.sort(key=lambda line: (ATTENTION.index(line.status), line.row.code))
    return UnitBoard(
        overall=overall(user, basis, within),
        pending=pending_validation(user, basis, within),
        agreements=lines[:AGREEMENTS_SHOWN],
        agreements_total=len(lines),
        themes=figures_by(user, by="theme", basis=basis, within=within),
        trend=trend(user, cutoffs, within),
    )


@dataclass(frozen=True)
class GroupBoard:
    """The page of one grouping (themes, normative areas): every group, and a ranking."""

    overall: GroupRow | None
    rows: list[GroupRow]
    ranking: Ranking


def group_board(user: Any, by: str, basis: Basis) -> GroupBoard:
    rows = figures_by(user, by=by, basis=basis)
    return GroupBoard(
        overall=overall(user, basis), rows=rows, ranking=ranking(rows, size=len(rows))
    )


@dataclass(frozen=True)
class AgreementRollup:
    """An agreement's roll-up over the commitments in the user's scope, and each unit's line."""

    basis: Basis
    overall: GroupRow | None
    by_unit: dict[int, GroupRow]


def agreement_rollup(user: Any, agreement: Agreement, basis: Basis) -> AgreementRollup:
    within = of_agreement(agreement)
    rows = figures_by(user, by="agreement", basis=basis, within=within)
    by_unit = {row.key: row for row in figures_by(user, by="unit", basis=basis, within=within)}
    return AgreementRollup(basis=basis, overall=rows[0] if rows else None, by_unit=by_unit)
