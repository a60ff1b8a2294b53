"""Tokens de API in a real browser (Playwright on Debian's chromium): a liaison creates a token,
copies it from the only page that shows it, a BI tool reads the API with it, and the liaison
revokes it — after which the same request is refused.

Set ACUERDOS_SCREENSHOTS=/some/dir to keep a screenshot of the page at 1280 and 375 px.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from acuerdos.core.tests.browser import PASSWORD, log_in, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ACUERDOS_SCREENSHOTS", "")


def _shot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_liaison_creates_uses_and_revokes_a_token(page: Page, live_server: Any, world: Any):
    from django.core.cache import cache

    cache.clear()
    errors = watch_console(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, world.users["liaison"].email)

    page.goto(f"{live_server.url}/cuenta/tokens/")
    expect(page.get_by_role("heading", name="Tokens de API", exact=True)).to_be_visible()
    expect(page.get_by_text("Aún no tiene tokens")).to_be_visible()
    _shot(page, "tokens-01-vacio")
    page.get_by_label("Nombre").fill("Power BI tablero regional")
    page.get_by_label("Vigencia").select_option("365")
    page.get_by_label("Su contraseña actual").fill(PASSWORD)
    page.get_by_role("button", name="Crear token").click()
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("acu_")
    expect(page.get_by_text("es la única vez que se muestra")).to_be_visible()
    # Phones see a list and wider screens a table: only one of them is shown.
    expect(page.locator(".badge:visible", has_text="Solo lectura")).to_have_count(1)
    _shot(page, "tokens-02-creado")

    api = page.context.request
    headers = {"Authorization": f"Bearer {secret}", "Cookie": ""}
    answer = api.get(f"{live_server.url}/api/v1/agreements/", headers=headers)
    assert answer.status == 200
    assert {row["folio"] for row in answer.json()["results"]} == {
        "TST-CEN-2026-0001",
        "TST-CEN-2026-0003",
    }

    page.goto(f"{live_server.url}/cuenta/tokens/")
    expect(page.get_by_label("Token", exact=True)).to_have_count(0)  # never shown again
    page.get_by_role("button", name="Revocar el token Power BI tablero regional").click()
    expect(page.get_by_text("Se revocó el token «Power BI tablero regional»")).to_be_visible()
    expect(page.locator(".badge:visible", has_text="Revocado")).to_have_count(1)
    _shot(page, "tokens-03-revocado")
    page.set_viewport_size({"width": 375, "height": 900})
    expect(page.locator(".badge:visible", has_text="Revocado")).to_have_count(1)
    expect(
        page.get_by_role("button", name="Revocar el token Power BI tablero regional")
    ).to_have_count(0)
    refused = api.get(f"{live_server.url}/api/v1/agreements/", headers=headers)
    assert refused.status == 401
    assert not errors, errors
