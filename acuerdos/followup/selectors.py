"""Reads of follow-up reviews: the agenda of a follow-up meeting and the decisions taken.

The agenda's order and counts come from the evaluation engine (`figures_by` per agreement),
never from a second copy of the rules. Every read costs a fixed number of queries, however many
agreements the region has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.evaluation.rules import GroupFigures, Status
from acuerdos.evaluation.selectors import Basis, basis_for, figures_by
from acuerdos.followup.models import ReviewDecision
from acuerdos.meetings.models import Meeting

OPEN_STATUSES = (Status.ON_TRACK, Status.AT_RISK, Status.OVERDUE)


@dataclass
class AgendaItem:
    """One agreement to review: its figures today and what this meeting decided, if anything."""

    agreement: Agreement
    figures: GroupFigures | None
    decision: ReviewDecision | None

    @property
    def overdue(self) -> int:
        return self.figures.counts.get(Status.OVERDUE, 0) if self.figures else 0

    @property
    def open_count(self) -> int:
        if self.figures is None:
            return int(getattr(self.agreement, "active_count", 0))
        return sum(self.figures.counts.get(s, 0) for s in OPEN_STATUSES)


@dataclass
class Agenda:
    """The region's open agreements for a follow-up meeting, overdue first."""

    basis: Basis
    items: list[AgendaItem]

    @property
    def decided(self) -> int:
        return sum(1 for item in self.items if item.decision is not None)


def region_agreements(meeting: Meeting) -> QuerySet[Agreement]:
    """Agreements of the meeting's region signed at other meetings, with how many of their
    commitments are not cancelled (`active_count`)."""
    return (
        Agreement.objects.filter(meeting__region_id=meeting.region_id)
        .exclude(meeting_id=meeting.pk)
        .select_related("meeting", "theme")
        .annotate(
            active_count=Count("commitments", filter=Q(commitments__cancelled_on__isnull=True))
        )
    )


def review_agenda(user: Any, meeting: Meeting) -> Agenda:
    """The agreements this meeting reviews: those of its region with an open commitment today
    (or already decided here), the ones with most overdue commitments first, then the longest
    overdue, then by folio. Four queries: agreements, figures, their labels, decisions."""
    basis = basis_for()
    decided_here = ReviewDecision.objects.filter(meeting=meeting, agreement_id=OuterRef("pk"))
    agreements = list(
        region_agreements(meeting)
        .filter(Q(active_count__gt=0) | Q(Exists(decided_here)))
        .order_by("folio")
    )
    within = Commitment.objects.filter(agreement__meeting__region_id=meeting.region_id)
    figures = {
        row.key: row.figures for row in figures_by(user, by="agreement", basis=basis, within=within)
    }
    decisions = {
        d.agreement_id: d
        for d in ReviewDecision.objects.filter(meeting=meeting).select_related(
            "decided_by", "evidence"
        )
    }
    items = []
    for agreement in agreements:
        item = AgendaItem(
            agreement=agreement,
            figures=figures.get(agreement.pk),
            decision=decisions.get(agreement.pk),
        )
        if item.open_count or item.decision is not None:
            items.append(item)
    items.sort(
        key=lambda i: (
            -i.overdue,
            -(i.figures.overdue_days_max if i.figures else 0),
            i.agreement.folio,
        )
    )
    return Agenda(basis=basis, items=items)


def agenda_item(user: Any, meeting: Meeting, agreement: Agreement) -> AgendaItem:
    """One agreement of the agenda, fresh after a decision (for the htmx answer)."""
    within = Commitment.objects.filter(agreement_id=agreement.pk)
    rows = figures_by(user, by="agreement", basis=basis_for(), within=within)
    decision = (
        ReviewDecision.objects.filter(meeting=meeting, agreement=agreement)
        .select_related("decided_by", "evidence")
        .first()
    )
    return AgendaItem(
        agreement=agreement, figures=rows[0].figures if rows else None, decision=decision
    )


def meeting_decisions(user: Any, meeting: Meeting) -> list[ReviewDecision]:
    """What this meeting reviewed and decided, limited to the agreements the user may see."""
    return list(
        ReviewDecision.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("agreement", "agreement__theme", "decided_by", "evidence")
        .order_by("agreement__folio")
    )


def agreement_reviews(user: Any, agreement: Agreement) -> list[ReviewDecision]:
    """The follow-up meetings that reviewed this agreement and what each decided, oldest first
    (for the agreement page: "Revisado en <reunión>: <decisión>")."""
    return list(
        ReviewDecision.objects.visible_to(user)
        .filter(agreement=agreement)
        .select_related("meeting", "decided_by", "evidence")
        .order_by("meeting__start_date", "decided_at")
    )
