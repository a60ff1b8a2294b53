"""Reads of agreements and commitments for the pages.

Every list starts from `visible_to(user)`; every function here owns its `select_related`,
`prefetch_related` and annotations so that a page costs the same number of queries whatever the
number of rows (the tests in `tests/test_views_queries.py` hold us to it). Filters on
multi-valued relations use `Exists()` subqueries, never joins, so that no row is repeated and
counts stay right.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from acuerdos.commitments.models import Agreement, Commitment, ExtensionRequest, Milestone
from acuerdos.core.search import accent_insensitive_pattern
from acuerdos.meetings.models import Meeting, Round
from acuerdos.organization.models import Region, Theme, Unit
from acuerdos.organization.scope import descendant_ids, scope_for

DUE_SOON_DAYS = 30
NEXT_DUE_LIMIT = 8


@dataclass(frozen=True)
class AgreementFilters:
    """The validated filters of the agreements list (built by `AgreementFilterForm`)."""

    text: str = ""
    round: Round | None = None
    meeting: Meeting | None = None
    region: Region | None = None
    unit: Unit | None = None
    theme: Theme | None = None
    area: Unit | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None


def _commitments_of_agreement() -> QuerySet[Commitment]:
    return Commitment.objects.filter(agreement_id=OuterRef("pk"))


def agreement_list(user: Any, filters: AgreementFilters) -> QuerySet[Agreement]:
    """The agreements the user may see, filtered, with what the list shows per row.

    Rows carry `commitment_count`, `next_due` (earliest due date of a non-cancelled
    commitment) and `commitments` prefetched with their responsible units.
    """
    queryset = Agreement.objects.visible_to(user)
    if filters.round is not None:
        queryset = queryset.filter(meeting__round=filters.round)
    if filters.meeting is not None:
        queryset = queryset.filter(meeting=filters.meeting)
    if filters.region is not None:
        queryset = queryset.filter(meeting__region=filters.region)
    if filters.theme is not None:
        queryset = queryset.filter(theme=filters.theme)
    if filters.area is not None:
        queryset = queryset.filter(validating_area_id__in=descendant_ids({filters.area.pk}))
    if filters.unit is not None:
        queryset = queryset.filter(
            Exists(_commitments_of_agreement().filter(responsible_unit=filters.unit))
        )
    if filters.due_from is not None or filters.due_to is not None:
        due = _commitments_of_agreement()
        if filters.due_from is not None:
            due = due.filter(due_date__gte=filters.due_from)
        if filters.due_to is not None:
            due = due.filter(due_date__lte=filters.due_to)
        queryset = queryset.filter(Exists(due))
    if filters.text:
        term = filters.text.strip()
        queryset = queryset.filter(
            Q(folio__icontains=term) | Q(text__iregex=accent_insensitive_pattern(term))
        )
    return (
        queryset.select_related("meeting", "theme", "validating_area")
        .annotate(
            commitment_count=Count("commitments"),
            next_due=Min("commitments__due_date", filter=Q(commitments__cancelled_on__isnull=True)),
        )
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("responsible_unit").order_by(
                    "responsible_unit__kind", "responsible_unit__short_name"
                ),
            )
        )
        .order_by("folio")
    )


@dataclass
class AgreementDetail:
    """An agreement's commitments and co-responsible units, as its detail page shows them."""

    commitments: list[Commitment]
    co_responsible_units: list[Unit]
    linkable_ids: frozenset[int]


def agreement_detail(user: Any, agreement: Agreement) -> AgreementDetail:
    """The commitments of an agreement the user may see (its roll-up), in one go.

    Decision: whoever may see an agreement sees all its commitments as rows (unit, dates,
    target): the agreement was signed by all those units together and its roll-up is the
    point of the page. Only the commitments inside the user's scope link to their own detail
    page (`linkable_ids`), because that page answers 404 to everyone else; a head or liaison
    whose unit is only co-responsible sees the same rows, read-only.
    """
    scope = scope_for(user)
    commitments = list(
        agreement.commitments.select_related("responsible_unit__region")
        .prefetch_related(
            Prefetch("co_responsible_units", queryset=Unit.objects.order_by("short_name"))
        )
        .annotate(milestone_count=Count("milestones"))
        .order_by("responsible_unit__kind", "responsible_unit__short_name")
    )
    # The user's own units first: a liaison of one of 25 OOAD finds their row at the top.
    commitments.sort(key=lambda c: c.responsible_unit_id not in scope.unit_ids)
    if scope.sees_everything:
        linkable = frozenset(c.pk for c in commitments)
    else:
        linkable = frozenset(
            Commitment.objects.visible_to(user)
            .filter(agreement=agreement)
            .values_list("pk", flat=True)
        )
    co_units: dict[int, Unit] = {}
    for commitment in commitments:
        for unit in commitment.co_responsible_units.all():
            co_units.setdefault(unit.pk, unit)
    return AgreementDetail(
        commitments=commitments,
        co_responsible_units=sorted(co_units.values(), key=lambda u: u.short_name),
        linkable_ids=linkable,
    )


@dataclass
class CommitmentDetail:
    """What the commitment page shows besides the commitment itself."""

    milestones: list[Milestone]
    co_responsible_units: list[Unit]
    extension_requests: list[ExtensionRequest]
    is_own: bool
    is_co_responsible: bool


def commitment_detail(user: Any, commitment: Commitment) -> CommitmentDetail:
    """Milestones, co-responsible units, reprogramming history and the user's relation to it."""
    scope = scope_for(user)
    co_units = list(commitment.co_responsible_units.select_related("region").order_by("short_name"))
    return CommitmentDetail(
        milestones=list(commitment.milestones.order_by("order", "due_date")),
        co_responsible_units=co_units,
        extension_requests=list(commitment.extension_requests.order_by("created_at")),
        is_own=commitment.responsible_unit_id in scope.unit_ids,
        is_co_responsible=any(unit.pk in scope.unit_ids for unit in co_units),
    )


def _commitment_rows(queryset: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """What a list of commitments shows per row: agreement, theme, meeting, unit, milestones."""
    return queryset.select_related(
        "agreement__theme", "agreement__meeting", "responsible_unit"
    ).annotate(milestone_count=Count("milestones"))


def my_commitments(user: Any) -> QuerySet[Commitment]:
    """The commitments of the user's own units (on which they report), soonest due first."""
    return _commitment_rows(Commitment.objects.visible_to(user).reportable_by(user)).order_by(
        "due_date", "agreement__folio", "responsible_unit__short_name"
    )


def co_responsible_commitments(user: Any) -> QuerySet[Commitment]:
    """Commitments of other units where one of the user's units is co-responsible (read-only)."""
    scope = scope_for(user)
    link = Commitment.co_responsible_units.through.objects.filter(
        commitment_id=OuterRef("pk"), unit_id__in=scope.unit_ids
    )
    return _commitment_rows(
        Commitment.objects.visible_to(user)
        .filter(Exists(link))
        .exclude(responsible_unit_id__in=scope.unit_ids)
    ).order_by("due_date", "agreement__folio", "responsible_unit__short_name")


@dataclass
class DashboardSummary:
    """The figures of the home page, all scoped to the user."""

    agreements: int
    commitments: int
    cancelled: int
    meetings: int
    due_soon: int
    own_commitments: int | None
    own_due_soon: int | None
    next_due: list[Commitment] = field(default_factory=list)
    due_soon_days: int = DUE_SOON_DAYS


def dashboard_summary(user: Any, today: dt.date) -> DashboardSummary:
    """Simple counts (no evaluation rules yet) and the user's next due commitments.

    "Due soon" means a non-cancelled commitment whose original due date falls in the next
    `DUE_SOON_DAYS` days, today included; extensions and status come with the evaluation.
    """
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    active = Q(cancelled_on__isnull=True)
    due_soon = active & Q(due_date__gte=today, due_date__lte=horizon)
    visible = Commitment.objects.visible_to(user)
    figures = visible.aggregate(
        total=Count("pk", filter=active),
        cancelled=Count("pk", filter=~active),
        due_soon=Count("pk", filter=due_soon),
    )
    scope = scope_for(user)
    own_total = own_due = None
    upcoming = visible
    if scope.unit_ids:
        own = visible.reportable_by(user)
        own_figures = own.aggregate(
            total=Count("pk", filter=active), due_soon=Count("pk", filter=due_soon)
        )
        own_total, own_due = own_figures["total"], own_figures["due_soon"]
        upcoming = own
    next_due = list(
        _commitment_rows(upcoming.filter(active, due_date__gte=today)).order_by(
            "due_date", "agreement__folio"
        )[:NEXT_DUE_LIMIT]
    )
    return DashboardSummary(
        agreements=Agreement.objects.visible_to(user).count(),
        commitments=figures["total"],
        cancelled=figures["cancelled"],
        meetings=Meeting.objects.visible_to(user).count(),
        due_soon=figures["due_soon"],
        own_commitments=own_total,
        own_due_soon=own_due,
        next_due=next_due,
    )


def folio_taken(folio: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another agreement already holds this folio (folios are unique system-wide)."""
    queryset = Agreement.objects.filter(folio__iexact=folio.strip())
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.exists()


def responsible_units() -> QuerySet[Unit]:
    """The catalog of units that sign commitments, as the pickers list them."""
    return (
        Unit.objects.responsible()
        .filter(is_active=True)
        .select_related("region")
        .order_by("kind", Lower("short_name"))
    )


def region_units(region_id: int, kind: str) -> list[Unit]:
    """The active units of one kind (OOAD, UMAE) in a region: the pickers' shortcuts."""
    return list(
        Unit.objects.filter(region_id=region_id, kind=kind, is_active=True).order_by(
            Lower("short_name")
        )
    )


def meetings_for_agreements(user: Any) -> QuerySet[Meeting]:
    """The meetings a coordinator may register an agreement in, newest first."""
    return Meeting.objects.visible_to(user).select_related("region").order_by("-start_date", "code")


@dataclass
class CommitmentEditState:
    """What the commitment form needs to know besides the commitment itself."""

    milestones: list[Milestone]
    co_responsible_ids: list[int]
    has_reports: bool
    has_validated_progress: bool
    reported_milestone_ids: frozenset[int]


def commitment_edit_state(commitment: Commitment) -> CommitmentEditState:
    """Milestones, co-responsible units and whether progress was reported or validated.

    Reads the reports through the reverse relation (`reports`, defined by `progress`) without
    importing that app: a presentation read, never a write.
    """
    reports = commitment.reports.all()
    reported = Milestone.objects.filter(
        commitment=commitment,
        pk__in=reports.values("milestones_done"),
    ).values_list("pk", flat=True)
    return CommitmentEditState(
        milestones=list(commitment.milestones.order_by("order", "due_date")),
        co_responsible_ids=list(commitment.co_responsible_units.values_list("pk", flat=True)),
        has_reports=reports.exists(),
        has_validated_progress=reports.filter(state="validated").exists(),
        reported_milestone_ids=frozenset(reported),
    )


def commitment_list(user: Any, filters: AgreementFilters) -> QuerySet[Commitment]:
    """One row per commitment under the agreements list's filters (the Compromisos list and the
    commitments export): the commitments the user may see of the agreements the list shows; the
    unit and due-date filters, which pick agreements on that list, pick the commitments
    themselves here."""
    listed = agreement_list(user, filters).order_by().values("pk")
    queryset = Commitment.objects.visible_to(user).filter(agreement_id__in=listed)
    if filters.unit is not None:
        queryset = queryset.filter(responsible_unit=filters.unit)
    if filters.due_from is not None:
        queryset = queryset.filter(due_date__gte=filters.due_from)
    if filters.due_to is not None:
        queryset = queryset.filter(due_date__lte=filters.due_to)
    return queryset.order_by(
        "agreement__folio", "responsible_unit__kind", "responsible_unit__short_name", "pk"
    )
