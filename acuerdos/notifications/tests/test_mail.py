"""The e-mail outbox on a real SMTP server on loopback: send, retry, never lose, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils import timezone

from acuerdos.audit.models import AuditEvent
from acuerdos.notifications import mail
from acuerdos.notifications.models import EmailAttempt, OutgoingEmail, OutgoingStatus
from acuerdos.notifications.tasks import requeue_due_emails
from acuerdos.notifications.tests.smtp import free_port, running_smtp, smtp_settings

pytestmark = pytest.mark.django_db


def _pdf(name: str = "informes/prueba.pdf") -> str:
    return default_storage.save(name, ContentFile(b"%PDF-1.7 informe de prueba"))


def test_it_sends_an_enqueued_email_with_its_attachment_on_commit(
    world, smtp_server, django_capture_on_commit_callbacks
):
    stored = _pdf()
    with django_capture_on_commit_callbacks(execute=True):
        email = mail.email_enqueue(
            to="titular@imss.gob.mx",
            subject="Informe con corte al 31 de marzo",
            body="Adjuntamos el informe.",
            html="<p>Adjuntamos el <strong>informe</strong>.</p>",
            attachments=[("Informe OOAD Querétaro.pdf", stored, "application/pdf")],
            user=world.users["head"],
        )
        assert smtp_server.messages == []  # nothing leaves before the commit
    email.refresh_from_db()
    assert email.status == OutgoingStatus.SENT and email.attempts == 1
    assert email.sent_at is not None and email.last_error == ""
    (message,) = smtp_server.messages
    assert message["To"] == "titular@imss.gob.mx"
    assert message["Subject"] == "Informe con corte al 31 de marzo"
    assert message.get_body(("plain",)).get_content().strip() == "Adjuntamos el informe."
    assert "<strong>informe</strong>" in message.get_body(("html",)).get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "Informe OOAD Querétaro.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == b"%PDF-1.7 informe de prueba"
    assert list(EmailAttempt.objects.filter(email=email).values_list("ok", flat=True)) == [True]


def test_it_returns_the_existing_email_for_the_same_dedupe_key(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = mail.email_enqueue(
            to="a@imss.gob.mx", subject="Uno", body="x", dedupe_key="report:1:a"
        )
    with django_capture_on_commit_callbacks(execute=True):
        again = mail.email_enqueue(
            to="a@imss.gob.mx", subject="Uno", body="x", dedupe_key="report:1:a"
        )
    assert again.pk == first.pk
    assert OutgoingEmail.objects.count() == 1
    assert len(smtp_server.messages) == 1


def test_a_key_committed_by_another_worker_after_the_lookup_returns_its_email(monkeypatch):
    first = mail.email_enqueue(to="a@imss.gob.mx", subject="Uno", body="x", dedupe_key="k:1")
    # Another worker's row appears between this worker's lookup and its insert: the lookup
    # saw nothing, the insert meets the key.
    monkeypatch.setattr(QuerySet, "first", lambda self: None)
    again = mail.email_enqueue(to="a@imss.gob.mx", subject="Uno", body="x", dedupe_key="k:1")
    assert again.pk == first.pk
    assert OutgoingEmail.objects.count() == 1


def test_it_never_sends_the_same_email_twice(smtp_server):
    email = mail.email_enqueue(to="a@imss.gob.mx", subject="Uno", body="x")
    assert mail.email_send(email.pk) is not None
    assert mail.email_send(email.pk) is None
    assert len(smtp_server.messages) == 1


def test_it_does_not_send_an_email_another_worker_holds(smtp_server):
    email = mail.email_enqueue(to="a@imss.gob.mx", subject="Uno", body="x")
    OutgoingEmail.objects.filter(pk=email.pk).update(
        claimed_until=timezone.now() + dt.timedelta(minutes=1)
    )
    assert mail.email_send(email.pk) is None
    assert smtp_server.messages == []


def test_it_keeps_the_email_pending_while_the_server_is_down_and_sends_it_when_back(
    settings,
):
    port = free_port()
    for name, value in smtp_settings(port).items():
        setattr(settings, name, value)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        email = mail.email_enqueue(to="a@imss.gob.mx", subject="Recordatorio", body="x")
        mail.email_send(email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingStatus.PENDING
    assert email.attempts == 1
    assert "Connection" in email.last_error or "refused" in email.last_error.lower()
    assert email.next_attempt_at == start + dt.timedelta(minutes=1)
    (attempt,) = EmailAttempt.objects.filter(email=email)
    assert attempt.ok is False and attempt.error == email.last_error

    # Not due yet: a second worker does nothing.
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        assert mail.email_send(email.pk) is None
    with running_smtp(port) as server, time_machine.travel(start + dt.timedelta(minutes=1)):
        mail.email_send(email.pk)
        assert len(server.messages) == 1
    email.refresh_from_db()
    assert email.status == OutgoingStatus.SENT and email.attempts == 2
    assert [a.ok for a in EmailAttempt.objects.filter(email=email)] == [False, True]


def test_it_backs_off_exponentially_up_to_six_hours():
    assert [mail.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert mail.retry_delay(30) == dt.timedelta(hours=6)


def test_it_marks_the_email_failed_after_too_many_attempts(settings):
    for name, value in smtp_settings(free_port()).items():
        setattr(settings, name, value)
    settings.EMAIL_MAX_ATTEMPTS = 2
    email = mail.email_enqueue(to="a@imss.gob.mx", subject="Uno", body="x")
    mail.email_send(email.pk)
    mail.email_send(email.pk, now=timezone.now() + dt.timedelta(minutes=2))
    email.refresh_from_db()
    assert email.status == OutgoingStatus.FAILED and email.attempts == 2
    assert email.next_attempt_at is None


def test_it_fails_at_once_when_the_server_refuses_the_address(smtp_server):
    smtp_server.recorder.refuse.add("nadie@imss.gob.mx")
    email = mail.email_enqueue(to="nadie@imss.gob.mx", subject="Uno", body="x")
    mail.email_send(email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingStatus.FAILED and email.attempts == 1
    assert "550" in email.last_error


def test_it_fails_when_an_attachment_is_missing(smtp_server):
    email = mail.email_enqueue(
        to="a@imss.gob.mx",
        subject="Uno",
        body="x",
        attachments=[("informe.pdf", "informes/no-existe.pdf", "application/pdf")],
    )
    mail.email_send(email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingStatus.FAILED
    assert "No se encontró el adjunto informe.pdf" in email.last_error
    assert smtp_server.messages == []


def test_it_rejects_an_invalid_address_or_attachment():
    with pytest.raises(ValidationError):
        mail.email_enqueue(to="no es un correo", subject="Uno", body="x")
    with pytest.raises(ValidationError):
        mail.email_enqueue(
            to="a@imss.gob.mx", subject="Uno", body="x", attachments=[("a.pdf", "", "x")]
        )
    assert not OutgoingEmail.objects.exists()


def test_it_requeues_due_emails_from_the_periodic_sweep(smtp_server):
    fresh = mail.email_enqueue(to="a@imss.gob.mx", subject="Recién", body="x")
    lost = mail.email_enqueue(to="b@imss.gob.mx", subject="Perdido", body="x")
    OutgoingEmail.objects.filter(pk=lost.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert mail.emails_due() == [lost.pk]
    assert requeue_due_emails.call_local() == 1
    assert [m["To"] for m in smtp_server.messages] == ["b@imss.gob.mx"]
    fresh.refresh_from_db()
    assert fresh.status == OutgoingStatus.PENDING


def test_it_lets_a_coordinator_send_a_failed_email_again(
    world, smtp_server, django_capture_on_commit_callbacks
):
    email = mail.email_enqueue(to="a@imss.gob.mx", subject="Uno", body="x")
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingStatus.FAILED, attempts=12)
    with django_capture_on_commit_callbacks(execute=True):
        mail.email_retry(email_id=email.pk, actor=world.users["coordinator"])
    email.refresh_from_db()
    assert email.status == OutgoingStatus.SENT and email.attempts == 13
    event = AuditEvent.objects.get(action="email.retried")
    assert event.actor == world.users["coordinator"] and event.target_id == str(email.pk)
    with pytest.raises(ValidationError):
        mail.email_retry(email_id=email.pk, actor=world.users["coordinator"])


def test_it_keeps_the_email_for_the_sweep_when_the_queue_is_down(
    monkeypatch, django_capture_on_commit_callbacks
):
    from acuerdos.notifications import tasks

    def queue_down(*args, **kwargs):
        raise ConnectionError("Redis no responde")

    monkeypatch.setattr(tasks, "send_email", queue_down)
    with django_capture_on_commit_callbacks(execute=True):
        email = mail.email_enqueue(to="a@imss.gob.mx", subject="Uno", body="x")
    email.refresh_from_db()
    assert email.status == OutgoingStatus.PENDING and email.attempts == 0
    later = timezone.now() + mail.SWEEP_GRACE + dt.timedelta(seconds=1)
    assert mail.emails_due(now=later) == [email.pk]
