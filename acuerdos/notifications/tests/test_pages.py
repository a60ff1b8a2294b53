"""The notification preferences page and the coordinators' worker status page."""

from __future__ import annotations

import pytest

from acuerdos.audit.models import AuditEvent
from acuerdos.core.models import JobFailure, ScheduleSlot
from acuerdos.notifications.models import NotificationPreference, OutgoingEmail, OutgoingStatus

pytestmark = pytest.mark.django_db


def test_it_links_the_preferences_from_the_inbox(clients):
    html = clients["liaison"].get("/notificaciones/").content.decode()
    assert 'href="/notificaciones/preferencias/"' in html
    assert "Preferencias de notificación" in html


def test_it_shows_e_mail_on_by_default(clients):
    html = clients["liaison"].get("/notificaciones/preferencias/").content.decode()
    assert "<h1>Preferencias de notificación</h1>" in html
    assert 'name="email_enabled"' in html and " checked" in html
    assert "liaison@imss.gob.mx" in html


def test_it_turns_the_email_digest_off_and_on_again(world, clients):
    liaison = world.users["liaison"]
    response = clients["liaison"].post("/notificaciones/preferencias/", {})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=liaison).email_enabled is False
    event = AuditEvent.objects.get(action="notification_preference.updated")
    assert event.actor == liaison and event.changes == {"email_enabled": [True, False]}
    page = clients["liaison"].get("/notificaciones/preferencias/").content.decode()
    assert "Se guardaron sus preferencias de notificación." in page
    assert " checked" not in page
    clients["liaison"].post("/notificaciones/preferencias/", {"email_enabled": "on"})
    assert NotificationPreference.objects.get(user=liaison).email_enabled is True
    assert AuditEvent.objects.filter(action="notification_preference.updated").count() == 2
    # Someone else's preference is untouched.
    assert not NotificationPreference.objects.filter(user=world.users["head"]).exists()


def test_it_shows_coordinators_what_failed_and_lets_them_send_it_again(
    world, clients, django_capture_on_commit_callbacks, smtp_server
):
    email = OutgoingEmail.objects.create(
        to="nadie@imss.gob.mx",
        subject="Informe con corte al 30 de septiembre",
        body="x",
        status=OutgoingStatus.FAILED,
        attempts=12,
        last_error="SMTPRecipientsRefused: 550 No existe ese buzón",
    )
    JobFailure.objects.create(
        task_name="acuerdos.reporting.tasks.generate_report",
        task_id="abc",
        args="((7,), {})",
        error="OSError: disco lleno",
        retries_left=0,
        final=True,
    )
    ScheduleSlot.objects.create(task_name="notifications.daily", slot="2026-09-30", duplicates=1)
    html = clients["coordinator"].get("/notificaciones/trabajos/").content.decode()
    assert "<h1>Trabajos en segundo plano</h1>" in html
    assert "nadie@imss.gob.mx" in html and "550 No existe ese buzón" in html
    assert "generate_report" in html and "OSError: disco lleno" in html
    assert "Sin más reintentos" in html
    assert "Más de un proceso ejecuta el calendario de tareas" in html
    assert f'action="/notificaciones/correos/{email.pk}/reintentar/"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = clients["coordinator"].post(f"/notificaciones/correos/{email.pk}/reintentar/")
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == OutgoingStatus.SENT and email.attempts == 13
    page = clients["coordinator"].get("/notificaciones/trabajos/").content.decode()
    assert "El correo para nadie@imss.gob.mx se volverá a enviar." in page
    assert "Ningún correo ha fallado." in page

    again = clients["coordinator"].post(f"/notificaciones/correos/{email.pk}/reintentar/")
    assert again.status_code == 302
    assert "Solo se reintenta un correo que falló." in (
        clients["coordinator"].get("/notificaciones/trabajos/").content.decode()
    )


def test_it_warns_when_no_scheduler_runs(clients):
    html = clients["coordinator"].get("/notificaciones/trabajos/").content.decode()
    assert "programador de tareas" in html


def test_it_links_the_worker_page_from_the_inbox_for_coordinators_only(clients):
    assert (
        'href="/notificaciones/trabajos/"'
        in clients["coordinator"].get("/notificaciones/").content.decode()
    )
    for persona in ("liaison", "validator", "viewer"):
        assert (
            "/notificaciones/trabajos/"
            not in clients[persona].get("/notificaciones/").content.decode()
        )
