"""The commitment page: validated progress and what waits apart, the reports, the due-date
history with Solicitar reprogramación / Aprobar / Negar, Cancelar, comments and the history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import ExtensionRequest, ExtensionStatus
from acuerdos.commitments.services import extension_request
from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.progress.services import (
    ReportInput,
    comment_add,
    report_return,
    report_save_draft,
    report_submit,
    report_validate,
)
from acuerdos.progress.tests.helpers import PDF, upload

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _report(world, percent: str, *, as_of: dt.date = dt.date(2026, 6, 10)):
    return report_submit(
        commitment=world.own_commitment,
        actor=world.users["liaison"],
        data=ReportInput(as_of=as_of, percent=Decimal(percent), narrative=f"Avance {percent}."),
        uploads=[upload(PDF, f"evidencia-{percent}.pdf")],
    )


def _page(client, world) -> str:
    response = client.get(world.own_commitment.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _audit_for(response, action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).latest("id")
    assert event.request_id == response["X-Request-ID"]
    return event


def test_it_shows_the_validated_progress_rounded_half_up(world, clients):
    report_validate(report=_report(world, "12.25"), actor=world.users["validator"])
    html = _page(clients["viewer"], world)
    assert 'value="12.3" max="100"' in html
    assert "12.3 %" in html  # 12.25 rounded half up, never to even


def test_it_shows_what_waits_for_validation_apart(world, clients):
    report_validate(
        report=_report(world, "30", as_of=dt.date(2026, 5, 31)), actor=world.users["validator"]
    )
    pending = _report(world, "60")
    html = _page(clients["liaison"], world)
    validated_block = html[html.index('id="avance"') : html.index('id="pendiente"')]
    assert "30 %" in validated_block and "60 %" not in validated_block
    pending_block = html[html.index('id="pendiente"') : html.index('id="reportes"')]
    assert "Reportado, sin validar" in pending_block
    assert "60 %" in pending_block
    assert f"/avances/{pending.pk}/" in pending_block


def test_it_lists_the_reports_with_anchors_and_hides_drafts_from_other_units(world, clients):
    sent = _report(world, "40")
    draft = report_save_draft(
        commitment=world.own_commitment,
        actor=world.users["head"],
        data=ReportInput(as_of=dt.date(2026, 6, 14), percent=Decimal("50")),
    )
    own = _page(clients["liaison"], world)
    assert f'id="reporte-{sent.pk}"' in own and f'id="reporte-{draft.pk}"' in own
    assert f"/avances/{draft.pk}/editar/" in own
    assert "evidencia-40.pdf" in own
    validator = _page(clients["validator"], world)
    assert f'id="reporte-{sent.pk}"' in validator
    assert f'id="reporte-{draft.pk}"' not in validator


def test_it_points_the_unit_to_the_observations_to_answer(world, clients):
    returned = report_return(
        report=_report(world, "40"), actor=world.users["validator"], comment="Falta el acta."
    )
    html = _page(clients["liaison"], world)
    assert "devolvió su reporte" in html and "Falta el acta." in html
    assert f"/compromisos/{world.own_commitment.pk}/reportar/?answers={returned.pk}" in html
    assert "Atender observaciones" not in _page(clients["validator"], world)


def test_it_shows_the_actions_each_persona_may_take(world, clients):
    liaison = _page(clients["liaison"], world)
    assert "Reportar avance" in liaison and "Solicitar reprogramación" in liaison
    assert "Cancelar compromiso" not in liaison
    coordinator = _page(clients["coordinator"], world)
    assert "Cancelar compromiso" in coordinator
    assert "Reportar avance</a>" not in coordinator
    viewer = _page(clients["viewer"], world)
    for action in ("Reportar avance</a>", "Solicitar reprogramación", "Publicar comentario"):
        assert action not in viewer


# --- Extensions ---------------------------------------------------------------------------------


def test_it_requests_an_extension_audited_with_the_request_id(world, clients):
    response = clients["liaison"].post(
        f"/compromisos/{world.own_commitment.pk}/reprogramacion/",
        {"new_due_date": "31/12/2026", "justification": "La licitación se declaró desierta."},
    )
    assert response.status_code == 302
    request = ExtensionRequest.objects.get()
    assert (request.new_due_date, request.status) == (dt.date(2026, 12, 31), "pending")
    event = _audit_for(response, "commitment.extension_requested")
    assert event.actor == world.users["liaison"]
    assert event.changes == {"due_date": ["2026-09-30", "2026-12-31"]}
    html = _page(clients["liaison"], world)
    assert "Pendiente de resolver por la Coordinación central." in html
    assert 'id="solicitar-reprogramacion"' not in html  # one pending request at a time


def test_it_keeps_the_extension_form_filled_on_errors(world, clients):
    response = clients["liaison"].post(
        f"/compromisos/{world.own_commitment.pk}/reprogramacion/",
        {"new_due_date": "30/09/2026", "justification": "Texto que no debe perderse."},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "La nueva fecha compromiso debe ser distinta de la vigente." in html
    assert "Texto que no debe perderse." in html
    assert 'class="collapse show" id="solicitar-reprogramacion"' in html
    assert not ExtensionRequest.objects.exists()


def _pending(world, new_due_date: dt.date = dt.date(2026, 12, 31)) -> ExtensionRequest:
    return extension_request(
        commitment=world.own_commitment,
        actor=world.users["liaison"],
        new_due_date=new_due_date,
        justification="La licitación se declaró desierta.",
    )


def test_it_approves_an_extension_and_keeps_every_due_date(world, clients):
    pending = _pending(world)
    assert "Aprobar" in _page(clients["coordinator"], world)
    assert "</i> Aprobar</button>" not in _page(clients["validator"], world)
    response = clients["coordinator"].post(
        f"/compromisos/{world.own_commitment.pk}/reprogramacion/resolver/",
        {"decision": "approve", "extension": pending.pk},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ExtensionStatus.APPROVED
    event = _audit_for(response, "commitment.extended")
    assert event.actor == world.users["coordinator"]
    html = _page(clients["liaison"], world)
    dates = html[html.index('class="ac-dates"') :]
    assert dates.index("30 sep 2026") < dates.index("31 dic 2026")
    assert "reprogramación aprobada el 15 jun 2026 por Coordinator" in html
    assert "Reprogramada; la original era 30 sep 2026" in html


def test_it_requires_a_reason_to_deny_and_refuses_a_stale_decision(world, clients):
    pending = _pending(world)
    url = f"/compromisos/{world.own_commitment.pk}/reprogramacion/resolver/"
    response = clients["coordinator"].post(url, {"decision": "deny", "extension": pending.pk})
    assert response.status_code == 200
    assert "Escriba el motivo por el que se niega la reprogramación." in response.content.decode()
    response = clients["coordinator"].post(
        url, {"decision": "deny", "extension": pending.pk + 1000, "comment": "No procede."}
    )
    assert response.status_code == 409
    assert "ya fue resuelta por otra persona o reemplazada" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == ExtensionStatus.PENDING


def test_it_lets_the_area_decide_when_the_setting_says_so(world, clients, settings):
    settings.ACUERDOS = {**settings.ACUERDOS, "EXTENSIONS_DECIDED_BY_AREA": True}
    pending = _pending(world)
    assert "</i> Aprobar</button>" in _page(clients["validator"], world)
    response = clients["validator"].post(
        f"/compromisos/{world.own_commitment.pk}/reprogramacion/resolver/",
        {"decision": "deny", "extension": pending.pk, "comment": "No se justifica."},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ExtensionStatus.DENIED


# --- Cancellation -------------------------------------------------------------------------------


def test_it_cancels_after_confirmation_with_a_reason(world, clients):
    url = f"/compromisos/{world.own_commitment.pk}/cancelar/"
    confirm = clients["coordinator"].get(url).content.decode()
    assert "¿Está seguro?" in confirm and "Sí, cancelar el compromiso" in confirm
    response = clients["coordinator"].post(url, {"reason": " ", "expected_version": 1})
    assert response.status_code == 200
    assert "Escriba el motivo de la cancelación." in response.content.decode()
    response = clients["coordinator"].post(
        url, {"reason": "Acuerdo duplicado con RR8-CEN-0002.", "expected_version": 1}
    )
    assert response.status_code == 302
    world.own_commitment.refresh_from_db()
    assert world.own_commitment.cancellation_reason == "Acuerdo duplicado con RR8-CEN-0002."
    event = _audit_for(response, "commitment.cancelled")
    assert event.actor == world.users["coordinator"]
    html = _page(clients["liaison"], world)
    assert "Cancelado el 15 jun 2026" in html
    assert "Reportar avance</a>" not in html


def test_it_refuses_a_cancellation_on_a_stale_page(world, clients):
    url = f"/compromisos/{world.own_commitment.pk}/cancelar/"
    response = clients["coordinator"].post(
        url, {"reason": "Motivo escrito con cuidado.", "expected_version": 0}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Otra persona cambió este compromiso" in html
    assert "Motivo escrito con cuidado." in html
    world.own_commitment.refresh_from_db()
    assert world.own_commitment.cancelled_on is None
    version = world.own_commitment.version
    assert f'name="expected_version" value="{version}"' in html
    # A deliberate retry with the version the page now carries goes through.
    retry = {"reason": "Motivo escrito con cuidado.", "expected_version": version}
    assert clients["coordinator"].post(url, retry).status_code == 302
    world.own_commitment.refresh_from_db()
    assert world.own_commitment.is_cancelled


# --- Comments and history -----------------------------------------------------------------------


def test_it_tells_the_history_as_a_readable_spanish_timeline(world, clients):
    report = _report(world, "40")
    report_return(report=report, actor=world.users["validator"], comment="Falta el acta.")
    comment_add(commitment=world.own_commitment, actor=world.users["head"], text="Ya la pedimos.")
    html = _page(clients["viewer"], world)
    timeline = html[html.index('id="historia"') :]
    assert "Liaison</span> envió un reporte de avance" in timeline
    assert "Validator</span> devolvió el reporte con observaciones" in timeline
    assert "Head</span> comentó" in timeline
    assert "enviado" in timeline and "observado" in timeline  # old → new state, in Spanish
    assert timeline.index("comentó") < timeline.index("envió un reporte")  # newest first
    assert "Ya la pedimos." in html[html.index('id="comentarios"') :]


@pytest.mark.parametrize("persona", ["liaison", "validator", "coordinator", "viewer"])
def test_it_shows_the_commitment_page_in_constant_queries(world, clients, persona):
    from acuerdos.commitments.services import extension_decide

    def grow() -> None:
        for n in range(4):
            report = _report(world, str(10 + n))
            if n % 2:
                report_validate(report=report, actor=world.users["validator"])
            else:
                report_return(report=report, actor=world.users["validator"], comment="Falta.")
            comment_add(commitment=world.own_commitment, actor=world.users["head"], text=f"C {n}")
        extension_decide(request=_pending(world), actor=world.users["coordinator"], approve=True)
        _pending(world, dt.date(2027, 1, 31))  # and one waiting for a decision

    def grow_and_read() -> None:
        # Opening the page reads the notifications it is about (one UPDATE when there are
        # some): read them once, so that only the growth of the page itself is measured.
        grow()
        clients[persona].get(url)

    url = world.own_commitment.get_absolute_url()
    _report(world, "5")
    assert_constant_queries(clients[persona], url, grow_and_read)
