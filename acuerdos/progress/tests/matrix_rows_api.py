"""Rows of the persona × route matrix for the progress API (see core/tests/matrix.py).

The same rules as the screens: a report outside the scope answers 404; a visible report on
which the persona may not act answers 403 before its body is read; an empty body from someone
who may act answers 400. Anonymous API requests answer 403.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from acuerdos.core.tests.matrix import API_EVERY_USER, OWN, Route, api, expect, url_to
from conftest import World


def _report(name: str, *, state: str = "submitted") -> Callable[[World], str]:
    def build(world: World) -> str:
        from acuerdos.progress.models import ProgressReport

        report = ProgressReport.objects.get(commitment=world.own_commitment, state=state)
        return reverse(name, args=[report.pk])

    return build


def _evidence(name: str) -> Callable[[World], str]:
    def build(world: World) -> str:
        from acuerdos.progress.models import Evidence

        return reverse(
            name, args=[Evidence.objects.get(report__commitment=world.own_commitment).pk]
        )

    return build


SUBMITTED = ("submitted_report",)
DRAFT = ("draft_report",)
# On the own commitment's draft: seen by its unit and the coordination, written by its unit.
DRAFT_WRITERS = expect(404, anonymous=403, liaison=400, head=400, coordinator=403)
REVIEWERS = expect(403, other_liaison=404, validator=400, coordinator=400)

ROUTES: list[Route] = [
    Route("api:progress-report-list", url_to("api:progress-report-list"), API_EVERY_USER),
    Route(
        "api:progress-report-list",
        url_to("api:progress-report-list"),
        expect(400, anonymous=403),
        method="post",
        label="POST without data",
    ),
    Route(
        "api:progress-report-detail",
        _report("api:progress-report-detail"),
        api(OWN),
        fixtures=SUBMITTED,
    ),
    Route(
        "api:progress-report-detail",
        _report("api:progress-report-detail", state="draft"),
        expect(404, anonymous=403, liaison=200, head=200, coordinator=200),
        label="draft",
        fixtures=DRAFT,
    ),
    Route(
        "api:progress-report-evidence",
        _report("api:progress-report-evidence", state="draft"),
        DRAFT_WRITERS,
        method="post",
        label="POST without files",
        fixtures=DRAFT,
    ),
    Route(
        "api:progress-report-submit",
        _report("api:progress-report-submit", state="draft"),
        DRAFT_WRITERS,
        method="post",
        label="POST without a version",
        fixtures=DRAFT,
    ),
    *[
        Route(
            f"api:progress-report-{decision}",
            _report(f"api:progress-report-{decision}"),
            REVIEWERS,
            method="post",
            label="POST without a version",
            fixtures=SUBMITTED,
        )
        for decision in ("validate", "return", "reject")
    ],
    Route("api:evidence-detail", _evidence("api:evidence-detail"), api(OWN), fixtures=SUBMITTED),
    Route(
        "api:evidence-download", _evidence("api:evidence-download"), api(OWN), fixtures=SUBMITTED
    ),
]
