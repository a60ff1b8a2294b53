"""Compromisos and a bulk change in a real browser (Playwright on Debian's chromium), at desktop
and phone width: tick two commitments, set their due date, review the plan, apply. Screenshots
go to `$ACUERDOS_SHOTS/helper-bulk/` (default `/tmp/shots/helper-bulk/`)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from acuerdos.commitments.models import Commitment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"
SHOTS = Path(os.environ.get("ACUERDOS_SHOTS", "/tmp/shots")) / "helper-bulk"  # noqa: S108


@pytest.mark.parametrize("width", [1280, 375])
def test_it_changes_two_due_dates_from_the_list(browser, live_server, world, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-MX")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(world.users["coordinator"].email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")

    def fits(name: str) -> None:
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        # The page's own content (the shared navbar is measured by the layout tests).
        scroll = page.evaluate("() => document.getElementById('contenido').scrollWidth")
        assert scroll <= width, f"{name} is {scroll} px wide on a {width} px screen"

    page.goto(f"{live_server.url}/compromisos/")
    fits("1-lista")
    page.get_by_label(f"Elegir {world.own.folio}").check()
    page.get_by_label(f"Elegir {world.foreign.folio}").check()
    page.get_by_label("Acción para los compromisos elegidos").select_option("due_date")
    page.get_by_role("button", name="Continuar").click()
    page.get_by_role("heading", name="Cambiar la fecha compromiso").wait_for()
    fits("2-valor")
    page.get_by_label("Nueva fecha compromiso").fill("15/12/2026")
    page.get_by_label("Motivo").fill("Acuerdo de la reunión de seguimiento de junio")
    page.get_by_role("button", name="Revisar los cambios").click()
    page.get_by_role("heading", name="2. Qué va a cambiar").wait_for()
    fits("3-revision")
    page.get_by_role("button", name="Aplicar a 2 compromisos").click()
    page.get_by_text("Se cambiaron 2 compromisos.").wait_for()
    fits("4-resultado")
    assert Commitment.objects.filter(due_date=dt.date(2026, 12, 15)).count() == 2

    # The validating area: the screen says that whole agreements change.
    page.get_by_label(f"Elegir {world.own.folio}").check()
    page.get_by_label("Acción para los compromisos elegidos").select_option("area")
    page.get_by_role("button", name="Continuar").click()
    page.get_by_text("aunque no los haya elegido").wait_for()
    page.get_by_label("Nueva área normativa que valida").select_option(str(world.unit("DA").pk))
    page.get_by_label("Motivo").fill("El entregable corresponde a Administración")
    page.get_by_role("button", name="Revisar los cambios").click()
    page.get_by_role("button", name="Aplicar a 1 acuerdo").wait_for()
    fits("5-area-revision")
    assert errors == []
    context.close()


def _login(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(user.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize("width", [1280, 375])
def test_it_selects_every_row_of_the_page_from_the_keyboard(browser, live_server, world, width):
    from acuerdos.commitments.tests.factories import CommitmentFactory
    from acuerdos.organization.models import Unit

    SHOTS.mkdir(parents=True, exist_ok=True)
    CommitmentFactory(agreement=world.own, responsible_unit=Unit.objects.get(code="OOAD-SLP"))
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-MX")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    _login(page, live_server, world.users["coordinator"])
    page.goto(f"{live_server.url}/compromisos/")
    rows = page.locator("input[name='ids']")
    assert rows.count() == 4
    # The header's box (hidden with the header on phones, where its twin above the list shows).
    header = page.locator("[data-bulk-page]:visible")
    assert header.count() == 1
    assert header.get_attribute("id") == ("sel-page" if width > 767 else "sel-page-sm")
    assert "Seleccionar todos en esta página" in header.evaluate("box => box.labels[0].textContent")

    # Keyboard only: focus the header box and press Space.
    header.focus()
    page.keyboard.press("Space")
    assert all(rows.nth(i).is_checked() for i in range(4))
    page.get_by_text("4 compromisos marcados en esta página.").wait_for()
    # caret="initial": hiding the caret leaves `style=""` on the inputs, which htmx's settle
    # then copies as an inline style that the CSP refuses (a test artefact, not the page's).
    page.screenshot(path=str(SHOTS / f"6-pagina-{width}.png"), full_page=True, caret="initial")
    scroll = page.evaluate("() => document.getElementById('contenido').scrollWidth")
    assert scroll <= width

    # One row cleared: the header box shows "mixed".
    page.get_by_label(f"Elegir {world.foreign.folio}").uncheck()
    assert header.evaluate("box => box.indeterminate")
    page.get_by_text("3 compromisos marcados en esta página.").wait_for()

    # "Todos los que cumplen el filtro" wins, and gives the rows back when turned off.
    select_all = page.get_by_label("Seleccionar todos los 4 compromisos que cumplen el filtro")
    select_all.check()
    assert rows.nth(0).is_disabled() and header.is_disabled() and header.is_checked()
    page.get_by_text("Se elegirán los 4 compromisos que cumplen el filtro.").wait_for()
    select_all.uncheck()
    assert not page.get_by_label(f"Elegir {world.foreign.folio}").is_checked()
    assert page.get_by_label(f"Elegir {world.own.folio}").first.is_checked()

    # Clearing from the header clears the page; a filter (htmx swap) starts a fresh header.
    header.click()
    header.click()
    assert not any(rows.nth(i).is_checked() for i in range(4))
    search = page.get_by_label("Buscar")
    search.fill("0002")
    search.press("Tab")  # leaving the box also refreshes the list ("change"): let both settle
    page.wait_for_function("() => document.querySelectorAll(\"input[name='ids']\").length === 1")
    page.wait_for_load_state("networkidle")
    header = page.locator("[data-bulk-page]:visible")
    header.check()
    assert page.get_by_label(f"Elegir {world.foreign.folio}").is_checked()

    # What the header ticked is what the next step receives.
    page.get_by_label("Acción para los compromisos elegidos").select_option("cancel")
    page.get_by_role("button", name="Continuar").click()
    page.get_by_text("1 compromiso").first.wait_for()
    assert world.foreign.folio in page.content()
    assert errors == []
    context.close()
