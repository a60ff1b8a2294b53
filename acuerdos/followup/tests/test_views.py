"""The review screen: htmx decisions, errors next to the field, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from acuerdos.commitments.tests.builders import many_agreements
from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.followup.models import ReviewDecision
from acuerdos.followup.tests.helpers import follow_up_meeting
from acuerdos.progress.tests.helpers import PDF

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def followup(world):
    return follow_up_meeting()


def _decide(client, followup, agreement, data, **headers):
    prefixed = {f"a{agreement.pk}-{k}": v for k, v in data.items()}
    return client.post(
        reverse("followup:decide", args=[followup.pk, agreement.pk]), prefixed, headers=headers
    )


def test_it_lists_the_open_agreements_overdue_first(world, clients, followup):
    response = clients["coordinator"].get(reverse("followup:review", args=[followup.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Revisión de acuerdos" in html
    assert html.index("TST-CEN-2026-0001") < html.index("TST-CEN-2026-0003")
    assert 'hx-post="/reuniones/' in html


def test_it_records_a_decision_with_htmx_and_answers_the_item_only(world, clients, followup):
    response = _decide(
        clients["coordinator"],
        followup,
        world.own,
        {"kind": "continues", "note": "Sigue en curso."},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="revision-{world.own.pk}"' in html
    assert "Continúa" in html and "guardado" in html
    assert ReviewDecision.objects.get().note == "Sigue en curso."


def test_it_declares_fulfilled_with_an_uploaded_file(world, clients, followup):
    response = _decide(
        clients["coordinator"],
        followup,
        world.own,
        {
            "kind": "fulfilled",
            "note": "Acta de entrega.",
            "evidence": SimpleUploadedFile("acta.pdf", PDF, "application/pdf"),
        },
        **HTMX,
    )
    assert response.status_code == 200
    decision = ReviewDecision.objects.get()
    assert decision.evidence is not None and decision.evidence.original_name == "acta.pdf"


def test_it_says_what_is_missing_next_to_the_field(world, clients, followup):
    response = _decide(
        clients["coordinator"], followup, world.own, {"kind": "extended", "note": ""}, **HTMX
    )
    html = response.content.decode()
    assert "Escriba la nueva fecha compromiso de la prórroga." in html
    assert "is-invalid" in html
    assert not ReviewDecision.objects.exists()


def test_it_shows_a_refused_decision_without_losing_the_note(world, clients, followup):
    _decide(clients["coordinator"], followup, world.own, {"kind": "cancelled", "note": "No."})
    response = _decide(
        clients["coordinator"],
        followup,
        world.own,
        {"kind": "continues", "note": "Mejor continúa, nota nueva."},
        **HTMX,
    )
    html = response.content.decode()
    assert "sólo puede corregir la nota" in html
    assert "Mejor continúa, nota nueva." in html


def test_it_redirects_without_htmx(world, clients, followup):
    response = _decide(clients["coordinator"], followup, world.own, {"kind": "continues"})
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:review", args=[followup.pk])


def test_it_shows_the_review_in_constant_queries(world, clients, followup):
    def grow() -> None:
        from acuerdos.followup.services import review_record

        for n, agreement in enumerate(many_agreements(world.meeting, 20)):
            if n % 2:
                review_record(
                    meeting=followup,
                    agreement=agreement,
                    kind="continues",
                    actor=world.users["coordinator"],
                )

    assert_constant_queries(
        clients["coordinator"], reverse("followup:review", args=[followup.pk]), grow
    )


def test_it_tells_the_agreement_page_where_it_was_reviewed(world, clients, followup, rf):
    from django.template import Context, Template

    from acuerdos.followup.services import review_record

    review_record(
        meeting=followup,
        agreement=world.own,
        kind="continues",
        note="Sigue en curso.",
        actor=world.users["coordinator"],
    )
    template = Template("{% load followup %}{% agreement_reviews agreement %}")
    for persona, expected in (("liaison", True), ("other_liaison", False)):
        request = rf.get("/")
        request.user = world.users[persona]
        html = template.render(Context({"request": request, "agreement": world.own}))
        assert ("Revisado en Reunión de seguimiento Centro: Continúa" in html) is expected
