"""Progress through the API: scoped lists and filters, writes through the screens' services
(evidence checked by content, permission rules, the version check answering 409), audited
evidence downloads, and constant query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from acuerdos.audit.models import AuditEvent
from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.progress.models import Evidence, ProgressReport, ReportState
from acuerdos.progress.services import ReportInput, report_submit
from acuerdos.progress.tests.helpers import PDF, png, upload
from conftest import World

pytestmark = pytest.mark.django_db

LIST = "/api/v1/progress-reports/"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def submit(world: World, commitment: Any = None, *, percent: str = "40") -> ProgressReport:
    commitment = commitment or world.own_commitment
    unit = commitment.responsible_unit.code
    actor = world.users["liaison" if unit == "OOAD-QRO" else "other_liaison"]
    return report_submit(
        commitment=commitment,
        actor=actor,
        data=ReportInput(as_of=dt.date(2026, 6, 10), percent=Decimal(percent), narrative="Avance."),
        uploads=[upload(PDF, "oficio.pdf")],
    )


EXPECTED = {
    "liaison": {"own", "shared"},
    "head": {"own", "shared"},
    "other_liaison": {"foreign", "shared"},
    "validator": {"own"},
    "coordinator": {"own", "foreign", "shared"},
    "viewer": {"own", "foreign", "shared"},
}


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_it_lists_only_the_reports_in_scope(
    clients: dict[str, Client], world: World, persona: str, expected: set[str]
):
    reports = {
        "own": submit(world, world.own_commitment).pk,
        "foreign": submit(world, world.foreign_commitment).pk,
        "shared": submit(world, world.shared_commitment).pk,
    }
    rows = clients[persona].get(LIST).json()["results"]
    assert {row["id"] for row in rows} == {reports[key] for key in expected}
    for key, pk in reports.items():
        answer = clients[persona].get(f"{LIST}{pk}/").status_code
        assert answer == (200 if key in expected else 404), (persona, key)


def test_it_shows_the_state_and_the_evidence_metadata(clients: dict[str, Client], world: World):
    report = submit(world)
    row = clients["validator"].get(f"{LIST}{report.pk}/").json()
    assert row["state"] == "submitted" and row["state_label"] == "Enviado"
    assert row["folio"] == world.own.folio and row["responsible_unit"] == "OOAD-QRO"
    assert row["progress"] == 40.0 and row["version"] == 1
    (evidence,) = row["evidence"]
    assert evidence["original_name"] == "oficio.pdf"
    assert evidence["content_type"] == "application/pdf"
    assert evidence["download_url"].endswith(f"/api/v1/evidence/{evidence['id']}/download/")
    assert "file" not in evidence


def test_drafts_are_seen_only_by_their_unit_and_the_coordination(
    clients: dict[str, Client], world: World
):
    response = clients["liaison"].post(
        LIST,
        {"commitment": world.own_commitment.pk, "as_of": "2026-06-10", "submit": False},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "draft"
    for persona, seen in {"head": 1, "coordinator": 1, "validator": 0, "viewer": 0}.items():
        assert clients[persona].get(LIST).json()["count"] == seen, persona


def test_it_filters_like_the_screens(clients: dict[str, Client], world: World):
    own, foreign = submit(world), submit(world, world.foreign_commitment)
    client = clients["coordinator"]

    def ids(query: str) -> set[int]:
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("unit=OOAD-QRO") == {own.pk}
    assert ids("unit=OOAD-HGO") == {foreign.pk}
    assert ids("theme=AM") == {own.pk}
    assert ids(f"commitment={world.foreign_commitment.pk}") == {foreign.pk}
    assert ids("state=submitted&meeting=TST-CEN") == {own.pk, foreign.pk}
    assert ids("state=validated") == set()
    assert ids("area=DPM") == {own.pk}
    assert ids("as_of_from=2026-06-11") == set()
    assert ids("as_of_to=2026-06-10&region=REG-CENTRO") == {own.pk, foreign.pk}
    bad = client.get(f"{LIST}?state=nope&as_of_from=ayer")
    assert bad.status_code == 400
    assert "as_of_from" in bad.json() and "state" in bad.json()


def test_it_submits_json_through_the_service_and_requires_evidence(
    clients: dict[str, Client], world: World
):
    body = {
        "commitment": world.own_commitment.pk,
        "as_of": "2026-06-10",
        "percent": "55",
        "narrative": "Se instalaron los equipos.",
    }
    response = clients["liaison"].post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == ["Adjunte al menos un archivo de evidencia."]
    assert not ProgressReport.objects.exists()


def test_it_submits_with_evidence_as_multipart(clients: dict[str, Client], world: World):
    response = clients["liaison"].post(
        LIST,
        {
            "commitment": world.own_commitment.pk,
            "as_of": "2026-06-10",
            "percent": "55",
            "narrative": "Se instalaron los equipos.",
            "evidence": [
                SimpleUploadedFile("oficio.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("foto.png", png(), content_type="image/png"),
            ],
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "submitted" and data["percent"] == "55.00"
    assert sorted(e["content_type"] for e in data["evidence"]) == ["application/pdf", "image/png"]
    report = ProgressReport.objects.get()
    assert AuditEvent.objects.filter(action="progress.submitted", target_id=str(report.pk)).exists()


def test_it_checks_evidence_by_its_content(clients: dict[str, Client], world: World):
    response = clients["liaison"].post(
        LIST,
        {
            "commitment": world.own_commitment.pk,
            "as_of": "2026-06-10",
            "percent": "55",
            "narrative": "Avance.",
            # An SVG with a script, named and typed as a PDF: refused by what it contains.
            "evidence": [SimpleUploadedFile("oficio.pdf", SVG, content_type="application/pdf")],
        },
    )
    assert response.status_code == 400
    assert "No se aceptó" in response.json()["detail"][0]
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("head", 201), ("other_liaison", 404), ("validator", 403), ("coordinator", 403)],
)
def test_only_the_responsible_unit_reports(
    clients: dict[str, Client], world: World, persona: str, status: int
):
    response = clients[persona].post(
        LIST,
        {
            "commitment": world.own_commitment.pk,
            "as_of": "2026-06-10",
            "percent": "10",
            "narrative": "Avance.",
            "evidence": [SimpleUploadedFile("oficio.pdf", PDF)],
        },
    )
    assert response.status_code == status, response.content


def test_a_draft_gets_evidence_then_is_submitted_with_the_version_check(
    clients: dict[str, Client], world: World
):
    client = clients["liaison"]
    created = client.post(
        LIST,
        {
            "commitment": world.own_commitment.pk,
            "as_of": "2026-06-10",
            "percent": "30",
            "narrative": "Borrador.",
            "submit": False,
        },
        content_type="application/json",
    ).json()
    url = f"{LIST}{created['id']}/"
    attached = client.post(
        f"{url}evidence/",
        {"expected_version": created["version"], "evidence": [SimpleUploadedFile("o.pdf", PDF)]},
    )
    assert attached.status_code == 200, attached.content
    assert len(attached.json()["evidence"]) == 1 and attached.json()["version"] == 2
    stale = client.post(
        f"{url}submit/", {"expected_version": created["version"]}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert "Otra persona cambió este reporte" in stale.json()["detail"]
    sent = client.post(f"{url}submit/", {"expected_version": 2}, content_type="application/json")
    assert sent.status_code == 200, sent.content
    assert sent.json()["state"] == "submitted"


def test_validators_decide_with_the_version_check(clients: dict[str, Client], world: World):
    report = submit(world)
    url = f"{LIST}{report.pk}/"
    refused = clients["liaison"].post(
        f"{url}validate/", {"expected_version": 1}, content_type="application/json"
    )
    assert refused.status_code == 403
    no_reason = clients["validator"].post(
        f"{url}return/", {"expected_version": 1}, content_type="application/json"
    )
    assert no_reason.status_code == 400
    assert no_reason.json()["detail"] == ["Escriba las observaciones para la unidad."]
    ok = clients["validator"].post(
        f"{url}validate/", {"expected_version": 1}, content_type="application/json"
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["state"] == "validated" and ok.json()["reviewed_by"] == "Validator"
    late = clients["coordinator"].post(
        f"{url}reject/",
        {"expected_version": 1, "comment": "Sin sustento."},
        content_type="application/json",
    )
    assert late.status_code == 409
    assert "Otra persona cambió este reporte" in late.json()["detail"]
    report.refresh_from_db()
    assert report.state == ReportState.VALIDATED
    assert AuditEvent.objects.filter(action="progress.validated").count() == 1


def test_evidence_downloads_are_scoped_and_audited(clients: dict[str, Client], world: World):
    report = submit(world)
    evidence = report.evidence.get()
    url = f"/api/v1/evidence/{evidence.pk}/download/"
    response = clients["validator"].get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert clients["other_liaison"].get(url).status_code == 404
    events = AuditEvent.objects.filter(action="evidence.downloaded", target_id=str(evidence.pk))
    assert events.count() == 1


def test_the_reports_list_costs_constant_queries(clients: dict[str, Client], world: World):
    from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory
    from acuerdos.organization.models import Unit

    submit(world)
    qro = Unit.objects.get(code="OOAD-QRO")

    def grow() -> None:
        for _ in range(4):
            commitment = CommitmentFactory(
                agreement=AgreementFactory(meeting=world.meeting), responsible_unit=qro
            )
            submit(world, commitment)

    for persona in ("coordinator", "liaison"):
        assert_constant_queries(clients[persona], LIST, grow)
