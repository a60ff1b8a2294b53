"""Every dashboard page costs the same number of queries with 3 commitments or with 33 more
(each with a validated and a submitted report), today and at a closed cut-off."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from acuerdos.commitments.tests.builders import many_commitments_on
from acuerdos.commitments.tests.test_views_queries import MORE_UNITS
from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.evaluation.models import CutOff
from acuerdos.evaluation.tests.boards_data import CUTOFF, NOW, build_graded, grow

pytestmark = pytest.mark.django_db

CORTE = f"?corte={CUTOFF.isoformat()}"
PAGES = [
    "/",
    f"/{CORTE}",
    "/tablero/region/REG-CENTRO/",
    f"/tablero/region/REG-CENTRO/{CORTE}",
    "/tablero/unidad/OOAD-QRO/",
    f"/tablero/unidad/OOAD-QRO/{CORTE}",
    "/tablero/lineas/",
    f"/tablero/areas/{CORTE}",
]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def three_more(world):
    graded = build_graded(world)
    grow(world.meeting, 1, world.users["liaison"])
    return graded


@pytest.mark.parametrize("persona", ["coordinator", "liaison", "validator"])
@pytest.mark.parametrize("url", PAGES)
def test_every_board_page_costs_the_same_queries_whatever_the_data(
    three_more, clients, persona, url
):
    world = three_more.world
    count = assert_constant_queries(
        clients[persona], url, lambda: grow(world.meeting, 10, world.users["liaison"])
    )
    print(f"queries: {url} as {persona}: {count}")  # shown with -s, for the record
    assert count <= 30, f"{url} as {persona}: {count} queries"


@pytest.mark.parametrize("persona", ["coordinator", "liaison"])
def test_the_agreement_page_with_its_roll_up_costs_the_same_queries(three_more, clients, persona):
    world = three_more.world
    assert_constant_queries(
        clients[persona],
        f"/acuerdos/{world.own.pk}/{CORTE}",
        lambda: many_commitments_on(world.own, MORE_UNITS),
    )


def test_the_calendar_costs_the_same_queries_with_more_cut_offs(world, clients):
    CutOff.objects.create(date=dt.date(2026, 6, 30))

    def more_cut_offs() -> None:
        CutOff.objects.bulk_create(
            CutOff(date=dt.date(2025, 1, 1) + dt.timedelta(days=n)) for n in range(30)
        )

    assert_constant_queries(clients["coordinator"], "/cortes/", more_cut_offs)
