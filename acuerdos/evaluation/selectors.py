"""Reads of the evaluation: figures per group for a user's scope, at today, a date or a cut-off.

The one entry point for dashboards, the `compliance` command, reports and the API, so that
every screen and document shows the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.core.dates import today
from acuerdos.evaluation.engine import (
    GROUP_COLUMNS,
    GroupResult,
    evaluated_rows_sql,
    group_figures,
)
from acuerdos.evaluation.models import CutOff, Snapshot
from acuerdos.evaluation.rules import STATUS_ORDER, GroupFigures, shown
from acuerdos.meetings.models import Meeting, Round
from acuerdos.organization.models import Region, Theme, Unit
from acuerdos.organization.scope import scope_for
from acuerdos.progress.selectors import shown_percent

GROUPINGS = ("unit", "region", "theme", "area", "meeting", "round", "agreement", "national")


@dataclass(frozen=True)
class Basis:
    """What the figures are computed from: today's inputs, the history at a date, or the
    frozen snapshot of a closed cut-off."""

    as_of: dt.date
    source: str
    cutoff: CutOff | None = None

    @property
    def label(self) -> str:
        from acuerdos.core.dates import long_date

        if self.cutoff is not None:
            return f"con corte al {long_date(self.as_of)}"
        return f"al {long_date(self.as_of)}"


def basis_for(*, as_of: dt.date | None = None, cutoff: CutOff | None = None) -> Basis:
    """Today → cached inputs; a closed cut-off → its snapshot; any other date → the history.

    A date that has a closed cut-off is always read from its snapshot (PRODUCT.md §3.1).
    """
    if cutoff is None and as_of is not None:
        cutoff = CutOff.objects.filter(date=as_of).first()
    if cutoff is not None and cutoff.is_closed:
        return Basis(as_of=cutoff.date, source="snapshot", cutoff=cutoff)
    day = as_of or (cutoff.date if cutoff else today())
    return Basis(as_of=day, source="today" if day >= today() else "history")


@dataclass(frozen=True)
class GroupRow:
    """One group's figures with what identifies it to a person."""

    key: int
    code: str
    name: str
    short_name: str
    figures: GroupFigures


def _visible(user: Any) -> QuerySet[Commitment] | None:
    scope = scope_for(user)
    if user is not None and scope.sees_everything:
        return None
    if user is None:  # commands and jobs: everything
        return None
    return Commitment.objects.visible_to(user)


def labels(by: str, keys: list[int]) -> dict[int, tuple[str, str, str]]:
    """(code, name, short name) for each group key, in one query."""
    if by == "national":
        return {0: ("NACIONAL", "Nacional", "Nacional")}
    if by in ("unit", "area"):
        return {
            u.pk: (u.code, u.name, u.short_name)
            for u in Unit.objects.filter(pk__in=keys).only("code", "name", "short_name")
        }
    if by == "region":
        return {r.pk: (r.code, r.name, r.short_name) for r in Region.objects.filter(pk__in=keys)}
    if by == "theme":
        return {t.pk: (t.code, t.name, t.name) for t in Theme.objects.filter(pk__in=keys)}
    if by == "meeting":
        return {m.pk: (m.code, m.name, m.code) for m in Meeting.objects.filter(pk__in=keys)}
    if by == "round":
        return {r.pk: (str(r.pk), r.name, r.name) for r in Round.objects.filter(pk__in=keys)}
    if by == "agreement":
        return {
            a.pk: (a.folio, a.text[:120], a.folio)
            for a in Agreement.objects.filter(pk__in=keys).only("folio", "text")
        }
    raise ValueError(f"unknown grouping {by!r}")


def frozen_group(cutoff: CutOff, column: str, key: int) -> QuerySet[Commitment]:
    """The commitments a closed cut-off's snapshot grouped under `key` of `column` (unit_id,
    region_id, area_id…): the frozen grouping, never today's, so a published figure never
    moves."""
    frozen = Snapshot.objects.filter(cutoff=cutoff, **{column: key}).values("commitment_id")
    return Commitment.objects.filter(pk__in=frozen)


def figures_by(
    user: Any,
    *,
    by: str,
    basis: Basis,
    within: QuerySet[Commitment] | None = None,
) -> list[GroupRow]:
    """The §3.7 figures of every group of `by` that has commitments at the basis date, within
    the user's scope (and optionally within a narrower set of commitments, for drill-down)."""
    if by not in GROUP_COLUMNS:
        raise ValueError(f"unknown grouping {by!r}")
    visible = _visible(user)
    if within is not None:
        visible = within if visible is None else visible.filter(pk__in=within.values("pk"))
    results: list[GroupResult] = group_figures(
        by=by,
        source=basis.source,
        as_of=basis.as_of,
        cutoff_id=basis.cutoff.pk if basis.cutoff else None,
        visible=visible,
    )
    names = labels(by, [r.key for r in results])
    rows = [
        GroupRow(
            key=r.key,
            code=names.get(r.key, (str(r.key), "", ""))[0],
            name=names.get(r.key, ("", str(r.key), ""))[1],
            short_name=names.get(r.key, ("", "", str(r.key)))[2],
            figures=r.figures,
        )
        for r in results
        if r.figures.total or sum(r.figures.counts.values())
    ]
    return sorted(rows, key=lambda row: row.code)


def _rows_sql(queryset: QuerySet[Commitment], basis: Basis) -> tuple[str, list[Any]]:
    """The engine's evaluated rows of these commitments at the basis (SQL, bound values)."""
    return evaluated_rows_sql(
        source=basis.source,
        as_of=basis.as_of,
        cutoff_id=basis.cutoff.pk if basis.cutoff else None,
        visible=queryset,
    )


def with_status(queryset: QuerySet[Commitment], basis: Basis, status: str) -> QuerySet[Commitment]:
    """Only the commitments whose status at the basis is `status` (one subquery: the engine's
    rows). A commitment not started at the date has no row, so it is never chosen."""
    try:
        sql, params = _rows_sql(queryset, basis)
    except EmptyResultSet:
        return queryset.none()
    # The inner SQL is the engine's own with bound values; the status is a bound value too.
    inner = f"SELECT r.cid FROM ({sql}) r WHERE r.status = %s"  # noqa: S608
    return queryset.filter(pk__in=RawSQL(inner, [*params, status]))  # noqa: S611


@dataclass(frozen=True, slots=True)
class Evaluated:
    """A commitment's status and figures at the basis date, as lists and exports show it."""

    status: str
    progress: Decimal
    expected: Decimal
    overdue_days: int
    stale: bool


def evaluate(queryset: QuerySet[Commitment], basis: Basis) -> dict[int, Evaluated]:
    """The evaluation of these commitments at the basis (the dashboards' rules and source),
    in one query. A commitment that has not started at the date has no row (it does not
    count yet)."""
    try:
        sql, params = _rows_sql(queryset, basis)
    except EmptyResultSet:  # a list that cannot hold anything (no units, say)
        return {}
    # Only the columns the export writes; the inner SQL is the evaluation's own, values bound.
    wrapped = (
        "SELECT r.cid, r.status, r.pn, r.pd, r.e_num, r.e_den, r.overdue_days, r.stale "  # noqa: S608
        f"FROM ({sql}) r"
    )
    result: dict[int, Evaluated] = {}
    with connection.cursor() as cursor:
        cursor.execute(wrapped, params)
        while batch := cursor.fetchmany(2_000):
            for cid, status, pn, pd, e_num, e_den, overdue, stale in batch:
                result[int(cid)] = Evaluated(
                    status=str(status),
                    progress=shown_percent(int(pn), int(pd)),
                    expected=shown_percent(int(e_num), int(e_den)),
                    overdue_days=int(overdue or 0),
                    stale=bool(stale),
                )
    return result


COMPLIANCE_BY = ("unit", "region", "theme", "area", "meeting")


def _number(value: Any) -> float | None:
    rounded = shown(value)
    return None if rounded is None else float(rounded)


def compliance_group(row: GroupRow) -> dict[str, Any]:
    """One group in the JSON shape of PRODUCT.md §5 (percentages to one decimal, None: n/a)."""
    f = row.figures
    return {
        "code": row.code,
        "name": row.name,
        "total": f.total,
        "counts": {status.value: f.counts[status] for status in STATUS_ORDER},
        "compliance_level": _number(f.compliance_level),
        "average_progress": _number(f.average_progress),
        "timeliness": _number(f.timeliness),
    }


def compliance_payload(user: Any, *, basis: Basis, by: str) -> dict[str, Any]:
    """`compliance --format json` (PRODUCT.md §5) within `user`'s scope (None: everything, as
    the command): the groups with commitments that count at the basis date."""
    groups = [
        compliance_group(row)
        for row in figures_by(user, by=by, basis=basis)
        if row.figures.total > 0
    ]
    return {"as_of": basis.as_of.isoformat(), "by": by, "groups": groups}
