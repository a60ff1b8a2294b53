"""Persona × route rows of the follow-up review (collected by test_permission_matrix.py).

The review runs on a follow-up meeting of Centro in which Querétaro and Hidalgo take part, so
that their people see the meeting (403 on the review) while the validator does not (404)."""

from __future__ import annotations

from django.urls import reverse

from acuerdos.core.tests.matrix import LOGIN, Route, expect
from conftest import World

VISIBLE_FORBIDDEN = expect(403, anonymous=LOGIN, validator=404, coordinator=200)


def _follow_up(world: World) -> int:
    from acuerdos.followup.tests.helpers import follow_up_meeting

    meeting = follow_up_meeting("MTX-SEG-CEN")
    meeting.participants.set([world.unit("OOAD-QRO"), world.unit("OOAD-HGO")])
    return meeting.pk


def _review_url(world: World) -> str:
    return reverse("followup:review", args=[_follow_up(world)])


def _decide_url(world: World) -> str:
    return reverse("followup:decide", args=[_follow_up(world), world.own.pk])


def _decide_other_region_url(world: World) -> str:
    from acuerdos.commitments.tests.factories import AgreementFactory, MeetingFactory
    from acuerdos.organization.models import Region

    west = MeetingFactory(code="MTX-OCC", region=Region.objects.get(short_name="Occidente"))
    agreement = AgreementFactory(meeting=west, folio="MTX-OCC-2026-0001")
    return reverse("followup:decide", args=[_follow_up(world), agreement.pk])


ROUTES: list[Route] = [
    Route("followup:review", _review_url, VISIBLE_FORBIDDEN),
    Route(
        "followup:review",
        lambda world: reverse("followup:review", args=[world.meeting.pk]),
        expect(403, anonymous=LOGIN, coordinator=404),
        label="a regional meeting has no review",
    ),
    Route(
        "followup:decide",
        _decide_url,
        VISIBLE_FORBIDDEN,
        method="post",
        label="POST without a decision: the page again, with its errors",
    ),
    Route(
        "followup:decide",
        _decide_other_region_url,
        expect(403, anonymous=LOGIN, validator=404, coordinator=404),
        method="post",
        label="an agreement of another region",
    ),
]
