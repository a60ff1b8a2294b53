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
