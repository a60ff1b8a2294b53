"""Reads of the reports: what each audience's informe shows, for one closed cut-off.

Every figure comes from the evaluation selectors (`figures_by`, `boards.trend`,
`boards.pending_validation`) on the cut-off's frozen snapshot, so that a report shows exactly
what the dashboards and `compliance --as-of` show. The figures of every audience are fetched
together: one query per grouping, one for the commitment rows, one for the extensions, and a
constant handful per audience (breakdown, trend, pending validations).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Q, QuerySet

from acuerdos.commitments.models import Commitment, ExtensionRequest, ExtensionStatus
from acuerdos.evaluation import boards
from acuerdos.evaluation.charts import TrendPoint, percent_text
from acuerdos.evaluation.models import CutOff, CutOffStatus, Snapshot
from acuerdos.evaluation.rules import STATUS_ORDER, GroupFigures, Status, shown
from acuerdos.evaluation.selectors import Basis, GroupRow, basis_for, figures_by
from acuerdos.organization.models import Region, Theme, Unit
from acuerdos.organization.scope import Scope
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
    )
    lines = []
    for (cid, folio, text, unit_id, region_id, theme_id, area_id, start, due, pn, pd, en, ed,
         status, overdue_days, stale, weight) in rows:  # fmt: skip
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
    column = KIND_COLUMN[kind]
    ids = Snapshot.objects.filter(cutoff=cutoff, **{column: key}).values("commitment_id")
    return Commitment.objects.filter(pk__in=ids)


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


def cutoff_contents(
    cutoff: CutOff, only: Sequence[tuple[str, int | None]] | None = None
) -> list[ReportContent]:
    """The content of every audience's report of a closed cut-off (or only of the given
    (kind, key) audiences), with the figures of the whole cut-off fetched once."""
    if cutoff.status != CutOffStatus.CLOSED:
        raise ValueError("reports are generated for closed cut-offs only")
    basis = basis_for(cutoff=cutoff)
    wanted = set(only) if only is not None else None
    kinds: set[str] = {k for k, _key in wanted} if wanted is not None else set(Audience)
    by_kind: dict[str, dict[int | None, GroupRow]] = {}
    if Audience.NATION in kinds:
        national = figures_by(None, by="national", basis=basis)
        by_kind[Audience.NATION] = {None: national[0]} if national else {}
    for kind, by in ((Audience.REGION, "region"), (Audience.AREA, "area"), (Audience.UNIT, "unit")):
        if kind in kinds:
            by_kind[kind] = {row.key: row for row in figures_by(None, by=by, basis=basis)}
    # A job for a few audiences reads only their rows (one job per audience, reporting.tasks).
    where: Q | None = None
    if wanted is not None and Audience.NATION not in kinds:
        where = Q(pk__in=[])
        for wanted_kind, wanted_key in wanted:
            where |= Q(**{KIND_COLUMN[wanted_kind]: wanted_key})
    lines = _lines(cutoff, where)
    previous = previous_closed(cutoff)
    extensions = _extensions(
        cutoff, previous.date if previous else None, {line.commitment_id: line for line in lines}
    )
    closed = CutOff.objects.filter(status=CutOffStatus.CLOSED, date__lte=cutoff.date)
    cutoffs = list(closed.order_by("-date"))
    contents = []
    for kind in (Audience.NATION, Audience.REGION, Audience.AREA, Audience.UNIT):
        for key, row in by_kind.get(kind, {}).items():
            if wanted is not None and (kind, key) not in wanted:
                continue
            ref = AudienceRef(kind, key, row.code, row.name)
            if kind == Audience.NATION:
                ref = AudienceRef(kind, None, "NACIONAL", "Nacional")
            within = _within(cutoff, kind, key)
            by, title = BREAKDOWN[Audience(kind)]
            column = KIND_COLUMN.get(kind)

            def mine(line: Any, column: str | None = column, key: int | None = key) -> bool:
                return column is None or getattr(line, column) == key

            contents.append(
                ReportContent(
                    audience=ref,
                    cutoff=cutoff,
                    basis=basis,
                    overall=row,
                    breakdown_title=title,
                    breakdown=figures_by(None, by=by, basis=basis, within=within),
                    trend=boards.trend(SYSTEM, cutoffs, within=within),
                    lines=[line for line in lines if mine(line)],
                    pending=boards.pending_validation(
                        SYSTEM, basis, within if within is not None else Commitment.objects.all()
                    ),
                    extensions=[ext for ext in extensions if mine(ext)],
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
