"""The querysets behind each export: the same selectors and filters as the screens.

Every queryset starts from `visible_to(user)` (directly or through the screen's selector), so an
export never holds a row the person could not see on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, QuerySet

from acuerdos.commitments import selectors as commitment_selectors
from acuerdos.commitments.models import Agreement, Commitment, Milestone
from acuerdos.commitments.selectors import AgreementFilters
from acuerdos.evaluation.engine import group_figures
from acuerdos.evaluation.rules import GroupFigures
from acuerdos.evaluation.selectors import Basis, Evaluated, evaluate, with_status
from acuerdos.progress.models import Evidence, ProgressReport, ReportState

CHUNK = 2_000

T = TypeVar("T")


def chunked(items: Iterator[T], size: int = CHUNK) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last one shorter)."""
    while chunk := list(islice(items, size)):
        yield chunk


# --- Querysets ---------------------------------------------------------------------------------


def agreements(user: Any, filters: AgreementFilters) -> QuerySet[Agreement]:
    """The agreements list exactly as the screen shows it (its own selector)."""
    return commitment_selectors.agreement_list(user, filters)


AGREEMENT_VALUES = (
    "pk",
    "folio",
    "meeting__code",
    "meeting__region__short_name",
    "text",
    "deliverable",
    "theme__name",
    "validating_area__short_name",
    "priority",
    "commitment_count",
    "next_due",
)


def agreement_values(queryset: QuerySet[Agreement]) -> Iterator[dict[str, Any]]:
    """The agreements as dicts of AGREEMENT_VALUES plus `units` (the responsible units' names,
    as the list shows them): one streamed query, and one for the units of the whole list."""
    with whole_result_reads():
        units: dict[int, list[str]] = {}
        for agreement_id, name in (
            Commitment.objects.filter(agreement_id__in=queryset.order_by().values("pk"))
            .order_by("responsible_unit__kind", "responsible_unit__short_name")
            .values_list("agreement_id", "responsible_unit__short_name")
        ):
            units.setdefault(agreement_id, []).append(name)
        rows = queryset.prefetch_related(None).values(*AGREEMENT_VALUES)
        for row in rows.iterator(chunk_size=CHUNK):
            row["units"] = units.get(row["pk"], [])
            yield row


# "Aún no inicia": the engine has no row for a commitment before its start date (it does not
# count yet), so this status is read from the dates, not from `with_status`.
NOT_STARTED = "not_started"


def commitments(
    user: Any, filters: AgreementFilters, *, status: str = "", basis: Basis | None = None
) -> QuerySet[Commitment]:
    """The rows of the Compromisos list (`commitment_selectors.commitment_list`), narrowed to
    today's semáforo `status` when one is asked for ("Semáforo hoy", at `basis`). The list and
    its XLSX and CSV exports read this one function, so the file holds exactly the list's rows."""
    queryset = commitment_selectors.commitment_list(user, filters)
    if not status or basis is None:
        return queryset
    if status == NOT_STARTED:
        return queryset.filter(start_date__gt=basis.as_of)
    return with_status(queryset, basis, status)


# What a commitments export reads per row: plain values (no model instances, so that 100,000
# rows cost a few queries and little memory), by name.
COMMITMENT_VALUES = (
    "pk",
    "agreement__folio",
    "agreement__text",
    "agreement__deliverable",
    "agreement__meeting__code",
    "agreement__meeting__region__short_name",
    "agreement__theme__name",
    "agreement__validating_area__short_name",
    "responsible_unit__code",
    "responsible_unit__short_name",
    "start_date",
    "due_date",
    "current_due_date",
    "target_kind",
    "indicator_name",
    "unit_of_measure",
    "baseline",
    "target_value",
    "weight",
    "cancelled_on",
)


@contextmanager
def whole_result_reads() -> Iterator[None]:
    """Read an export in one read-only transaction planned for all its rows.

    PostgreSQL plans a server-side cursor (what `.iterator()` uses) for its first 10 % of rows
    (`cursor_tuple_fraction`); for an export, which reads every row, that choice of nested
    loops took 33 s instead of 2 s on 100,000 commitments. SQLite needs nothing: its
    transactions here would take the write lock for the whole download."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        yield


def commitment_values(
    queryset: QuerySet[Commitment], basis: Basis
) -> Iterator[tuple[dict[str, Any], Evaluated | None]]:
    """The commitments as dicts of COMMITMENT_VALUES plus `co_units` (names) and
    `milestone_count`, each with its evaluation at the basis date: one streamed query for
    the rows, and one each for the co-responsible units, the milestones and the statuses of
    the whole list (small values, kept by id)."""
    chosen = queryset.order_by().values("pk")
    with whole_result_reads():
        co_units: dict[int, list[str]] = {}
        through: Any = Commitment.co_responsible_units.through
        for commitment_id, name in (
            through.objects.filter(commitment_id__in=chosen)
            .order_by("unit__short_name")
            .values_list("commitment_id", "unit__short_name")
        ):
            co_units.setdefault(commitment_id, []).append(name)
        milestones = dict(
            Milestone.objects.filter(commitment_id__in=chosen)
            .order_by()
            .values("commitment_id")
            .annotate(n=Count("pk"))
            .values_list("commitment_id", "n")
        )
        evaluated = evaluate(queryset, basis)
        for row in queryset.values(*COMMITMENT_VALUES).iterator(chunk_size=CHUNK):
            row["co_units"] = co_units.get(row["pk"], [])
            row["milestone_count"] = milestones.get(row["pk"], 0)
            yield row, evaluated.get(row["pk"])


def reports(user: Any, filters: AgreementFilters) -> QuerySet[ProgressReport]:
    """The progress reports (drafts left out) of the commitments of `commitments(user, …)`."""
    chosen = commitments(user, filters).order_by().values("pk")
    return (
        ProgressReport.objects.visible_to(user)
        .exclude(state=ReportState.DRAFT)
        .filter(commitment_id__in=chosen)
        .order_by(
            "commitment__agreement__folio",
            "commitment__responsible_unit__short_name",
            "as_of",
            "pk",
        )
    )


REPORT_VALUES = (
    "pk",
    "commitment__agreement__folio",
    "commitment__responsible_unit__code",
    "commitment__responsible_unit__short_name",
    "as_of",
    "state",
    "progress_num",
    "progress_den",
    "indicator_value",
    "narrative",
    "author__full_name",
    "author__email",
    "submitted_on",
    "reviewed_by__full_name",
    "reviewed_by__email",
    "validated_on",
    "review_comment",
    "imported",
)


def report_values(queryset: QuerySet[ProgressReport]) -> Iterator[dict[str, Any]]:
    """The reports as dicts of REPORT_VALUES plus `milestones` (names done) and
    `evidence_count`, chunk by chunk (two more queries per chunk)."""
    with whole_result_reads():
        yield from _report_chunks(queryset)


def _report_chunks(queryset: QuerySet[ProgressReport]) -> Iterator[dict[str, Any]]:
    rows = queryset.values(*REPORT_VALUES).iterator(chunk_size=CHUNK)
    for chunk in chunked(rows):
        ids = [row["pk"] for row in chunk]
        done: dict[int, list[str]] = {}
        through: Any = ProgressReport.milestones_done.through
        for report_id, name in (
            through.objects.filter(progressreport_id__in=ids)
            .order_by("milestone__name")
            .values_list("progressreport_id", "milestone__name")
        ):
            done.setdefault(report_id, []).append(name)
        evidence = dict(
            Evidence.objects.filter(report_id__in=ids)
            .order_by()
            .values("report_id")
            .annotate(n=Count("pk"))
            .values_list("report_id", "n")
        )
        for row in chunk:
            row["milestones"] = done.get(row["pk"], [])
            row["evidence_count"] = evidence.get(row["pk"], 0)
        yield from chunk


def my_commitments(user: Any) -> list[tuple[str, QuerySet[Commitment]]]:
    """Mis compromisos: the user's units' commitments, then those where a unit of theirs is
    co-responsible (the screen's two selectors) — each with the relation written in the
    export."""
    return [
        ("Responsable", commitment_selectors.my_commitments(user)),
        ("Corresponsable", commitment_selectors.co_responsible_commitments(user)),
    ]


# --- Evaluation --------------------------------------------------------------------------------


def agreement_figures(
    user: Any, agreements: QuerySet[Agreement], basis: Basis
) -> dict[int, GroupFigures]:
    """§3.7 figures of each agreement over the commitments of it that the user may see."""
    visible = Commitment.objects.visible_to(user).filter(
        agreement_id__in=agreements.order_by().values("pk")
    )
    try:
        results = group_figures(
            by="agreement",
            source=basis.source,
            as_of=basis.as_of,
            cutoff_id=basis.cutoff.pk if basis.cutoff else None,
            visible=visible,
        )
    except EmptyResultSet:  # a person without any role sees nothing
        return {}
    return {r.key: r.figures for r in results}


def waiting_days(submitted_on: dt.date | None, today: dt.date) -> int | None:
    return (today - submitted_on).days if submitted_on else None
