"""Permission-matrix rows of the notifications routes added with the outbox and reminders."""

from __future__ import annotations

from django.urls import reverse

from acuerdos.core.tests.matrix import COORDINATOR_ONLY, EVERY_USER, LOGIN, Route, expect, url_to
from conftest import World


def _failed_email_url(world: World) -> str:
    from acuerdos.notifications.models import OutgoingEmail, OutgoingStatus

    email = OutgoingEmail.objects.create(
        to="titular@imss.gob.mx",
        subject="Informe",
        body="x",
        status=OutgoingStatus.FAILED,
        attempts=12,
        last_error="SMTPRecipientsRefused",
    )
    return reverse("notifications:email_retry", args=[email.pk])


ROUTES: list[Route] = [
    Route("notifications:preferences", url_to("notifications:preferences"), EVERY_USER),
    Route(
        "notifications:preferences",
        url_to("notifications:preferences"),
        expect(302, anonymous=LOGIN),
        method="post",
    ),
    Route("notifications:worker_status", url_to("notifications:worker_status"), COORDINATOR_ONLY),
    Route(
        "notifications:email_retry",
        _failed_email_url,
        expect(403, anonymous=LOGIN, coordinator=302),
        method="post",
    ),
    Route(
        "notifications:email_retry",
        lambda world: reverse("notifications:email_retry", args=[999999]),
        expect(403, anonymous=LOGIN, coordinator=404),
        method="post",
        label="missing",
    ),
    Route(
        "notifications:email_retry",
        _failed_email_url,
        expect(405),
        label="GET is refused",
    ),
]
