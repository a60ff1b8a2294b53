"""The export buttons in a real browser: they follow the htmx filters and download the file."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"
SHOTS = Path("/tmp/issue6-shots")  # noqa: S108 - screenshots for people, not data


@pytest.mark.parametrize(("width", "label"), [(1366, "1366"), (375, "375")])
def test_the_export_buttons_carry_the_filters_of_the_list(
    browser, live_server, world, width, label
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="es-MX", accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(world.users["coordinator"].email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/acuerdos/")
    page.locator("#id_q").fill("0002")
    # Leaving the box applies the filter too (the form's «change» trigger): wait for it.
    page.locator("#id_q").press("Tab")
    page.wait_for_load_state("networkidle")
    expect(page.locator("a.ac-folio")).to_have_count(1)
    page.get_by_role("button", name="Exportar Excel").click()
    menu = page.get_by_role("link", name="Compromisos, con semáforo")
    expect(menu.first).to_be_visible()
    page.screenshot(path=str(SHOTS / f"{label}-7-exportar-acuerdos.png"), full_page=True)
    width_now = page.evaluate("() => document.documentElement.scrollWidth")
    assert width_now <= width
    assert "q=0002" in (menu.first.get_attribute("href") or "")
    with page.expect_download() as info:
        menu.first.click()
    download = info.value
    assert download.suggested_filename.startswith("compromisos-")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).worksheets[0]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["TST-CEN-2026-0002"]
    assert errors == []
