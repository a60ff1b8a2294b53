"""Persona × route rows of the coordinator's meeting pages (collected by
test_permission_matrix.py). Everyone signed in who sees a meeting sees its minuta; only
coordinators create and edit rounds and meetings."""

from __future__ import annotations

from django.urls import reverse

from acuerdos.core.tests.matrix import COORDINATOR_ONLY, EVERY_USER, LOGIN, Route, expect
from conftest import World

MINUTA_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
OTHER_REGION = expect(404, anonymous=LOGIN, coordinator=200, viewer=200)
OTHER_REGION_WRITE = expect(404, anonymous=LOGIN, coordinator=200, viewer=403)


def _west_meeting(world: World) -> int:
    from acuerdos.commitments.tests.factories import MeetingFactory
    from acuerdos.organization.models import Region

    meeting = MeetingFactory(code="MTX-OCC", region=Region.objects.get(short_name="Occidente"))
    return int(meeting.pk)


def _with_minuta(meeting_pk: int) -> int:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from acuerdos.meetings.models import Meeting

    meeting = Meeting.objects.get(pk=meeting_pk)
    meeting.minuta.name = default_storage.save("minutas/mtx.pdf", ContentFile(MINUTA_PDF))
    meeting.save()
    return meeting_pk


def _round(world: World) -> int:
    from acuerdos.meetings.models import Round

    return int(Round.objects.create(name="8ª Ronda de prueba", number=8, year=2026).pk)


ROUTES: list[Route] = [
    Route("meetings:create", lambda w: reverse("meetings:create"), COORDINATOR_ONLY),
    Route(
        "meetings:create",
        lambda w: reverse("meetings:create"),
        COORDINATOR_ONLY,
        method="post",
        label="POST without data: the form again, with its errors",
    ),
    Route(
        "meetings:edit",
        lambda w: reverse("meetings:edit", args=[w.meeting.pk]),
        COORDINATOR_ONLY,
    ),
    Route(
        "meetings:edit",
        lambda w: reverse("meetings:edit", args=[w.meeting.pk]),
        COORDINATOR_ONLY,
        method="post",
        label="POST without data",
    ),
    Route(
        "meetings:edit",
        lambda w: reverse("meetings:edit", args=[_west_meeting(w)]),
        OTHER_REGION_WRITE,
        label="other region",
    ),
    Route(
        "meetings:minuta",
        lambda w: reverse("meetings:minuta", args=[_with_minuta(w.meeting.pk)]),
        EVERY_USER,
    ),
    Route(
        "meetings:minuta",
        lambda w: reverse("meetings:minuta", args=[_with_minuta(_west_meeting(w))]),
        OTHER_REGION,
        label="other region",
    ),
    Route(
        "meetings:minuta",
        lambda w: reverse("meetings:minuta", args=[w.meeting.pk]),
        expect(404, anonymous=LOGIN),
        label="a meeting without minuta",
    ),
    Route("meetings:round_list", lambda w: reverse("meetings:round_list"), COORDINATOR_ONLY),
    Route("meetings:round_create", lambda w: reverse("meetings:round_create"), COORDINATOR_ONLY),
    Route(
        "meetings:round_create",
        lambda w: reverse("meetings:round_create"),
        COORDINATOR_ONLY,
        method="post",
        label="POST without data",
    ),
    Route(
        "meetings:round_edit",
        lambda w: reverse("meetings:round_edit", args=[_round(w)]),
        COORDINATOR_ONLY,
    ),
    Route(
        "meetings:round_edit",
        lambda w: reverse("meetings:round_edit", args=[_round(w)]),
        COORDINATOR_ONLY,
        method="post",
        label="POST without data",
    ),
]
