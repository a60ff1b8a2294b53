"""The daily digest over a real SMTP server: one e-mail per person per day, preferences obeyed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from acuerdos.notifications import digest
from acuerdos.notifications.models import (
    EmailStatus,
    Notification,
    NotificationPreference,
    OutgoingEmail,
    OutgoingStatus,
)
from acuerdos.notifications.services import notify
from acuerdos.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 9, 30)


def _notify(user, title: str, url: str = "/compromisos/mios/") -> Notification:
    return notify(
        recipients=[user], kind="progress.validated", title=title, body="Detalle.", url=url
    )[0]


def test_it_sends_one_digest_with_every_pending_notification(
    world, smtp_server, django_capture_on_commit_callbacks
):
    liaison = world.users["liaison"]
    first = _notify(liaison, "Se validó su reporte de avance")
    second = _notify(liaison, "Hoy vence el compromiso TST-CEN-2026-0001 · Querétaro")
    _notify(world.users["head"], "Aviso para el titular")
    with django_capture_on_commit_callbacks(execute=True):
        result = digest.digests_send(on=DAY)
    assert result == digest.DigestResult(emails=2, notifications=3, skipped=0)
    messages = {m["To"]: m for m in smtp_server.messages}
    assert set(messages) == {"liaison@imss.gob.mx", "head@imss.gob.mx"}
    message = messages["liaison@imss.gob.mx"]
    assert message["Subject"] == "Acuerdos IMSS: 2 avisos del 30 de septiembre de 2026"
    text = message.get_body(("plain",)).get_content()
    assert "Hola, Liaison:" in text
    assert "- Se validó su reporte de avance" in text
    assert f"http://127.0.0.1:8000/notificaciones/{first.pk}/" in text
    assert "http://127.0.0.1:8000/notificaciones/preferencias/" in text
    html = message.get_body(("html",)).get_content()
    assert f'href="http://127.0.0.1:8000/notificaciones/{second.pk}/"' in html
    assert "Hoy vence el compromiso TST-CEN-2026-0001 · Querétaro" in html
    for notification in (first, second):
        notification.refresh_from_db()
        assert notification.email_status == EmailStatus.SENT
        assert notification.emailed_at is not None
        assert notification.read_at is None  # e-mailed is not read
    email = OutgoingEmail.objects.get(to="liaison@imss.gob.mx")
    assert email.status == OutgoingStatus.SENT and email.user == liaison
    assert email.dedupe_key == f"digest:{liaison.pk}:2026-09-30"


def test_it_sends_at_most_one_digest_per_person_per_day(
    world, smtp_server, django_capture_on_commit_callbacks
):
    liaison = world.users["liaison"]
    _notify(liaison, "Primero")
    with django_capture_on_commit_callbacks(execute=True):
        digest.digests_send(on=DAY)
    late = _notify(liaison, "Llegó después del resumen")
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digests_send(on=DAY).emails == 0
    late.refresh_from_db()
    assert late.email_status == EmailStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digests_send(on=DAY + dt.timedelta(days=1)).emails == 1
    assert [m["Subject"] for m in smtp_server.messages] == [
        "Acuerdos IMSS: 1 aviso del 30 de septiembre de 2026",
        "Acuerdos IMSS: 1 aviso del 1 de octubre de 2026",
    ]
    assert "Llegó después del resumen" in smtp_server.messages[1].get_body(("plain",)).get_content()


def test_it_sends_no_email_to_someone_who_turned_it_off_but_keeps_the_notification(
    world, smtp_server, django_capture_on_commit_callbacks
):
    liaison = world.users["liaison"]
    NotificationPreference.objects.create(user=liaison, email_enabled=False)
    kept = _notify(liaison, "Se validó su reporte de avance")
    with django_capture_on_commit_callbacks(execute=True):
        result = digest.digests_send(on=DAY)
    assert result == digest.DigestResult(emails=0, notifications=0, skipped=1)
    assert smtp_server.messages == []
    kept.refresh_from_db()
    assert kept.email_status == EmailStatus.SKIPPED and kept.read_at is None
    inbox = world and Notification.objects.for_user(liaison).unread()
    assert list(inbox) == [kept]


def test_it_sends_nothing_to_inactive_people(world, smtp_server):
    gone = UserFactory(email="baja@imss.gob.mx", is_active=False)
    _notify(gone, "Aviso")
    assert digest.digests_send(on=DAY) == digest.DigestResult(0, 0, 1)


def test_it_costs_the_same_queries_for_two_people_or_twenty(world):
    def measure(people: int) -> int:
        for i in range(people):
            user = UserFactory(email=f"persona{people}-{i}@imss.gob.mx")
            _notify(user, "Aviso 1")
            _notify(user, "Aviso 2")
        with CaptureQueriesContext(connection) as queries:
            assert digest.digests_send(on=DAY).emails == people
        return len(queries.captured_queries)

    assert measure(2) == measure(20)


def test_it_reminds_and_emails_the_digest_from_the_daily_command(
    world, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-09-30")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-09-30")
    by_person = sorted(m["To"] for m in smtp_server.messages)
    assert by_person == ["head@imss.gob.mx", "liaison@imss.gob.mx", "other_liaison@imss.gob.mx"]
    other = next(m for m in smtp_server.messages if m["To"] == "other_liaison@imss.gob.mx")
    assert other["Subject"] == "Acuerdos IMSS: 2 avisos del 30 de septiembre de 2026"
    assert (
        "Hoy vence el compromiso TST-CEN-2026-0002 · Hidalgo"
        in other.get_body(("plain",)).get_content()
    )


def test_it_lists_the_newest_forty_and_counts_the_rest(
    world, smtp_server, django_capture_on_commit_callbacks
):
    liaison = world.users["liaison"]
    for i in range(45):
        _notify(liaison, f"Aviso número {i}")
    with django_capture_on_commit_callbacks(execute=True):
        digest.digests_send(on=DAY)
    (message,) = smtp_server.messages
    text = message.get_body(("plain",)).get_content()
    assert message["Subject"] == "Acuerdos IMSS: 45 avisos del 30 de septiembre de 2026"
    titles = [line.strip() for line in text.splitlines() if line.startswith("- ")]
    assert len(titles) == 40
    assert (titles[0], titles[-1]) == ("- Aviso número 44", "- Aviso número 5")
    assert "Y 5 avisos más en el sistema." in text
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 45


def test_it_does_not_email_week_old_notifications(world, smtp_server):
    old = _notify(world.users["liaison"], "Aviso viejo")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert digest.digests_send(on=DAY) == digest.DigestResult(0, 0, 1)
    old.refresh_from_db()
    assert old.email_status == EmailStatus.SKIPPED and old.read_at is None
