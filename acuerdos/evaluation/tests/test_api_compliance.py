"""Compliance figures and cut-offs through the API: the command's JSON, scoped to the user."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.evaluation.models import CutOff, CutOffStatus
from conftest import World

pytestmark = pytest.mark.django_db

BY = ("unit", "region", "theme", "area", "meeting")


def command_json(as_of: str, by: str) -> dict[str, object]:
    out = io.StringIO()
    call_command("compliance", "--as-of", as_of, "--by", by, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("by", BY)
def test_it_equals_the_command_for_the_coordinator(clients: dict[str, Client], world: World, by):
    response = clients["coordinator"].get(f"/api/v1/compliance/?as_of=2026-06-30&by={by}")
    assert response.status_code == 200
    expected = command_json("2026-06-30", by)
    assert expected["groups"], "the world has commitments that count at that date"
    assert response.json() == expected


def test_it_gives_each_persona_only_the_groups_in_scope(clients: dict[str, Client], world: World):
    def units(persona: str) -> set[str]:
        body = clients[persona].get("/api/v1/compliance/?as_of=2026-06-30&by=unit").json()
        return {group["code"] for group in body["groups"]}

    assert units("coordinator") == {"OOAD-QRO", "OOAD-HGO"}
    assert units("viewer") == {"OOAD-QRO", "OOAD-HGO"}
    assert units("liaison") == {"OOAD-QRO", "OOAD-HGO"}  # Hidalgo: the shared commitment only
    assert units("validator") == {"OOAD-QRO"}
    body = clients["liaison"].get("/api/v1/compliance/?as_of=2026-06-30&by=unit").json()
    hidalgo = next(g for g in body["groups"] if g["code"] == "OOAD-HGO")
    assert hidalgo["total"] == 1  # the coordinator sees two there
    coordinator = clients["coordinator"].get("/api/v1/compliance/?as_of=2026-06-30&by=unit")
    assert next(g for g in coordinator.json()["groups"] if g["code"] == "OOAD-HGO")["total"] == 2


def test_it_defaults_to_today_by_unit_and_refuses_bad_parameters(
    clients: dict[str, Client], world: World
):
    body = clients["liaison"].get("/api/v1/compliance/").json()
    assert body["by"] == "unit" and body["as_of"] == timezone.localdate().isoformat()
    bad = clients["liaison"].get("/api/v1/compliance/?as_of=2026-02-30&by=planeta")
    assert bad.status_code == 400
    assert set(bad.json()) == {"as_of", "by"}


def test_closed_cutoffs_for_everybody_the_calendar_for_coordination(
    clients: dict[str, Client], world: World
):
    CutOff.objects.create(
        date=dt.date(2026, 5, 31), status=CutOffStatus.CLOSED, closed_at=timezone.now()
    )
    CutOff.objects.create(date=dt.date(2026, 6, 30))
    for persona, dates in {
        "liaison": ["2026-05-31"],
        "validator": ["2026-05-31"],
        "coordinator": ["2026-06-30", "2026-05-31"],
        "viewer": ["2026-06-30", "2026-05-31"],
    }.items():
        rows = clients[persona].get("/api/v1/cutoffs/").json()["results"]
        assert [row["date"] for row in rows] == dates, persona
    closed = clients["liaison"].get("/api/v1/cutoffs/2026-05-31/").json()
    assert closed["status"] == "closed" and closed["closed_at"]
    assert clients["liaison"].get("/api/v1/cutoffs/2026-06-30/").status_code == 404
    assert clients["coordinator"].get("/api/v1/cutoffs/2026-02-30/").status_code == 404


def test_the_cutoff_list_costs_constant_queries(clients: dict[str, Client], world: World):
    CutOff.objects.create(date=dt.date(2026, 6, 30))

    def grow() -> None:
        for month in (1, 2, 3):
            CutOff.objects.create(date=dt.date(2025, month, 28))

    assert_constant_queries(clients["coordinator"], "/api/v1/cutoffs/", grow)


def test_the_compliance_figures_cost_constant_queries(clients: dict[str, Client], world: World):
    from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory

    def grow() -> None:
        for _ in range(5):
            CommitmentFactory(agreement=AgreementFactory(meeting=world.meeting))

    for persona in ("coordinator", "liaison"):
        assert_constant_queries(clients[persona], "/api/v1/compliance/?as_of=2026-06-30", grow)


@pytest.mark.django_db
def test_a_date_out_of_range_is_a_spanish_400_and_a_missing_record_a_spanish_404(client, world):
    client.force_login(world.users["coordinator"])
    response = client.get("/api/v1/compliance/", {"as_of": "0001-01-01", "by": "unit"})
    assert response.status_code == 400
    assert "Use una fecha entre" in response.json()["as_of"][0]
    missing = client.get("/api/v1/extension-requests/999999/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No existe o no tiene acceso a ese registro."}
