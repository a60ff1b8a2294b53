"""Informes and notifications through the API: scoped lists, audited downloads, one's own
notifications only, constant queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from acuerdos.audit.models import AuditEvent
from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.notifications.services import notify
from acuerdos.reporting.tests.factories import stored_report
from conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


EXPECTED = {
    "liaison": {"OOAD-QRO"},
    "head": {"OOAD-QRO"},
    "other_liaison": {"OOAD-HGO"},
    "validator": {"DPM"},
    "coordinator": {"OOAD-QRO", "OOAD-HGO", "DPM", "NACIONAL"},
    "viewer": {"OOAD-QRO", "OOAD-HGO", "DPM", "NACIONAL"},
}


@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_it_lists_only_the_reports_in_scope(
    clients: dict[str, Client], world: World, persona: str, expected: set[str]
):
    made = {
        "OOAD-QRO": stored_report("unit", "OOAD-QRO"),
        "OOAD-HGO": stored_report("unit", "OOAD-HGO"),
        "DPM": stored_report("area", "DPM"),
        "NACIONAL": stored_report("nation", None),
    }
    rows = clients[persona].get("/api/v1/reports/").json()["results"]
    assert {row["audience_code"] for row in rows} == expected
    for code, report in made.items():
        status = clients[persona].get(f"/api/v1/reports/{report.pk}/").status_code
        assert status == (200 if code in expected else 404), (persona, code)
    only_units = clients[persona].get("/api/v1/reports/?audience=unit&file_format=pdf").json()
    assert {row["audience_code"] for row in only_units["results"]} == expected & {
        "OOAD-QRO",
        "OOAD-HGO",
    }


def test_downloads_are_scoped_and_audited(clients: dict[str, Client], world: World):
    report = stored_report("unit", "OOAD-QRO")
    row = clients["head"].get(f"/api/v1/reports/{report.pk}/").json()
    assert row["download_url"].endswith(f"/api/v1/reports/{report.pk}/download/")
    response = clients["head"].get(row["download_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'attachment; filename="informe-ooad-qro-2026-03-31.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert clients["other_liaison"].get(row["download_url"]).status_code == 404
    assert AuditEvent.objects.filter(action="report.downloaded").count() == 1


def test_notifications_are_only_ones_own(clients: dict[str, Client], world: World):
    mine = notify(recipients=[world.users["liaison"]], kind="x.y", title="Para el enlace")[0]
    other = notify(recipients=[world.users["head"]], kind="x.y", title="Para el titular")[0]
    rows = clients["liaison"].get("/api/v1/notifications/").json()["results"]
    assert [row["title"] for row in rows] == ["Para el enlace"]
    assert clients["liaison"].get(f"/api/v1/notifications/{mine.pk}/").status_code == 200
    assert clients["liaison"].get(f"/api/v1/notifications/{other.pk}/").status_code == 404
    unread = clients["liaison"].get("/api/v1/notifications/?unread=true").json()
    assert unread["count"] == 1


def test_the_lists_cost_constant_queries(clients: dict[str, Client], world: World):
    from acuerdos.organization.models import Unit

    stored_report("unit", "OOAD-QRO")
    notify(recipients=[world.users["liaison"]], kind="x.y", title="Primera")
    codes = iter(
        Unit.objects.responsible().exclude(code__in=["OOAD-QRO"]).values_list("code", flat=True)
    )

    def grow_reports() -> None:
        for _ in range(3):
            stored_report("unit", next(codes))

    def grow_notifications() -> None:
        notify(recipients=[world.users["liaison"]] * 1, kind="x.y", title="Otra")
        notify(recipients=[world.users["liaison"]], kind="x.z", title="Y otra")

    assert_constant_queries(clients["coordinator"], "/api/v1/reports/", grow_reports)
    assert_constant_queries(clients["liaison"], "/api/v1/notifications/", grow_notifications)
