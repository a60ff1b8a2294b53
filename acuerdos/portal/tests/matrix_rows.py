"""Rows of the persona × route matrix for the public transparency portal (see
`core/tests/matrix.py`): every persona, anonymous included, reads every page and download."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.urls import reverse

from acuerdos.core.tests.matrix import PUBLIC, Route, url_to
from conftest import World

CUTOFF = dt.date(2026, 6, 30)


def _published(name: str, *args: object) -> Callable[[World], str]:
    """The URL of a portal route once the world's cut-off of 30 jun 2026 is closed."""

    def url(world: World) -> str:
        from acuerdos.evaluation.services import cutoff_close

        cutoff_close(date=CUTOFF, source="command")  # idempotent: closes once
        return reverse(name, args=args)

    return url


ROUTES: list[Route] = [
    Route("portal:index", url_to("portal:index"), PUBLIC, label="no cut-off closed yet"),
    Route("portal:index", _published("portal:index"), PUBLIC, label="a closed cut-off"),
    Route("portal:region", _published("portal:region", "REG-CENTRO"), PUBLIC),
    Route("portal:data", _published("portal:data"), PUBLIC),
    Route("portal:data_csv", _published("portal:data_csv", CUTOFF), PUBLIC),
    Route("portal:data_json", _published("portal:data_json", CUTOFF), PUBLIC),
    Route("portal:data_units_csv", _published("portal:data_units_csv", CUTOFF), PUBLIC),
]
