"""Bulk actions on commitments: each action, its audit rows, all-or-nothing, versions, scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.bulk_services import (
    AREA,
    CANCEL,
    DUE_DATE,
    REASSIGN,
    BulkParams,
    SelectedItem,
    commitments_bulk_apply,
    commitments_bulk_plan,
    items_decode,
    items_encode,
    items_of,
)
from acuerdos.commitments.models import Commitment, ExtensionRequest, ExtensionStatus
from acuerdos.commitments.tests.factories import CommitmentFactory
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.organization.models import Unit

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 6, 15, 18, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _items(*commitments: Commitment) -> list[SelectedItem]:
    return items_of(Commitment.objects.filter(pk__in=[c.pk for c in commitments]))


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("commitment_id"))


def _validated_report(commitment: Commitment, world, settings, tmp_path) -> None:
    from acuerdos.progress.services import ReportInput, report_submit, report_validate
    from acuerdos.progress.tests.helpers import PDF, upload

    settings.MEDIA_ROOT = tmp_path
    report = report_submit(
        commitment=commitment,
        actor=world.users["liaison"],
        data=ReportInput(as_of=dt.date(2026, 6, 10), percent=Decimal("40"), narrative="Avance."),
        uploads=[upload(PDF, "avance.pdf")],
    )
    report_validate(report=report, actor=world.users["coordinator"])


def test_it_round_trips_the_selection_and_refuses_a_tampered_one(world):
    items = _items(world.own_commitment, world.foreign_commitment)
    assert items_decode(items_encode(items)) == items
    for bad in ("1:2", "a:1:1", "1:1:1,1:1:1"):
        with pytest.raises(DomainError):
            items_decode(bad)


def test_it_reassigns_the_responsible_unit_with_one_audit_event_per_commitment(world):
    coordinator = world.users["coordinator"]
    slp = Unit.objects.get(code="OOAD-SLP")
    result = commitments_bulk_apply(
        items=_items(world.own_commitment, world.foreign_commitment),
        params=BulkParams(action=REASSIGN, reason="Cambio de sede", unit=slp),
        actor=coordinator,
    )
    assert result.changed == 2
    for commitment in (world.own_commitment, world.foreign_commitment):
        commitment.refresh_from_db()
        assert commitment.responsible_unit == slp
        assert commitment.version == 2
    events = _events("commitment.reassigned")
    assert [e.commitment_id for e in events] == sorted(
        [world.own_commitment.pk, world.foreign_commitment.pk]
    )
    assert events[0].changes["responsible_unit"][1] == "OOAD-SLP"
    assert events[0].context["reason"] == "Cambio de sede"
    assert events[0].actor == coordinator


def test_it_writes_nothing_when_one_row_is_refused(world):
    """Hidalgo already has a commitment in the `foreign` agreement: the whole action fails."""
    hgo = Unit.objects.get(code="OOAD-HGO")
    other = CommitmentFactory(
        agreement=world.foreign, responsible_unit=Unit.objects.get(code="OOAD-SLP")
    )
    items = _items(world.own_commitment, other)
    params = BulkParams(action=REASSIGN, reason="Reorganización", unit=hgo)
    plan = commitments_bulk_plan(items=items, params=params, actor=world.users["coordinator"])
    assert [row.commitment.pk for row in plan.errors] == [other.pk]
    assert "ya tiene un compromiso" in plan.errors[0].error
    with pytest.raises(DomainError):
        commitments_bulk_apply(items=items, params=params, actor=world.users["coordinator"])
    world.own_commitment.refresh_from_db()
    assert world.own_commitment.responsible_unit.code == "OOAD-QRO"
    assert world.own_commitment.version == 1
    assert not AuditEvent.objects.filter(action="commitment.reassigned").exists()


def test_it_refuses_two_commitments_of_one_agreement_to_the_same_unit(world):
    second = CommitmentFactory(
        agreement=world.own, responsible_unit=Unit.objects.get(code="OOAD-HGO")
    )
    plan = commitments_bulk_plan(
        items=_items(world.own_commitment, second),
        params=BulkParams(action=REASSIGN, reason="x", unit=Unit.objects.get(code="OOAD-SLP")),
        actor=world.users["coordinator"],
    )
    assert len(plan.errors) == 2


def test_it_corrects_the_original_due_date_where_nothing_was_measured_yet(world):
    new = dt.date(2026, 12, 15)
    result = commitments_bulk_apply(
        items=_items(world.own_commitment),
        params=BulkParams(action=DUE_DATE, reason="Fecha mal capturada", due_date=new),
        actor=world.users["coordinator"],
    )
    assert (result.changed, result.extensions) == (1, 0)
    world.own_commitment.refresh_from_db()
    assert world.own_commitment.due_date == new
    assert world.own_commitment.current_due_date == new
    assert not ExtensionRequest.objects.exists()
    (event,) = _events("commitment.due_date_changed")
    assert event.changes == {"due_date": ["2026-09-30", "2026-12-15"]}


def test_it_grants_an_extension_where_progress_was_validated(world, settings, tmp_path):
    from acuerdos.progress.inputs import refresh_inputs

    _validated_report(world.own_commitment, world, settings, tmp_path)
    new = dt.date(2026, 11, 30)
    result = commitments_bulk_apply(
        items=_items(world.own_commitment, world.foreign_commitment),
        params=BulkParams(action=DUE_DATE, reason="Acuerdo de la reunión", due_date=new),
        actor=world.users["coordinator"],
    )
    assert (result.changed, result.extensions) == (2, 1)
    own = Commitment.objects.get(pk=world.own_commitment.pk)
    assert own.due_date == dt.date(2026, 9, 30)  # the original stays in the history
    assert own.current_due_date == new
    extension = ExtensionRequest.objects.get(commitment=own)
    assert extension.status == ExtensionStatus.APPROVED
    assert extension.decided_on == dt.date(2026, 6, 15)
    assert extension.previous_due_date == dt.date(2026, 9, 30)
    assert extension.justification == "Acuerdo de la reunión"
    # The cached input is what progress.inputs computes from the rows.
    refresh_inputs([own.pk, world.foreign_commitment.pk])
    assert Commitment.objects.get(pk=own.pk).current_due_date == new
    assert Commitment.objects.get(pk=world.foreign_commitment.pk).current_due_date == new
    assert len(_events("commitment.extended")) == 1
    assert len(_events("commitment.due_date_changed")) == 1


def test_it_refuses_a_due_date_while_an_extension_is_pending(world):
    ExtensionRequest.objects.create(
        commitment=world.own_commitment,
        requested_by=world.users["liaison"],
        previous_due_date=dt.date(2026, 9, 30),
        new_due_date=dt.date(2026, 10, 30),
        justification="Falta presupuesto",
    )
    plan = commitments_bulk_plan(
        items=_items(world.own_commitment),
        params=BulkParams(action=DUE_DATE, reason="x", due_date=dt.date(2026, 12, 1)),
        actor=world.users["coordinator"],
    )
    assert "pendiente" in plan.errors[0].error


def test_it_refuses_a_due_date_before_the_start(world):
    plan = commitments_bulk_plan(
        items=_items(world.own_commitment),
        params=BulkParams(action=DUE_DATE, reason="x", due_date=dt.date(2026, 1, 1)),
        actor=world.users["coordinator"],
    )
    assert "anterior a su inicio" in plan.errors[0].error


def test_it_changes_the_validating_area_of_the_agreements_for_all_their_commitments(world):
    unselected = CommitmentFactory(
        agreement=world.own, responsible_unit=Unit.objects.get(code="OOAD-SLP")
    )
    da = Unit.objects.get(code="DA")
    items = _items(world.own_commitment)
    params = BulkParams(action=AREA, reason="Corresponde a Administración", area=da)
    plan = commitments_bulk_plan(items=items, params=params, actor=world.users["coordinator"])
    assert [a.pk for a in plan.agreements] == [world.own.pk]
    assert plan.unselected_commitments == 1
    result = commitments_bulk_apply(items=items, params=params, actor=world.users["coordinator"])
    assert (result.agreements, result.changed) == (1, 2)
    world.own.refresh_from_db()
    assert world.own.validating_area == da
    assert world.own.version == 2
    events = _events("agreement.validating_area_changed")
    assert {e.commitment_id for e in events} == {world.own_commitment.pk, unselected.pk}
    assert events[0].changes == {"validating_area": ["DPM", "DA"]}


def test_it_cancels_through_commitment_cancel_with_one_reason(world):
    result = commitments_bulk_apply(
        items=_items(world.own_commitment, world.foreign_commitment),
        params=BulkParams(action=CANCEL, reason="El acuerdo quedó sin materia"),
        actor=world.users["coordinator"],
    )
    assert result.changed == 2
    for commitment in (world.own_commitment, world.foreign_commitment):
        commitment.refresh_from_db()
        assert commitment.cancelled_on == dt.date(2026, 6, 15)
        assert commitment.cancellation_reason == "El acuerdo quedó sin materia"
    assert len(_events("commitment.cancelled")) == 2


def test_it_leaves_cancelled_commitments_as_they_were(world):
    """A selection made with «all that match the filter» may hold cancelled commitments: they
    keep their unit, dates and first cancellation; the others change."""
    items = _items(world.own_commitment, world.foreign_commitment)
    Commitment.objects.filter(pk=world.foreign_commitment.pk).update(
        cancelled_on=dt.date(2026, 6, 1), cancellation_reason="antes"
    )
    coordinator = world.users["coordinator"]
    params = BulkParams(action=DUE_DATE, reason="x", due_date=dt.date(2026, 12, 1))
    plan = commitments_bulk_plan(items=items, params=params, actor=coordinator)
    assert [row.note for row in plan.unchanged] == ["Está cancelado: no cambia."]
    result = commitments_bulk_apply(items=items, params=params, actor=coordinator)
    assert (result.changed, result.unchanged) == (1, 1)
    result = commitments_bulk_apply(
        items=_items(world.own_commitment, world.foreign_commitment),
        params=BulkParams(action=CANCEL, reason="y"),
        actor=coordinator,
    )
    assert (result.changed, result.unchanged) == (1, 1)
    foreign = Commitment.objects.get(pk=world.foreign_commitment.pk)
    assert (foreign.cancelled_on, foreign.due_date) == (dt.date(2026, 6, 1), dt.date(2026, 9, 30))
    assert len(_events("commitment.cancelled")) == 1


def test_it_cancels_none_when_a_later_row_fails(world, monkeypatch):
    """All or nothing: the first cancellation is undone when the second one fails."""
    from acuerdos.commitments import bulk_services, services

    calls: list[int] = []

    def cancel_then_fail(**kwargs):
        calls.append(kwargs["commitment"].pk)
        if len(calls) == 2:
            raise ConflictError("El compromiso ya estaba cancelado.")
        return services.commitment_cancel(**kwargs)

    monkeypatch.setattr(bulk_services, "commitment_cancel", cancel_then_fail)
    with pytest.raises(ConflictError):
        commitments_bulk_apply(
            items=_items(world.own_commitment, world.foreign_commitment),
            params=BulkParams(action=CANCEL, reason="x"),
            actor=world.users["coordinator"],
        )
    assert len(calls) == 2
    assert not Commitment.objects.filter(cancelled_on__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="commitment.cancelled").exists()


def test_it_refuses_a_selection_someone_changed_since_it_was_shown(world):
    items = _items(world.own_commitment, world.foreign_commitment)
    Commitment.objects.filter(pk=world.foreign_commitment.pk).update(version=5)
    with pytest.raises(ConflictError):
        commitments_bulk_apply(
            items=items,
            params=BulkParams(action=DUE_DATE, reason="x", due_date=dt.date(2026, 12, 1)),
            actor=world.users["coordinator"],
        )
    world.own_commitment.refresh_from_db()
    assert world.own_commitment.due_date == dt.date(2026, 9, 30)
    assert not AuditEvent.objects.filter(action__startswith="commitment.").exists()


def test_it_leaves_rows_already_at_the_value_alone(world):
    result = commitments_bulk_apply(
        items=_items(world.own_commitment, world.foreign_commitment),
        params=BulkParams(action=REASSIGN, reason="x", unit=Unit.objects.get(code="OOAD-QRO")),
        actor=world.users["coordinator"],
    )
    assert (result.changed, result.unchanged) == (1, 1)
    assert len(_events("commitment.reassigned")) == 1


@pytest.mark.parametrize("persona", ["liaison", "head", "other_liaison", "validator", "viewer"])
@pytest.mark.parametrize("action", [REASSIGN, DUE_DATE, AREA, CANCEL])
def test_it_refuses_everyone_but_the_coordination(world, persona, action):
    params = BulkParams(
        action=action,
        reason="x",
        unit=Unit.objects.get(code="OOAD-SLP"),
        due_date=dt.date(2026, 12, 1),
        area=Unit.objects.get(code="DA"),
    )
    items = _items(world.own_commitment)
    with pytest.raises(PermissionDenied):
        commitments_bulk_plan(items=items, params=params, actor=world.users[persona])
    with pytest.raises(PermissionDenied):
        commitments_bulk_apply(items=items, params=params, actor=world.users[persona])
    world.own_commitment.refresh_from_db()
    assert world.own_commitment.version == 1


def test_it_tells_both_units_of_a_reassignment_and_the_unit_of_a_new_date(world):
    from acuerdos.notifications.models import Notification

    coordinator = world.users["coordinator"]
    commitments_bulk_apply(
        items=_items(world.own_commitment),
        params=BulkParams(
            action=REASSIGN, reason="Cambio de sede", unit=Unit.objects.get(code="OOAD-SLP")
        ),
        actor=coordinator,
    )
    notified = Notification.objects.filter(kind="commitment.reassigned")
    assert {n.recipient.email for n in notified} == {"liaison@imss.gob.mx", "head@imss.gob.mx"}
    commitments_bulk_apply(
        items=_items(world.foreign_commitment),
        params=BulkParams(action=DUE_DATE, reason="x", due_date=dt.date(2026, 12, 1)),
        actor=coordinator,
    )
    (notice,) = Notification.objects.filter(kind="commitment.due_date_changed")
    assert notice.recipient == world.users["other_liaison"]
    assert notice.commitment_id == world.foreign_commitment.pk
