"""Reporting and validating progress: the state machine, its audit story and notifications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction

from acuerdos.audit.models import AuditEvent
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.core.request_context import request_id_var
from acuerdos.notifications.models import Notification
from acuerdos.progress.models import Evidence, ProgressReport, ReportState
from acuerdos.progress.services import (
    ReportInput,
    comment_add,
    report_reject,
    report_return,
    report_save_draft,
    report_submit,
    report_validate,
)
from acuerdos.progress.tests.helpers import PDF, png, upload

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _input(percent: str = "40", **extra) -> ReportInput:
    return ReportInput(
        as_of=dt.date(2026, 6, 10),
        percent=Decimal(percent),
        narrative="Se concluyó la licitación y se firmó el contrato.",
        **extra,
    )


def _submit(world, **kw):
    return report_submit(
        commitment=world.own_commitment,
        actor=world.users["liaison"],
        data=_input(**kw),
        uploads=[upload(PDF, "contrato.pdf"), upload(png(), "foto.png")],
    )


def test_it_submits_a_report_with_evidence_and_tells_the_validators(world):
    token = request_id_var.set("req-submit-001")
    try:
        report = _submit(world)
    finally:
        request_id_var.reset(token)
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_on == dt.date(2026, 6, 15)
    assert sorted(e.content_type for e in report.evidence.all()) == ["application/pdf", "image/png"]
    event = AuditEvent.objects.get(action="progress.submitted")
    assert event.actor == world.users["liaison"]
    assert event.commitment_id == world.own_commitment.pk
    assert event.request_id == "req-submit-001"
    assert event.changes["state"] == [None, "submitted"]
    assert event.changes["percent"] == [None, "40"]
    validator = world.users["validator"]
    assert Notification.objects.filter(recipient=validator, kind="progress.submitted").count() == 1
    assert not Notification.objects.filter(recipient=world.users["liaison"]).exists()


def test_it_requires_evidence_and_a_narrative_to_submit(world):
    with pytest.raises(DomainError, match="evidencia"):
        report_submit(commitment=world.own_commitment, actor=world.users["liaison"], data=_input())
    with pytest.raises(DomainError, match="Describa"):
        report_submit(
            commitment=world.own_commitment,
            actor=world.users["liaison"],
            data=ReportInput(as_of=dt.date(2026, 6, 1), percent=Decimal(10)),
            uploads=[upload(PDF, "a.pdf")],
        )


@pytest.mark.parametrize("percent", ["-1", "100.01", "150"])
def test_it_refuses_a_percent_outside_0_100(world, percent):
    with pytest.raises(DomainError, match="entre 0 y 100"):
        _submit(world, percent=percent)
    assert not ProgressReport.objects.exists()


def test_it_refuses_a_future_as_of_date(world):
    data = _input()
    data.as_of = dt.date(2026, 6, 16)
    with pytest.raises(DomainError, match="posterior a hoy"):
        report_submit(
            commitment=world.own_commitment,
            actor=world.users["liaison"],
            data=data,
            uploads=[upload(PDF, "a.pdf")],
        )


@pytest.mark.parametrize("persona", ["other_liaison", "validator", "coordinator", "viewer"])
def test_it_lets_only_the_responsible_unit_report(world, persona):
    with pytest.raises(PermissionDenied):
        report_submit(
            commitment=world.own_commitment,
            actor=world.users[persona],
            data=_input(),
            uploads=[upload(PDF, "a.pdf")],
        )


def test_it_refuses_a_bad_file_and_stores_nothing(world, tmp_path):
    with pytest.raises(DomainError, match="ejecutables"):
        report_submit(
            commitment=world.own_commitment,
            actor=world.users["liaison"],
            data=_input(),
            uploads=[upload(PDF, "bien.pdf"), upload(b"MZ" + b"\x00" * 64, "informe.pdf")],
        )
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_it_removes_stored_files_when_the_write_fails(world, tmp_path, monkeypatch):
    from acuerdos.progress import services

    def explode(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "notify", explode)
    with pytest.raises(RuntimeError):
        _submit(world)
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action="progress.submitted").exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_it_keeps_a_draft_private_until_submitted(world):
    draft = report_save_draft(
        commitment=world.own_commitment, actor=world.users["liaison"], data=_input()
    )
    assert draft.state == ReportState.DRAFT
    assert not Notification.objects.exists()
    assert draft in ProgressReport.objects.visible_to(world.users["head"])
    assert draft not in ProgressReport.objects.visible_to(world.users["validator"])
    submitted = report_submit(
        commitment=world.own_commitment,
        actor=world.users["head"],
        data=_input("55"),
        uploads=[upload(PDF, "a.pdf")],
        report=draft,
        expected_version=draft.version,
    )
    assert submitted.pk == draft.pk
    assert submitted.percent == Decimal("55")
    assert submitted in ProgressReport.objects.visible_to(world.users["validator"])


def test_it_walks_the_whole_loop(world):
    first = _submit(world)
    returned = report_return(
        report=first,
        actor=world.users["validator"],
        comment="Falta el acta firmada.",
        expected_version=first.version,
    )
    assert returned.state == ReportState.RETURNED
    assert Notification.objects.filter(
        recipient=world.users["liaison"], kind="progress.returned"
    ).exists()
    answer = report_submit(
        commitment=world.own_commitment,
        actor=world.users["liaison"],
        data=_input("45"),
        uploads=[upload(PDF, "acta.pdf")],
        answers=returned,
    )
    assert answer.answers == returned
    validated = report_validate(
        report=answer, actor=world.users["validator"], expected_version=answer.version
    )
    assert validated.state == ReportState.VALIDATED
    assert validated.validated_on == dt.date(2026, 6, 15)
    assert list(ProgressReport.objects.counting()) == [validated]
    story = list(
        AuditEvent.objects.filter(commitment_id=world.own_commitment.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert story == [
        "progress.submitted",
        "progress.returned",
        "progress.submitted",
        "progress.validated",
    ]


def test_it_refuses_a_second_answer_to_the_same_observations(world):
    first = _submit(world)
    returned = report_return(report=first, actor=world.users["validator"], comment="Falta acta")
    report_submit(
        commitment=world.own_commitment,
        actor=world.users["liaison"],
        data=_input(),
        uploads=[upload(PDF, "a.pdf")],
        answers=returned,
    )
    with pytest.raises(ConflictError):
        report_submit(
            commitment=world.own_commitment,
            actor=world.users["liaison"],
            data=_input(),
            uploads=[upload(PDF, "a.pdf")],
            answers=returned,
        )


def test_it_requires_observations_to_return_and_a_reason_to_reject(world):
    report = _submit(world)
    with pytest.raises(DomainError, match="observaciones"):
        report_return(report=report, actor=world.users["validator"], comment="  ")
    with pytest.raises(DomainError, match="motivo"):
        report_reject(report=report, actor=world.users["validator"], comment="")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_it_lets_a_coordinator_validate_anything(world):
    report = _submit(world)
    assert report_validate(report=report, actor=world.users["coordinator"]).state == "validated"


def test_it_refuses_a_validator_of_another_area(world):
    from acuerdos.organization.models import Role, Unit
    from acuerdos.organization.tests.factories import MembershipFactory, UserFactory

    outsider = UserFactory(email="da@imss.gob.mx")
    MembershipFactory(user=outsider, unit=Unit.objects.get(code="DA"), role=Role.VALIDATOR)
    report = _submit(world)
    with pytest.raises(PermissionDenied):
        report_validate(report=report, actor=outsider)
    with pytest.raises(PermissionDenied):
        report_validate(report=report, actor=world.users["viewer"])


def test_it_turns_a_stale_decision_into_a_conflict(world):
    report = _submit(world)
    seen_version = report.version
    report_validate(report=report, actor=world.users["validator"], expected_version=seen_version)
    with pytest.raises(ConflictError, match="Validado"):
        report_return(
            report=report,
            actor=world.users["coordinator"],
            comment="Corrija",
            expected_version=seen_version,
        )
    report.refresh_from_db()
    assert report.state == ReportState.VALIDATED
    assert report.review_comment == ""


def test_it_rolls_back_the_audit_row_with_a_failed_review(world, monkeypatch):
    from acuerdos.progress import services

    report = _submit(world)
    before = AuditEvent.objects.count()

    def explode(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(services, "notify", explode)
    with pytest.raises(RuntimeError), transaction.atomic():
        report_validate(report=report, actor=world.users["validator"])
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert AuditEvent.objects.count() == before


def test_it_adds_comments_and_tells_the_other_side(world):
    comment = comment_add(
        commitment=world.own_commitment, actor=world.users["liaison"], text="¿Sirve el acta?"
    )
    assert Notification.objects.filter(recipient=world.users["validator"]).count() == 1
    event = AuditEvent.objects.get(action="comment.created")
    assert event.changes == {"text": [None, "¿Sirve el acta?"]}
    assert event.target_id == str(comment.pk)
    with pytest.raises(PermissionDenied):
        comment_add(commitment=world.own_commitment, actor=world.users["viewer"], text="Hola")


def test_it_tells_the_commitment_story_in_spanish(world):
    from acuerdos.audit.story import commitment_story

    report = _submit(world)
    report_return(report=report, actor=world.users["validator"], comment="Falta el acta")
    story = commitment_story(world.own_commitment.pk)
    assert [line.verb for line in story] == [
        "envió un reporte de avance",
        "devolvió el reporte con observaciones",
    ]
    assert story[1].actor == str(world.users["validator"])
    assert ("estado", "enviado", "observado") in story[1].changes
    assert ("observaciones", "—", "Falta el acta") in story[1].changes
