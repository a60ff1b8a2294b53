"""REST API v1: the same scoping as the screens; schema and docs served without a CDN."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

EXPECTED_FOLIOS = {
    "liaison": {"TST-CEN-2026-0001", "TST-CEN-2026-0003"},
    "other_liaison": {"TST-CEN-2026-0002", "TST-CEN-2026-0003"},
    "validator": {"TST-CEN-2026-0001"},
    "coordinator": {"TST-CEN-2026-0001", "TST-CEN-2026-0002", "TST-CEN-2026-0003"},
    "viewer": {"TST-CEN-2026-0001", "TST-CEN-2026-0002", "TST-CEN-2026-0003"},
}


@pytest.mark.parametrize(("persona", "folios"), EXPECTED_FOLIOS.items())
def test_it_lists_only_visible_agreements(clients, persona, folios):
    response = clients[persona].get("/api/v1/agreements/")
    assert response.status_code == 200
    assert {row["folio"] for row in response.json()["results"]} == folios


@pytest.mark.parametrize(("persona", "folios"), EXPECTED_FOLIOS.items())
def test_it_lists_only_visible_commitments(clients, persona, folios):
    response = clients[persona].get("/api/v1/commitments/")
    assert {row["agreement"] for row in response.json()["results"]} == folios


def test_it_answers_404_for_an_agreement_outside_scope(clients, world):
    assert clients["liaison"].get(f"/api/v1/agreements/{world.foreign.pk}/").status_code == 404
    assert (
        clients["liaison"].get(f"/api/v1/commitments/{world.foreign_commitment.pk}/").status_code
        == 404
    )
    assert clients["liaison"].get(f"/api/v1/agreements/{world.own.pk}/").status_code == 200


def test_it_refuses_anonymous_requests(clients):
    for url in ("/api/v1/", "/api/v1/agreements/", "/api/v1/units/", "/api/v1/meetings/"):
        assert clients["anonymous"].get(url).status_code == 403


def test_it_is_read_only_for_now(clients, world):
    response = clients["coordinator"].post("/api/v1/agreements/", {"folio": "X"})
    assert response.status_code == 405


def test_it_serves_the_schema_and_docs_without_a_cdn(clients):
    schema = clients["coordinator"].get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/agreements/" in schema.content
    docs = clients["coordinator"].get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
    assert "/static/drf_spectacular_sidecar/" in html


def test_it_keeps_the_api_list_queries_constant(clients, world):
    from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert clients["coordinator"].get("/api/v1/agreements/").status_code == 200
            assert clients["coordinator"].get("/api/v1/commitments/").status_code == 200
        return len(ctx.captured_queries)

    count()  # warm-up: content types and other per-process caches
    before = count()
    for _ in range(10):
        CommitmentFactory(agreement=AgreementFactory(meeting=world.meeting))
    assert count() == before
