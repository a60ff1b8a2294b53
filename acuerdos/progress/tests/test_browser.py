"""The whole progress loop in a real browser (Playwright on Debian's chromium), and a report being
written that survives the end of the session.

Set ACUERDOS_SCREENSHOTS=/some/dir to keep a screenshot of every step (desktop and 375 px).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Page, expect

from acuerdos.progress.models import ProgressReport, ReportState
from acuerdos.progress.tests.helpers import PDF, png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"
SHOTS = os.environ.get("ACUERDOS_SCREENSHOTS", "")
NAMES = {
    "liaison": "María Fernanda López Ruiz",
    "validator": "Jorge Armando Castillo Méndez",
    "head": "Dra. Patricia Hernández Soto",
    "coordinator": "Lic. Ernesto Salinas Vega",
}


@pytest.fixture
def people(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for key, name in NAMES.items():
        user = world.users[key]
        user.full_name = name
        user.save()
    commitment = world.own_commitment
    agreement = commitment.agreement
    agreement.text = (
        "Reducir el diferimiento quirúrgico en los hospitales generales de zona mediante jornadas "
        "de cirugía de fin de semana y la reapertura de quirófanos en mantenimiento."
    )
    agreement.deliverable = "Informe mensual de cirugías realizadas y quirófanos en operación."
    agreement.save()
    return world


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    paths = {
        "pdf": tmp_path / "Oficio de avance junio.pdf",
        "png": tmp_path / "Foto quirófano 3.png",
        "acta": tmp_path / "Acta de entrega firmada.pdf",
    }
    paths["pdf"].write_bytes(PDF)
    paths["png"].write_bytes(png(320, 200))
    paths["acta"].write_bytes(PDF)
    return paths


def _shot(page: Page, name: str, *, full_page: bool = True) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


def _open(browser, live_server, user, *, width: int = 1280):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="es-MX",
        timezone_id="America/Mexico_City",
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    _log_in(page, live_server, user.email)
    return context, page, errors


def _log_in(page: Page, live_server, email: str, *, landing: str = "/") -> None:
    if "/accounts/login/" not in page.url:
        page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}{landing}")


def _fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width} px wide on a 375 px screen"


def _bell(page: Page) -> str:
    return page.locator(".ac-bell").inner_text()


def test_it_walks_the_whole_loop(browser, live_server, people, files):
    world = people
    commitment = world.own_commitment
    liaison_ctx, liaison, liaison_errors = _open(browser, live_server, world.users["liaison"])
    validator_ctx, validator, validator_errors = _open(
        browser, live_server, world.users["validator"]
    )

    # 1. The enlace reports progress with a PDF and an image, from Mis compromisos.
    liaison.goto(f"{live_server.url}/compromisos/mios/")
    _shot(liaison, "01-enlace-mis-compromisos")
    liaison.get_by_role("link", name="Reportar avance").first.click()
    liaison.wait_for_url(re.compile(r"/reportar/$"))
    # A mistake first: the form comes back with the error next to the field, the text kept,
    # and a clear request to attach the files again.
    liaison.get_by_label("Porcentaje de avance").fill("140")
    liaison.get_by_label("Descripción del avance").fill("Texto que no se pierde.")
    liaison.set_input_files("#id_evidence", [str(files["pdf"])])
    liaison.get_by_role("button", name="Enviar a validación").click()
    expect(liaison.locator("#id_percent_error")).to_have_text(
        "El porcentaje de avance debe estar entre 0 y 100."
    )
    expect(liaison.get_by_label("Descripción del avance")).to_have_value("Texto que no se pierde.")
    expect(liaison.locator(".ac-reattach")).to_contain_text("Vuelva a adjuntar sus archivos")
    _shot(liaison, "02a-enlace-errores")
    liaison.get_by_label("Porcentaje de avance").fill("40")
    liaison.get_by_label("Descripción del avance").fill(
        "Se realizaron dos jornadas quirúrgicas de fin de semana (48 cirugías) y se reabrió el "
        "quirófano 3 del HGZ 1. Falta reabrir el quirófano 5, en espera de la pieza del equipo "
        "de anestesia."
    )
    liaison.set_input_files("#id_evidence", [str(files["pdf"]), str(files["png"])])
    expect(liaison.locator(".ac-chosen li")).to_have_count(2)
    expect(liaison.locator(".ac-chosen")).to_contain_text("Oficio de avance junio.pdf")
    _shot(liaison, "02-enlace-reportar-avance")
    liaison.get_by_role("button", name="Enviar a validación").click()
    liaison.wait_for_url(re.compile(r"/avances/\d+/$"))
    expect(liaison.locator(".alert-success")).to_contain_text("Se envió el reporte a validación")
    report = ProgressReport.objects.get()
    assert report.state == ReportState.SUBMITTED and report.evidence.count() == 2
    _shot(liaison, "03-enlace-reporte-enviado")

    # 2. The validator is notified, finds it in Por validar and returns it with observations.
    validator.reload()
    assert "1" in _bell(validator)
    validator.get_by_role("link", name="Por validar").click()
    expect(validator.locator("a.ac-folio")).to_have_count(1)
    _shot(validator, "04-validador-por-validar")
    validator.locator("a.ac-folio").first.click()
    expect(validator.get_by_role("heading", name="Revisión del área normativa")).to_be_visible()
    _shot(validator, "05-validador-reporte")
    validator.get_by_role("button", name="Devolver").click()  # without observations first
    expect(validator.locator("#id_comment_error")).to_have_text(
        "Escriba las observaciones para la unidad."
    )
    validator.get_by_label("Observaciones para la unidad").fill(
        "Adjunten el acta de entrega del quirófano 3 firmada por el director del HGZ."
    )
    validator.get_by_role("button", name="Devolver").click()
    validator.wait_for_url(f"{live_server.url}/por-validar/")
    expect(validator.locator(".alert-success")).to_contain_text("Se devolvió el reporte")
    _shot(validator, "06-validador-devuelto")

    # 3. The enlace sees the notification and answers the observations.
    liaison.goto(f"{live_server.url}/notificaciones/")
    expect(liaison.locator(".ac-inbox-item.is-unread")).to_have_count(1)
    expect(liaison.locator(".ac-inbox-item").first).to_contain_text("devolvió con observaciones")
    _shot(liaison, "07-enlace-notificaciones")
    liaison.locator(".ac-inbox-link").first.click()
    liaison.wait_for_url(re.compile(rf"/avances/{report.pk}/$"))
    liaison.get_by_role("link", name="Atender observaciones").first.click()
    liaison.wait_for_url(re.compile(rf"/reportar/\?answers={report.pk}$"))
    expect(liaison.get_by_label("Descripción del avance")).to_contain_text("dos jornadas")
    liaison.get_by_label("Porcentaje de avance").fill("45")
    liaison.set_input_files("#id_evidence", [str(files["acta"])])
    _shot(liaison, "08-enlace-atender-observaciones")
    liaison.get_by_role("button", name="Enviar a validación").click()
    liaison.wait_for_url(re.compile(r"/avances/\d+/$"))
    answer = ProgressReport.objects.get(answers=report)

    # 4. The validator validates the answer.
    validator.goto(f"{live_server.url}/por-validar/")
    expect(validator.locator(".ac-results")).to_contain_text("Atiende observaciones")
    validator.locator("a.ac-folio").first.click()
    validator.wait_for_url(re.compile(rf"/avances/{answer.pk}/$"))
    expect(validator.locator("main")).to_contain_text("Atiende las observaciones")
    validator.get_by_role("button", name="Validar").click()
    validator.wait_for_url(f"{live_server.url}/por-validar/")
    expect(validator.locator(".ac-empty")).to_contain_text("No hay reportes por validar")
    answer.refresh_from_db()
    assert answer.state == ReportState.VALIDATED

    # 5. The enlace sees it validated, and the notifications on both sides.
    liaison.goto(f"{live_server.url}{commitment.get_absolute_url()}")
    expect(liaison.locator("#avance-valor")).to_have_text("45 %")
    expect(liaison.locator(f"#reporte-{answer.pk}")).to_contain_text("Validado")
    _shot(liaison, "09-enlace-compromiso-validado")
    liaison.goto(f"{live_server.url}/notificaciones/")
    expect(liaison.locator(".ac-inbox-item").first).to_contain_text("validó su avance")
    _shot(liaison, "10-enlace-notificaciones-validado")
    validator.goto(f"{live_server.url}/notificaciones/")
    expect(validator.locator(".ac-inbox-item")).to_have_count(2)
    expect(validator.locator(".ac-inbox-item").first).to_contain_text("Avance por validar")
    # Opening each report read its notification: the bell no longer counts them.
    expect(validator.locator(".ac-inbox-item.is-unread")).to_have_count(0)
    expect(validator.locator(".ac-bell-count")).to_have_count(0)
    _shot(validator, "11-validador-notificaciones")
    validator.goto(f"{live_server.url}{commitment.get_absolute_url()}#historia")
    expect(validator.locator("#historia")).to_be_visible()
    _shot(validator, "12-validador-historia")

    assert liaison_errors == [] and validator_errors == []
    liaison_ctx.close()
    validator_ctx.close()

    # 6. The same pages on a 375 px phone.
    phone_ctx, phone, phone_errors = _open(browser, live_server, world.users["liaison"], width=375)
    for name, path in [
        ("13-telefono-mis-compromisos", "/compromisos/mios/"),
        ("14-telefono-reportar", f"/compromisos/{commitment.pk}/reportar/"),
        ("15-telefono-reporte", f"/avances/{answer.pk}/"),
        ("16-telefono-compromiso", commitment.get_absolute_url()),
        ("17-telefono-notificaciones", "/notificaciones/"),
    ]:
        phone.goto(f"{live_server.url}{path}")
        _fits(phone)
        _shot(phone, name)
    phone_ctx.close()
    phone_ctx, phone, more_errors = _open(
        browser, live_server, world.users["coordinator"], width=375
    )
    for name, path in [
        ("18-telefono-por-validar", "/por-validar/"),
        ("19-telefono-bitacora", "/bitacora/"),
        ("20-telefono-cancelar", f"/compromisos/{commitment.pk}/cancelar/"),
    ]:
        phone.goto(f"{live_server.url}{path}")
        _fits(phone)
        _shot(phone, name)
    phone.get_by_role("button", name="Mostrar u ocultar el menú").click()
    phone.wait_for_selector("#ac-nav.collapse.show")
    expect(phone.locator("#ac-nav").get_by_role("link", name="Por validar")).to_be_visible()
    phone.locator("#ac-nav").get_by_role("button", name="Coordinación", exact=True).click()
    expect(phone.locator("#ac-nav").get_by_role("link", name="Bitácora")).to_be_visible()
    _shot(phone, "21-telefono-menu", full_page=False)
    phone_ctx.close()
    assert phone_errors == [] and more_errors == []


def _stored(page: Page, key: str) -> str | None:
    return page.evaluate("(key) => window.localStorage.getItem(key)", key)


def _expire_session(page: Page) -> None:
    """What 31 idle minutes do: the middleware finds the last-seen mark too old."""
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=cookie["value"])
    session["_last_seen"] = int(time.time()) - 2 * 60 * 60
    session.save()


def test_it_restores_the_text_after_the_session_expired(browser, live_server, people):
    world = people
    commitment = world.own_commitment
    liaison = world.users["liaison"]
    key = f"acuerdos:avance:{liaison.pk}:{commitment.pk}"
    form_url = f"{live_server.url}/compromisos/{commitment.pk}/reportar/"
    context, page, errors = _open(browser, live_server, liaison)
    narrative = "Texto largo escrito durante cuarenta minutos: jornadas, cifras y pendientes."

    page.goto(form_url)
    expect(page.locator("[data-autosave-notice]")).to_be_hidden()
    page.get_by_label("Porcentaje de avance").fill("55")
    page.get_by_label("Descripción del avance").fill(narrative)
    page.wait_for_function("(key) => window.localStorage.getItem(key) !== null", arg=key)
    assert narrative in (_stored(page, key) or "")
    assert "csrfmiddlewaretoken" not in (_stored(page, key) or "")

    # The session ends while the form is open; pressing the button leads to the login page.
    _expire_session(page)
    page.get_by_role("button", name="Guardar borrador").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.locator(".alert-info")).to_contain_text("Su sesión expiró")
    assert not ProgressReport.objects.exists()
    # Logging in again leads straight back to the form…
    _log_in(page, live_server, liaison.email, landing=f"/compromisos/{commitment.pk}/reportar/")

    # …where the text is there again, and the page says so.
    notice = page.locator("[data-autosave-notice]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Se restauró el texto que estaba escribiendo")
    expect(page.get_by_label("Descripción del avance")).to_have_value(narrative)
    expect(page.get_by_label("Porcentaje de avance")).to_have_value("55")
    _shot(page, "22-texto-restaurado")

    # A successful save clears the copy; the form then opens empty.
    page.get_by_role("button", name="Guardar borrador").click()
    page.wait_for_url(re.compile(r"/avances/\d+/$"))
    assert ProgressReport.objects.get().narrative == narrative
    page.wait_for_function("(key) => window.localStorage.getItem(key) === null", arg=key)
    page.goto(form_url)
    expect(page.locator("[data-autosave-notice]")).to_be_hidden()
    expect(page.get_by_label("Descripción del avance")).to_have_value("")
    assert errors == []
    context.close()


def test_it_restores_the_text_when_the_cookies_are_gone(browser, live_server, people):
    world = people
    commitment = world.own_commitment
    form_path = f"/compromisos/{commitment.pk}/reportar/"
    context, page, errors = _open(browser, live_server, world.users["head"])
    page.goto(f"{live_server.url}{form_path}")
    page.get_by_label("Descripción del avance").fill("Lo que escribió la titular.")
    key = f"acuerdos:avance:{world.users['head'].pk}:{commitment.pk}"
    page.wait_for_function("(key) => window.localStorage.getItem(key) !== null", arg=key)

    context.clear_cookies()
    page.reload()  # the login page, with the form as the next page
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    _log_in(page, live_server, world.users["head"].email, landing=form_path)
    expect(page.locator("[data-autosave-notice]")).to_be_visible()
    expect(page.get_by_label("Descripción del avance")).to_have_value("Lo que escribió la titular.")

    # "Descartar lo restaurado" puts the form back as it came from the server.
    page.get_by_role("button", name="Descartar lo restaurado").click()
    expect(page.get_by_label("Descripción del avance")).to_have_value("")
    assert _stored(page, key) is None
    assert errors == []
    context.close()


def test_it_never_offers_one_persons_text_to_another(browser, live_server, people):
    world = people
    commitment = world.own_commitment
    form_url = f"{live_server.url}/compromisos/{commitment.pk}/reportar/"
    context, page, _ = _open(browser, live_server, world.users["liaison"])
    page.goto(form_url)
    page.get_by_label("Descripción del avance").fill("Texto de la enlace.")
    key = f"acuerdos:avance:{world.users['liaison'].pk}:{commitment.pk}"
    page.wait_for_function("(key) => window.localStorage.getItem(key) !== null", arg=key)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    _log_in(page, live_server, world.users["head"].email)
    page.goto(form_url)
    expect(page.locator("[data-autosave-notice]")).to_be_hidden()
    expect(page.get_by_label("Descripción del avance")).to_have_value("")
    context.close()
