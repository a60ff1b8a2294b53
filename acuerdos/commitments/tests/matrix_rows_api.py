"""Rows of the persona × route matrix for extension requests through the API."""

from __future__ import annotations

from django.urls import reverse

from acuerdos.core.tests.matrix import API_EVERY_USER, OWN, Route, api, expect, obj_url, url_to
from conftest import World


def _pending(world: World) -> str:
    extension = world.own_commitment.extension_requests.get()
    return reverse("api:extension-request-detail", args=[extension.pk])


ROUTES: list[Route] = [
    Route("api:extension-request-list", url_to("api:extension-request-list"), API_EVERY_USER),
    Route(
        "api:extension-request-detail",
        _pending,
        api(OWN),
        fixtures=("pending_extension",),
    ),
    # Solicitar reprogramación: the responsible unit only (403 before the body is read).
    Route(
        "api:commitment-extension-requests",
        obj_url("api:commitment-extension-requests", "own_commitment"),
        expect(403, other_liaison=404, liaison=400, head=400),
        method="post",
        label="POST without data",
    ),
    Route(
        "api:commitment-extension-requests",
        obj_url("api:commitment-extension-requests", "own_commitment"),
        expect(405, anonymous=403),
        label="GET is refused",
    ),
]
