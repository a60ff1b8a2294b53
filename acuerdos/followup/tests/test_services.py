"""Follow-up decisions: each kind applies its effect through the owning service, audited in the
same transaction; decisions are unique per meeting and agreement, idempotent, and scoped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import (
    Agreement,
    Commitment,
    ExtensionRequest,
    ExtensionStatus,
    Milestone,
    TargetKind,
)
from acuerdos.commitments.services import due_date_in_force
from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory, MeetingFactory
from acuerdos.core.errors import DomainError
from acuerdos.evaluation.rules import Status
from acuerdos.evaluation.selectors import basis_for, figures_by
from acuerdos.followup.models import DecisionKind, ReviewDecision
from acuerdos.followup.selectors import agreement_reviews, meeting_decisions, review_agenda
from acuerdos.followup.services import review_record
from acuerdos.followup.tests.helpers import follow_up_meeting
from acuerdos.meetings.models import MeetingKind
from acuerdos.organization.models import Region, Unit
from acuerdos.progress.models import ProgressReport, ReportState
from acuerdos.progress.tests.helpers import PDF, upload

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)  # the world's commitments are overdue


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def followup(world):
    return follow_up_meeting()


def _record(world, followup, agreement: Agreement, kind: str, **kw):
    return review_record(
        meeting=followup,
        agreement=agreement,
        kind=kind,
        actor=world.users["coordinator"],
        **kw,
    )


def _status(user, agreement: Agreement) -> dict[str, int]:
    rows = figures_by(
        user,
        by="agreement",
        basis=basis_for(),
        within=Commitment.objects.filter(agreement=agreement),
    )
    return {str(k): v for k, v in rows[0].figures.counts.items() if v}


def _actions(**filters) -> list[str]:
    events = AuditEvent.objects.filter(**filters).order_by("pk")
    return list(events.values_list("action", flat=True))


def test_it_records_a_continues_decision_without_touching_the_agreement(world, followup):
    before = Commitment.objects.get(pk=world.own_commitment.pk)
    decision = _record(world, followup, world.own, DecisionKind.CONTINUES, note="Sigue en curso.")
    after = Commitment.objects.get(pk=world.own_commitment.pk)
    assert (decision.kind, decision.note, decision.decided_by) == (
        "continues",
        "Sigue en curso.",
        world.users["coordinator"],
    )
    assert after.version == before.version
    assert _actions(target_type="followup.reviewdecision") == ["review.recorded"]
    event = AuditEvent.objects.get(action="review.recorded")
    assert event.changes["kind"] == [None, "continues"]
    assert event.context == {"meeting": "TST-SEG-CEN", "folio": "TST-CEN-2026-0001"}


def test_it_grants_an_extension_through_the_extension_services(world, followup):
    new_date = dt.date(2026, 12, 31)
    _record(
        world,
        followup,
        world.own,
        DecisionKind.EXTENDED,
        new_due_date=new_date,
        note="Se otorga prórroga por licitación desierta.",
    )
    request = ExtensionRequest.objects.get(commitment=world.own_commitment)
    assert request.status == ExtensionStatus.APPROVED
    assert (request.previous_due_date, request.new_due_date) == (dt.date(2026, 9, 30), new_date)
    commitment = Commitment.objects.get(pk=world.own_commitment.pk)
    assert commitment.due_date == dt.date(2026, 9, 30)  # the original stays: history
    assert due_date_in_force(commitment, dt.date(2026, 10, 15)) == new_date
    assert commitment.current_due_date == new_date
    assert _actions(commitment_id=commitment.pk) == [
        "commitment.extension_requested",
        "commitment.extended",
    ]
    # No longer overdue: 0 % against an expected ~69 % is "en riesgo".
    assert _status(world.users["coordinator"], world.own) == {"at_risk": 1}


def test_it_refuses_an_extension_over_a_pending_request(world, followup):
    ExtensionRequest.objects.create(
        commitment=world.own_commitment,
        requested_by=world.users["liaison"],
        previous_due_date=dt.date(2026, 9, 30),
        new_due_date=dt.date(2026, 11, 30),
        justification="Falta presupuesto.",
    )
    with pytest.raises(DomainError, match="pendiente"):
        _record(
            world, followup, world.own, DecisionKind.EXTENDED, new_due_date=dt.date(2026, 12, 31)
        )
    assert not ReviewDecision.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="review.").exists()


def test_it_cancels_the_open_commitments_with_the_reason(world, followup):
    qro_two = CommitmentFactory(agreement=world.foreign, responsible_unit=world.unit("OOAD-QRO"))
    _record(
        world, followup, world.foreign, DecisionKind.CANCELLED, note="Ya no aplica: se fusionó."
    )
    for commitment in (world.foreign_commitment, qro_two):
        commitment.refresh_from_db()
        assert commitment.cancelled_on == dt.date(2026, 10, 15)
        assert commitment.cancellation_reason == "Ya no aplica: se fusionó."
        assert _actions(commitment_id=commitment.pk) == ["commitment.cancelled"]
    assert _status(world.users["coordinator"], world.foreign) == {"cancelled": 2}


def test_it_refuses_a_cancellation_without_a_reason(world, followup):
    with pytest.raises(DomainError, match="motivo"):
        _record(world, followup, world.own, DecisionKind.CANCELLED)
    assert Commitment.objects.get(pk=world.own_commitment.pk).cancelled_on is None


def test_it_declares_fulfilled_with_a_validated_report_and_the_evidence(world, followup):
    decision = _record(
        world,
        followup,
        world.own,
        DecisionKind.FULFILLED,
        note="Se presentó el acta de entrega.",
        evidence=upload(PDF, "acta.pdf"),
    )
    report = ProgressReport.objects.get(commitment=world.own_commitment)
    assert report.state == ReportState.VALIDATED
    assert report.percent == Decimal("100")
    assert (report.progress_num, report.progress_den) == (100, 1)
    assert report.author == report.reviewed_by == world.users["coordinator"]
    assert report.as_of == report.validated_on == dt.date(2026, 10, 15)
    assert decision.evidence is not None
    assert decision.evidence.report == report
    assert decision.evidence.original_name == "acta.pdf"
    assert _actions(commitment_id=world.own_commitment.pk) == ["progress.validated"]
    event = AuditEvent.objects.get(action="progress.validated")
    assert event.context["review"] == decision.pk
    # Fulfilled after its due date: the rules say late, and the engine agrees.
    rows = figures_by(
        world.users["coordinator"],
        by="agreement",
        basis=basis_for(),
        within=Commitment.objects.filter(agreement=world.own),
    )
    assert rows[0].figures.counts[Status.FULFILLED] == 1
    assert rows[0].figures.fulfilled_late == 1


def test_it_fulfils_indicator_and_milestone_targets_at_100(world, followup):
    agreement = AgreementFactory(meeting=world.meeting, folio="TST-CEN-2026-0009")
    indicator = CommitmentFactory(
        agreement=agreement,
        responsible_unit=world.unit("OOAD-QRO"),
        target_kind=TargetKind.INDICATOR,
        indicator_name="Días de espera",
        baseline=Decimal("30"),
        target_value=Decimal("10"),
    )
    milestones = CommitmentFactory(
        agreement=agreement,
        responsible_unit=world.unit("OOAD-HGO"),
        target_kind=TargetKind.MILESTONES,
    )
    for n in range(3):
        Milestone.objects.create(
            commitment=milestones, name=f"Hito {n}", due_date=dt.date(2026, 8, 1 + n)
        )
    _record(
        world,
        followup,
        agreement,
        DecisionKind.FULFILLED,
        note="Cumplido.",
        evidence=upload(PDF, "a.pdf"),
    )
    assert ProgressReport.objects.get(commitment=indicator).indicator_value == Decimal("10")
    done = ProgressReport.objects.get(commitment=milestones).milestones_done.count()
    assert done == 3
    assert _status(world.users["coordinator"], agreement) == {"fulfilled": 2}


def test_it_refuses_a_fulfilment_without_acceptable_evidence(world, followup):
    with pytest.raises(DomainError, match="HTML"):
        _record(
            world,
            followup,
            world.own,
            DecisionKind.FULFILLED,
            note="Cumplido.",
            evidence=upload(b"<html><script>alert(1)</script></html>", "acta.pdf"),
        )
    assert not ProgressReport.objects.exists()
    assert not ReviewDecision.objects.exists()


def test_it_is_idempotent_and_unique_per_meeting_and_agreement(world, followup):
    first = _record(world, followup, world.own, DecisionKind.CONTINUES, note="Sigue.")
    again = _record(world, followup, world.own, DecisionKind.CONTINUES, note="Sigue.")
    assert again.pk == first.pk
    assert ReviewDecision.objects.count() == 1
    assert _actions(target_type="followup.reviewdecision") == ["review.recorded"]


def test_it_corrects_the_note_with_an_audited_update(world, followup):
    _record(world, followup, world.own, DecisionKind.CANCELLED, note="Duplicado.")
    decision = _record(
        world, followup, world.own, DecisionKind.CANCELLED, note="Duplicado del 0002."
    )
    assert decision.version == 2
    assert _actions(target_type="followup.reviewdecision") == ["review.recorded", "review.updated"]
    event = AuditEvent.objects.get(action="review.updated")
    assert event.changes == {"note": ["Duplicado.", "Duplicado del 0002."]}
    assert _actions(commitment_id=world.own_commitment.pk) == ["commitment.cancelled"]


def test_it_turns_continues_into_another_decision_but_not_back(world, followup):
    _record(world, followup, world.own, DecisionKind.CONTINUES)
    _record(world, followup, world.own, DecisionKind.CANCELLED, note="Ya no aplica.")
    assert Commitment.objects.get(pk=world.own_commitment.pk).is_cancelled
    with pytest.raises(DomainError, match="sólo puede corregir la nota"):
        _record(world, followup, world.own, DecisionKind.CONTINUES)
    assert ReviewDecision.objects.get().kind == DecisionKind.CANCELLED


def test_it_lets_only_coordinators_record_decisions(world, followup):
    for persona in ("liaison", "head", "validator", "viewer"):
        with pytest.raises(PermissionDenied):
            review_record(
                meeting=followup,
                agreement=world.own,
                kind=DecisionKind.CONTINUES,
                actor=world.users[persona],
            )
    assert not ReviewDecision.objects.exists()


def test_it_reviews_only_agreements_of_the_region_at_a_follow_up_meeting(world, followup):
    west = MeetingFactory(code="TST-OCC", region=Region.objects.get(short_name="Occidente"))
    west_agreement = AgreementFactory(meeting=west, folio="TST-OCC-2026-0001")
    CommitmentFactory(agreement=west_agreement, responsible_unit=Unit.objects.get(code="OOAD-JAL"))
    with pytest.raises(DomainError, match="no es de la región"):
        _record(world, followup, west_agreement, DecisionKind.CONTINUES)
    with pytest.raises(DomainError, match="reunión de seguimiento"):
        review_record(
            meeting=world.meeting,
            agreement=world.own,
            kind=DecisionKind.CONTINUES,
            actor=world.users["coordinator"],
        )
    assert world.meeting.kind == MeetingKind.REGIONAL


def test_it_lists_the_region_open_agreements_overdue_first(world, followup):
    later = AgreementFactory(meeting=world.meeting, folio="TST-CEN-2026-0000")
    CommitmentFactory(
        agreement=later, responsible_unit=world.unit("OOAD-QRO"), due_date=dt.date(2027, 3, 1)
    )
    _record(world, followup, world.foreign, DecisionKind.CANCELLED, note="No aplica.")
    agenda = review_agenda(world.users["coordinator"], followup)
    folios = [item.agreement.folio for item in agenda.items]
    # Overdue ones first (by folio among equals), the one on track last; the cancelled one
    # stays on the agenda because it was decided here.
    assert folios == [
        "TST-CEN-2026-0001",
        "TST-CEN-2026-0003",
        "TST-CEN-2026-0000",
        "TST-CEN-2026-0002",
    ]
    assert agenda.decided == 1


def test_it_shows_the_decisions_to_those_who_see_the_agreement(world, followup):
    _record(world, followup, world.own, DecisionKind.CONTINUES, note="Sigue.")
    _record(world, followup, world.foreign, DecisionKind.CONTINUES, note="Sigue.")
    seen = {
        persona: [d.agreement.folio for d in meeting_decisions(world.users[persona], followup)]
        for persona in ("liaison", "other_liaison", "coordinator")
    }
    assert seen == {
        "liaison": ["TST-CEN-2026-0001"],
        "other_liaison": ["TST-CEN-2026-0002"],
        "coordinator": ["TST-CEN-2026-0001", "TST-CEN-2026-0002"],
    }
    assert [r.meeting.code for r in agreement_reviews(world.users["liaison"], world.own)] == [
        "TST-SEG-CEN"
    ]
    assert agreement_reviews(world.users["other_liaison"], world.own) == []
