"""The coordinator walks the import screen in a real browser (issue 6, "done when"): upload →
preview with errors (and a unit alias registered with one click) → fixed file → confirm; on a
1366 px projector and a 375 px phone, without console errors (the CSP holds) or sideways
scrolling. Screenshots go to /tmp/issue6-shots/ for a person to look at."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.organization.models import UnitAlias

from .helpers import HEADERS, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"
SHOTS = Path("/tmp/issue6-shots")  # noqa: S108 - screenshots for people, not data
DUE = dt.datetime(2026, 9, 30)
BAD = [
    ["Acuerdos de la Reunión Regional Centro de prueba"],
    HEADERS,
    ["TST-CEN-2026-0101", "Abatir el rezago quirúrgico en Querétaro.", "AM", "Querétaro", DUE],
    ["TST-CEN-2026-0102", "Digitalizar el expediente clínico.", "DIG", "Queretaro Centro", DUE],
    ["TST-CEN-2026-0103", "Ampliar horarios de consulta.", "AM", "Hidalgo", "31/02/2026"],
    ["TST-CEN-2026-0104", "", "AM", "Hidalgo", DUE],
    ["TST-CEN-2026-0105", "Medir el tiempo de espera.", "Astronomía", "Hidalgo", DUE],
    ["TST-CEN-2026-0106", "Abrir quirófanos.", "AM", "Querétaro", dt.datetime(2026, 3, 1)],
]
FIXED = [
    ["Acuerdos de la Reunión Regional Centro de prueba"],
    HEADERS,
    ["TST-CEN-2026-0101", "Abatir el rezago quirúrgico en Querétaro.", "AM", "Querétaro", DUE],
    ["TST-CEN-2026-0102", "Digitalizar el expediente clínico.", "DIG", "Queretaro Centro", DUE],
    ["TST-CEN-2026-0103", "Ampliar horarios de consulta.", "AM", "Hidalgo", "30/09/2026"],
    ["TST-CEN-2026-0104", "Capacitar al personal de urgencias.", "AM", "Hidalgo", DUE],
    ["TST-CEN-2026-0105", "Medir el tiempo de espera.", "Trato digno", "Hidalgo y Querétaro", DUE],
    ["TST-CEN-2026-0106", "Abrir quirófanos.", "AM", "Querétaro", DUE],
]


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = str(tmp_path / "staging")
    SHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def files(tmp_path):
    bad, fixed = tmp_path / "acuerdos-con-errores.xlsx", tmp_path / "acuerdos-corregidos.xlsx"
    bad.write_bytes(xlsx_bytes(BAD))
    fixed.write_bytes(xlsx_bytes(FIXED))
    return bad, fixed


def open_as_coordinator(browser, live_server, world, width: int, height: int):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="es-MX", accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(world.users["coordinator"].email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")
    return page, errors


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fits(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} is {width} px wide on a {viewport} px screen"


def upload(page, meeting_label: str, path: Path) -> None:
    page.get_by_label("Reunión", exact=True).select_option(label=meeting_label)
    page.locator("#acuerdos_file").set_input_files(str(path))
    page.get_by_role("button", name="Cargar y ver vista previa").first.click()
    page.wait_for_url("**/importar/acuerdos/*/*/")


@pytest.mark.parametrize(("width", "height", "label"), [(1366, 768, "1366"), (375, 800, "375")])
def test_the_coordinator_imports_a_file_after_fixing_its_errors(
    browser, live_server, world, files, width, height, label
):
    bad, fixed = files
    meeting_label = f"{world.meeting.code} · {world.meeting.name}"
    page, errors = open_as_coordinator(browser, live_server, world, width, height)

    if width < 992:
        page.get_by_role("button", name="Mostrar u ocultar el menú").click()
    page.locator("#ac-nav").get_by_role("button", name="Coordinación", exact=True).click()
    page.locator("#ac-nav").get_by_role("link", name="Importar").click()
    page.wait_for_url(f"{live_server.url}/importar/")
    fits(page)
    shot(page, f"{label}-1-cargar")

    # 1. The file with five kinds of error: every one by row and column, nothing written.
    upload(page, meeting_label, bad)
    expect(page.locator(".ac-issues tbody tr")).to_have_count(5)
    numbers = page.locator(".ac-issues td.ac-issue-row").all_inner_texts()
    assert [re.sub(r"\D", "", n) for n in numbers] == ["4", "5", "6", "7", "8"]
    columns = page.locator(".ac-issues td.ac-issue-column").all_inner_texts()
    assert [c.split("«")[1].rstrip("»") for c in columns] == [
        "Responsable",
        "Fecha compromiso",
        "Acuerdo",
        "Línea de acción",
        "Fecha compromiso",
    ]
    body = page.locator("main").inner_text()
    assert "No se importó nada: 5 errores" in body
    assert page.get_by_role("button", name="Importar 6 acuerdos").count() == 0
    fits(page)
    shot(page, f"{label}-2-vista-previa-con-errores")
    assert not Agreement.objects.filter(folio__startswith="TST-CEN-2026-01").exists()

    # 2. «Queretaro Centro» is Querétaro: one click registers the alias and previews again.
    page.get_by_role("button", name="Agregar como alias de Querétaro (OOAD-QRO)").click()
    page.wait_for_url("**/importar/acuerdos/*/*/**")
    expect(page.locator(".alert-success")).to_contain_text("quedó registrado como alias")
    expect(page.locator(".ac-issues tbody tr")).to_have_count(4)
    assert UnitAlias.objects.filter(alias="Queretaro Centro").exists()
    fits(page)
    shot(page, f"{label}-3-alias-registrado")

    # 3. The fixed file: no error, the summary, and the confirmation.
    page.get_by_role("link", name="Cargar el archivo corregido").click()
    page.wait_for_url(f"{live_server.url}/importar/")
    upload(page, meeting_label, fixed)
    expect(page.locator(".ac-import-summary")).to_contain_text(
        "Se importarían 6 acuerdos con 7 compromisos"
    )
    fits(page)
    shot(page, f"{label}-4-vista-previa-sin-errores")

    # 4. Confirm: written once, and the page shows what was written.
    page.get_by_role("button", name="Importar 6 acuerdos").click()
    page.wait_for_url("**/importar/")
    expect(page.locator("h1")).to_have_text("Importación terminada")
    expect(page.locator(".ac-import-summary")).to_contain_text(
        "Se importaron 6 acuerdos con 7 compromisos"
    )
    expect(page.locator("a.ac-folio")).to_have_count(6)
    assert Agreement.objects.filter(folio__startswith="TST-CEN-2026-01").count() == 6
    assert Commitment.objects.filter(agreement__folio__startswith="TST-CEN-2026-01").count() == 7
    fits(page)
    shot(page, f"{label}-5-importado")

    page.get_by_role("link", name=f"Ver los acuerdos de {world.meeting.code}").click()
    expect(page.locator("a.ac-folio").first).to_be_visible()
    shot(page, f"{label}-6-acuerdos-de-la-reunion")
    assert errors == []
