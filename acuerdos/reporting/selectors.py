"""Reads of the reports: what each audience's informe shows, for one closed cut-off.

Every figure comes from the cut-off's frozen snapshot, read as the evaluation selectors read it
(`figures_by` for each audience's own figures, `rules.aggregate` over the snapshot rows for the
breakdowns, the sums of `boards.trend` for the trends, the rule of `boards.pending_validation`
for the pending validations), so that a report shows exactly what the dashboards and
`compliance --as-of` show (the tests compare them audience by audience).

The figures of every audience are fetched together, in a constant number of queries however
many audiences there are: one per grouping, one for the commitment rows, one for the
extensions, one for the trends of every audience, one for the pending validations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from acuerdos.commitments.models import Commitment, ExtensionRequest, ExtensionStatus
from acuerdos.evaluation import boards
from acuerdos.evaluation.charts import TrendPoint, percent_text
from acuerdos.evaluation.models import CutOff, CutOffStatus, Snapshot
from acuerdos.evaluation.rules import (
    STATUS_ORDER,
    Evaluation,
    GroupFigures,
    Status,
    aggregate,
    shown,
)
from acuerdos.evaluation.selectors import (
    Basis,
    GroupRow,
    basis_for,
    figures_by,
    frozen_group,
    labels,
)
from acuerdos.organization.models import Region, Theme, Unit
from acuerdos.organization.scope import Scope
from acuerdos.progress.models import ProgressReport
from acuerdos.reporting.models import Audience, Report


class SystemReader:
    """The reader of background jobs: it sees everything, as a coordinator does. The board
    reads take a user, and `None` means "nobody" there."""

    is_authenticated = True
    is_active = True
    pk = None

    def __init__(self) -> None:
        self._acuerdos_scope = Scope(authenticated=True, is_coordinator=True)


SYSTEM = SystemReader()

KIND_COLUMN: dict[str, str] = {
    Audience.UNIT: "unit_id",
    Audience.AREA: "area_id",
    Audience.REGION: "region_id",
}
BREAKDOWN = {
    Audience.UNIT: ("theme", "Por línea de acción"),
    Audience.AREA: ("unit", "Por unidad responsable"),
    Audience.REGION: ("unit", "Por unidad responsable"),
    Audience.NATION: ("region", "Por región"),
}


@dataclass(frozen=True)
class AudienceRef:
    """Who a report is for: a kind and the group's id (None for the nation)."""

    kind: str
    key: int | None
    code: str
    name: str


@dataclass(frozen=True)
class CommitmentLine:
    """One commitment as it stood at the cut-off (its snapshot row), with its names."""

    commitment_id: int
    folio: str
    agreement: str
    unit_code: str
    unit_name: str
    region: str
    theme: str
    area_code: str
    start_date: dt.date
    due_date: dt.date
    progress: Fraction
    expected: Fraction
    status: Status
    overdue_days: int
    stale: bool
    weight: Fraction
    unit_id: int
    area_id: int
    region_id: int
    theme_id: int = 0
    in_denominator: bool = False
    on_time: bool | None = None

    def evaluation(self) -> Evaluation:
        """The snapshot row as the rules' evaluation (what `rules.aggregate` sums)."""
        return Evaluation(
            counts=True,
            progress=self.progress,
            expected=self.expected,
            due=self.due_date,
            status=self.status,
            on_time=self.on_time,
            stale=self.stale,
            overdue_days=self.overdue_days,
            weight=self.weight,
            in_denominator=self.in_denominator,
        )


@dataclass(frozen=True)
class ExtensionLine:
    """A reprogramación approved in the period of the cut-off."""

    folio: str
    unit_name: str
    previous_due_date: dt.date
    new_due_date: dt.date
    decided_on: dt.date
    unit_id: int
    area_id: int
    region_id: int


@dataclass
class ReportContent:
    """Everything one audience's report shows."""

    audience: AudienceRef
    cutoff: CutOff
    basis: Basis
    overall: GroupRow | None
    breakdown_title: str
    breakdown: list[GroupRow]
    trend: list[TrendPoint]
    lines: list[CommitmentLine]
    pending: int
    extensions: list[ExtensionLine]
    previous_cutoff: dt.date | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def overdue(self) -> list[CommitmentLine]:
        rows = [line for line in self.lines if line.status == Status.OVERDUE]
        return sorted(rows, key=lambda line: (-line.overdue_days, line.folio, line.unit_code))

    @property
    def at_risk(self) -> list[CommitmentLine]:
        rows = [line for line in self.lines if line.status == Status.AT_RISK]
        return sorted(rows, key=lambda line: (line.due_date, line.folio, line.unit_code))

    def figures(self) -> dict[str, Any]:
        """The figures the report shows, as stored with it (JSON, rounded as shown)."""
        return figures_json(self.overall.figures if self.overall else None) | {
            "pending_validation": self.pending,
            "extensions_granted": len(self.extensions),
            "overdue_listed": len(self.overdue),
            "at_risk_listed": len(self.at_risk),
            "commitment_rows": len(self.lines),
            "trend": [
                {
                    "date": point.date.isoformat(),
                    "compliance_level": _number(point.compliance),
                    "average_progress": _number(point.progress),
                    "timeliness": _number(point.timeliness),
                }
                for point in self.trend
            ],
            "breakdown": [
                {"code": row.code, **figures_json(row.figures)} for row in self.breakdown
            ],
        }


def _number(value: Fraction | None) -> float | None:
    rounded = shown(value)
    return None if rounded is None else float(rounded)


def figures_json(figures: GroupFigures | None) -> dict[str, Any]:
    """A group's §3.7 figures in the shape of `compliance --format json`."""
    if figures is None:
        return {
            "total": 0,
            "counts": {status.value: 0 for status in STATUS_ORDER},
            "compliance_level": None,
            "average_progress": None,
            "timeliness": None,
        }
    return {
        "total": figures.total,
        "counts": {status.value: figures.counts[status] for status in STATUS_ORDER},
        "compliance_level": _number(figures.compliance_level),
        "average_progress": _number(figures.average_progress),
        "timeliness": _number(figures.timeliness),
        "overdue_days_sum": figures.overdue_days_sum,
        "overdue_days_max": figures.overdue_days_max,
    }


def level_text(value: Fraction | None) -> str:
    return percent_text(value)


def _lines(cutoff: CutOff, where: Q | None = None) -> list[CommitmentLine]:
    """The snapshot rows of the cut-off (all, or those matching `where`) with the names a reader
    needs (one query, plus the three small catalogs)."""
    units = {
        u.pk: (u.code, u.short_name or u.name)
        for u in Unit.objects.only("code", "name", "short_name")
    }
    regions = {r.pk: r.short_name or r.name for r in Region.objects.all()}
    themes = {t.pk: t.name for t in Theme.objects.all()}
    snapshot = Snapshot.objects.filter(cutoff=cutoff)
    if where is not None:
        snapshot = snapshot.filter(where)
    rows = snapshot.order_by("commitment__agreement__folio", "unit_id").values_list(
        "commitment_id",
        "commitment__agreement__folio",
        "commitment__agreement__text",
        "unit_id",
        "region_id",
        "theme_id",
        "area_id",
        "commitment__start_date",
        "due_date",
        "progress_num",
        "progress_den",
        "expected_num",
        "expected_den",
        "status",
        "overdue_days",
        "stale",
        "weight_cents",
        "in_denominator",
        "on_time",
    )
    lines = []
    for (cid, folio, text, unit_id, region_id, theme_id, area_id, start, due, pn, pd, en, ed,
         status, overdue_days, stale, weight, in_d, on_time) in rows:  # fmt: skip
        unit_code, unit_name = units.get(unit_id, (str(unit_id), str(unit_id)))
        lines.append(
            CommitmentLine(
                commitment_id=cid,
                folio=folio,
                agreement=text,
                unit_code=unit_code,
                unit_name=unit_name,
                region=regions.get(region_id, ""),
                theme=themes.get(theme_id, ""),
                area_code=units.get(area_id, ("", ""))[0],
                start_date=start,
                due_date=due,
                progress=Fraction(pn, pd),
                expected=Fraction(en, ed),
                status=Status(status),
                overdue_days=overdue_days,
                stale=stale,
                weight=Fraction(weight, 100),
                unit_id=unit_id,
                area_id=area_id,
                region_id=region_id,
                theme_id=theme_id,
                in_denominator=bool(in_d),
                on_time=None if on_time is None else bool(on_time),
            )
        )
    return lines


def previous_closed(cutoff: CutOff) -> CutOff | None:
    return (
        CutOff.objects.filter(status=CutOffStatus.CLOSED, date__lt=cutoff.date)
        .order_by("-date")
        .first()
    )


def _extensions(
    cutoff: CutOff, since: dt.date | None, keys: dict[int, CommitmentLine]
) -> list[ExtensionLine]:
    """Extensions approved after the previous closed cut-off and on or before this one."""
    approved = ExtensionRequest.objects.filter(
        status=ExtensionStatus.APPROVED,
        decided_on__lte=cutoff.date,
        commitment_id__in=Snapshot.objects.filter(cutoff=cutoff).values("commitment_id"),
    )
    if since is not None:
        approved = approved.filter(decided_on__gt=since)
    result = []
    for cid, previous, new, decided in approved.order_by("decided_on", "pk").values_list(
        "commitment_id", "previous_due_date", "new_due_date", "decided_on"
    ):
        line = keys.get(cid)
        if line is None:  # not one of the audiences asked for
            continue
        result.append(
            ExtensionLine(
                folio=line.folio,
                unit_name=line.unit_name,
                previous_due_date=previous,
                new_due_date=new,
                decided_on=decided or cutoff.date,
                unit_id=line.unit_id,
                area_id=line.area_id,
                region_id=line.region_id,
            )
        )
    return result


def _within(cutoff: CutOff, kind: str, key: int | None) -> QuerySet[Commitment] | None:
    """The audience's commitments as the snapshot groups them (never today's grouping)."""
    if kind == Audience.NATION:
        return None
    assert key is not None
    return frozen_group(cutoff, KIND_COLUMN[kind], key)


def audiences(cutoff: CutOff) -> list[AudienceRef]:
    """Every audience of a closed cut-off: each unit, each normative area, each region, and
    the nation (groups with no commitment at the cut-off have no report)."""
    basis = basis_for(cutoff=cutoff)
    refs = [AudienceRef(Audience.NATION, None, "NACIONAL", "Nacional")]
    for kind, by in ((Audience.REGION, "region"), (Audience.AREA, "area"), (Audience.UNIT, "unit")):
        refs.extend(
            AudienceRef(kind, row.key, row.code, row.name)
            for row in figures_by(None, by=by, basis=basis)
        )
    return refs


Key = tuple[str, int | None]
"""An audience: its kind and its group's id (None for the nation)."""

BREAKDOWN_COLUMN: dict[str, str] = {
    Audience.UNIT: "theme_id",
    Audience.AREA: "unit_id",
    Audience.REGION: "unit_id",
}


def _audience_keys(line: CommitmentLine | ExtensionLine) -> tuple[Key, Key, Key]:
    """The unit, area and region audiences a snapshot row belongs to."""
    return (
        (Audience.UNIT, line.unit_id),
        (Audience.AREA, line.area_id),
        (Audience.REGION, line.region_id),
    )


def _breakdowns(lines: Sequence[CommitmentLine]) -> dict[Key, list[GroupRow]]:
    """Each unit's, area's and region's breakdown (by line of action, by unit, by unit), summed
    by `rules.aggregate` over the snapshot rows already read: no query but the names."""
    groups: dict[Key, dict[int, list[Evaluation]]] = {}
    for line in lines:
        evaluation = line.evaluation()
        for kind, key in _audience_keys(line):
            sub = getattr(line, BREAKDOWN_COLUMN[kind])
            groups.setdefault((kind, key), {}).setdefault(sub, []).append(evaluation)
    names = {
        "theme": labels("theme", sorted({line.theme_id for line in lines})),
        "unit": labels("unit", sorted({line.unit_id for line in lines})),
    }
    result: dict[Key, list[GroupRow]] = {}
    for (kind, key), subgroups in groups.items():
        by = BREAKDOWN[Audience(kind)][0]
        rows = []
        for sub, evaluations in subgroups.items():
            code, name, short_name = names[by].get(sub, (str(sub), str(sub), str(sub)))
            rows.append(GroupRow(sub, code, name, short_name, aggregate(evaluations)))
        result[(kind, key)] = sorted(rows, key=lambda row: row.code)
    return result


def _trend_cutoffs(cutoff: CutOff) -> list[CutOff]:
    """The closed cut-offs up to this one that a trend shows, as `boards.trend` chooses them."""
    closed = CutOff.objects.filter(status=CutOffStatus.CLOSED, date__lte=cutoff.date)
    return sorted(closed.order_by("-date")[: boards.TREND_CUTOFFS], key=lambda c: c.date)


def _trends(
    cutoff: CutOff, chosen: Sequence[CutOff], snapshot: QuerySet[Snapshot]
) -> dict[Key, list[TrendPoint]]:
    """The trend of every unit, area and region, in one query: the earlier snapshot rows of
    the audience's commitments (grouped as this cut-off groups them, like `_within`), summed as
    `boards.trend` sums them."""
    if not chosen:
        return {}
    now = Snapshot.objects.filter(cutoff=cutoff, commitment_id=OuterRef("commitment_id"))
    active = ~Q(status=Status.CANCELLED)
    open_ = active & ~Q(status=Status.FULFILLED)
    grouped = (
        Snapshot.objects.filter(
            cutoff__in=[c.pk for c in chosen],
            commitment_id__in=snapshot.values("commitment_id"),
        )
        .annotate(
            now_unit=Subquery(now.values("unit_id")[:1]),
            now_area=Subquery(now.values("area_id")[:1]),
            now_region=Subquery(now.values("region_id")[:1]),
        )
        .order_by()
        .values("cutoff_id", "progress_den", "now_unit", "now_area", "now_region")
        .annotate(
            fulfilled=Count("pk", filter=Q(status=Status.FULFILLED)),
            in_d=Count("pk", filter=active & Q(in_denominator=True)),
            open=Count("pk", filter=open_),
            fresh=Count("pk", filter=open_ & Q(stale=False)),
            weighted=Sum(F("weight_cents") * F("progress_num"), filter=active),
            weights=Sum("weight_cents", filter=active),
        )
    )
    sums: dict[Key, dict[int, list[Any]]] = {}
    for row in grouped:
        keys: tuple[Key, Key, Key] = (
            (Audience.UNIT, row["now_unit"]),
            (Audience.AREA, row["now_area"]),
            (Audience.REGION, row["now_region"]),
        )
        weighted = Fraction(int(row["weighted"] or 0), int(row["progress_den"]))
        for key in keys:
            acc = sums.setdefault(key, {}).setdefault(row["cutoff_id"], [0, 0, 0, 0, 0, 0])
            acc[0] += row["fulfilled"]
            acc[1] += row["in_d"]
            acc[2] += row["open"]
            acc[3] += row["fresh"]
            acc[4] += weighted
            acc[5] += int(row["weights"] or 0)
    trends: dict[Key, list[TrendPoint]] = {}
    for key, by_cutoff in sums.items():
        points = []
        for point_cutoff in chosen:
            found = by_cutoff.get(point_cutoff.pk)
            if found is None:
                points.append(TrendPoint(point_cutoff.date, None, None, None))
                continue
            fulfilled, in_d, open_n, fresh, weighted_sum, weights = found
            points.append(
                TrendPoint(
                    date=point_cutoff.date,
                    compliance=Fraction(fulfilled, in_d) * 100 if in_d else None,
                    progress=weighted_sum / weights if weights else None,
                    timeliness=Fraction(fresh, open_n) * 100 if open_n else None,
                )
            )
        trends[key] = points
    return trends


def _pending(
    basis: Basis, snapshot: QuerySet[Snapshot], lines: Sequence[CommitmentLine]
) -> dict[Key, int]:
    """The progress reports "reportado, sin validar" at the cut-off of every unit, area and
    region, in one query (`ProgressReportQuerySet.undecided_at`, the rule the dashboards use)."""
    day = basis.as_of
    per_commitment = dict(
        ProgressReport.objects.undecided_at(day)
        .filter(
            commitment_id__in=snapshot.values("commitment_id"),
        )
        .order_by()
        .values("commitment_id")
        .annotate(n=Count("pk"))
        .values_list("commitment_id", "n")
    )
    pending: dict[Key, int] = {}
    for line in lines:
        n = per_commitment.get(line.commitment_id, 0)
        for key in _audience_keys(line):
            pending[key] = pending.get(key, 0) + n
    return pending


def cutoff_contents(cutoff: CutOff, only: Sequence[Key] | None = None) -> list[ReportContent]:
    """The content of every audience's report of a closed cut-off (or only of the given
    (kind, key) audiences), fetched for all of them at once in a constant number of queries."""
    if cutoff.status != CutOffStatus.CLOSED:
        raise ValueError("reports are generated for closed cut-offs only")
    basis = basis_for(cutoff=cutoff)
    wanted = set(only) if only is not None else None
    kinds: set[str] = {k for k, _key in wanted} if wanted is not None else set(Audience)
    by_kind: dict[str, dict[int | None, GroupRow]] = {}
    for kind, by in ((Audience.REGION, "region"), (Audience.AREA, "area"), (Audience.UNIT, "unit")):
        if kind in kinds or (kind == Audience.REGION and Audience.NATION in kinds):
            by_kind[kind] = {row.key: row for row in figures_by(None, by=by, basis=basis)}
    if Audience.NATION in kinds:
        national = figures_by(None, by="national", basis=basis)
        by_kind[Audience.NATION] = {None: national[0]} if national else {}
    # A job for a few audiences reads only their rows (one job per audience, reporting.tasks).
    where: Q | None = None
    if wanted is not None and Audience.NATION not in kinds:
        where = Q(pk__in=[])
        for wanted_kind, wanted_key in wanted:
            where |= Q(**{KIND_COLUMN[wanted_kind]: wanted_key})
    snapshot = Snapshot.objects.filter(cutoff=cutoff)
    if where is not None:
        snapshot = snapshot.filter(where)
    lines = _lines(cutoff, where)
    previous = previous_closed(cutoff)
    extensions = _extensions(
        cutoff, previous.date if previous else None, {line.commitment_id: line for line in lines}
    )
    chosen = _trend_cutoffs(cutoff)
    breakdowns = _breakdowns(lines)
    trends = _trends(cutoff, chosen, snapshot)
    pending = _pending(basis, snapshot, lines)
    lines_of: dict[Key, list[CommitmentLine]] = {}
    for line in lines:
        for audience in _audience_keys(line):
            lines_of.setdefault(audience, []).append(line)
    extensions_of: dict[Key, list[ExtensionLine]] = {}
    for ext in extensions:
        for audience in _audience_keys(ext):
            extensions_of.setdefault(audience, []).append(ext)
    if Audience.NATION in kinds:  # every commitment, as the national dashboard reads them
        nation: Key = (Audience.NATION, None)
        breakdowns[nation] = sorted(by_kind[Audience.REGION].values(), key=lambda row: row.code)
        trends[nation] = boards.trend(SYSTEM, chosen)
        pending[nation] = boards.pending_validation(SYSTEM, basis, Commitment.objects.all())
        lines_of[nation] = lines
        extensions_of[nation] = extensions
    contents = []
    for kind in (Audience.NATION, Audience.REGION, Audience.AREA, Audience.UNIT):
        if kind not in kinds:
            continue
        for key, row in by_kind.get(kind, {}).items():
            if wanted is not None and (kind, key) not in wanted:
                continue
            ref = AudienceRef(kind, key, row.code, row.name)
            if kind == Audience.NATION:
                ref = AudienceRef(kind, None, "NACIONAL", "Nacional")
            contents.append(
                ReportContent(
                    audience=ref,
                    cutoff=cutoff,
                    basis=basis,
                    overall=row,
                    breakdown_title=BREAKDOWN[Audience(kind)][1],
                    breakdown=breakdowns.get((kind, key), []),
                    trend=trends.get(
                        (kind, key), [TrendPoint(c.date, None, None, None) for c in chosen]
                    ),
                    lines=lines_of.get((kind, key), []),
                    pending=pending.get((kind, key), 0),
                    extensions=extensions_of.get((kind, key), []),
                    previous_cutoff=previous.date if previous else None,
                )
            )
    return contents


def reports_for(user: Any) -> QuerySet[Report]:
    """The Informes inbox: the PDF of each report the user may see, latest first (the XLSX of
    the same generation is attached by `with_spreadsheets`)."""
    return (
        Report.objects.visible_to(user)
        .filter(format="pdf")
        .order_by("-as_of", "audience", "audience_code", "-generated_at")
    )


def with_spreadsheets(user: Any, pdfs: Sequence[Report]) -> list[tuple[Report, Report | None]]:
    """Each PDF with the XLSX of the same generation, in one query."""
    xlsx = {
        r.bundle: r
        for r in Report.objects.visible_to(user).filter(
            format="xlsx", bundle__in=[p.bundle for p in pdfs]
        )
    }
    return [(pdf, xlsx.get(pdf.bundle)) for pdf in pdfs]
