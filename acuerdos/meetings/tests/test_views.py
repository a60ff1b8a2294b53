"""Meeting pages: status per persona, participants by kind, scoped counts, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest

from acuerdos.commitments.tests.builders import many_agreements
from acuerdos.commitments.tests.factories import MeetingFactory
from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.meetings.models import MeetingKind
from acuerdos.organization.models import Region, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def west_meeting(world):
    """A meeting of Occidente where none of the world's units took part and nothing binds them."""
    meeting = MeetingFactory(
        code="TST-OCC",
        name="Reunión Regional Occidente de prueba",
        region=Region.objects.get(short_name="Occidente"),
        venue="Morelia, Mich.",
        start_date=dt.date(2026, 4, 14),
        end_date=dt.date(2026, 4, 15),
    )
    meeting.participants.set(Unit.objects.filter(code__in=["OOAD-JAL", "UMAE-CMNO-HE"]))
    return meeting


def test_it_answers_the_meeting_pages_by_scope(world, clients, west_meeting):
    expected = {
        "anonymous": (302, 302, 302),
        "liaison": (200, 200, 404),
        "head": (200, 200, 404),
        "other_liaison": (200, 200, 404),
        "validator": (200, 200, 404),
        "coordinator": (200, 200, 200),
        "viewer": (200, 200, 200),
    }
    got = {
        persona: (
            client.get("/reuniones/").status_code,
            client.get(f"/reuniones/{world.meeting.pk}/").status_code,
            client.get(f"/reuniones/{west_meeting.pk}/").status_code,
        )
        for persona, client in clients.items()
    }
    assert got == expected


def test_it_lists_only_the_meetings_in_scope(world, clients, west_meeting):
    liaison = clients["liaison"].get("/reuniones/").context["page"].object_list
    coordinator = clients["coordinator"].get("/reuniones/").context["page"].object_list
    assert [m.code for m in liaison] == ["TST-CEN"]
    assert {m.code for m in coordinator} == {"TST-CEN", "TST-OCC"}


def test_it_counts_the_agreements_each_persona_sees_per_meeting(world, clients):
    rows = {
        persona: clients[persona].get("/reuniones/").context["page"].object_list[0]
        for persona in ("liaison", "validator", "coordinator")
    }
    assert rows["liaison"].agreement_count == 2
    assert rows["validator"].agreement_count == 1
    assert rows["coordinator"].agreement_count == 3
    assert rows["coordinator"].participant_count == 2


def test_it_groups_participants_by_kind_with_their_commitments(world, clients):
    world.meeting.participants.add(Unit.objects.get(code="UMAE-CMNSXXI-HE"))
    response = clients["coordinator"].get(f"/reuniones/{world.meeting.pk}/")
    detail = response.context["detail"]
    assert [group.label for group in detail.groups] == ["OOAD", "UMAE"]
    ooad = {p.unit.code: (p.responsible, p.co_responsible) for p in detail.groups[0].participants}
    assert ooad == {"OOAD-HGO": (2, 0), "OOAD-QRO": (1, 1)}
    assert detail.agreement_count == 3
    assert detail.commitment_count == 3
    html = response.content.decode()
    assert f"/acuerdos/?meeting={world.meeting.pk}" in html
    assert "Reunión regional" in html


def test_it_counts_only_visible_commitments_for_a_liaison(world, clients):
    detail = clients["liaison"].get(f"/reuniones/{world.meeting.pk}/").context["detail"]
    ooad = {p.unit.code: (p.responsible, p.co_responsible) for p in detail.groups[0].participants}
    # Hidalgo's foreign commitment is out of Querétaro's scope; the shared one is in it.
    assert ooad == {"OOAD-HGO": (1, 0), "OOAD-QRO": (1, 1)}
    assert "Las cifras cuentan solo los compromisos de su alcance" in (
        clients["liaison"].get(f"/reuniones/{world.meeting.pk}/").content.decode()
    )


def test_it_lists_meetings_in_constant_queries(world, clients):
    serial = iter(range(1000))

    def grow() -> None:
        for _ in range(30):
            meeting = MeetingFactory(
                code=f"TST-F{next(serial)}",
                kind=MeetingKind.FOLLOW_UP,
                start_date=dt.date(2026, 6, 1),
                end_date=dt.date(2026, 6, 1),
            )
            meeting.participants.set(Unit.objects.filter(code__in=["OOAD-QRO", "OOAD-HGO"]))
            many_agreements(meeting, 1)

    for persona in ("liaison", "coordinator"):
        assert_constant_queries(clients[persona], "/reuniones/", grow)


def test_it_shows_a_meeting_in_constant_queries(world, clients):
    def grow() -> None:
        world.meeting.participants.add(*Unit.objects.responsible()[:30])
        many_agreements(world.meeting, 30)

    for persona in ("liaison", "coordinator"):
        assert_constant_queries(clients[persona], f"/reuniones/{world.meeting.pk}/", grow)
