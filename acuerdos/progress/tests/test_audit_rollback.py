"""Every write path: when the write fails after its audit row was written, both roll back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments import services as commitment_services
from acuerdos.commitments.models import ExtensionRequest, ExtensionStatus
from acuerdos.progress import services as progress_services
from acuerdos.progress.models import Comment, ProgressReport
from acuerdos.progress.tests.helpers import PDF, upload

pytestmark = pytest.mark.django_db


class Boom(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def frozen(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


def _explode(**kwargs):
    raise Boom("the notification queue is down")


def _data():
    return progress_services.ReportInput(
        as_of=dt.date(2026, 6, 10), percent=Decimal(30), narrative="Avance de obra"
    )


def _pending(world):
    return ExtensionRequest.objects.create(
        commitment=world.own_commitment,
        requested_by=world.users["liaison"],
        previous_due_date=world.own_commitment.due_date,
        new_due_date=dt.date(2026, 12, 31),
        justification="Retraso del proveedor",
    )


WRITES = {
    "progress.submitted": (
        progress_services,
        lambda w: progress_services.report_submit(
            commitment=w.own_commitment,
            actor=w.users["liaison"],
            data=_data(),
            uploads=[upload(PDF, "a.pdf")],
        ),
    ),
    "comment.created": (
        progress_services,
        lambda w: progress_services.comment_add(
            commitment=w.own_commitment, actor=w.users["liaison"], text="¿Sirve el acta?"
        ),
    ),
    "commitment.extension_requested": (
        commitment_services,
        lambda w: commitment_services.extension_request(
            commitment=w.own_commitment,
            actor=w.users["liaison"],
            new_due_date=dt.date(2026, 12, 31),
            justification="Retraso del proveedor",
        ),
    ),
    "commitment.extended": (
        commitment_services,
        lambda w: commitment_services.extension_decide(
            request=_pending(w), actor=w.users["coordinator"], approve=True
        ),
    ),
    "commitment.cancelled": (
        commitment_services,
        lambda w: commitment_services.commitment_cancel(
            commitment=w.own_commitment, actor=w.users["coordinator"], reason="Duplicado"
        ),
    ),
}


@pytest.mark.parametrize("action", list(WRITES))
def test_it_rolls_back_the_audit_row_with_the_failed_write(world, monkeypatch, action):
    module, write = WRITES[action]
    monkeypatch.setattr(module, "notify", _explode)
    before = {
        "events": AuditEvent.objects.filter(action=action).count(),
        "reports": ProgressReport.objects.count(),
        "comments": Comment.objects.count(),
        "approved": ExtensionRequest.objects.filter(status=ExtensionStatus.APPROVED).count(),
    }
    with pytest.raises(Boom):
        write(world)
    world.own_commitment.refresh_from_db()
    assert AuditEvent.objects.filter(action=action).count() == before["events"]
    assert ProgressReport.objects.count() == before["reports"]
    assert Comment.objects.count() == before["comments"]
    assert (
        ExtensionRequest.objects.filter(status=ExtensionStatus.APPROVED).count()
        == before["approved"]
    )
    assert world.own_commitment.cancelled_on is None


@pytest.mark.parametrize("action", list(WRITES))
def test_it_audits_the_write_with_its_actor(world, action):
    _module, write = WRITES[action]
    write(world)
    event = AuditEvent.objects.filter(action=action).latest("id")
    assert event.actor is not None
    assert event.commitment_id == world.own_commitment.pk
    assert event.changes
