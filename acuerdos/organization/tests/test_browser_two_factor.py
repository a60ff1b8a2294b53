"""A coordinator in a real browser: logs in, is held on the enrolment page, reads the key from the
page into an authenticator (here the real TOTP algorithm), confirms with its code, saves the
recovery codes and lands on Inicio; after logging out, the login asks for the code. Screenshots of
each screen at 1280 and 375 px go to /tmp/shots/two-factor/; no page may scroll sideways."""

from __future__ import annotations

import datetime as dt
from base64 import b32decode
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from acuerdos.core.tests.browser import screenshots, watch_console
from conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"
MIDDLEWARE = "acuerdos.organization.two_factor.TwoFactorMiddleware"
SHOTS = Path("/tmp/shots/two-factor")  # noqa: S108 - screenshots for people, not data


def shots(page: Page, name: str) -> None:
    screenshots(page, name, SHOTS)


def _reload_middleware(app: Any) -> None:
    """Rebuild the middleware chain of every handler of the live server: the static and media
    handlers wrap Django's and, with no MEDIA_URL, the media one answers every path itself."""
    while app is not None:
        if isinstance(app, WSGIHandler):
            app.load_middleware()
        app = getattr(app, "application", None)


@pytest.fixture
def two_factor_on(settings: Any, live_server: Any) -> Iterator[None]:
    """Coordinators must enrol; the live server (started once per session) reloads its
    middleware so that the second-factor middleware runs in it too."""
    settings.TWO_FACTOR_REQUIRED_FOR_COORDINATORS = True
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
    app = live_server.thread.httpd.get_app()
    _reload_middleware(app)
    yield
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    _reload_middleware(app)


def code_from_key(key_text: str) -> str:
    secret = key_text.replace(" ", "").strip()
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Correo institucional").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()


def test_a_coordinator_is_made_to_enrol_and_then_asked_for_the_code_at_login(
    browser: Any, live_server: Any, world: World, two_factor_on: None
) -> None:
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-MX")
    page = context.new_page()
    errors = watch_console(page)
    coordinator = world.users["coordinator"]

    # The password is right, but a coordinator without a second factor is held on enrolment.
    log_in(page, base, coordinator.email)
    page.wait_for_url(f"{base}/accounts/segundo-factor/?next=%2F")
    expect(page.get_by_role("heading", name="Active el segundo factor")).to_be_visible()
    expect(page.get_by_text("Su rol de Coordinación central requiere")).to_be_visible()
    page.goto(f"{base}/personas/")
    page.wait_for_url(f"{base}/accounts/segundo-factor/?next=%2Fpersonas%2F")
    page.goto(f"{base}/accounts/segundo-factor/?next=%2F")
    expect(page.locator("svg.segno")).to_be_visible()
    shots(page, "1-activar")

    # A wrong code is refused in Spanish; the code from the key shown on the page is accepted.
    page.get_by_label("Código de verificación").fill("000000")
    page.get_by_role("button", name="Activar segundo factor").click()
    expect(page.get_by_text("El código no es correcto")).to_be_visible()
    shots(page, "2-codigo-incorrecto")
    page.wait_for_timeout(1100)  # django-otp's back-off after one wrong code
    key_text = page.locator("#clave-secreta").inner_text()
    page.get_by_label("Código de verificación").fill(code_from_key(key_text))
    page.get_by_role("button", name="Activar segundo factor").click()

    # The ten recovery codes, once; then Inicio.
    page.wait_for_url(f"{base}/accounts/segundo-factor/codigos/?next=%2F")
    expect(page.get_by_role("heading", name="Sus códigos de recuperación")).to_be_visible()
    assert page.locator("ol li").count() == 10
    shots(page, "3-codigos-de-recuperacion")
    page.get_by_role("link", name="Ya los guardé, continuar").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/accounts/segundo-factor/")
    expect(page.get_by_role("heading", name="Segundo factor", exact=True)).to_be_visible()
    shots(page, "4-estado")

    # Log out; the next login asks for the code (a fresh one: a used code is refused).
    page.locator(".ac-user-toggle").click()
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url(f"{base}/accounts/login/")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60), tick=True):
        log_in(page, base, coordinator.email)
        page.wait_for_url(f"{base}/accounts/verificar/?next=%2F")
        expect(page.get_by_role("heading", name="Confirme que es usted")).to_be_visible()
        shots(page, "5-verificar")
        page.goto(f"{base}/")
        page.wait_for_url(f"{base}/accounts/verificar/?next=%2F")
        page.get_by_label("Código de verificación").fill(code_from_key(key_text))
        page.get_by_role("button", name="Verificar").click()
        page.wait_for_url(f"{base}/")
        expect(page.locator("main h1")).to_be_visible()
    # The only console error is the 400 answer to the wrong code typed on purpose.
    unexpected = [e for e in errors if "status of 400" not in e or "/segundo-factor/" not in e]
    assert unexpected == []
    assert len(errors) == 1
    context.close()
