"""Nuevo acuerdo in a real browser (Playwright on Debian's chromium): one agreement for all the
OOAD of the region with an indicator target, a second one with three milestones, the htmx
folio check and theme → area, and a validation error that loses nothing.

Set ACUERDOS_SCREENSHOTS=/some/dir to keep a screenshot of every form at 1280 and 375 px.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from acuerdos.commitments import selectors
from acuerdos.commitments.models import Agreement
from acuerdos.organization.models import Theme, UnitKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"
SHOTS = os.environ.get("ACUERDOS_SCREENSHOTS", "")


def _shot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _log_in(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")


def test_it_creates_an_agreement_for_all_ooad_and_one_with_three_milestones(
    page: Page, live_server, world
):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server, world.users["coordinator"].email)

    # From the list, the meeting first.
    page.goto(f"{live_server.url}/acuerdos/")
    page.get_by_role("link", name="Nuevo acuerdo").click()
    expect(page.get_by_role("heading", name="¿En qué reunión se firmó?")).to_be_visible()
    _shot(page, "01-reunion")
    page.get_by_label("Reunión").select_option(str(world.meeting.pk))
    page.get_by_role("button", name="Continuar").click()

    # The folio is proposed and checked as it is typed (htmx).
    folio = page.get_by_label("Folio", exact=True)
    expect(folio).to_have_value("TST-CEN-2026-0004")
    folio.fill("TST-CEN-2026-0001")
    expect(page.locator("#folio-check")).to_contain_text("ya está registrado")
    folio.fill("TST-CEN-2026-0101")
    expect(page.locator("#folio-check")).to_contain_text("Folio disponible")

    page.get_by_label("Texto del acuerdo").fill(
        "Reducir el tiempo de espera en los servicios de urgencias de la región."
    )
    # Choosing the theme proposes its lead area (htmx).
    inf = Theme.objects.get(code="INF")
    page.get_by_label("Línea de acción").select_option(str(inf.pk))
    expect(page.get_by_label("Área normativa que valida")).to_have_value(str(inf.lead_area_id))
    page.get_by_label("Línea de acción").select_option(label="Atención médica")
    expect(page.locator("#area-field")).to_contain_text("área líder de Atención médica")

    page.get_by_label("Todas las OOAD de la región Centro", exact=False).check()
    page.get_by_label("Indicador", exact=True).check()
    expect(page.get_by_label("Línea base")).to_be_visible()
    expect(page.locator("[data-target-panel='milestones']")).to_be_hidden()
    page.get_by_label("Nombre del indicador").fill("Tiempo de espera en urgencias")
    page.get_by_label("Unidad de medida").fill("minutos")
    page.get_by_label("Línea base").fill("90")
    page.get_by_label("Meta", exact=True).fill("90")
    page.get_by_label("Fecha compromiso").fill("31/12/2026")

    # A validation error: the message sits next to the field and nothing typed is lost.
    page.get_by_role("button", name="Registrar acuerdo").click()
    expect(page.locator("#id_target_value_error")).to_contain_text("distinta de la línea base")
    expect(page.get_by_label("Nombre del indicador")).to_have_value("Tiempo de espera en urgencias")
    expect(page.get_by_label("Todas las OOAD de la región Centro", exact=False)).to_be_checked()
    _shot(page, "02-nuevo-acuerdo-error")
    page.get_by_label("Meta", exact=True).fill("30")
    page.get_by_role("button", name="Registrar acuerdo").click()

    ooad = selectors.region_units(world.meeting.region_id, UnitKind.OOAD)
    expect(page.locator(".alert-success")).to_contain_text(f"{len(ooad)} compromiso")
    first = Agreement.objects.get(folio="TST-CEN-2026-0101")
    assert first.commitments.count() == len(ooad)
    assert set(first.commitments.values_list("target_kind", flat=True)) == {"indicator"}

    # The second agreement: two units picked by searching, three milestones.
    page.goto(f"{live_server.url}/acuerdos/nuevo/?reunion={world.meeting.pk}")
    expect(page.get_by_label("Folio", exact=True)).to_have_value("TST-CEN-2026-0102")
    page.get_by_label("Texto del acuerdo").fill("Poner en operación el nuevo quirófano híbrido.")
    page.get_by_label("Línea de acción").select_option(label="Infraestructura")
    search = page.get_by_role("searchbox", name="Buscar en Unidades responsables")
    search.fill("queretaro")
    page.locator("#responsible-units").get_by_label("OOAD Querétaro · Centro").check()
    search.fill("hidalgo")
    page.locator("#responsible-units").get_by_label("OOAD Hidalgo · Centro").check()
    expect(page.locator("#responsible-units ~ [data-unit-count]")).to_have_text(
        "2 unidades elegidas."
    )
    page.get_by_label("Hitos", exact=True).check()
    page.get_by_label("Fecha compromiso").fill("15/12/2026")
    rows = page.locator("[data-milestone-row]")
    plan = [("Proyecto ejecutivo", "30/06/2026", "1"), ("Obra civil", "30/09/2026", "2")]
    plan.append(("Puesta en operación", "15/12/2026", "1"))
    while rows.count() < 4:
        page.get_by_role("button", name="Agregar hito").click()
    page.get_by_role("button", name="Quitar este hito").last.click()
    expect(rows).to_have_count(3)
    for index, (name, date, weight) in enumerate(plan):
        row = rows.nth(index)
        row.locator("input[name='m-name']").fill(name)
        row.locator("input[name='m-date']").fill(date)
        row.locator("input[name='m-weight']").fill(weight)
    expect(page.locator("[data-milestone-total]")).to_contain_text("4")
    expect(rows.nth(1)).to_contain_text("50 %")
    _shot(page, "03-nuevo-acuerdo-hitos")
    page.get_by_role("button", name="Registrar acuerdo").click()
    expect(page.locator(".alert-success")).to_contain_text("2 compromiso")
    second = Agreement.objects.get(folio="TST-CEN-2026-0102")
    for commitment in second.commitments.all():
        assert list(commitment.milestones.values_list("name", "weight")) == [
            (name, Decimal(weight)) for name, _date, weight in plan
        ]

    # The edit forms, for the screenshots (and that they open).
    page.get_by_role("link", name="Editar acuerdo").click()
    expect(page.get_by_label("Folio", exact=True)).to_have_value("TST-CEN-2026-0102")
    _shot(page, "04-editar-acuerdo")
    edited = second.commitments.order_by("pk").first()
    assert edited is not None
    page.goto(f"{live_server.url}/compromisos/{edited.pk}/editar/")
    expect(page.locator("[data-milestone-row]")).to_have_count(4)  # three and a blank one
    _shot(page, "05-editar-compromiso")
    page.goto(f"{live_server.url}/acuerdos/{second.pk}/compromisos/nuevo/")
    expect(page.get_by_label("Unidad responsable")).to_be_visible()
    _shot(page, "06-agregar-compromiso")
    # The refused form answers 400 on purpose; the browser logs that status, nothing else.
    assert [e for e in errors if "status of 400" not in e] == []
