"""A follow-up review in a real browser (Playwright on Debian's chromium): the coordinator
registers the follow-up meeting, steps through the region's open agreements and records one
decision of each kind without reloading the page; every agreement keeps its one folio and one
history, and the meeting page lists the decisions.

Set ACUERDOS_SCREENSHOTS=/some/dir to keep a screenshot of every screen (1280 and 375 px).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import Agreement, Commitment, ExtensionStatus
from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory
from acuerdos.core.dates import today
from acuerdos.followup.models import DecisionKind, ReviewDecision
from acuerdos.meetings.models import Meeting, MeetingKind
from acuerdos.organization.models import Region, Theme, Unit, UnitKind
from acuerdos.progress.models import ProgressReport, ReportState
from acuerdos.progress.tests.helpers import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"
SHOTS = os.environ.get("ACUERDOS_SCREENSHOTS", "")


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True, caret="initial")


def _open(browser, live_server, email: str, *, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="es-MX", timezone_id="America/Mexico_City"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page, errors


def _fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width} px wide on a 375 px screen"


@pytest.fixture
def region(world, settings, tmp_path):
    """The world's three agreements of Centro (overdue since 30 Sep 2026) and a fourth one,
    due next year, with realistic texts."""
    settings.MEDIA_ROOT = tmp_path / "media"
    world.users["coordinator"].full_name = "Lic. Ernesto Salinas Vega"
    world.users["coordinator"].save()
    texts = {
        world.own: "Reducir el diferimiento quirúrgico con jornadas de cirugía de fin de semana.",
        world.foreign: "Concluir la obra de ampliación del área de urgencias del HGZ 1.",
        world.shared: "Sustituir los equipos de rayos X con más de diez años de uso.",
    }
    for agreement, text in texts.items():
        agreement.text = text
        agreement.save()
    later = AgreementFactory(
        meeting=world.meeting,
        folio="TST-CEN-2026-0004",
        text="Implantar la receta electrónica en todas las UMF de la delegación.",
        theme=Theme.objects.get(code="AM"),
    )
    CommitmentFactory(
        agreement=later,
        responsible_unit=world.unit("OOAD-QRO"),
        due_date=today() + dt.timedelta(days=200),
    )
    return world, later


def _item(page: Page, agreement: Agreement):
    return page.locator(f"#revision-{agreement.pk}")


def _decide(page: Page, agreement: Agreement, kind: str, **fields: object) -> None:
    item = _item(page, agreement)
    item.get_by_label("Decisión", exact=True).select_option(label=kind)
    if "date" in fields:
        item.get_by_label("Nueva fecha compromiso").fill(str(fields["date"]))
    if "note" in fields:
        item.get_by_label("Nota o motivo").fill(str(fields["note"]))
    if "file" in fields:
        item.get_by_label("Evidencia").set_input_files(fields["file"])
    item.get_by_role("button", name=re.compile("decisión")).click()


def test_it_records_a_follow_up_review_with_each_decision(browser, live_server, region, tmp_path):
    world, later = region
    coordinator = world.users["coordinator"]
    history_before = {
        c.pk: list(AuditEvent.objects.filter(commitment_id=c.pk).values_list("pk", flat=True))
        for c in Commitment.objects.all()
    }
    context, page, errors = _open(browser, live_server, coordinator.email, width=1280)

    # 1. The coordinator registers the follow-up meeting, with every OOAD of Centro.
    page.goto(f"{live_server.url}/reuniones/")
    _shot(page, "01-reuniones-1280")
    page.get_by_role("link", name="Nueva reunión").click()
    day = today().strftime("%d/%m/%Y")
    page.get_by_label("Clave").fill("SEG-CEN-11")
    page.get_by_label("Nombre", exact=True).fill("Reunión de seguimiento Centro, noviembre")
    page.get_by_label("Tipo", exact=True).select_option(label="Reunión de seguimiento")
    page.get_by_label("Región", exact=True).select_option(
        value=str(Region.objects.get(short_name="Centro").pk)
    )
    page.get_by_label("Sede").fill("Ciudad de México")
    page.get_by_label("Fecha de inicio").fill(day)
    page.get_by_label("Fecha de término").fill(day)
    page.get_by_label("Todas las OOAD de la región").check()
    centro_ooad = Unit.objects.filter(
        kind=UnitKind.OOAD, region__short_name="Centro", is_active=True
    ).count()
    expect(page.locator("[data-unit-count]")).to_have_text(f"{centro_ooad} unidades elegidas.")
    page.get_by_placeholder("Buscar unidad").fill("queretaro")
    expect(page.locator("[data-unit-option]:visible")).to_have_count(1)
    _shot(page, "02-nueva-reunion-1280")
    page.get_by_role("button", name="Registrar reunión").click()
    page.wait_for_url(re.compile(r"/reuniones/\d+/$"))
    meeting = Meeting.objects.get(code="SEG-CEN-11")
    assert meeting.kind == MeetingKind.FOLLOW_UP
    assert meeting.participants.count() == centro_ooad

    # 2. The review: the region's open agreements, the overdue ones first.
    page.get_by_role("link", name="Revisar acuerdos de la región").click()
    page.wait_for_url(re.compile(r"/revision/$"))
    folios = page.locator("article .ac-folio").all_inner_texts()
    assert folios[-1] == "TST-CEN-2026-0004" and len(folios) == 4
    _shot(page, "03-revision-1280")
    page.evaluate("() => { window.acSamePage = true; }")

    # A decision without what it needs is refused next to the field, in place.
    _decide(page, world.foreign, "Cancelado")
    expect(_item(page, world.foreign)).to_contain_text("Escriba el motivo de la cancelación.")
    _shot(page, "04-revision-error-1280")

    _decide(page, world.foreign, "Cancelado", note="La obra se incluyó en el programa nacional.")
    _decide(page, world.shared, "Prórroga otorgada", date="31/03/2027", note="Licitación desierta.")
    acta = tmp_path / "Acta de entrega.pdf"
    acta.write_bytes(PDF)
    _decide(
        page,
        world.own,
        "Declarado cumplido con evidencia",
        note="Se presentó el acta de entrega de los quirófanos.",
        file=str(acta),
    )
    for agreement in (world.foreign, world.shared, world.own):
        expect(_item(page, agreement).locator(".ac-review-decision")).to_contain_text("guardado")
    # The keyboard moves on: after a decision, focus is on the next agreement's decision box.
    expect(_item(page, later).get_by_label("Decisión", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Avanza conforme al programa.")
    _decide(page, later, "Continúa")
    expect(_item(page, later).locator(".ac-review-decision")).to_contain_text("Continúa")
    assert ReviewDecision.objects.get(agreement=later).note == "Avanza conforme al programa."
    for agreement in (world.foreign, world.shared, world.own, later):
        expect(_item(page, agreement).locator(".ac-review-decision")).to_contain_text("guardado")
    assert page.evaluate("() => window.acSamePage === true"), "the page was reloaded"
    _shot(page, "05-revision-decisiones-1280")

    decisions = {d.agreement_id: d.kind for d in ReviewDecision.objects.filter(meeting=meeting)}
    assert decisions == {
        world.foreign.pk: DecisionKind.CANCELLED,
        world.shared.pk: DecisionKind.EXTENDED,
        world.own.pk: DecisionKind.FULFILLED,
        later.pk: DecisionKind.CONTINUES,
    }
    # Effects through the usual paths: cancelled, extended, validated at 100 %.
    assert Commitment.objects.get(pk=world.foreign_commitment.pk).is_cancelled
    extension = world.shared_commitment.extension_requests.get()
    assert extension.status == ExtensionStatus.APPROVED
    assert extension.new_due_date == dt.date(2027, 3, 31)
    report = ProgressReport.objects.get(commitment=world.own_commitment)
    assert report.state == ReportState.VALIDATED and report.progress_num == 100

    # One folio, one history: nothing was copied, every commitment kept its events and added
    # the review's.
    assert Agreement.objects.count() == 4
    assert Commitment.objects.count() == 4
    for folio in ("TST-CEN-2026-0001", "TST-CEN-2026-0002", "TST-CEN-2026-0003"):
        assert Agreement.objects.filter(folio=folio).count() == 1
    for pk, before in history_before.items():
        after = list(AuditEvent.objects.filter(commitment_id=pk).values_list("pk", flat=True))
        assert after[: len(before)] == before
    page.goto(f"{live_server.url}/compromisos/{world.shared_commitment.pk}/")
    expect(page.locator("main")).to_contain_text("31/03/2027")

    # 3. The meeting page lists what was reviewed and decided.
    page.goto(f"{live_server.url}/reuniones/{meeting.pk}/")
    table = page.locator("table.ac-review-decisions")
    expect(table.locator("tbody tr")).to_have_count(4)
    for text in ("Cancelado", "Prórroga otorgada", "Declarado cumplido con evidencia", "Continúa"):
        expect(table).to_contain_text(text)
    expect(table).to_contain_text("Acta de entrega.pdf")
    _shot(page, "06-reunion-seguimiento-1280")
    page.goto(f"{live_server.url}/reuniones/{world.meeting.pk}/")
    _shot(page, "07-reunion-regional-1280")
    page.goto(f"{live_server.url}/reuniones/{world.meeting.pk}/editar/")
    _shot(page, "08-editar-reunion-1280")
    page.goto(f"{live_server.url}/rondas/")
    _shot(page, "09-rondas-1280")
    page.goto(f"{live_server.url}/rondas/nueva/")
    _shot(page, "10-nueva-ronda-1280")
    assert errors == []
    context.close()

    # 4. The same screens on a 375 px phone.
    context, phone, errors = _open(browser, live_server, coordinator.email, width=375)
    screens = {
        "03-revision": f"/reuniones/{meeting.pk}/revision/",
        "06-reunion-seguimiento": f"/reuniones/{meeting.pk}/",
        "07-reunion-regional": f"/reuniones/{world.meeting.pk}/",
        "02-nueva-reunion": "/reuniones/nueva/",
        "09-rondas": "/rondas/",
        "10-nueva-ronda": "/rondas/nueva/",
    }
    for name, path in screens.items():
        phone.goto(f"{live_server.url}{path}")
        _fits(phone)
        _shot(phone, f"{name}-375")
    assert errors == []
    context.close()
