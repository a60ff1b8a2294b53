"""The querysets behind each export: the same selectors and filters as the screens.

Every queryset starts from `visible_to(user)` (directly or through the screen's selector), so an
export never holds a row the person could not see on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet

from acuerdos.commitments import selectors as commitment_selectors
from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.commitments.selectors import AgreementFilters
from acuerdos.evaluation.engine import evaluated_rows_sql, group_figures
from acuerdos.evaluation.rules import GroupFigures
from acuerdos.evaluation.selectors import Basis
from acuerdos.organization.models import Unit
from acuerdos.progress.models import ProgressReport, ReportState
from acuerdos.progress.selectors import shown_percent

CHUNK = 2_000

T = TypeVar("T")


def chunked(items: Iterator[T], size: int = CHUNK) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last one shorter)."""
    while chunk := list(islice(items, size)):
        yield chunk


# --- Querysets ---------------------------------------------------------------------------------


def agreements(user: Any, filters: AgreementFilters) -> QuerySet[Agreement]:
    """The agreements list exactly as the screen shows it (its own selector)."""
    return commitment_selectors.agreement_list(user, filters).select_related("meeting__region")


def commitments(user: Any, filters: AgreementFilters) -> QuerySet[Commitment]:
    """One row per commitment under the agreements list's filters: the commitments the user may
    see of the agreements the list shows; the unit and due-date filters, which pick agreements
    on the screen, pick the commitments themselves here."""
    listed = commitment_selectors.agreement_list(user, filters).order_by().values("pk")
    queryset = Commitment.objects.visible_to(user).filter(agreement_id__in=listed)
    if filters.unit is not None:
        queryset = queryset.filter(responsible_unit=filters.unit)
    if filters.due_from is not None:
        queryset = queryset.filter(due_date__gte=filters.due_from)
    if filters.due_to is not None:
        queryset = queryset.filter(due_date__lte=filters.due_to)
    return commitment_rows(queryset).order_by(
        "agreement__folio", "responsible_unit__kind", "responsible_unit__short_name", "pk"
    )


def commitment_rows(queryset: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """What a commitments export writes per row, in a fixed number of queries per chunk."""
    return (
        queryset.select_related(
            "agreement__meeting__region",
            "agreement__theme",
            "agreement__validating_area",
            "responsible_unit",
        )
        .prefetch_related(
            Prefetch("co_responsible_units", queryset=Unit.objects.order_by("short_name"))
        )
        .annotate(milestone_count=Count("milestones"))
    )


def reports(user: Any, filters: AgreementFilters) -> QuerySet[ProgressReport]:
    """The progress reports (drafts left out) of the commitments of `commitments(user, …)`."""
    chosen = commitments(user, filters).order_by().values("pk")
    return (
        ProgressReport.objects.visible_to(user)
        .exclude(state=ReportState.DRAFT)
        .filter(commitment_id__in=chosen)
        .select_related(
            "commitment__agreement",
            "commitment__responsible_unit",
            "author",
            "reviewed_by",
        )
        .prefetch_related("milestones_done")
        .annotate(evidence_count=Count("evidence"))
        .order_by(
            "commitment__agreement__folio",
            "commitment__responsible_unit__short_name",
            "as_of",
            "pk",
        )
    )


def my_commitments(user: Any) -> list[tuple[str, QuerySet[Commitment]]]:
    """Mis compromisos: the user's units' commitments, then those where a unit of theirs is
    co-responsible — each with the relation written in the export."""
    return [
        ("Responsable", commitment_rows(commitment_selectors.my_commitments(user))),
        (
            "Corresponsable",
            commitment_rows(commitment_selectors.co_responsible_commitments(user)),
        ),
    ]


# --- Evaluation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluated:
    """A commitment's status and figures at the basis date, as exported."""

    status: str
    progress: Decimal
    expected: Decimal
    overdue_days: int
    stale: bool


def evaluate(ids: Sequence[int], basis: Basis) -> dict[int, Evaluated]:
    """The evaluation of these commitments at the basis (the dashboards' rules and source).

    A commitment that has not started at the date has no row (it does not count yet)."""
    if not ids:
        return {}
    sql, params = evaluated_rows_sql(
        source=basis.source,
        as_of=basis.as_of,
        cutoff_id=basis.cutoff.pk if basis.cutoff else None,
        visible=Commitment.objects.filter(pk__in=list(ids)),
    )
    # Only the columns the export writes; the inner SQL is the evaluation's own, values bound.
    wrapped = (
        "SELECT r.cid, r.status, r.pn, r.pd, r.e_num, r.e_den, r.overdue_days, r.stale "  # noqa: S608
        f"FROM ({sql}) r"
    )
    result: dict[int, Evaluated] = {}
    with connection.cursor() as cursor:
        cursor.execute(wrapped, params)
        for cid, status, pn, pd, e_num, e_den, overdue, stale in cursor.fetchall():
            result[int(cid)] = Evaluated(
                status=str(status),
                progress=shown_percent(int(pn), int(pd)),
                expected=shown_percent(int(e_num), int(e_den)),
                overdue_days=int(overdue or 0),
                stale=bool(stale),
            )
    return result


def agreement_figures(user: Any, ids: Sequence[int], basis: Basis) -> dict[int, GroupFigures]:
    """§3.7 figures of each agreement over the commitments of it that the user may see."""
    if not ids:
        return {}
    visible = Commitment.objects.visible_to(user).filter(agreement_id__in=list(ids))
    results = group_figures(
        by="agreement",
        source=basis.source,
        as_of=basis.as_of,
        cutoff_id=basis.cutoff.pk if basis.cutoff else None,
        visible=visible,
    )
    return {r.key: r.figures for r in results}


def waiting_days(submitted_on: dt.date | None, today: dt.date) -> int | None:
    return (today - submitted_on).days if submitted_on else None
