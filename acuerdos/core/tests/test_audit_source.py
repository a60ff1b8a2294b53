"""Where an audit event says a write came from: "api" for everything under `/api/` (token or
session), "web" for the screens, and the next request served by the same thread starts clean."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from acuerdos.audit.models import AuditEvent
from acuerdos.audit.services import build, record
from acuerdos.core.request_context import current_source, request_source_var
from acuerdos.organization.tokens import token_create
from acuerdos.progress.models import ProgressReport
from acuerdos.progress.tests.helpers import PDF
from conftest import World

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 18, 0, tzinfo=dt.UTC)
API_LIST = "/api/v1/progress-reports/"


@pytest.fixture(autouse=True)
def _frozen_and_isolated(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # the token throttle counts in the cache
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


def _api_body(world: World) -> dict[str, Any]:
    return {
        "commitment": world.own_commitment.pk,
        "as_of": "2026-06-10",
        "percent": "55",
        "narrative": "Se instalaron los equipos.",
        "evidence": [SimpleUploadedFile("oficio.pdf", PDF, content_type="application/pdf")],
    }


def _screen_body() -> dict[str, Any]:
    return {
        "as_of": "10/06/2026",
        "percent": "45",
        "narrative": "Se firmó el contrato y se instaló el equipo en dos de tres salas.",
        "action": "submit",
        "evidence": [SimpleUploadedFile("oficio.pdf", PDF, content_type="application/pdf")],
    }


def _submitted_event(response: Any) -> AuditEvent:
    report = ProgressReport.objects.latest("id")
    event = AuditEvent.objects.get(action="progress.submitted", target_id=str(report.pk))
    assert event.request_id == response["X-Request-ID"]
    return event


def test_a_report_sent_with_a_token_is_audited_as_api(world: World):
    secret = token_create(actor=world.users["liaison"], name="Tablero", days=30, can_write=True)[1]
    response = Client().post(API_LIST, _api_body(world), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201, response.content
    event = _submitted_event(response)
    assert event.source == "api"
    assert event.actor == world.users["liaison"]
    # evidence rows written in the same request say so too
    sources = set(AuditEvent.objects.filter(request_id=event.request_id).values_list("source"))
    assert sources == {("api",)}


def test_a_report_sent_through_the_api_with_a_session_is_audited_as_api(
    clients: dict[str, Client], world: World
):
    response = clients["liaison"].post(API_LIST, _api_body(world))
    assert response.status_code == 201, response.content
    assert _submitted_event(response).source == "api"


def test_a_report_sent_from_the_screen_is_audited_as_web(clients: dict[str, Client], world: World):
    response = clients["liaison"].post(
        f"/compromisos/{world.own_commitment.pk}/reportar/", _screen_body()
    )
    assert response.status_code == 302, response.content
    assert _submitted_event(response).source == "web"


def test_the_next_request_in_the_same_thread_is_web_again(clients: dict[str, Client], world: World):
    api = clients["liaison"].post(API_LIST, _api_body(world))
    assert api.status_code == 201, api.content
    assert _submitted_event(api).source == "api"
    # the test client serves every request in this thread, as a gunicorn worker thread would
    assert current_source() == ""
    report = ProgressReport.objects.get()
    screen = clients["validator"].post(
        f"/avances/{report.pk}/revisar/",
        {"decision": "validate", "expected_version": report.version},
    )
    assert screen.status_code == 302, screen.content
    event = AuditEvent.objects.get(action="progress.validated", target_id=str(report.pk))
    assert event.request_id == screen["X-Request-ID"]
    assert event.source == "web"
    assert current_source() == ""


def test_outside_a_request_the_default_stays_web_and_an_explicit_source_wins(world: World):
    target = world.users["liaison"]
    with transaction.atomic():
        assert record(actor=None, action="user.updated", target=target).source == "web"
        assert build(actor=None, action="x.y", target=target, source="command").source == "command"
    token = request_source_var.set("api")
    try:
        assert build(actor=None, action="x.y", target=target).source == "api"
        assert build(actor=None, action="x.y", target=target, source="worker").source == "worker"
    finally:
        request_source_var.reset(token)
