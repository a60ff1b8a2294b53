"""Browser tests: a person turns the e-mail digest off; a coordinator re-sends a failed e-mail.
Screenshots of both pages at 1280 and 375 px go to /tmp/shots/helper-notify/."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from acuerdos.core.models import JobFailure
from acuerdos.core.tests.test_browser import log_in
from acuerdos.notifications.models import NotificationPreference, OutgoingEmail, OutgoingStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "shots" / "helper-notify"


def _shots(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_it_turns_the_email_digest_off_from_the_inbox(page, live_server, world):
    log_in(page, live_server, world.users["liaison"].email)
    page.goto(f"{live_server.url}/notificaciones/")
    page.get_by_role("link", name="Preferencias de notificación").first.click()
    switch = page.get_by_label("Recibir un resumen diario por correo")
    expect(switch).to_be_checked()
    _shots(page, "preferencias")
    switch.uncheck()
    page.get_by_role("button", name="Guardar preferencias").click()
    expect(page.get_by_text("Se guardaron sus preferencias de notificación.")).to_be_visible()
    expect(page.get_by_label("Recibir un resumen diario por correo")).not_to_be_checked()
    assert NotificationPreference.objects.get(user=world.users["liaison"]).email_enabled is False


def test_it_lets_a_coordinator_resend_a_failed_email(page, live_server, world):
    email = OutgoingEmail.objects.create(
        to="titular.qro@imss.gob.mx",
        subject="Informe de la OOAD Querétaro con corte al 30 de septiembre de 2026",
        body="x",
        status=OutgoingStatus.FAILED,
        attempts=12,
        last_error=(
            "SMTPRecipientsRefused: {'titular.qro@imss.gob.mx': "
            "(550, b'5.1.1 No existe ese buzón')}"
        ),
    )
    OutgoingEmail.objects.create(
        to="enlace.hgo@imss.gob.mx",
        subject="Acuerdos IMSS: 3 avisos del 30 de septiembre de 2026",
        body="x",
        attempts=2,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        next_attempt_at="2026-09-30T13:04:00Z",
    )
    JobFailure.objects.create(
        task_name="acuerdos.reporting.tasks.generate_report",
        task_id="6f1c",
        args="((12,), {})",
        error="OSError: [Errno 28] No space left on device",
        retries_left=2,
        final=False,
    )
    log_in(page, live_server, world.users["coordinator"].email)
    page.goto(f"{live_server.url}/notificaciones/")
    page.get_by_role("link", name="Trabajos en segundo plano").click()
    expect(page.get_by_role("heading", name="Trabajos en segundo plano", level=1)).to_be_visible()
    _shots(page, "trabajos")
    page.get_by_role("button", name="Reintentar").click()
    expect(
        page.get_by_text("El correo para titular.qro@imss.gob.mx se volverá a enviar.")
    ).to_be_visible()
    email.refresh_from_db()
    assert email.status == OutgoingStatus.SENT
