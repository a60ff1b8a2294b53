"""Rows of the persona × route matrix for Informes and notifications through the API."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from acuerdos.core.tests.matrix import API_EVERY_USER, Route, expect, url_to
from conftest import World

UNIT_REPORT = expect(404, anonymous=403, liaison=200, head=200, coordinator=200, viewer=200)


def _unit_report(name: str) -> Callable[[World], str]:
    def build(world: World) -> str:
        from acuerdos.reporting.tests.factories import stored_report

        return reverse(name, args=[stored_report("unit", "OOAD-QRO").pk])

    return build


def _notification(world: World) -> str:
    from acuerdos.notifications.models import Notification

    notification = Notification.objects.get(recipient=world.users["liaison"])
    return reverse("api:notification-detail", args=[notification.pk])


ROUTES: list[Route] = [
    Route("api:report-list", url_to("api:report-list"), API_EVERY_USER),
    Route("api:report-detail", _unit_report("api:report-detail"), UNIT_REPORT),
    Route("api:report-download", _unit_report("api:report-download"), UNIT_REPORT),
    Route("api:notification-list", url_to("api:notification-list"), API_EVERY_USER),
    Route(
        "api:notification-detail",
        _notification,
        expect(404, anonymous=403, liaison=200),
        fixtures=("liaison_notification",),
    ),
]
