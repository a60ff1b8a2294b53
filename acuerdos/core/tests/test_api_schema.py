"""The OpenAPI schema against the running API: schemathesis generates requests for every GET
operation (as the coordinator, with a personal token) and checks that none answers 5xx and
that every answer conforms to the schema. The docs page loads nothing from outside."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from acuerdos.organization.api.authentication import TokenRateThrottle
from acuerdos.organization.tokens import token_create
from conftest import World

pytestmark = pytest.mark.django_db

EXAMPLES = 12
"""Examples per operation: enough to vary filters and ids, under a minute for all of them."""


@pytest.fixture
def api_world(world: World, settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """Rows in every list (a report with evidence, an extension, a cut-off, an informe, a
    notification) and the coordinator's token, without throttling."""
    from acuerdos.commitments.services import extension_request
    from acuerdos.evaluation.models import CutOff
    from acuerdos.notifications.services import notify
    from acuerdos.progress.services import ReportInput, report_submit
    from acuerdos.progress.tests.helpers import PDF, upload
    from acuerdos.reporting.tests.factories import stored_report

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "100000/min"})
    cache.clear()
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        report_submit(
            commitment=world.own_commitment,
            actor=world.users["liaison"],
            data=ReportInput(as_of=dt.date(2026, 6, 10), percent=Decimal("40"), narrative="A."),
            uploads=[upload(PDF, "oficio.pdf")],
        )
    extension_request(
        commitment=world.foreign_commitment,
        actor=world.users["other_liaison"],
        new_due_date=dt.date(2026, 12, 31),
        justification="Licitación desierta.",
    )
    CutOff.objects.create(date=dt.date(2026, 6, 30))
    stored_report("unit", "OOAD-QRO")
    notify(recipients=[world.users["coordinator"]], kind="x.y", title="Aviso")
    _token, secret = token_create(
        actor=world.users["coordinator"], name="schemathesis", days=30, can_write=False
    )
    return secret


def test_every_get_operation_conforms_to_the_schema_without_server_errors(api_world: str):
    headers = {"Authorization": f"Bearer {api_world}"}
    raw = Client().get("/api/schema/", {"format": "json"}, headers=headers)
    assert raw.status_code == 200
    schema = schemathesis.openapi.from_dict(raw.json()).include(method="GET")
    schema.app = get_wsgi_application()
    # As Django's test client does: the test's transaction must survive each request's end.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        tested = _run_get_operations(schema, headers)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert len(tested) >= 18, tested
    assert "GET /api/v1/compliance/" in tested
    assert "GET /api/v1/progress-reports/" in tested


def _run_get_operations(schema: Any, headers: dict[str, str]) -> list[str]:
    operations = [result.ok() for result in schema.get_all_operations()]
    tested = []
    for operation in operations:
        # Downloads answer the file itself (its own media type); their scoping and audit are
        # tested with the reports and the evidence.
        if operation.path.endswith("/download/"):
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: Any) -> None:
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        run()
        tested.append(operation.label)
    return tested


def test_the_docs_load_nothing_from_outside(clients: dict[str, Client]):
    docs = clients["coordinator"].get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html)
    assert urls, "the page links its scripts and styles"
    external = [u for u in urls if re.match(r"(?i)^(https?:)?//", u)]
    assert not external, external
    assert "/static/drf_spectacular_sidecar/" in html
    script = clients["coordinator"].get("/api/docs/?script=")
    if script.status_code == 200:
        body = script.content.decode()
        assert not re.search(r"(?i)https?://(?!localhost|testserver)", body), body[:500]


def test_the_schema_documents_the_token_scheme(clients: dict[str, Client]):
    schema = clients["coordinator"].get("/api/schema/", {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Token personal de /cuenta/tokens/: «Authorization: Bearer <token>».",
    }
    assert "/api/v1/compliance/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/progress-reports/{id}/validate/"]
