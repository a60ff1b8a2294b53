"""Reads of the evaluation: figures per group for a user's scope, at today, a date or a cut-off.

The one entry point for dashboards, the `compliance` command, reports and the API, so that
every screen and document shows the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.core.dates import today
from acuerdos.evaluation.engine import GROUP_COLUMNS, GroupResult, group_figures
from acuerdos.evaluation.models import CutOff
from acuerdos.evaluation.rules import GroupFigures
from acuerdos.meetings.models import Meeting, Round
from acuerdos.organization.models import Region, Theme, Unit
from acuerdos.organization.scope import scope_for

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
