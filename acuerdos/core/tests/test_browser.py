"""Browser tests (Playwright on Debian's chromium): each persona logs in through the real form
and sees exactly the rows of their scope."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"
EXPECTED = {
    "liaison": ["TST-CEN-2026-0001", "TST-CEN-2026-0003"],
    "head": ["TST-CEN-2026-0001", "TST-CEN-2026-0003"],
    "other_liaison": ["TST-CEN-2026-0002", "TST-CEN-2026-0003"],
    "validator": ["TST-CEN-2026-0001"],
    "coordinator": ["TST-CEN-2026-0001", "TST-CEN-2026-0002", "TST-CEN-2026-0003"],
    "viewer": ["TST-CEN-2026-0001", "TST-CEN-2026-0002", "TST-CEN-2026-0003"],
}


def log_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_it_shows_each_persona_exactly_its_agreements(page, live_server, world, persona):
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, live_server, world.users[persona].email)
    page.goto(f"{live_server.url}/acuerdos/")
    folios = sorted(page.locator("a.ac-folio").all_inner_texts())
    assert folios == EXPECTED[persona]
    assert console_errors == []
    # The navbar of every persona fits a 1280 px screen: no sideways scrolling.
    page.set_viewport_size({"width": 1280, "height": 800})
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide at {width[1]} px"


def test_it_shows_an_enlace_only_the_commitments_of_their_unit(page, live_server, world):
    log_in(page, live_server, world.users["liaison"].email)
    page.goto(f"{live_server.url}/compromisos/mios/")
    body = page.locator("main").inner_text()
    assert "TST-CEN-2026-0001" in body
    assert "TST-CEN-2026-0002" not in body
    page.goto(f"{live_server.url}/acuerdos/{world.foreign.pk}/")
    assert "TST-CEN-2026-0002" not in page.locator("main").inner_text()


def test_it_filters_the_agreements_list_with_htmx(page, live_server, world):
    log_in(page, live_server, world.users["coordinator"].email)
    page.goto(f"{live_server.url}/acuerdos/")
    page.locator("#id_q").fill("0002")
    expect(page.locator("a.ac-folio")).to_have_count(1)  # no eval: the page's CSP forbids it
    assert page.locator("a.ac-folio").all_inner_texts() == ["TST-CEN-2026-0002"]
    assert "q=0002" in page.url


def test_it_refuses_a_wrong_password_in_spanish(page, live_server, world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(world.users["liaison"].email)
    page.get_by_label("Contraseña").fill("equivocada")
    page.get_by_role("button", name="Ingresar").click()
    assert page.locator(".alert-danger").is_visible()
    assert "/accounts/login/" in page.url
