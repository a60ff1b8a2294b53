"""Rows of the persona × route matrix for the Informes inbox (see core/tests/matrix.py).

The world's personas: liaison and head of OOAD-QRO, other_liaison of OOAD-HGO, validator of
DPM, coordinator, viewer. A unit's report is for its people, an area's for its validators, a
region's and the nation's for coordinators and viewers only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from acuerdos.core.tests.matrix import EVERY_USER, LOGIN, Route, expect, url_to
from conftest import World


def _download(kind: str, code: str | None) -> Callable[[World], str]:
    def build(world: World) -> str:
        from acuerdos.reporting.tests.factories import stored_report

        return reverse("reporting:download", args=[stored_report(kind, code).pk])

    return build


ROUTES: list[Route] = [
    Route("reporting:inbox", url_to("reporting:inbox"), EVERY_USER),
    Route(
        "reporting:download",
        _download("unit", "OOAD-QRO"),
        expect(404, anonymous=LOGIN, liaison=200, head=200, coordinator=200, viewer=200),
        label="unit",
    ),
    Route(
        "reporting:download",
        _download("area", "DPM"),
        expect(404, anonymous=LOGIN, validator=200, coordinator=200, viewer=200),
        label="area",
    ),
    Route(
        "reporting:download",
        _download("nation", None),
        expect(404, anonymous=LOGIN, coordinator=200, viewer=200),
        label="nation",
    ),
    Route(
        "reporting:pack_request",
        url_to("reporting:pack_request"),
        expect(403, anonymous=LOGIN, coordinator=302),
        method="post",
    ),
]
