"""Browser walk of the Informes inbox (Playwright on Debian's chromium), with screenshots at
1280 and 375 px into /tmp/shots/helper-reports/."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from acuerdos.reporting.models import Audience
from acuerdos.reporting.tests.factories import stored_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"
SHOTS = Path(tempfile.gettempdir()) / "shots" / "helper-reports"


def log_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")


def test_it_lists_and_downloads_reports_at_desktop_and_phone_widths(
    page: Any, live_server: Any, world: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for kind, code in (
        (Audience.NATION, None),
        (Audience.REGION, "REG-CENTRO"),
        (Audience.AREA, "DPM"),
        (Audience.UNIT, "OOAD-QRO"),
    ):
        stored_report(kind, code)
        stored_report(kind, code, "xlsx")
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, live_server, world.users["coordinator"].email)
    page.get_by_role("link", name="Informes").first.click()
    page.wait_for_url(f"{live_server.url}/informes/")
    assert page.get_by_role("button", name="Generar paquete de reunión de seguimiento").count()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / "inbox-1280.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(SHOTS / "inbox-375.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at 375 px ({width} px)"
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar PDF").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert errors == []
