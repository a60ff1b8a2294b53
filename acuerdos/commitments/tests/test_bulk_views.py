"""Compromisos list and its bulk actions through the pages: scope, semáforo filter, query
counts, and the select → review → apply walk with its refusals."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import Commitment
from acuerdos.commitments.tests.builders import many_agreements
from acuerdos.commitments.tests.factories import CommitmentFactory
from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.organization.models import Unit

pytestmark = pytest.mark.django_db

LIST = reverse("commitments:commitment_list")
PREPARE = reverse("commitments:bulk_prepare")
APPLY = reverse("commitments:bulk_apply")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 6, 15, 18, tzinfo=dt.UTC), tick=False):
        yield


def _ids(response) -> set[int]:
    return {c.pk for c in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("liaison", {"own_commitment", "shared_commitment"}),
        ("other_liaison", {"foreign_commitment", "shared_commitment"}),
        ("validator", {"own_commitment"}),
        ("coordinator", {"own_commitment", "foreign_commitment", "shared_commitment"}),
        ("viewer", {"own_commitment", "foreign_commitment", "shared_commitment"}),
    ],
)
def test_it_lists_the_commitments_of_each_personas_scope(world, clients, persona, expected):
    response = clients[persona].get(LIST)
    assert response.status_code == 200
    assert _ids(response) == {getattr(world, name).pk for name in expected}
    assert response.context["can_bulk"] is (persona == "coordinator")
    assert (b'name="ids"' in response.content) is (persona == "coordinator")


def test_it_filters_by_todays_semaforo(world, clients):
    late = CommitmentFactory(
        agreement=world.own,
        responsible_unit=Unit.objects.get(code="OOAD-SLP"),
        due_date=dt.date(2026, 6, 1),
        current_due_date=dt.date(2026, 6, 1),
    )
    future = CommitmentFactory(
        agreement=world.own,
        responsible_unit=Unit.objects.get(code="OOAD-GTO"),
        start_date=dt.date(2026, 7, 1),
    )
    client = clients["coordinator"]
    assert _ids(client.get(LIST, {"status": "overdue"})) == {late.pk}
    assert _ids(client.get(LIST, {"status": "not_started"})) == {future.pk}
    assert late.pk not in _ids(client.get(LIST, {"status": "on_track"}))
    response = client.get(LIST, {"status": "overdue"})
    assert b"Vencido" in response.content
    # The export filters by semáforo too: its buttons carry the filter.
    html = response.content.decode()
    assert "/exportar/compromisos/xlsx/?status=overdue" in html
    assert "/exportar/compromisos/csv/?status=overdue" in html


def test_it_filters_like_the_commitments_export(world, clients):
    response = clients["coordinator"].get(
        LIST, {"unit": Unit.objects.get(code="OOAD-HGO").pk, "q": "TST-CEN-2026-0003"}
    )
    assert _ids(response) == {world.shared_commitment.pk}


@pytest.mark.parametrize("persona", ["coordinator", "liaison", "validator"])
@pytest.mark.parametrize("query", ["", "?status=on_track&q=TST", "?page=2"])
def test_it_costs_the_same_queries_with_more_rows(world, clients, persona, query):
    many_agreements(world.meeting, 3)
    assert_constant_queries(
        clients[persona], LIST + query, lambda: many_agreements(world.meeting, 25)
    )


def _select(client, *commitments: Commitment, action: str, **extra: str):
    data = {"action": action, "ids": [c.pk for c in commitments], "filters": "q=TST", **extra}
    return client.post(PREPARE, data)


def _hidden(response, name: str) -> str:
    return str(response.context["form"][name].value())


def test_it_walks_select_review_apply_for_a_due_date(world, clients):
    client = clients["coordinator"]
    step2 = _select(client, world.own_commitment, world.foreign_commitment, action="due_date")
    assert step2.status_code == 200
    assert step2.context["count"] == 2
    items = _hidden(step2, "items")
    data = {
        "action": "due_date",
        "items": items,
        "filters": "q=TST",
        "due_date": "15/12/2026",
        "reason": "Acuerdo de la reunión de seguimiento",
    }
    review = client.post(PREPARE, data)
    assert review.status_code == 200
    plan = review.context["plan"]
    assert len(plan.changing) == 2 and not plan.errors
    assert b"Aplicar a 2 compromisos" in review.content
    assert Commitment.objects.filter(due_date=dt.date(2026, 12, 15)).count() == 0  # not yet
    done = client.post(APPLY, data)
    assert done.status_code == 302
    assert done["Location"] == f"{LIST}?q=TST"
    assert [str(m) for m in get_messages(done.wsgi_request)] == ["Se cambiaron 2 compromisos."]
    assert Commitment.objects.filter(due_date=dt.date(2026, 12, 15)).count() == 2
    assert AuditEvent.objects.filter(action="commitment.due_date_changed").count() == 2


def test_it_selects_every_commitment_that_matches_the_filters(world, clients):
    client = clients["coordinator"]
    hgo = Unit.objects.get(code="OOAD-HGO")
    response = client.post(
        PREPARE, {"action": "cancel", "select_all": "on", "filters": f"unit={hgo.pk}"}
    )
    assert response.status_code == 200
    assert {c.pk for c in response.context["selected"]} == {
        world.foreign_commitment.pk,
        world.shared_commitment.pk,
    }


def test_it_asks_for_the_value_and_keeps_what_was_typed(world, clients):
    client = clients["coordinator"]
    step2 = _select(client, world.own_commitment, action="reassign")
    response = client.post(
        PREPARE,
        {"action": "reassign", "items": _hidden(step2, "items"), "reason": "Motivo escrito"},
    )
    assert response.status_code == 400
    assert "Elija la nueva unidad responsable." in response.context["form"].errors["unit"]
    assert b"Motivo escrito" in response.content


def test_it_shows_refused_rows_and_offers_no_apply_button(world, clients):
    client = clients["coordinator"]
    step2 = _select(client, world.own_commitment, action="reassign")
    data = {
        "action": "reassign",
        "items": _hidden(step2, "items"),
        "unit": Unit.objects.get(code="OOAD-QRO").pk,
        "reason": "x",
    }
    CommitmentFactory(agreement=world.own, responsible_unit=Unit.objects.get(code="OOAD-SLP"))
    data["unit"] = Unit.objects.get(code="OOAD-SLP").pk
    review = client.post(PREPARE, data)
    assert review.status_code == 200
    assert len(review.context["plan"].errors) == 1
    assert reverse("commitments:bulk_apply").encode() not in review.content
    assert client.post(APPLY, data).status_code == 400
    world.own_commitment.refresh_from_db()
    assert world.own_commitment.responsible_unit.code == "OOAD-QRO"


def test_it_refuses_an_apply_after_someone_else_changed_a_commitment(world, clients):
    client = clients["coordinator"]
    step2 = _select(client, world.own_commitment, world.foreign_commitment, action="cancel")
    data = {"action": "cancel", "items": _hidden(step2, "items"), "reason": "Sin materia"}
    Commitment.objects.filter(pk=world.foreign_commitment.pk).update(version=9)
    response = client.post(APPLY, data)
    assert response.status_code == 409
    assert b"No se guard" in response.content
    assert not Commitment.objects.filter(cancelled_on__isnull=False).exists()
    # The page offers the plan again with the versions as they are now: it applies.
    fresh = {**data, "items": _hidden(response, "items")}
    assert client.post(APPLY, fresh).status_code == 302
    assert Commitment.objects.filter(cancelled_on__isnull=False).count() == 2


def test_it_says_on_screen_that_the_area_changes_whole_agreements(world, clients):
    client = clients["coordinator"]
    CommitmentFactory(agreement=world.own, responsible_unit=Unit.objects.get(code="OOAD-SLP"))
    step2 = _select(client, world.own_commitment, action="area")
    assert "todos los compromisos de esos acuerdos" in step2.content.decode()
    data = {
        "action": "area",
        "items": _hidden(step2, "items"),
        "area": Unit.objects.get(code="DA").pk,
        "reason": "Le corresponde",
    }
    review = client.post(PREPARE, data)
    assert "1 compromiso más de esos acuerdos, que no eligió, cambia también" in (
        review.content.decode()
    )
    done = client.post(APPLY, data)
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        "Se cambió el área normativa que valida de 1 acuerdo: 2 compromisos cambiaron."
    ]


def test_it_sends_an_empty_selection_back_to_the_list_with_a_message(world, clients):
    response = clients["coordinator"].post(PREPARE, {"action": "cancel", "filters": "q=x"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?q=x"
    assert "Marque al menos un compromiso" in str(next(iter(get_messages(response.wsgi_request))))


@pytest.mark.parametrize("persona", ["liaison", "head", "other_liaison", "validator", "viewer"])
def test_it_refuses_bulk_actions_to_everyone_but_the_coordination(world, clients, persona):
    client = clients[persona]
    assert _select(client, world.own_commitment, action="cancel").status_code == 403
    data = {
        "action": "cancel",
        "items": f"{world.own_commitment.pk}:1:1",
        "reason": "x",
    }
    assert client.post(APPLY, data).status_code == 403
    assert not Commitment.objects.filter(cancelled_on__isnull=False).exists()


def test_it_answers_htmx_with_the_results_and_the_bulk_form_only(world, clients):
    CommitmentFactory(
        agreement=world.own,
        responsible_unit=Unit.objects.get(code="OOAD-GTO"),
        start_date=dt.date(2026, 7, 1),
    )
    response = clients["coordinator"].get(LIST, {"q": "TST"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'name="ids"' in html
    assert 'name="filters" value="q=TST"' in html
    assert "Aún no inicia" in html


def test_it_refuses_a_selection_larger_than_the_limit(world, clients, settings):
    settings.ACUERDOS = {**settings.ACUERDOS, "BULK_MAX": 2}
    response = clients["coordinator"].post(
        PREPARE, {"action": "cancel", "select_all": "on", "filters": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert message.startswith("Se eligieron 3 compromisos; un cambio masivo admite como máximo 2.")
