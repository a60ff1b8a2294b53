"""The Bitácora page: every audit event, filtered with typed fields, for the coordination and
Consulta (OIC auditors) only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from acuerdos.audit import services as audit
from acuerdos.audit.models import AuditEvent
from acuerdos.core.tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

# The reference catalog is loaded (and audited) when the test database is set up, today; the
# events of these tests happen in 2026 before that.
BEFORE_CATALOG = "date_to=30/06/2026"


def _event(world, *, action="comment.created", actor="liaison", target=None, label_note=""):
    target = target or world.own_commitment
    with transaction.atomic():
        return audit.record(
            actor=world.users[actor],
            action=action,
            target=target,
            commitment_id=world.own_commitment.pk,
            changes={"text": [None, f"Hola {label_note}"]},
        )


@pytest.fixture
def events(world):
    with time_machine.travel(dt.datetime(2026, 5, 2, 18, tzinfo=dt.UTC), tick=False):
        early = _event(world, action="progress.submitted")
    with time_machine.travel(dt.datetime(2026, 6, 2, 18, tzinfo=dt.UTC), tick=False):
        late = _event(world, action="comment.created", actor="validator", target=world.foreign)
    return early, late


@pytest.mark.parametrize("persona", ["coordinator", "viewer"])
def test_it_lists_events_newest_first_in_spanish(world, clients, events, persona):
    html = clients[persona].get(f"/bitacora/?{BEFORE_CATALOG}").content.decode()
    assert html.index("2 jun 2026") < html.index("2 may 2026")
    assert "Liaison</span> envió un reporte de avance" in html
    assert "Validator</span> comentó" in html
    assert "Hola" in html and "texto:" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("action=progress.submitted", "2 may 2026", "2 jun 2026"),
        ("user=validator", "2 jun 2026", "2 may 2026"),
        ("user=liaison%40imss", "2 may 2026", "2 jun 2026"),
        ("date_from=01/06/2026&date_to=02/06/2026", "2 jun 2026", "2 may 2026"),
        ("date_to=31/05/2026", "2 may 2026", "2 jun 2026"),
        ("target_type=commitments.agreement", "2 jun 2026", "2 may 2026"),
        ("q=0002", "2 jun 2026", "2 may 2026"),
    ],
)
def test_it_filters_by_typed_fields(world, clients, events, query, shown, hidden):
    html = clients["coordinator"].get(f"/bitacora/?{BEFORE_CATALOG}&{query}").content.decode()
    results = html[html.index('id="results"') :]
    assert shown in results
    assert hidden not in results


def test_it_filters_one_commitments_story(world, clients, events):
    html = (
        clients["coordinator"]
        .get(f"/bitacora/?commitment={world.own_commitment.pk}")
        .content.decode()
    )
    assert "2 eventos" in html
    assert "Solo el compromiso" in html


def test_it_reports_bad_filters_instead_of_passing_them_to_the_orm(world, clients, events):
    response = clients["coordinator"].get(
        "/bitacora/?action=drop&target_type=auth.user&date_from=hoy&actor__is_superuser=1&"
        + BEFORE_CATALOG
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Algunos filtros no son válidos" in html
    assert "2 eventos" in html


@pytest.mark.parametrize("persona", ["liaison", "head", "validator", "other_liaison"])
def test_it_answers_403_to_everyone_else(clients, persona):
    assert clients[persona].get("/bitacora/").status_code == 403


def test_it_lists_the_log_in_constant_queries(world, clients, events):
    def grow() -> None:
        for n in range(30):
            _event(world, label_note=str(n), actor="head" if n % 2 else "coordinator")

    assert_constant_queries(clients["coordinator"], "/bitacora/", grow)
    assert_constant_queries(
        clients["viewer"], "/bitacora/?user=head", grow, **{"HX-Request": "true"}
    )
    assert AuditEvent.objects.count() > 60
