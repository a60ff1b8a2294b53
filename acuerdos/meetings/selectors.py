"""Reads of rounds and meetings for the pages.

A meeting page shows what was signed there, so these reads count agreements and commitments:
the read side of `meetings` looks at `commitments` (as `Meeting.objects.visible_to` already
does); the models and services keep the one-way dependency of docs/architecture.md. Every count
is limited to what the user may see and computed in the database, one query per figure, however
many meetings or units there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.meetings.models import Meeting, Round
from acuerdos.organization.models import Unit, UnitKind

if TYPE_CHECKING:
    from acuerdos.evaluation.rules import GroupFigures
    from acuerdos.evaluation.selectors import Basis, GroupRow


def _count(queryset: QuerySet[Any], outer: str) -> Coalesce:
    """A correlated `COUNT(*)` subquery over `queryset` grouped by its `outer` reference."""
    counted = queryset.order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def meeting_list(user: Any) -> QuerySet[Meeting]:
    """Meetings the user may see, newest first, with how many of their agreements the user
    sees (`agreement_count`) and how many units took part (`participant_count`)."""
    agreements = Agreement.objects.visible_to(user).filter(meeting_id=OuterRef("pk"))
    participants = Meeting.participants.through.objects.filter(meeting_id=OuterRef("pk"))
    return (
        Meeting.objects.visible_to(user)
        .select_related("region", "round")
        .annotate(
            agreement_count=_count(agreements, "meeting_id"),
            participant_count=_count(participants, "meeting_id"),
        )
        .order_by("-start_date", "code")
    )


@dataclass
class Participant:
    """A participating unit with the commitments the user sees it hold at the meeting."""

    unit: Unit
    responsible: int
    co_responsible: int


@dataclass
class ParticipantGroup:
    """Participants of one kind (OOAD, UMAE, working groups…), in the page's order."""

    kind: str
    label: str
    participants: list[Participant]


@dataclass
class MeetingDetail:
    """A meeting's participants grouped by kind and its visible totals."""

    groups: list[ParticipantGroup]
    agreement_count: int
    commitment_count: int


GROUP_ORDER = (
    UnitKind.OOAD,
    UnitKind.UMAE,
    UnitKind.WORKING_GROUP,
    UnitKind.NORMATIVE_AREA,
    UnitKind.COORDINATION,
)
GROUP_LABELS = {
    UnitKind.OOAD: "OOAD",
    UnitKind.UMAE: "UMAE",
    UnitKind.WORKING_GROUP: "Grupos locales de trabajo IMSS–SNTSS",
    UnitKind.NORMATIVE_AREA: "Áreas normativas",
    UnitKind.COORDINATION: "Coordinaciones normativas",
}


def meeting_detail(user: Any, meeting: Meeting) -> MeetingDetail:
    """Participants by kind with their (visible) commitments as responsible and co-responsible.

    Five queries in all: participants, the two per-unit aggregates and the two totals.
    """
    visible = Commitment.objects.visible_to(user).filter(agreement__meeting=meeting)
    responsible = {
        row["responsible_unit_id"]: row["n"]
        for row in visible.order_by().values("responsible_unit_id").annotate(n=Count("pk"))
    }
    links = Commitment.co_responsible_units.through.objects.filter(
        commitment_id__in=visible.values("pk")
    )
    co_responsible = {
        row["unit_id"]: row["n"]
        for row in links.order_by().values("unit_id").annotate(n=Count("commitment_id"))
    }
    by_kind: dict[str, list[Participant]] = {}
    for unit in meeting.participants.select_related("region").order_by("short_name"):
        by_kind.setdefault(unit.kind, []).append(
            Participant(
                unit=unit,
                responsible=responsible.get(unit.pk, 0),
                co_responsible=co_responsible.get(unit.pk, 0),
            )
        )
    groups = [
        ParticipantGroup(kind=str(kind), label=GROUP_LABELS[kind], participants=by_kind[kind])
        for kind in GROUP_ORDER
        if kind in by_kind
    ]
    return MeetingDetail(
        groups=groups,
        agreement_count=Agreement.objects.visible_to(user).filter(meeting=meeting).count(),
        commitment_count=visible.count(),
    )


@dataclass
class AgreementRow:
    """An agreement of the meeting with its semáforo today (None before any commitment starts)."""

    agreement: Agreement
    figures: GroupFigures | None


@dataclass
class MeetingEvaluation:
    """The meeting's semáforo today: overall, per responsible unit and per agreement, from the
    evaluation engine (never recomputed here), limited to the user's scope."""

    basis: Basis
    overall: GroupRow | None
    units: list[GroupRow]
    agreements: list[AgreementRow]


def meeting_evaluation(user: Any, meeting: Meeting) -> MeetingEvaluation:
    """Figures of the commitments signed at the meeting, grouped three ways (one statement per
    grouping plus its labels) and the visible agreements in folio order."""
    from acuerdos.evaluation.selectors import basis_for, figures_by

    basis = basis_for()
    within = Commitment.objects.filter(agreement__meeting=meeting)
    overall = figures_by(user, by="meeting", basis=basis, within=within)
    units = sorted(
        figures_by(user, by="unit", basis=basis, within=within), key=lambda row: row.short_name
    )
    by_agreement = {
        row.key: row.figures for row in figures_by(user, by="agreement", basis=basis, within=within)
    }
    agreements = [
        AgreementRow(agreement=a, figures=by_agreement.get(a.pk))
        for a in Agreement.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("theme")
        .order_by("folio")
    ]
    return MeetingEvaluation(
        basis=basis,
        overall=overall[0] if overall else None,
        units=units,
        agreements=agreements,
    )


def round_list() -> QuerySet[Round]:
    """Rounds, newest first, with their meetings (one query for each)."""
    return Round.objects.prefetch_related(
        Prefetch(
            "meetings",
            queryset=Meeting.objects.select_related("region").order_by("start_date", "code"),
        )
    ).order_by("-year", "-number", "name")
