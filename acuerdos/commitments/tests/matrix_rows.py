"""Rows of the persona × route matrix for the commitments app (see `core/tests/matrix.py`)."""

from __future__ import annotations

from acuerdos.core.tests.matrix import EVERY_USER, LOGIN, Route, expect, url_to

ROUTES: list[Route] = [
    # Compromisos: every persona sees the list of their scope; only the coordination changes
    # commitments in bulk (a POST without a selection goes back to the list with a message).
    Route("commitments:commitment_list", url_to("commitments:commitment_list"), EVERY_USER),
    Route(
        "commitments:bulk_prepare",
        url_to("commitments:bulk_prepare"),
        expect(403, anonymous=LOGIN, coordinator=302),
        method="post",
        label="POST without a selection",
    ),
    Route(
        "commitments:bulk_apply",
        url_to("commitments:bulk_apply"),
        expect(403, anonymous=LOGIN, coordinator=302),
        method="post",
        label="POST without a selection",
    ),
]
