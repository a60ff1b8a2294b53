"""No page grows its query count with its rows: 3 rows and 33 rows cost the same."""

from __future__ import annotations

import pytest

from acuerdos.commitments.tests.builders import (
    agreement_with_commitments,
    many_agreements,
    many_commitments_on,
)
from acuerdos.core.tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

MORE_UNITS = [
    "OOAD-AGS",
    "OOAD-BC",
    "OOAD-CAMP",
    "OOAD-COAH",
    "OOAD-COL",
    "OOAD-CHIS",
    "OOAD-CHIH",
    "OOAD-CDMXN",
    "OOAD-CDMXS",
    "OOAD-DGO",
    "OOAD-GTO",
    "OOAD-GRO",
    "OOAD-JAL",
    "OOAD-MEXO",
    "OOAD-MEXP",
    "OOAD-MICH",
    "OOAD-NAY",
    "OOAD-NL",
    "OOAD-OAX",
    "OOAD-QROO",
    "OOAD-SLP",
    "OOAD-SIN",
    "OOAD-SON",
    "OOAD-TAB",
    "OOAD-TAMPS",
    "OOAD-VERN",
    "OOAD-VERS",
    "OOAD-YUC",
    "OOAD-ZAC",
    "UMAE-CMNR-HE",
]


@pytest.fixture
def three_rows(world):
    many_agreements(world.meeting, 3)
    return world


@pytest.mark.parametrize("persona", ["liaison", "coordinator", "validator"])
@pytest.mark.parametrize(
    "query",
    ["", "?theme={theme}&due_from=2026-01-01&due_to=2026-12-31&q=atencion&area={area}"],
)
def test_it_lists_agreements_in_constant_queries(three_rows, clients, persona, query):
    world = three_rows
    url = "/acuerdos/" + query.format(theme=world.own.theme_id, area=world.own.validating_area_id)
    assert_constant_queries(clients[persona], url, lambda: many_agreements(world.meeting, 30))
    assert_constant_queries(
        clients[persona], url, lambda: many_agreements(world.meeting, 30), **{"HX-Request": "true"}
    )


@pytest.mark.parametrize("persona", ["liaison", "coordinator"])
def test_it_shows_an_agreement_in_constant_queries(world, clients, persona):
    agreement = agreement_with_commitments(world.meeting)
    assert_constant_queries(
        clients[persona],
        f"/acuerdos/{agreement.pk}/",
        lambda: many_commitments_on(agreement, MORE_UNITS),
    )


def test_it_shows_a_commitment_in_constant_queries(world, clients):
    from acuerdos.commitments.models import Milestone, TargetKind
    from acuerdos.organization.models import Unit

    commitment = world.own_commitment
    commitment.target_kind = TargetKind.MILESTONES
    commitment.save()

    def grow() -> None:
        commitment.co_responsible_units.set(Unit.objects.filter(code__in=MORE_UNITS))
        Milestone.objects.bulk_create(
            Milestone(commitment=commitment, name=f"Hito {n}", due_date=commitment.due_date)
            for n in range(30)
        )

    assert_constant_queries(clients["liaison"], f"/compromisos/{commitment.pk}/", grow)


@pytest.mark.parametrize("persona", ["liaison", "head"])
def test_it_shows_my_commitments_in_constant_queries(three_rows, clients, persona):
    def grow() -> None:
        many_agreements(three_rows.meeting, 30)
        # and as many where Querétaro is only co-responsible
        for _ in range(30):
            agreement = agreement_with_commitments(three_rows.meeting, units=("OOAD-PUE",))
            agreement.commitments.get().co_responsible_units.add(three_rows.unit("OOAD-QRO"))

    assert_constant_queries(clients[persona], "/compromisos/mios/", grow)


@pytest.mark.parametrize("persona", ["liaison", "coordinator", "validator", "viewer"])
def test_it_shows_inicio_in_constant_queries(three_rows, clients, persona):
    assert_constant_queries(clients[persona], "/", lambda: many_agreements(three_rows.meeting, 30))
