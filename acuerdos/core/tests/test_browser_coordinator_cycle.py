"""The whole coordinator cycle in a real browser (issue 4, first "done when"), through the UI only.

The coordinator registers a regional meeting of Región Centro (participants by the region
shortcut), opens «Nuevo acuerdo» from that meeting for all the OOAD of the region twice (once
with an indicator target, once with three milestones), then invites an enlace to OOAD Morelos.
The enlace opens the e-mailed link in a browser of their own, chooses a password and finds in
«Mis compromisos» exactly Morelos' two commitments of the new meeting and nothing else. The
database then holds one commitment per OOAD per agreement, and the audit has every step.

Screenshots of the key steps at 1280 px go to /tmp/shots/helper-e2e/ for a person to look at.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Membership, Role, Theme, Unit, UnitKind, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contrasena-segura-123"
NEW_PASSWORD = "Compromisos-Morelos-2026"
ENLACE_EMAIL = "enlace.morelos@imss.gob.mx"
SHOTS = Path("/tmp/shots/helper-e2e")  # noqa: S108 - screenshots for people, not data
CODE = "RR9-CEN"
FIRST, SECOND = f"{CODE}-2026-0001", f"{CODE}-2026-0002"
MILESTONES = [
    ("Proyecto ejecutivo", "29/01/2027", "1"),
    ("Obra civil", "30/04/2027", "2"),
    ("Puesta en operación", "30/06/2027", "1"),
]


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(f"{page.url} {msg.text}") if msg.type == "error" else None,
    )
    return errors


def shot(page: Page, name: str) -> None:
    """A full-page screenshot at 1280 px."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def link_in(body: str) -> str:
    match = re.search(r"(http://\S+/accounts/invitacion/\S+/)", body)
    assert match, body
    return match.group(1)


def test_it_walks_the_coordinator_cycle_from_meeting_to_the_enlace_commitments(
    browser: Browser, live_server, world
):
    centro_ooad = list(
        Unit.objects.filter(region__short_name="Centro", kind=UnitKind.OOAD, is_active=True)
    )
    assert len(centro_ooad) > 2
    commitments_before = Commitment.objects.count()
    am, inf = Theme.objects.get(code="AM"), Theme.objects.get(code="INF")

    # The coordinator logs in and opens Reuniones from the menu.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-MX")
    page = context.new_page()
    errors = watch_console(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Correo institucional").fill(world.users["coordinator"].email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")
    page.locator("#ac-nav").get_by_role("link", name="Reuniones").click()
    page.wait_for_url(f"{live_server.url}/reuniones/")

    # Nueva reunión: regional, Región Centro, dates, participants by the region shortcut.
    page.get_by_role("link", name="Nueva reunión").click()
    page.wait_for_url(f"{live_server.url}/reuniones/nueva/")
    page.get_by_label("Clave").fill(CODE)
    page.get_by_label("Tipo").select_option(value="regional")
    page.get_by_label("Nombre", exact=True).fill("9ª Reunión Regional Centro")
    page.get_by_label("Región", exact=True).select_option(label="Región Centro")
    page.get_by_label("Sede").fill("Cuernavaca, Mor.")
    page.get_by_label("Fecha de inicio").fill("12/11/2026")
    page.get_by_label("Fecha de término").fill("13/11/2026")
    page.get_by_label("Todas las OOAD de la región", exact=True).check()
    expect(page.locator("[data-unit-count]")).to_have_text(f"{len(centro_ooad)} unidades elegidas.")
    shot(page, "1-nueva-reunion")
    page.get_by_role("button", name="Registrar reunión").click()
    page.wait_for_url(re.compile(r"/reuniones/\d+/$"))
    meeting = Meeting.objects.get(code=CODE)
    assert meeting.kind == "regional"
    assert meeting.region.short_name == "Centro"
    assert set(meeting.participants.all()) == set(centro_ooad)
    expect(page.get_by_role("heading", name="9ª Reunión Regional Centro")).to_be_visible()
    shot(page, "2-reunion")

    # From the meeting page, «Nuevo acuerdo» for all the OOAD with an indicator target.
    page.get_by_role("link", name="Nuevo acuerdo").click()
    folio = page.get_by_label("Folio", exact=True)
    expect(folio).to_have_value(FIRST)
    page.get_by_label("Texto del acuerdo").fill(
        "Reducir el tiempo de espera en los servicios de urgencias de la región."
    )
    page.get_by_label("Línea de acción").select_option(label="Atención médica")
    expect(page.get_by_label("Área normativa que valida")).to_have_value(str(am.lead_area_id))
    page.get_by_label("Todas las OOAD de la región Centro", exact=False).check()
    page.get_by_label("Indicador", exact=True).check()
    page.get_by_label("Nombre del indicador").fill("Tiempo de espera en urgencias")
    page.get_by_label("Unidad de medida").fill("minutos")
    page.get_by_label("Línea base").fill("90")
    page.get_by_label("Meta", exact=True).fill("30")
    page.get_by_label("Fecha compromiso").fill("31/12/2026")
    shot(page, "3-acuerdo-indicador")
    page.get_by_role("button", name="Registrar acuerdo").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{len(centro_ooad)} compromiso")
    shot(page, "4-acuerdo-indicador-registrado")

    # Back on the meeting page, a second agreement with three milestones.
    page.get_by_role("link", name=CODE, exact=True).click()
    page.wait_for_url(f"{live_server.url}/reuniones/{meeting.pk}/")
    page.get_by_role("link", name="Nuevo acuerdo").click()
    expect(folio).to_have_value(SECOND)
    page.get_by_label("Texto del acuerdo").fill("Poner en operación el nuevo quirófano híbrido.")
    page.get_by_label("Línea de acción").select_option(label="Infraestructura")
    expect(page.get_by_label("Área normativa que valida")).to_have_value(str(inf.lead_area_id))
    page.get_by_label("Todas las OOAD de la región Centro", exact=False).check()
    page.get_by_label("Hitos", exact=True).check()
    page.get_by_label("Fecha compromiso").fill("30/06/2027")
    rows = page.locator("[data-milestone-row]")
    while rows.count() < len(MILESTONES):
        page.get_by_role("button", name="Agregar hito").click()
    for index, (name, date, weight) in enumerate(MILESTONES):
        row = rows.nth(index)
        row.locator("input[name='m-name']").fill(name)
        row.locator("input[name='m-date']").fill(date)
        row.locator("input[name='m-weight']").fill(weight)
    expect(page.locator("[data-milestone-total]")).to_contain_text("4")
    shot(page, "5-acuerdo-hitos")
    page.get_by_role("button", name="Registrar acuerdo").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{len(centro_ooad)} compromiso")
    shot(page, "6-acuerdo-hitos-registrado")

    # The meeting page counts both agreements and every commitment, two per OOAD.
    page.get_by_role("link", name=CODE, exact=True).click()
    page.wait_for_url(f"{live_server.url}/reuniones/{meeting.pk}/")
    expect(page.locator(".ac-stat-value")).to_have_text(["2", str(len(centro_ooad) * 2)])
    shot(page, "6b-reunion-con-acuerdos")

    # Coordinación → Personas → Invitar persona: an enlace of OOAD Morelos.
    page.locator("#ac-nav").get_by_role("button", name="Coordinación", exact=True).click()
    page.locator("#ac-nav").get_by_role("link", name="Personas").click()
    page.wait_for_url(f"{live_server.url}/personas/")
    page.get_by_role("link", name="Invitar persona").click()
    page.wait_for_url(f"{live_server.url}/personas/invitar/")
    page.get_by_label("Correo institucional").fill(ENLACE_EMAIL)
    page.get_by_label("Nombre completo").fill("Jorge Alberto Salgado Núñez")
    page.get_by_label("Unidad").select_option(label="Morelos (OOAD-MOR)")
    page.get_by_label("Rol").select_option(label="Enlace")
    shot(page, "7-invitar-enlace")
    page.get_by_role("button", name="Enviar invitación").click()
    page.wait_for_url(re.compile(r"/personas/\d+/$"))
    invited = page.locator(".alert-success")
    expect(invited).to_contain_text(f"Se envió la invitación a {ENLACE_EMAIL}")
    enlace_user = User.objects.get(email=ENLACE_EMAIL)
    assert [(m.unit.code, m.role) for m in Membership.objects.filter(user=enlace_user)] == [
        ("OOAD-MOR", Role.LIAISON)
    ]
    assert errors == []

    # The enlace opens the e-mailed link in a browser of their own and chooses a password.
    [message] = mail.outbox
    assert message.to == [ENLACE_EMAIL]
    enlace_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-MX")
    enlace = enlace_context.new_page()
    enlace_errors = watch_console(enlace)
    enlace.goto(link_in(message.body))
    expect(enlace.get_by_role("heading", name="Elija su contraseña")).to_be_visible()
    enlace.get_by_label("Nueva contraseña").fill(NEW_PASSWORD)
    enlace.get_by_label("Confirme la contraseña").fill(NEW_PASSWORD)
    shot(enlace, "8-elegir-contrasena")
    enlace.get_by_role("button", name="Guardar contraseña y entrar").click()
    enlace.wait_for_url(f"{live_server.url}/")
    expect(enlace.locator(".alert-success")).to_contain_text("Su contraseña quedó guardada")

    # «Mis compromisos»: exactly Morelos' two commitments of the new meeting, nothing else.
    enlace.locator("#ac-nav").get_by_role("link", name="Mis compromisos").click()
    enlace.wait_for_url(f"{live_server.url}/compromisos/mios/")
    own = enlace.locator("section[aria-labelledby=propios] a.ac-folio").all_inner_texts()
    shared = enlace.locator("section[aria-labelledby=corresponsables] a.ac-folio").all_inner_texts()
    assert sorted(own) == [FIRST, SECOND]
    assert shared == []
    expect(enlace.locator("#propios .badge")).to_have_text("2")
    main = enlace.locator("main").inner_text()
    for other in ("TST-CEN-2026-0001", "TST-CEN-2026-0002", "TST-CEN-2026-0003"):
        assert other not in main
    shot(enlace, "9-mis-compromisos-enlace")
    assert enlace_errors == []

    # The database: one commitment per OOAD of the region and agreement, Morelos' two included.
    first, second = Agreement.objects.get(folio=FIRST), Agreement.objects.get(folio=SECOND)
    assert {first.meeting_id, second.meeting_id} == {meeting.pk}
    created = Commitment.objects.filter(agreement__meeting=meeting)
    assert created.count() == len(centro_ooad) * 2
    assert Commitment.objects.count() - commitments_before == len(centro_ooad) * 2
    for agreement in (first, second):
        assert {c.responsible_unit for c in agreement.commitments.all()} == set(centro_ooad)
    assert set(first.commitments.values_list("target_kind", flat=True)) == {"indicator"}
    for commitment in second.commitments.all():
        assert list(commitment.milestones.values_list("name", "weight")) == [
            (name, Decimal(weight)) for name, _date, weight in MILESTONES
        ]
    morelos = created.filter(responsible_unit__code="OOAD-MOR")
    assert sorted(morelos.values_list("agreement__folio", flat=True)) == [FIRST, SECOND]

    # The audit: the meeting, both agreements, every commitment, the invitation, the password.
    events = AuditEvent.objects
    assert events.filter(action="meeting.created", target_id=str(meeting.pk)).count() == 1
    assert set(events.filter(action="agreement.created").values_list("target_id", flat=True)) == {
        str(first.pk),
        str(second.pk),
    }
    audited = set(events.filter(action="commitment.created").values_list("target_id", flat=True))
    assert audited == {str(pk) for pk in created.values_list("pk", flat=True)}
    assert events.filter(action="user.invited", target_id=str(enlace_user.pk)).count() == 1
    assert events.filter(action="user.password_set", target_id=str(enlace_user.pk)).count() == 1
    coordinator = world.users["coordinator"]
    assert events.filter(action="meeting.created").get().actor == coordinator
    assert set(events.filter(action="user.invited").values_list("actor", flat=True)) == {
        coordinator.pk
    }

    for browser_context in (context, enlace_context):
        browser_context.close()
