"""The audit trail is append-only and lives and dies with the write it describes."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from acuerdos.audit import services as audit
from acuerdos.audit.models import AuditEvent
from acuerdos.core.request_context import request_id_var
from acuerdos.organization.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(catalog):
    return Unit.objects.get(code="OOAD-QRO")


def test_it_records_actor_changes_and_request_id(unit, world):
    actor = world.users["coordinator"]
    token = request_id_var.set("req-12345678")
    try:
        with transaction.atomic():
            event = audit.record(
                actor=actor, action="unit.updated", target=unit, changes={"city": ["A", "B"]}
            )
    finally:
        request_id_var.reset(token)
    event.refresh_from_db()
    assert event.actor == actor
    assert event.actor_label == str(actor)
    assert event.target_type == "organization.unit"
    assert event.target_id == str(unit.pk)
    assert event.changes == {"city": ["A", "B"]}
    assert event.request_id == "req-12345678"


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction(unit):
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="unit.updated", target=unit)


def test_it_rolls_back_with_the_failed_write(unit):
    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        audit.record(actor=None, action="unit.updated", target=unit)
        Unit.objects.create(code=unit.code, name="dup", short_name="dup", kind="ooad")
    assert AuditEvent.objects.count() == before


def test_it_cannot_update_or_delete_events(unit):
    with transaction.atomic():
        event = audit.record(actor=None, action="unit.updated", target=unit)
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.action == "unit.updated"


def test_it_diffs_only_changed_fields():
    import datetime as dt
    from decimal import Decimal

    assert audit.diff(
        {"a": 1, "b": dt.date(2026, 6, 30), "c": Decimal("1.50")},
        {"a": 1, "b": dt.date(2026, 7, 31), "c": Decimal("1.50")},
    ) == {"b": ["2026-06-30", "2026-07-31"]}


@pytest.mark.parametrize("source", ["api", "web"])
def test_services_write_the_source_of_the_request_that_called_them(source):
    """Services that commands call with their own source default to the request's (an API
    write is "api" even through a service that the pages call too)."""
    import datetime as dt

    from acuerdos.core.request_context import request_source_var
    from acuerdos.evaluation.models import CutOff
    from acuerdos.evaluation.services import cutoff_get_or_create

    token = request_source_var.set(source)
    try:
        cutoff = cutoff_get_or_create(date=dt.date(2026, 12, 31))
    finally:
        request_source_var.reset(token)
    event = AuditEvent.objects.filter(target_type="evaluation.cutoff").latest("pk")
    assert CutOff.objects.filter(pk=cutoff.pk).exists()
    assert event.target_id == str(cutoff.pk)
    assert event.source == source
