"""The coordinator invites an enlace in a real browser; the enlace opens the e-mailed link in a
fresh browser, chooses a password and sees exactly their unit's commitments (issue 4, "done
when"). Also walks «¿Olvidó su contraseña?». Screenshots of each screen at 1280 and 375 px go
to /tmp/shots/helper-people/ for a person to look at; no page may scroll sideways."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from acuerdos.core.tests.browser import log_in, screenshots, watch_console
from acuerdos.organization.models import Membership, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Compromisos-Queretaro-2026"
SHOTS = Path("/tmp/shots/helper-people")  # noqa: S108 - screenshots for people, not data


def shots(page: Page, name: str) -> None:
    screenshots(page, name, SHOTS)


def link_in(body: str) -> str:
    match = re.search(r"(http://\S+/accounts/invitacion/\S+/)", body)
    assert match, body
    return match.group(1)


def test_the_coordinator_invites_an_enlace_who_sets_a_password_and_sees_their_unit(
    browser, live_server, world
):
    # The coordinator logs in and opens Personas from the menu.
    coordinator_context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="es-MX"
    )
    page = coordinator_context.new_page()
    errors = watch_console(page)
    log_in(page, live_server.url, world.users["coordinator"].email)
    page.locator("#ac-nav").get_by_role("button", name="Coordinación", exact=True).click()
    page.locator("#ac-nav").get_by_role("link", name="Personas").click()
    page.wait_for_url(f"{live_server.url}/personas/")
    shots(page, "1-personas")

    # «Quién no ha entrado» filters as you go (htmx), keeping the URL shareable.
    page.get_by_label("Último ingreso").select_option(label="Nunca ha entrado")
    expect(page).to_have_url(re.compile(r"access=never"))
    shots(page, "2-personas-nunca-han-entrado")

    # The invitation form: an e-mail already registered is flagged on leaving the field.
    page.get_by_role("link", name="Invitar persona").click()
    page.wait_for_url(f"{live_server.url}/personas/invitar/")
    page.get_by_label("Correo institucional").fill("liaison@imss.gob.mx")
    page.get_by_label("Nombre completo").focus()
    expect(page.locator("#email-check .invalid-feedback")).to_have_text(
        "Ya existe una cuenta con ese correo."
    )
    shots(page, "3-invitar-correo-repetido")
    page.get_by_label("Correo institucional").fill("nueva.enlace.qro@imss.gob.mx")
    page.get_by_label("Nombre completo").focus()
    expect(page.locator("#email-check .invalid-feedback")).to_have_count(0)
    page.get_by_label("Nombre completo").fill("María Fernanda Ruiz Ortega")
    page.get_by_label("Unidad").select_option(label="Querétaro (OOAD-QRO)")
    page.get_by_label("Rol").select_option(label="Enlace")
    page.get_by_role("button", name="Enviar invitación").click()
    page.wait_for_url(re.compile(r"/personas/\d+/$"))
    expect(page.locator(".alert-success")).to_contain_text(
        "Se envió la invitación a nueva.enlace.qro@imss.gob.mx"
    )
    shots(page, "4-persona-invitada")
    person = User.objects.get(email="nueva.enlace.qro@imss.gob.mx")
    assert [(m.unit.code, m.role) for m in Membership.objects.filter(user=person)] == [
        ("OOAD-QRO", "liaison")
    ]
    assert errors == []

    # The enlace opens the e-mailed link in a browser of their own.
    [message] = mail.outbox
    assert message.to == ["nueva.enlace.qro@imss.gob.mx"]
    enlace_context = browser.new_context(viewport={"width": 375, "height": 800}, locale="es-MX")
    enlace = enlace_context.new_page()
    enlace_errors = watch_console(enlace)
    enlace.goto(link_in(message.body))
    expect(enlace.get_by_role("heading", name="Elija su contraseña")).to_be_visible()
    assert "set-password" in enlace.url  # the token left the address bar
    shots(enlace, "5-primer-ingreso")
    enlace.get_by_label("Nueva contraseña").fill("12345")
    enlace.get_by_label("Confirme la contraseña").fill("12345")
    enlace.get_by_role("button", name="Guardar contraseña y entrar").click()
    expect(enlace.locator(".invalid-feedback").first).to_contain_text("demasiado corta")
    shots(enlace, "6-primer-ingreso-contrasena-debil")
    enlace.get_by_label("Nueva contraseña").fill(NEW_PASSWORD)
    enlace.get_by_label("Confirme la contraseña").fill(NEW_PASSWORD)
    enlace.get_by_role("button", name="Guardar contraseña y entrar").click()
    enlace.wait_for_url(f"{live_server.url}/")
    expect(enlace.locator(".alert-success")).to_contain_text("Su contraseña quedó guardada")

    # «Mis compromisos»: exactly Querétaro's commitment, and the one it shares, read-only.
    enlace.goto(f"{live_server.url}/compromisos/mios/")
    own = enlace.locator("section[aria-labelledby=propios] a.ac-folio").all_inner_texts()
    shared = enlace.locator("section[aria-labelledby=corresponsables] a.ac-folio").all_inner_texts()
    assert own == ["TST-CEN-2026-0001"]
    assert shared == ["TST-CEN-2026-0003"]
    assert "TST-CEN-2026-0002" not in enlace.locator("main").inner_text()
    shots(enlace, "7-mis-compromisos-enlace")

    # The link was single-use.
    enlace.goto(link_in(message.body))
    expect(enlace.get_by_role("heading", name="El enlace ya no es válido")).to_be_visible()
    shots(enlace, "8-enlace-no-valido")
    assert enlace_errors == []

    # The coordinator sees the first login on the person's page.
    page.reload()
    expect(page.locator("main")).to_contain_text("eligió su contraseña")
    assert page.get_by_role("button", name="Reenviar invitación").count() == 0

    # «¿Olvidó su contraseña?» from the login page, in a third, anonymous browser.
    visitor_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-MX")
    visitor = visitor_context.new_page()
    visitor.goto(f"{live_server.url}/accounts/login/")
    shots(visitor, "9-ingresar")
    visitor.get_by_role("link", name="¿Olvidó su contraseña?").click()
    visitor.wait_for_url(f"{live_server.url}/accounts/contrasena/olvide/")
    shots(visitor, "10-olvido-contrasena")
    visitor.get_by_label("Correo institucional").fill("nueva.enlace.qro@imss.gob.mx")
    visitor.get_by_role("button", name="Enviar enlace").click()
    visitor.wait_for_url(f"{live_server.url}/accounts/contrasena/olvide/enviado/")
    shots(visitor, "11-revise-su-correo")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "Acuerdos IMSS: restablezca su contraseña"

    # Finally the coordinator deactivates the account (the enlace's session ends).
    page.get_by_role("button", name="Desactivar cuenta…").click()
    expect(page.locator("#desactivar")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    page.get_by_label("Motivo (opcional)").fill("Cambió de adscripción")
    shots(page, "12-desactivar")
    page.get_by_role("button", name="Desactivar la cuenta").click()
    expect(page.locator(".alert-success")).to_contain_text("Se desactivó la cuenta")
    shots(page, "13-persona-desactivada")
    enlace.goto(f"{live_server.url}/compromisos/mios/")
    assert "/accounts/login/" in enlace.url
    assert errors == []
    for context in (coordinator_context, enlace_context, visitor_context):
        context.close()
