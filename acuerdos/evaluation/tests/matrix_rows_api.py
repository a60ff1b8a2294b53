"""Rows of the persona × route matrix for cut-offs and compliance figures through the API.

Closed cut-offs are for everybody (the dates of the dashboards); the open ones of the calendar
only for the Coordinación central and Consulta, as on the Cortes page.
"""

from __future__ import annotations

import datetime as dt

from acuerdos.core.tests.matrix import API_EVERY_USER, Route, expect, url_to

ROUTES: list[Route] = [
    Route("api:cutoff-list", url_to("api:cutoff-list"), API_EVERY_USER),
    Route(
        "api:cutoff-detail",
        url_to("api:cutoff-detail", dt.date(2026, 6, 30)),
        expect(404, anonymous=403, coordinator=200, viewer=200),
        label="open",
        fixtures=("open_cutoff",),
    ),
    Route("api:compliance", url_to("api:compliance"), API_EVERY_USER),
]
