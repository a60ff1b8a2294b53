"""The transparency portal in a real browser (Playwright on Debian's chromium), as an anonymous
visitor: it reads the national figures, picks a region, reaches the open data; nothing
overflows a phone and no page breaks the Content-Security-Policy."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from acuerdos.evaluation.tests.boards_data import build_graded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATHS = [
    "/transparencia/",
    "/transparencia/region/REG-CENTRO/",
    "/transparencia/datos/",
]
SHOTS = os.environ.get("PORTAL_SCREENSHOTS", "")


@pytest.fixture
def graded(world):
    return build_graded(world)


def watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_an_anonymous_visitor_reads_the_portal(page, live_server, graded):
    errors = watch(page)
    page.goto(f"{live_server.url}/transparencia/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cumplimiento de los acuerdos de las Reuniones Regionales"
    )
    expect(page.locator("main")).to_contain_text("Cifras con corte al 30 de junio de 2026")
    for name in ("Nivel de cumplimiento", "Avance promedio", "Oportunidad del reporte"):
        expect(page.get_by_role("img", name=name, exact=False).first).to_be_visible()
    page.locator("table.ac-board-table").get_by_role("link", name="Centro").click()
    page.wait_for_url(f"{live_server.url}/transparencia/region/REG-CENTRO/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Región Centro")
    expect(page.locator("main")).to_contain_text("Querétaro")
    page.get_by_role("navigation", name="Secciones del portal de transparencia").get_by_role(
        "link", name="Datos abiertos"
    ).click()
    page.wait_for_url(f"{live_server.url}/transparencia/datos/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Datos abiertos")
    with page.expect_download() as download:
        page.get_by_role("link", name="Compromisos (CSV)").click()
    assert download.value.suggested_filename == "acuerdos-compromisos-2026-06-30.csv"
    assert errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_portal_fits_every_screen(browser, live_server, graded, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-MX")
    page = context.new_page()
    errors = watch(page)
    for path in PATHS:
        page.goto(f"{live_server.url}{path}")
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width, f"{path} is {scroll} px wide on a {width} px screen"
        if SHOTS:
            name = path.strip("/").replace("/", "-") or "index"
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    assert errors == []
    context.close()
