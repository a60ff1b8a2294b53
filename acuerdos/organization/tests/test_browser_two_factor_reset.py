"""In a real browser: a coordinator opens the page of a person who lost their phone, sees that
their second factor is active, opens «Restablecer segundo factor…», is asked for the reason and
the identity check, and resets it. Screenshots at 1280 and 375 px go to
/tmp/shots/helper-2fa-reset/ for a person to look at; no page may scroll sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from acuerdos.audit.models import AuditEvent
from acuerdos.core.tests.browser import log_in, screenshots, watch_console
from acuerdos.organization import two_factor_services as services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/helper-2fa-reset")  # noqa: S108 - screenshots for people, not data


def shots(page: Page, name: str) -> None:
    screenshots(page, name, SHOTS)


def test_a_coordinator_resets_a_persons_second_factor_in_the_browser(browser, live_server, world):
    person = world.users["liaison"]
    device = services.two_factor_device_start(actor=person)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert services.two_factor_enable(actor=person, device_id=device.pk, code=code)[0].ok

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-MX")
    page = context.new_page()
    errors = watch_console(page)
    log_in(page, live_server.url, world.users["coordinator"].email)

    page.goto(f"{live_server.url}/personas/{person.pk}/")
    expect(page.locator("dl.ac-facts")).to_contain_text("Activo · quedan 10 códigos")
    shots(page, "1-persona-con-segundo-factor")

    page.get_by_role("button", name="Restablecer segundo factor…").click()
    reset = page.get_by_role("button", name="Restablecer el segundo factor")
    expect(reset).to_be_visible()
    reset.click()  # nothing typed: asked for the reason and the identity check
    expect(page.locator("#restablecer-segundo-factor")).to_contain_text(
        "Escriba el motivo del restablecimiento."
    )
    expect(page.locator("#restablecer-segundo-factor")).to_contain_text(
        "Confirme que verificó la identidad de la persona."
    )
    shots(page, "2-restablecer-sin-motivo")
    assert TOTPDevice.objects.filter(user=person).exists()

    page.get_by_label("Motivo del restablecimiento").fill("Perdió su teléfono; confirmó su jefa.")
    page.get_by_label("Confirmé la identidad de la persona").check()
    page.get_by_role("button", name="Restablecer el segundo factor").click()
    page.wait_for_url(f"{live_server.url}/personas/{person.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("Se restableció el segundo factor")
    expect(page.locator("dl.ac-facts")).to_contain_text("No configurado")
    shots(page, "3-segundo-factor-restablecido")

    assert not TOTPDevice.objects.filter(user=person).exists()
    assert AuditEvent.objects.filter(action="two_factor.reset").count() == 1
    assert [m.to for m in mail.outbox] == [[person.email]]
    # the refused form answers 400 on purpose; nothing else may go wrong in the console
    assert [e for e in errors if "status of 400" not in e] == []
    assert len(errors) == 1
    context.close()
