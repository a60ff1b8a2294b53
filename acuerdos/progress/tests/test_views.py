"""The progress pages over HTTP: Reportar avance (new, draft, answering observations), the report
page with Validar / Devolver / Rechazar, Por validar, comments, uploads refused by content.

Every write asserts its audit row: the actor and the request id the response carried.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import Milestone, TargetKind
from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory
from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.notifications.models import Notification
from acuerdos.organization.models import Role, Theme, Unit
from acuerdos.organization.tests.factories import MembershipFactory, UserFactory
from acuerdos.progress.models import Evidence, ProgressReport, ReportState
from acuerdos.progress.services import (
    ReportInput,
    report_return,
    report_save_draft,
    report_submit,
    report_validate,
)
from acuerdos.progress.tests.helpers import PDF, png, upload

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def _pdf(name: str = "oficio.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _png(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(), content_type="image/png")


def _form(**extra):
    data = {
        "as_of": "10/06/2026",
        "percent": "45",
        "narrative": "Se firmó el contrato y se instaló el equipo en dos de tres salas.",
        "action": "submit",
    }
    data.update(extra)
    return data


def _submitted(world, percent: str = "40", *, commitment=None):
    return report_submit(
        commitment=commitment or world.own_commitment,
        actor=world.users["liaison"],
        data=ReportInput(
            as_of=dt.date(2026, 6, 10), percent=Decimal(percent), narrative="Avance de obra."
        ),
        uploads=[upload(PDF, "oficio.pdf")],
    )


def _audit_for(response, action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).latest("id")
    assert event.request_id, "the audit row carries the request id"
    assert event.request_id == response["X-Request-ID"]
    return event


# --- Reportar avance ---------------------------------------------------------------------------


def test_it_opens_the_form_for_a_percent_target_with_todays_date(world, clients):
    response = clients["liaison"].get(f"/compromisos/{world.own_commitment.pk}/reportar/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="15/06/2026"' in html  # today, typed like every date of the UI
    assert "Porcentaje de avance" in html
    assert 'type="file"' in html and "multiple" in html
    assert "Guardar borrador" in html and "Enviar a validación" in html
    assert f'data-autosave="acuerdos:avance:{world.users["liaison"].pk}:' in html


def test_it_shows_baseline_target_and_lower_is_better_for_an_indicator(world, clients):
    commitment = world.own_commitment
    commitment.target_kind = TargetKind.INDICATOR
    commitment.indicator_name = "Días de espera para cirugía"
    commitment.unit_of_measure = "días"
    commitment.baseline, commitment.target_value = Decimal("45"), Decimal("20")
    commitment.save()
    html = clients["liaison"].get(f"/compromisos/{commitment.pk}/reportar/").content.decode()
    assert "Días de espera para cirugía" in html
    assert "45 → 20" in html
    assert "menos es mejor" in html
    assert 'name="indicator_value"' in html
    assert 'name="percent"' not in html


def test_it_lists_milestones_prechecked_with_the_latest_report(world, clients):
    commitment = world.own_commitment
    commitment.target_kind = TargetKind.MILESTONES
    commitment.save()
    first, second, _third = (
        Milestone.objects.create(
            commitment=commitment, name=f"Hito {n}", due_date=dt.date(2026, 6 + n, 1), order=n
        )
        for n in (1, 2, 3)
    )
    report_submit(
        commitment=commitment,
        actor=world.users["liaison"],
        data=ReportInput(
            as_of=dt.date(2026, 6, 1), milestone_ids=[first.pk, second.pk], narrative="Dos hitos."
        ),
        uploads=[upload(PDF, "acta.pdf")],
    )
    html = clients["head"].get(f"/compromisos/{commitment.pk}/reportar/").content.decode()
    assert f'value="{first.pk}" id="hito-{first.pk}" checked' in html
    assert f'value="{second.pk}" id="hito-{second.pk}" checked' in html
    assert f'id="hito-{_third.pk}">' in html  # not checked
    assert "Programado para el 1 sep 2026 · peso 1" in html


def test_it_submits_a_report_with_two_files_and_tells_the_validators(world, clients):
    response = clients["liaison"].post(
        f"/compromisos/{world.own_commitment.pk}/reportar/",
        _form(evidence=[_pdf(), _png()]),
    )
    report = ProgressReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/avances/{report.pk}/"
    assert report.state == ReportState.SUBMITTED
    assert report.percent == Decimal("45")
    assert sorted(e.original_name for e in report.evidence.all()) == ["foto.png", "oficio.pdf"]
    event = _audit_for(response, "progress.submitted")
    assert event.actor == world.users["liaison"]
    assert event.changes["percent"] == [None, "45"]
    assert Notification.objects.filter(
        recipient=world.users["validator"], kind="progress.submitted"
    ).exists()
    page = clients["liaison"].get(response["Location"]).content.decode()
    assert "Se envió el reporte a validación" in page
    # the page that confirms the save tells the browser to drop its copy of the text
    key = f"acuerdos:avance:{world.users['liaison'].pk}:{world.own_commitment.pk}"
    assert f'data-autosave-clear="{key}"' in page
    assert (
        "data-autosave-clear" not in clients["liaison"].get(response["Location"]).content.decode()
    )


def test_it_accepts_a_decimal_comma(world, clients):
    clients["liaison"].post(
        f"/compromisos/{world.own_commitment.pk}/reportar/",
        _form(percent="62,5", evidence=[_pdf()]),
    )
    assert ProgressReport.objects.get().percent == Decimal("62.5")


def test_it_keeps_everything_typed_when_the_form_has_errors(world, clients, media):
    response = clients["liaison"].post(
        f"/compromisos/{world.own_commitment.pk}/reportar/",
        _form(percent="150", as_of="31/02/2026", evidence=[_pdf()]),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "El porcentaje de avance debe estar entre 0 y 100." in html
    assert "Escriba una fecha válida, por ejemplo 30/06/2026." in html
    assert "Se firmó el contrato y se instaló el equipo en dos de tres salas." in html
    assert 'value="150"' in html and 'value="31/02/2026"' in html
    assert "vuelva a adjuntarlos" in html  # the browser never sends the files twice
    assert not ProgressReport.objects.exists()
    assert _stored_files(media) == []


def test_it_asks_for_everything_only_when_sending(world, clients):
    url = f"/compromisos/{world.own_commitment.pk}/reportar/"
    response = clients["liaison"].post(url, _form(percent="", narrative=""))
    html = response.content.decode()
    assert "Indique el porcentaje de avance (de 0 a 100)." in html
    assert "Describa el avance: qué se hizo y qué falta." in html
    assert "Adjunte al menos un archivo de evidencia" in html
    assert "vuelva a adjuntarlos" not in html  # no file had been chosen
    # a draft asks only for the date
    response = clients["liaison"].post(url, _form(percent="", narrative="", action="draft"))
    assert response.status_code == 302
    assert ProgressReport.objects.get().state == ReportState.DRAFT


def test_it_refuses_dates_after_today_or_before_the_start(world, clients):
    url = f"/compromisos/{world.own_commitment.pk}/reportar/"
    html = clients["liaison"].post(url, _form(as_of="16/06/2026")).content.decode()
    assert "La fecha del avance no puede ser posterior a hoy." in html
    html = clients["liaison"].post(url, _form(as_of="01/01/2026")).content.decode()
    assert "no puede ser anterior al inicio del compromiso (30/04/2026)" in html


EXECUTABLE = b"MZ\x90\x00\x03" + b"\x00" * 300
HTML = b"<!DOCTYPE html><html><body><script>fetch('/x')</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXECUTABLE, "informe.pdf", "No se aceptó «informe.pdf»: los programas ejecutables"),
        (HTML, "evidencia.pdf", "No se aceptó «evidencia.pdf»: los archivos SVG, HTML o XML"),
        (SVG, "grafica.png", "No se aceptó «grafica.png»: los archivos SVG, HTML o XML"),
        (b"", "vacio.pdf", "No se aceptó «vacio.pdf»: el archivo está vacío."),
        (PDF + b"0" * 2048, "grande.pdf", "No se aceptó «grande.pdf»: pesa más de 1 KB"),
    ],
    ids=["renamed executable", "html with script", "svg with script", "empty", "oversized"],
)
@pytest.mark.parametrize("action", ["submit", "draft"])
def test_it_refuses_bad_files_in_spanish_and_stores_nothing(
    world, clients, media, settings, content, name, message, action
):
    settings.ACUERDOS = {**settings.ACUERDOS, "EVIDENCE_MAX_BYTES": 1024}
    response = clients["liaison"].post(
        f"/compromisos/{world.own_commitment.pk}/reportar/",
        _form(action=action, evidence=[_pdf("bueno.pdf"), SimpleUploadedFile(name, content)]),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'id="id_evidence_error"' in html  # next to the file box
    assert "vuelva a adjuntarlos" in html
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()
    assert _stored_files(media) == []
    assert not AuditEvent.objects.filter(action__startswith="progress.").exists()


def test_it_edits_a_draft_and_sends_it(world, clients):
    draft = report_save_draft(
        commitment=world.own_commitment,
        actor=world.users["liaison"],
        data=ReportInput(as_of=dt.date(2026, 6, 10), percent=Decimal("20")),
        uploads=[upload(PDF, "borrador.pdf")],
    )
    html = clients["head"].get(f"/avances/{draft.pk}/editar/").content.decode()
    assert f'name="expected_version" value="{draft.version}"' in html
    assert "borrador.pdf" in html  # the evidence already attached counts for sending
    response = clients["head"].post(
        f"/avances/{draft.pk}/editar/", _form(expected_version=draft.version)
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.percent) == (ReportState.SUBMITTED, Decimal("45"))
    event = _audit_for(response, "progress.submitted")
    assert event.actor == world.users["head"]
    assert event.changes["percent"] == ["20", "45"]  # the same figure never reads as a change


def test_it_turns_a_stale_draft_edit_into_a_conflict_without_losing_the_text(world, clients):
    draft = report_save_draft(
        commitment=world.own_commitment,
        actor=world.users["liaison"],
        data=ReportInput(as_of=dt.date(2026, 6, 10), percent=Decimal("20")),
    )
    seen = draft.version
    report_save_draft(
        commitment=world.own_commitment,
        actor=world.users["head"],
        data=ReportInput(as_of=dt.date(2026, 6, 11), percent=Decimal("25")),
        report=draft,
        expected_version=seen,
    )
    response = clients["liaison"].post(
        f"/avances/{draft.pk}/editar/",
        _form(
            action="draft", narrative="Mi texto largo que no debe perderse.", expected_version=seen
        ),
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Otra persona cambió este reporte mientras usted lo tenía abierto" in html
    assert "Mi texto largo que no debe perderse." in html
    assert f'name="expected_version" value="{seen + 1}"' in html
    draft.refresh_from_db()
    assert draft.percent == Decimal("25")  # nothing overwritten


def test_it_answers_observations_with_a_linked_report(world, clients):
    returned = report_return(
        report=_submitted(world, "40"),
        actor=world.users["validator"],
        comment="Falta el acta de entrega firmada.",
    )
    url = f"/compromisos/{world.own_commitment.pk}/reportar/?answers={returned.pk}"
    html = clients["liaison"].get(url).content.decode()
    assert "Atender observaciones" in html
    assert "Falta el acta de entrega firmada." in html
    assert f'name="answers" value="{returned.pk}"' in html
    assert "Avance de obra." in html  # pre-filled with the returned report's text
    response = clients["liaison"].post(
        f"/compromisos/{world.own_commitment.pk}/reportar/",
        _form(answers=returned.pk, evidence=[_pdf("acta.pdf")]),
    )
    answer = ProgressReport.objects.get(answers=returned)
    assert response.status_code == 302
    assert answer.state == ReportState.SUBMITTED
    assert _audit_for(response, "progress.submitted").context["answers"] == returned.pk
    page = clients["validator"].get(f"/avances/{answer.pk}/").content.decode()
    assert "Atiende las observaciones" in page
    page = clients["validator"].get(f"/avances/{returned.pk}/").content.decode()
    assert "Respuesta de la unidad" in page


def test_it_refuses_answering_a_report_of_another_commitment(world, clients):
    foreign = _submitted(world, commitment=world.own_commitment)
    other = CommitmentFactory(
        agreement=AgreementFactory(meeting=world.meeting, theme=Theme.objects.get(code="AM")),
        responsible_unit=Unit.objects.get(code="OOAD-QRO"),
    )
    response = clients["liaison"].get(f"/compromisos/{other.pk}/reportar/?answers={foreign.pk}")
    assert response.status_code == 404


def test_it_does_not_let_a_cancelled_commitment_receive_reports(world, clients):
    from acuerdos.commitments.services import commitment_cancel

    commitment_cancel(
        commitment=world.own_commitment, actor=world.users["coordinator"], reason="Duplicado."
    )
    response = clients["liaison"].get(f"/compromisos/{world.own_commitment.pk}/reportar/")
    assert response.status_code == 302
    assert response["Location"] == world.own_commitment.get_absolute_url()


# --- The report page and the validator's decision ----------------------------------------------


def test_it_shows_a_report_with_its_evidence_and_the_review_form_to_the_area(world, clients):
    report = _submitted(world, "40")
    evidence = report.evidence.get()
    html = clients["validator"].get(f"/avances/{report.pk}/").content.decode()
    assert "Avance al 10 jun 2026" in html
    assert "40 %" in html
    assert "Avance de obra." in html
    assert f'href="/evidencias/{evidence.pk}/descargar/"' in html
    assert "Revisión del área normativa" in html
    assert f'name="expected_version" value="{report.version}"' in html
    for button in ("Validar", "Devolver", "Rechazar"):
        assert f"</i> {button}</button>" in html
    for persona in ("liaison", "viewer"):
        assert (
            "Revisión del área normativa"
            not in clients[persona].get(f"/avances/{report.pk}/").content.decode()
        )


def test_it_validates_audits_and_notifies_the_unit(world, clients):
    report = _submitted(world)
    response = clients["validator"].post(
        f"/avances/{report.pk}/revisar/",
        {"decision": "validate", "expected_version": report.version},
    )
    assert response.status_code == 302
    assert response["Location"] == "/por-validar/"
    report.refresh_from_db()
    assert report.state == ReportState.VALIDATED
    event = _audit_for(response, "progress.validated")
    assert event.actor == world.users["validator"]
    assert event.changes["state"] == ["submitted", "validated"]
    assert Notification.objects.filter(
        recipient=world.users["liaison"], kind="progress.validated"
    ).exists()
    assert "Se validó el reporte" in clients["validator"].get("/por-validar/").content.decode()


@pytest.mark.parametrize(
    ("decision", "state", "error"),
    [
        ("return", ReportState.RETURNED, "Escriba las observaciones para la unidad."),
        ("reject", ReportState.REJECTED, "Escriba el motivo del rechazo."),
    ],
)
def test_it_requires_observations_to_return_and_a_reason_to_reject(
    world, clients, decision, state, error
):
    report = _submitted(world)
    url = f"/avances/{report.pk}/revisar/"
    response = clients["validator"].post(url, {"decision": decision, "comment": "  "})
    assert response.status_code == 200
    assert error in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    response = clients["validator"].post(
        url, {"decision": decision, "comment": "Falta la evidencia fotográfica."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.review_comment) == (state, "Falta la evidencia fotográfica.")
    event = _audit_for(response, f"progress.{state}")
    assert event.actor == world.users["validator"]


def test_it_explains_a_conflict_in_spanish_when_someone_decided_first(world, clients):
    report = _submitted(world)
    seen = report.version
    report_validate(report=report, actor=world.users["coordinator"])
    response = clients["validator"].post(
        f"/avances/{report.pk}/revisar/",
        {"decision": "return", "comment": "Falta el acta.", "expected_version": seen},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "No se registró su decisión" in html
    assert "Otra persona cambió este reporte" in html
    assert "«Validado»" in html and "Coordinator" in html
    report.refresh_from_db()
    assert report.state == ReportState.VALIDATED
    assert not AuditEvent.objects.filter(action="progress.returned").exists()


def test_it_answers_403_to_a_validator_of_another_area_who_can_see_the_report(world):
    # A DA validator who is also enlace of Querétaro sees the report, but DPM validates it.
    person = UserFactory(email="da.qro@imss.gob.mx")
    MembershipFactory(user=person, unit=Unit.objects.get(code="DA"), role=Role.VALIDATOR)
    MembershipFactory(user=person, unit=Unit.objects.get(code="OOAD-QRO"), role=Role.LIAISON)
    client = Client()
    client.force_login(person)
    report = _submitted(world)
    assert client.get(f"/avances/{report.pk}/").status_code == 200
    response = client.post(f"/avances/{report.pk}/revisar/", {"decision": "validate"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_it_answers_404_to_a_validator_of_another_area_who_cannot_see_it(world):
    person = UserFactory(email="da@imss.gob.mx")
    MembershipFactory(user=person, unit=Unit.objects.get(code="DA"), role=Role.VALIDATOR)
    client = Client()
    client.force_login(person)
    report = _submitted(world)
    assert client.get(f"/avances/{report.pk}/").status_code == 404
    assert (
        client.post(f"/avances/{report.pk}/revisar/", {"decision": "validate"}).status_code == 404
    )


@pytest.mark.parametrize("persona", ["viewer", "liaison", "head"])
def test_it_answers_403_to_people_who_see_but_do_not_validate(world, clients, persona):
    report = _submitted(world)
    response = clients[persona].post(f"/avances/{report.pk}/revisar/", {"decision": "validate"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_it_records_the_download_of_an_evidence_file(world, clients):
    evidence = _submitted(world).evidence.get()
    response = clients["validator"].get(f"/evidencias/{evidence.pk}/descargar/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    event = _audit_for(response, "evidence.downloaded")
    assert event.actor == world.users["validator"]


# --- Por validar --------------------------------------------------------------------------------


def _report_on_new_commitment(world, *, unit: str = "OOAD-QRO", theme: str = "AM"):
    agreement = AgreementFactory(meeting=world.meeting, theme=Theme.objects.get(code=theme))
    commitment = CommitmentFactory(
        agreement=agreement, responsible_unit=Unit.objects.get(code=unit)
    )
    actor = UserFactory()
    MembershipFactory(user=actor, unit=commitment.responsible_unit, role=Role.LIAISON)
    return report_submit(
        commitment=commitment,
        actor=actor,
        data=ReportInput(as_of=dt.date(2026, 6, 1), percent=Decimal("10"), narrative="Avance."),
        uploads=[upload(PDF, "a.pdf")],
    )


def test_it_queues_the_areas_submitted_reports_oldest_first(world, clients):
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        older = _report_on_new_commitment(world, unit="OOAD-PUE")
    newer = _submitted(world)
    foreign_area = _report_on_new_commitment(world, theme="INF")  # validated by DA
    validated = _report_on_new_commitment(world)
    report_validate(report=validated, actor=world.users["validator"])
    html = clients["validator"].get("/por-validar/").content.decode()
    assert "2 reportes por validar" in html
    assert html.index(f"/avances/{older.pk}/") < html.index(f"/avances/{newer.pk}/")
    assert f"/avances/{foreign_area.pk}/" not in html
    assert f"/avances/{validated.pk}/" not in html
    assert "3\xa0días" in html  # how long it has been waiting
    coordinator = clients["coordinator"].get("/por-validar/").content.decode()
    assert "3 reportes por validar" in coordinator


def test_it_filters_the_queue_with_typed_fields_only(world, clients):
    puebla = _report_on_new_commitment(world, unit="OOAD-PUE")
    queretaro = _submitted(world)
    unit = Unit.objects.get(code="OOAD-PUE")
    html = clients["coordinator"].get(f"/por-validar/?unit={unit.pk}").content.decode()
    assert f"/avances/{puebla.pk}/" in html
    assert f"/avances/{queretaro.pk}/" not in html
    theme = Theme.objects.get(code="INF")
    assert (
        "No hay reportes"
        in clients["coordinator"].get(f"/por-validar/?theme={theme.pk}").content.decode()
        or "Ningún reporte"
        in clients["coordinator"].get(f"/por-validar/?theme={theme.pk}").content.decode()
    )
    # A bad value is reported, not fed to the ORM; the rest of the filters still apply.
    response = clients["coordinator"].get("/por-validar/?unit=abc&state=validated&commitment__pk=1")
    assert response.status_code == 200
    assert "Algunos filtros no son válidos" in response.content.decode()
    assert "2 reportes por validar" in response.content.decode()
    partial = clients["coordinator"].get("/por-validar/", headers={"HX-Request": "true"})
    assert b"<html" not in partial.content


@pytest.mark.parametrize("persona", ["validator", "coordinator"])
def test_it_lists_the_queue_in_constant_queries(world, clients, persona):
    _submitted(world)

    def grow() -> None:
        for code in ("OOAD-PUE", "OOAD-HGO", "OOAD-MOR", "OOAD-TLAX", "OOAD-GTO"):
            _report_on_new_commitment(world, unit=code)

    assert_constant_queries(clients[persona], "/por-validar/", grow)


# --- Comments -----------------------------------------------------------------------------------


def test_it_publishes_a_comment_audited_with_the_request_id(world, clients):
    url = f"/compromisos/{world.own_commitment.pk}/comentarios/"
    response = clients["validator"].post(url, {"text": "¿Pueden adjuntar el contrato firmado?"})
    assert response.status_code == 302
    assert response["Location"].endswith("#comentarios")
    event = _audit_for(response, "comment.created")
    assert event.actor == world.users["validator"]
    page = clients["liaison"].get(world.own_commitment.get_absolute_url()).content.decode()
    assert "¿Pueden adjuntar el contrato firmado?" in page
    assert Notification.objects.filter(recipient=world.users["liaison"]).exists()


def test_it_refuses_an_empty_comment_next_to_the_box(world, clients):
    response = clients["liaison"].post(
        f"/compromisos/{world.own_commitment.pk}/comentarios/", {"text": "   "}
    )
    assert response.status_code == 200
    assert 'id="id_text_error">Escriba el comentario.' in response.content.decode()
    assert not AuditEvent.objects.filter(action="comment.created").exists()


def test_it_does_not_let_a_viewer_comment(world, clients):
    url = f"/compromisos/{world.own_commitment.pk}/comentarios/"
    assert clients["viewer"].post(url, {"text": "Hola"}).status_code == 403
    page = clients["viewer"].get(world.own_commitment.get_absolute_url()).content.decode()
    assert "Publicar comentario" not in page


# --- Mis compromisos ----------------------------------------------------------------------------


def test_it_offers_reporting_and_answering_from_my_commitments(world, clients):
    html = clients["liaison"].get("/compromisos/mios/").content.decode()
    assert f"/compromisos/{world.own_commitment.pk}/reportar/" in html
    returned = report_return(
        report=_submitted(world), actor=world.users["validator"], comment="Falta el acta."
    )
    html = clients["liaison"].get("/compromisos/mios/").content.decode()
    assert f"/compromisos/{world.own_commitment.pk}/reportar/?answers={returned.pk}" in html
    assert "Observado" in html


def test_it_reads_the_notifications_of_a_report_when_its_page_is_opened(world, clients):
    report = _submitted(world)
    unread = Notification.objects.filter(recipient=world.users["validator"], read_at=None)
    assert unread.count() == 1
    html = clients["validator"].get(f"/avances/{report.pk}/").content.decode()
    assert unread.count() == 0
    assert "ac-bell-count" not in html  # the counter on that very page already knows


def test_it_sends_an_answer_in_progress_back_to_its_draft_or_to_the_answer(world, clients):
    returned = report_return(
        report=_submitted(world), actor=world.users["validator"], comment="Falta el acta."
    )
    url = f"/compromisos/{world.own_commitment.pk}/reportar/?answers={returned.pk}"
    draft = report_save_draft(
        commitment=world.own_commitment,
        actor=world.users["liaison"],
        data=ReportInput(as_of=dt.date(2026, 6, 12), percent=Decimal("50")),
        answers=returned,
    )
    response = clients["head"].get(url)
    assert response["Location"] == f"/avances/{draft.pk}/editar/"
    report_submit(
        commitment=world.own_commitment,
        actor=world.users["liaison"],
        data=ReportInput(as_of=dt.date(2026, 6, 12), percent=Decimal("50"), narrative="Listo."),
        uploads=[upload(PDF, "acta.pdf")],
        report=draft,
    )
    response = clients["head"].get(url)
    assert response["Location"] == f"/avances/{draft.pk}/"
