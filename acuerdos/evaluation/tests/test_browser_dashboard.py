"""The dashboard in a real browser (Playwright on Debian's chromium): the coordinator picks a
closed cut-off and drills down national → region → unit → agreement; nothing overflows a phone
and no page breaks the Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from acuerdos.evaluation.tests.boards_data import CUTOFF, build_graded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"
CORTE = f"?corte={CUTOFF.isoformat()}"


@pytest.fixture
def graded(world):
    return build_graded(world)


def log_in(page, live_server, email: str) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")
    return errors


def test_the_coordinator_drills_down_a_closed_cut_off(page, live_server, graded):
    errors = log_in(page, live_server, graded.world.users["coordinator"].email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablero de cumplimiento")
    page.get_by_label("Cifras al").select_option(label="Corte al 30 de junio de 2026")
    page.get_by_role("button", name="Ver", exact=True).click()
    page.wait_for_url(f"{live_server.url}/{CORTE}")
    expect(page.locator("main")).to_contain_text(
        "Cifras con corte al 30 de junio de 2026: congeladas al cerrar el corte."
    )
    # The three levels, as big figures with their accessible names.
    for name in ("Nivel de cumplimiento", "Avance promedio", "Oportunidad del reporte"):
        expect(page.get_by_role("img", name=re.compile(rf"^{name}: \d+\.\d %$"))).to_be_visible()

    page.locator("table.ac-board-table").get_by_role("link", name="Centro").first.click()
    page.wait_for_url(f"{live_server.url}/tablero/region/REG-CENTRO/{CORTE}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Región Centro")
    expect(page.get_by_label("Cifras al")).to_have_value(CUTOFF.isoformat())

    page.locator("table.ac-board-table").get_by_role("link", name="OOAD Hidalgo").click()
    page.wait_for_url(f"{live_server.url}/tablero/unidad/OOAD-HGO/{CORTE}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hidalgo")
    expect(page.locator(".ac-pending")).to_contain_text("sin validar")

    page.get_by_role("link", name="TST-CEN-2026-0002").click()
    page.wait_for_url(f"{live_server.url}/acuerdos/{graded.world.foreign.pk}/{CORTE}")
    rollup = page.locator(".ac-rollup")
    expect(rollup).to_contain_text("Cifras con corte al 30 de junio de 2026")
    expect(rollup).to_contain_text("1 en riesgo")
    assert errors == []


@pytest.mark.parametrize("persona", ["coordinator", "liaison"])
def test_the_boards_fit_a_phone(browser, live_server, graded, persona):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="es-MX")
    page = context.new_page()
    errors = log_in(page, live_server, graded.world.users[persona].email)
    paths = [
        "/",
        f"/{CORTE}",
        f"/tablero/region/REG-CENTRO/{CORTE}",
        f"/tablero/unidad/OOAD-QRO/{CORTE}",
        "/tablero/lineas/",
        "/tablero/areas/",
    ]
    if persona == "coordinator":
        paths.append("/cortes/")
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide on a 375 px screen"
    assert errors == []
    context.close()


def test_the_coordinator_closes_a_cut_off_through_the_screen(page, live_server, world):
    from acuerdos.evaluation.models import CutOff

    CutOff.objects.create(date=CUTOFF)
    errors = log_in(page, live_server, world.users["coordinator"].email)
    nav = page.get_by_role("navigation", name="Navegación principal")
    nav.get_by_role("button", name="Coordinación", exact=True).click()
    nav.get_by_role("link", name="Cortes").click()
    page.get_by_role("link", name="Cerrar corte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Cerrar el corte al 30 jun 2026?")
    page.get_by_role("button", name="Sí, cerrar el corte").click()
    page.wait_for_url(f"{live_server.url}/cortes/")
    expect(page.locator(".alert-success")).to_contain_text(
        "Corte al 30 de junio de 2026 cerrado: 3 compromisos congelados."
    )
    assert CutOff.objects.get().is_closed
    assert errors == []
