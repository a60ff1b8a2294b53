"""The catalog and meeting endpoints: every list costs the same queries with more rows, and
a meeting outside a liaison's region is not listed."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from acuerdos.commitments.tests.factories import MeetingFactory
from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.organization.models import Region, Theme, Unit, UnitKind
from conftest import World

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def _more_units() -> None:
    region = Region.objects.get(short_name="Centro")
    parent = Unit.objects.get(code="DPM")
    for _ in range(3):
        n = next(_numbers)
        Unit.objects.create(
            code=f"TST-U{n}",
            name=f"Unidad {n}",
            short_name=f"U{n}",
            kind=UnitKind.OOAD,
            region=region,
        )
        Unit.objects.create(
            code=f"TST-C{n}",
            name=f"Coordinación {n}",
            short_name=f"C{n}",
            kind=UnitKind.COORDINATION,
            parent=parent,
        )


def _more_themes() -> None:
    area = Unit.objects.get(code="DPM")
    for _ in range(3):
        n = next(_numbers)
        Theme.objects.create(code=f"T{n}", name=f"Tema de prueba {n}", lead_area=area)


def _more_meetings(world: World) -> None:
    qro, hgo = Unit.objects.get(code="OOAD-QRO"), Unit.objects.get(code="OOAD-HGO")
    for _ in range(3):
        meeting = MeetingFactory(code=f"TST-M{next(_numbers)}")
        meeting.participants.set([qro, hgo])


@pytest.mark.parametrize("persona", ["coordinator", "liaison"])
def test_the_catalog_and_meeting_lists_cost_constant_queries(
    clients: dict[str, Client], world: World, persona: str
):
    client = clients[persona]
    assert_constant_queries(client, "/api/v1/units/", _more_units)
    assert_constant_queries(client, "/api/v1/themes/", _more_themes)
    assert_constant_queries(client, "/api/v1/regions/", lambda: None)
    assert_constant_queries(client, "/api/v1/meetings/", lambda: _more_meetings(world))


def test_a_meeting_of_another_region_is_not_listed_for_a_liaison(
    clients: dict[str, Client], world: World
):
    other = MeetingFactory(code="TST-OCC", region=Region.objects.get(short_name="Occidente"))
    codes = {row["code"] for row in clients["liaison"].get("/api/v1/meetings/").json()["results"]}
    assert codes == {"TST-CEN"}
    assert clients["liaison"].get(f"/api/v1/meetings/{other.pk}/").status_code == 404
    assert clients["coordinator"].get(f"/api/v1/meetings/{other.pk}/").status_code == 200
