"""Extension requests through the API: scoped lists, Solicitar reprogramación through the
service (permission rules, one pending request, audit), constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import Commitment, ExtensionRequest
from acuerdos.commitments.services import extension_request
from acuerdos.core.tests.querycount import assert_constant_queries
from conftest import World

pytestmark = pytest.mark.django_db

LIST = "/api/v1/extension-requests/"


def ask(world: World, commitment: Commitment, persona: str) -> ExtensionRequest:
    return extension_request(
        commitment=commitment,
        actor=world.users[persona],
        new_due_date=dt.date(2026, 12, 31),
        justification="La licitación se declaró desierta.",
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("liaison", {"own", "shared"}),
        ("other_liaison", {"foreign", "shared"}),
        ("validator", {"own"}),
        ("coordinator", {"own", "foreign", "shared"}),
        ("viewer", {"own", "foreign", "shared"}),
    ],
)
def test_it_lists_only_the_requests_in_scope(
    clients: dict[str, Client], world: World, persona: str, expected: set[str]
):
    made = {
        "own": ask(world, world.own_commitment, "liaison").pk,
        "foreign": ask(world, world.foreign_commitment, "other_liaison").pk,
        "shared": ask(world, world.shared_commitment, "other_liaison").pk,
    }
    rows = clients[persona].get(LIST).json()["results"]
    assert {row["id"] for row in rows} == {made[key] for key in expected}
    pending = clients[persona].get(f"{LIST}?status=pending&unit=OOAD-HGO").json()["results"]
    assert {row["id"] for row in pending} == {made[k] for k in expected if k != "own"}
    assert clients[persona].get(f"{LIST}?status=whatever").status_code == 400


def test_the_unit_requests_an_extension_through_the_service(
    clients: dict[str, Client], world: World
):
    url = f"/api/v1/commitments/{world.own_commitment.pk}/extension-requests/"
    body = {"new_due_date": "2026-12-31", "justification": "Licitación desierta."}
    response = clients["head"].post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "pending" and data["previous_due_date"] == "2026-09-30"
    assert data["requested_by"] == "Head"
    assert AuditEvent.objects.filter(action="commitment.extension_requested").count() == 1
    again = clients["liaison"].post(url, body, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["detail"] == "Ya hay una solicitud de reprogramación pendiente de resolver."


def test_it_refuses_a_bad_date_with_the_services_message(clients: dict[str, Client], world: World):
    url = f"/api/v1/commitments/{world.own_commitment.pk}/extension-requests/"
    same = {"new_due_date": "2026-09-30", "justification": "Igual."}
    response = clients["liaison"].post(url, same, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == [
        "La nueva fecha compromiso debe ser distinta de la vigente."
    ]
    assert not ExtensionRequest.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_liaison", 404), ("validator", 403), ("coordinator", 403), ("viewer", 403)],
)
def test_only_the_responsible_unit_asks(
    clients: dict[str, Client], world: World, persona: str, status: int
):
    url = f"/api/v1/commitments/{world.own_commitment.pk}/extension-requests/"
    body = {"new_due_date": "2026-12-31", "justification": "Licitación desierta."}
    assert clients[persona].post(url, body, content_type="application/json").status_code == status
    assert not ExtensionRequest.objects.exists()


def test_the_extension_list_costs_constant_queries(clients: dict[str, Client], world: World):
    from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory
    from acuerdos.organization.models import Unit

    ask(world, world.own_commitment, "liaison")
    qro = Unit.objects.get(code="OOAD-QRO")

    def grow() -> None:
        for _ in range(4):
            commitment = CommitmentFactory(
                agreement=AgreementFactory(meeting=world.meeting), responsible_unit=qro
            )
            ask(world, commitment, "liaison")

    for persona in ("coordinator", "liaison"):
        assert_constant_queries(clients[persona], LIST, grow)
