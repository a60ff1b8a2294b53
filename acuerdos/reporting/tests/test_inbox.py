"""The Informes inbox: scoped per persona, audited downloads, constant queries, pack button."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from acuerdos.audit.models import AuditEvent
from acuerdos.organization.models import Region
from acuerdos.reporting.models import Audience, Report
from acuerdos.reporting.tests.factories import stored_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(world: Any) -> dict[str, Report]:
    return {
        "qro": stored_report(Audience.UNIT, "OOAD-QRO"),
        "hgo": stored_report(Audience.UNIT, "OOAD-HGO"),
        "dpm": stored_report(Audience.AREA, "DPM"),
        "dpm_child": stored_report(Audience.AREA, "DPM-CUMAE"),
        "da": stored_report(Audience.AREA, "DA"),
        "centro": stored_report(Audience.REGION, "REG-CENTRO"),
        "nation": stored_report(Audience.NATION),
    }


SEES = {
    "liaison": {"qro"},
    "head": {"qro"},
    "other_liaison": {"hgo"},
    "validator": {"dpm", "dpm_child"},
    "coordinator": {"qro", "hgo", "dpm", "dpm_child", "da", "centro", "nation"},
    "viewer": {"qro", "hgo", "dpm", "dpm_child", "da", "centro", "nation"},
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_it_lists_and_serves_only_the_reports_of_the_persona(
    persona: str, reports: dict[str, Report], clients: dict[str, Client]
) -> None:
    client = clients[persona]
    page = client.get(reverse("reporting:inbox"))
    assert page.status_code == 200
    body = page.content.decode()
    listed = {
        key for key, r in reports.items() if reverse("reporting:download", args=[r.pk]) in body
    }
    assert listed == SEES[persona]
    for key, report in reports.items():
        response = client.get(reverse("reporting:download", args=[report.pk]))
        assert response.status_code == (200 if key in SEES[persona] else 404), key


def test_it_audits_every_download(
    world: Any, reports: dict[str, Report], clients: dict[str, Client]
) -> None:
    report = reports["qro"]
    response = clients["liaison"].get(reverse("reporting:download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.get(action="report.downloaded")
    assert event.actor == world.users["liaison"]
    assert event.target_id == str(report.pk)
    clients["other_liaison"].get(reverse("reporting:download", args=[report.pk]))
    assert AuditEvent.objects.filter(action="report.downloaded").count() == 1


def test_it_filters_by_audience(reports: dict[str, Report], clients: dict[str, Client]) -> None:
    page = clients["coordinator"].get(reverse("reporting:inbox"), {"tipo": "nation"})
    body = page.content.decode()
    assert reverse("reporting:download", args=[reports["nation"].pk]) in body
    assert reverse("reporting:download", args=[reports["qro"].pk]) not in body


def test_it_reads_the_inbox_in_a_constant_number_of_queries(
    world: Any, clients: dict[str, Client]
) -> None:
    stored_report(Audience.NATION)
    client = clients["coordinator"]
    client.get(reverse("reporting:inbox"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reporting:inbox"))
    for code in ("OOAD-QRO", "OOAD-HGO", "DPM", "DA"):
        stored_report(Audience.UNIT if code.startswith("OOAD") else Audience.AREA, code)
        stored_report(Audience.UNIT if code.startswith("OOAD") else Audience.AREA, code, "xlsx")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reporting:inbox"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_generates_a_meeting_pack_for_a_coordinator(
    world: Any, clients: dict[str, Client]
) -> None:
    region = Region.objects.get(code="REG-CENTRO")
    response = clients["coordinator"].post(reverse("reporting:pack_request"), {"region": region.pk})
    assert response.status_code == 302
    packs = Report.objects.filter(audience=Audience.MEETING_PACK, audience_key=region.pk)
    assert set(packs.values_list("format", flat=True)) == {"pdf", "xlsx"}
    assert AuditEvent.objects.filter(action="report.pack_generated").count() == 2
    page = clients["viewer"].get(reverse("reporting:inbox"))
    assert reverse("reporting:download", args=[packs.get(format="pdf").pk]) in page.content.decode()
    assert "Generar paquete" not in page.content.decode()
    forbidden = clients["liaison"].post(reverse("reporting:pack_request"), {"region": region.pk})
    assert forbidden.status_code == 403
