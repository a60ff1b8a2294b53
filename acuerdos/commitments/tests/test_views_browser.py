"""The layout in a real browser (Playwright on Debian's chromium): nothing overflows a 375 px
phone, the collapsed menu opens, and no page breaks the Content-Security-Policy."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"


@pytest.fixture
def phone(browser, live_server, world):
    def open_as(persona: str):
        context = browser.new_context(viewport={"width": 375, "height": 800}, locale="es-MX")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Correo institucional").fill(world.users[persona].email)
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Ingresar").click()
        page.wait_for_url(f"{live_server.url}/")
        return page, errors

    return open_as


@pytest.mark.parametrize("persona", ["liaison", "coordinator"])
def test_it_fits_a_phone_screen_without_console_errors(phone, live_server, world, persona):
    page, errors = phone(persona)
    paths = [
        "/",
        "/acuerdos/",
        f"/acuerdos/{world.own.pk}/",
        f"/compromisos/{world.own_commitment.pk}/",
        "/compromisos/mios/",
        "/reuniones/",
        f"/reuniones/{world.meeting.pk}/",
        "/aviso-de-privacidad/",
    ]
    if persona == "coordinator":
        paths.append("/personas/")
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide on a 375 px screen"
    assert errors == []


def test_it_opens_the_collapsed_menu_on_a_phone(phone, live_server):
    page, _ = phone("liaison")
    menu = page.locator("#ac-nav").get_by_role("link", name="Mis compromisos")
    assert not menu.is_visible()
    page.get_by_role("button", name="Mostrar u ocultar el menú").click()
    menu.wait_for(state="visible")
    menu.click()
    page.wait_for_url(f"{live_server.url}/compromisos/mios/")
