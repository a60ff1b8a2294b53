"""Reads of the public transparency portal: only what a closed cut-off froze (PRODUCT.md §4.8).

The public sees validated aggregates and nothing else: every figure here comes from the frozen
snapshot of a **closed** cut-off, read through the same `figures_by` the dashboards, reports and
the `compliance` command use, so that a figure published here equals the figure in print.
Open cut-offs, today's figures and reports awaiting validation never reach these reads.

No personal data leaves this module: people, narratives, observations, comments and evidence
are never read; units, regions, themes and meetings are institutions and catalogs.

Each read costs a constant number of queries whatever the number of commitments.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet

from acuerdos.commitments.models import Commitment
from acuerdos.evaluation.charts import TrendPoint
from acuerdos.evaluation.engine import ALL_GROUPS, figures_from_json
from acuerdos.evaluation.models import CutOff, CutOffStatus, Snapshot, SnapshotFigures
from acuerdos.evaluation.rules import STATUS_LABELS, GroupFigures, Status
from acuerdos.evaluation.selectors import Basis, GroupRow, basis_for, figures_by, frozen_group
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Region, Theme, Unit
from acuerdos.progress.selectors import shown_percent

TREND_CUTOFFS = 12
"""How many of the latest closed cut-offs the public trend draws (a year of monthly cut-offs)."""


def published_cutoffs() -> list[CutOff]:
    """The closed cut-offs, latest first: the only ones the public ever sees."""
    return list(CutOff.objects.filter(status=CutOffStatus.CLOSED).order_by("-date"))


def cutoff_basis(cutoff: CutOff) -> Basis:
    """The basis of a published cut-off: always its frozen snapshot."""
    basis = basis_for(cutoff=cutoff)
    if basis.source != "snapshot":  # an open cut-off is never published
        raise ValueError(f"cut-off {cutoff.date} is not closed")
    return basis


def _national(basis: Basis, within: QuerySet[Commitment] | None = None) -> GroupRow | None:
    rows = figures_by(None, by="national", basis=basis, within=within)
    return rows[0] if rows else None


def trend(
    cutoffs: Sequence[CutOff], *, grouping: str = "national", key: int = 0
) -> list[TrendPoint]:
    """The three levels of one group (the nation, or a region) at each of the latest closed
    cut-offs, oldest first, read from the figures frozen when each one closed (one query).

    A cut-off closed before group figures were frozen is read from its snapshot rows (rare:
    one query for each such cut-off)."""
    chosen = sorted((c for c in cutoffs if c.is_closed), key=lambda c: c.date)[-TREND_CUTOFFS:]
    if not chosen:
        return []
    stored = SnapshotFigures.objects.filter(
        cutoff__in=[c.pk for c in chosen], grouping__in=(grouping, ALL_GROUPS)
    ).values_list("cutoff_id", "grouping", "key", "figures")
    frozen: set[int] = set()
    found: dict[int, GroupFigures] = {}
    for cutoff_id, group, group_key, data in stored:
        if group == ALL_GROUPS:
            frozen.add(cutoff_id)
        elif group_key == key:
            found[cutoff_id] = figures_from_json(data)
    points = []
    for cutoff in chosen:
        figures = found.get(cutoff.pk)
        if cutoff.pk not in frozen:
            rows = [
                row
                for row in figures_by(None, by=grouping, basis=cutoff_basis(cutoff))
                if row.key == key
            ]
            figures = rows[0].figures if rows else None
        if figures is None:
            points.append(TrendPoint(cutoff.date, None, None, None))
            continue
        points.append(
            TrendPoint(
                date=cutoff.date,
                compliance=figures.compliance_level,
                progress=figures.average_progress,
                timeliness=figures.timeliness,
            )
        )
    return points


@dataclass(frozen=True)
class NationalBoard:
    """The landing page: the nation's figures at a closed cut-off, by region, by theme and by
    normative area, and the trend over the closed cut-offs."""

    cutoff: CutOff
    basis: Basis
    overall: GroupRow | None
    regions: list[GroupRow]
    themes: list[GroupRow]
    areas: list[GroupRow]
    trend: list[TrendPoint]


def national_board(cutoff: CutOff, cutoffs: Sequence[CutOff]) -> NationalBoard:
    basis = cutoff_basis(cutoff)
    return NationalBoard(
        cutoff=cutoff,
        basis=basis,
        overall=_national(basis),
        regions=figures_by(None, by="region", basis=basis),
        themes=figures_by(None, by="theme", basis=basis),
        areas=figures_by(None, by="area", basis=basis),
        trend=trend(cutoffs),
    )


@dataclass(frozen=True)
class RegionBoard:
    """A region at a closed cut-off: its figures, its units (OOAD and UMAE are institutions),
    its themes, how many agreements its commitments belong to, and its trend."""

    cutoff: CutOff
    basis: Basis
    region: Region
    overall: GroupRow | None
    units: list[GroupRow]
    themes: list[GroupRow]
    agreements: int
    trend: list[TrendPoint]


def region_board(cutoff: CutOff, region: Region, cutoffs: Sequence[CutOff]) -> RegionBoard:
    basis = cutoff_basis(cutoff)
    within = frozen_group(cutoff, "region_id", region.pk)
    regions = [row for row in figures_by(None, by="region", basis=basis) if row.key == region.pk]
    agreements = (
        Snapshot.objects.filter(cutoff=cutoff, region_id=region.pk)
        .values("agreement_id")
        .distinct()
        .count()
    )
    return RegionBoard(
        cutoff=cutoff,
        basis=basis,
        region=region,
        overall=regions[0] if regions else None,
        units=figures_by(None, by="unit", basis=basis, within=within),
        themes=figures_by(None, by="theme", basis=basis, within=within),
        agreements=agreements,
        trend=trend(cutoffs, grouping="region", key=region.pk),
    )


def regions() -> list[Region]:
    """Every region, in the catalog's order (the portal's region links)."""
    return list(Region.objects.order_by("order", "name"))


# --- Open data ------------------------------------------------------------------------------


def _percent(value: Fraction | None) -> float | None:
    from acuerdos.evaluation.rules import shown

    rounded = shown(value)
    return None if rounded is None else float(rounded)


def commitment_rows(cutoff: CutOff) -> Iterator[dict[str, Any]]:
    """One row per commitment frozen by the closed cut-off, in the columns of
    `opendata.COMMITMENT_FIELDS`: institutions and catalogs, dates, progress and status.

    Five small catalog queries, then the snapshot rows streamed in one query, whatever their
    number. The group keys are the snapshot's own (frozen), never today's."""
    snapshots = Snapshot.objects.filter(cutoff=cutoff)
    units = {
        u.pk: u
        for u in Unit.objects.filter(pk__in=snapshots.values("unit_id")).only(
            "code", "name", "kind"
        )
    } | {
        u.pk: u
        for u in Unit.objects.filter(pk__in=snapshots.values("area_id")).only(
            "code", "name", "kind"
        )
    }
    region_names = {r.pk: r for r in Region.objects.all()}
    theme_names = {t.pk: t for t in Theme.objects.only("code", "name")}
    meetings = {
        m.pk: m
        for m in Meeting.objects.filter(pk__in=snapshots.values("meeting_id")).only("code", "name")
    }
    rows = (
        snapshots.order_by("commitment__agreement__folio", "unit_id")
        .values_list(
            "commitment__agreement__folio",
            "meeting_id",
            "region_id",
            "unit_id",
            "theme_id",
            "area_id",
            "due_date",
            "weight_cents",
            "progress_num",
            "progress_den",
            "expected_num",
            "expected_den",
            "status",
            "on_time",
            "stale",
            "overdue_days",
        )
        .iterator(chunk_size=2_000)
    )
    for (
        folio,
        meeting_id,
        region_id,
        unit_id,
        theme_id,
        area_id,
        due_date,
        weight_cents,
        pn,
        pd,
        en,
        ed,
        status,
        on_time,
        stale,
        overdue_days,
    ) in rows:
        meeting = meetings.get(meeting_id)
        region = region_names.get(region_id)
        unit = units.get(unit_id)
        theme = theme_names.get(theme_id)
        area = units.get(area_id)
        closed = status in (Status.CANCELLED, Status.FULFILLED)
        yield {
            "corte": cutoff.date,
            "folio": folio,
            "reunion_clave": meeting.code if meeting else "",
            "reunion": meeting.name if meeting else "",
            "region_clave": region.code if region else "",
            "region": region.name if region else "",
            "unidad_clave": unit.code if unit else "",
            "unidad": unit.name if unit else "",
            "unidad_tipo": unit.get_kind_display() if unit else "",
            "linea_accion_clave": theme.code if theme else "",
            "linea_accion": theme.name if theme else "",
            "area_normativa_clave": area.code if area else "",
            "area_normativa": area.name if area else "",
            "fecha_compromiso": due_date,
            "peso": weight_cents / 100,
            "avance": float(shown_percent(int(pn), int(pd))),
            "avance_esperado": float(shown_percent(int(en), int(ed))),
            "estado_clave": str(status),
            "estado": STATUS_LABELS[Status(status)],
            "cumplido_a_tiempo": None if on_time is None else bool(on_time),
            "sin_reporte_reciente": None if closed else bool(stale),
            "dias_atraso": int(overdue_days or 0),
        }


def unit_rows(cutoff: CutOff) -> list[dict[str, Any]]:
    """One row per responsible unit with its §3.7 figures at the closed cut-off, in the columns
    of `opendata.UNIT_FIELDS` (two queries: the frozen figures and the units' names)."""
    basis = cutoff_basis(cutoff)
    rows = figures_by(None, by="unit", basis=basis)
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=[r.key for r in rows]).select_related("region")
    }
    result = []
    for row in rows:
        unit = units.get(row.key)
        f = row.figures
        result.append(
            {
                "corte": cutoff.date,
                "unidad_clave": row.code,
                "unidad": row.name,
                "unidad_tipo": unit.get_kind_display() if unit else "",
                "region": unit.region.name if unit and unit.region else "",
                "compromisos": f.total,
                "en_tiempo": f.counts[Status.ON_TRACK],
                "en_riesgo": f.counts[Status.AT_RISK],
                "vencidos": f.counts[Status.OVERDUE],
                "cumplidos": f.counts[Status.FULFILLED],
                "cancelados": f.counts[Status.CANCELLED],
                "nivel_cumplimiento": _percent(f.compliance_level),
                "avance_promedio": _percent(f.average_progress),
                "oportunidad_reporte": _percent(f.timeliness),
                "dias_atraso_acumulados": f.overdue_days_sum,
            }
        )
    return result


def cutoff_version(cutoff: CutOff) -> str:
    """What identifies the published content of a closed cut-off (it never changes)."""
    closed_at = cutoff.closed_at.isoformat() if cutoff.closed_at else ""
    return f"{cutoff.pk}-{cutoff.date.isoformat()}-{closed_at}"
