"""The persona × route matrix: who gets 200 / 302 / 403 / 404 on every route of the project.

This is the project's key access-control test (SECURITY.md: broken access control is the top
class of bugs in systems like ours). Two rules keep it honest:

1. every named route outside the Django admin has at least one row in `ROUTES` — the resolver
   is walked and the test fails on a route nobody classified (and on a route without a name,
   which could not be classified);
2. every row states the expected answer for every persona of `conftest.PERSONAS`.

To add a route: add a `Route(...)` row below (or, for an app's own routes, in
`acuerdos/<app>/tests/matrix_rows.py`, whose `ROUTES` the matrix collects; see `matrix.py`)
with the URL for the `world` fixture and the expected answer per persona
(`expect(default, persona=override, …)`). Objects outside a persona's scope answer 404; a
visible object with a forbidden action answers 403; anonymous visitors of a page are sent to
the login page (`LOGIN`).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import acuerdos
from acuerdos.core.tests.matrix import (  # noqa: F401  (the vocabulary of the rows)
    API_EVERY_USER,
    COORDINATOR_ONLY,
    EVERY_USER,
    FOREIGN,
    LOGIN,
    OWN,
    PUBLIC,
    READ_ALL,
    REPORTERS,
    SHARED,
    VALIDATORS,
    Expected,
    Route,
    api,
    expect,
    obj_url,
    url_to,
)
from conftest import PERSONAS, World

pytestmark = pytest.mark.django_db

_url = url_to
_obj_url = obj_url


def _foreign_meeting_url(world: World) -> str:
    """A meeting of Occidente in which none of the personas' units took part."""
    from acuerdos.commitments.tests.factories import MeetingFactory
    from acuerdos.organization.models import Region

    meeting = MeetingFactory(code="MTX-OCC", region=Region.objects.get(short_name="Occidente"))
    return reverse("meetings:detail", args=[meeting.pk])


def _report_url(world: World) -> str:
    from acuerdos.progress.models import ProgressReport

    report = ProgressReport.objects.get(commitment=world.own_commitment)
    return reverse("progress:report_detail", args=[report.pk])


def _evidence_url(world: World) -> str:
    from acuerdos.progress.models import Evidence

    evidence = Evidence.objects.get(report__commitment=world.own_commitment)
    return reverse("progress:evidence_download", args=[evidence.pk])


def _review_url(world: World) -> str:
    from acuerdos.progress.models import ProgressReport

    report = ProgressReport.objects.get(commitment=world.own_commitment)
    return reverse("progress:report_review", args=[report.pk])


def _draft_url(world: World) -> str:
    from acuerdos.progress.models import ProgressReport

    report = ProgressReport.objects.get(commitment=world.own_commitment, state="draft")
    return reverse("progress:report_edit", args=[report.pk])


def _notification_url(world: World) -> str:
    from acuerdos.notifications.models import Notification

    notification = Notification.objects.get(recipient=world.users["liaison"])
    return reverse("notifications:open", args=[notification.pk])


# Files the coordinator staged for the import previews (constant bytes: a constant SHA-256).
STAGED_AGREEMENTS = (
    "Folio,Acuerdo,Línea de acción,Responsable,Fecha compromiso\r\n"
    "TST-CEN-2026-0100,Abatir el rezago quirúrgico.,AM,Querétaro,30/09/2026\r\n"
).encode()
STAGED_PROGRESS = (
    "Folio,Unidad,Fecha de avance,Porcentaje de avance\r\n"
    "TST-CEN-2026-0001,Querétaro,30/06/2026,40\r\n"
).encode()


def _staged_agreements_url(name: str) -> Callable[[World], str]:
    import hashlib

    sha = hashlib.sha256(STAGED_AGREEMENTS).hexdigest()
    return lambda world: reverse(name, args=[world.meeting.pk, sha])


def _staged_progress_url(name: str) -> Callable[[World], str]:
    import hashlib

    sha = hashlib.sha256(STAGED_PROGRESS).hexdigest()
    return lambda world: reverse(name, args=[sha])


ROUTES: list[Route] = [
    # Probes and public pages
    Route("health", _url("health"), PUBLIC),
    Route("ready", _url("ready"), PUBLIC),
    Route("privacy_notice", _url("privacy_notice"), PUBLIC),
    Route("login", _url("login"), expect(302, anonymous=200)),
    Route("logout", _url("logout"), expect(LOGIN), method="post"),
    Route("logout", _url("logout"), expect(405), label="GET is refused"),
    # Pages
    Route("dashboard", _url("dashboard"), EVERY_USER),
    Route("commitments:agreement_list", _url("commitments:agreement_list"), EVERY_USER),
    Route("commitments:my_commitments", _url("commitments:my_commitments"), EVERY_USER),
    Route("commitments:agreement_detail", _obj_url("commitments:agreement_detail", "own"), OWN),
    Route(
        "commitments:agreement_detail",
        _obj_url("commitments:agreement_detail", "foreign"),
        FOREIGN,
        label="foreign",
    ),
    Route(
        "commitments:agreement_detail",
        _obj_url("commitments:agreement_detail", "shared"),
        SHARED,
        label="shared",
    ),
    Route(
        "commitments:commitment_detail",
        _obj_url("commitments:commitment_detail", "own_commitment"),
        OWN,
    ),
    Route(
        "commitments:commitment_detail",
        _obj_url("commitments:commitment_detail", "foreign_commitment"),
        FOREIGN,
        label="foreign",
    ),
    Route(
        "commitments:commitment_detail",
        _obj_url("commitments:commitment_detail", "shared_commitment"),
        SHARED,
        label="shared",
    ),
    Route("meetings:list", _url("meetings:list"), EVERY_USER),
    Route("meetings:detail", _obj_url("meetings:detail", "meeting"), EVERY_USER),
    Route(
        "meetings:detail",
        _foreign_meeting_url,
        expect(404, anonymous=LOGIN, coordinator=200, viewer=200),
        label="other region",
    ),
    Route("organization:people", _url("organization:people"), COORDINATOR_ONLY),
    # Progress (reports and evidence of the own commitment, submitted by the liaison)
    Route("progress:report_detail", _report_url, OWN, fixtures=("submitted_report",)),
    Route(
        "progress:evidence_download",
        _evidence_url,
        OWN,
        fixtures=("submitted_report",),
    ),
    # Reportar avance: the responsible unit only (coordinators validate, they do not report).
    Route(
        "progress:report_create",
        _obj_url("progress:report_create", "own_commitment"),
        REPORTERS,
    ),
    Route(
        "progress:report_create",
        _obj_url("progress:report_create", "own_commitment"),
        REPORTERS,
        method="post",
        label="POST without data: the form again, with its errors",
    ),
    Route(
        "progress:report_create",
        _obj_url("progress:report_create", "foreign_commitment"),
        expect(404, anonymous=LOGIN, other_liaison=200, coordinator=403, viewer=403),
        label="foreign",
    ),
    Route(
        "progress:report_create",
        _obj_url("progress:report_create", "shared_commitment"),
        expect(403, anonymous=LOGIN, other_liaison=200, validator=404),
        label="co-responsible units read, never report",
    ),
    # A draft is seen by its unit and the coordination only; only its unit edits it.
    Route(
        "progress:report_edit",
        _draft_url,
        expect(404, anonymous=LOGIN, liaison=200, head=200, coordinator=403),
        fixtures=("draft_report",),
    ),
    Route(
        "progress:report_edit",
        _draft_url,
        expect(404, anonymous=LOGIN, liaison=200, head=200, coordinator=403),
        method="post",
        label="POST without data",
        fixtures=("draft_report",),
    ),
    # Validar / Devolver / Rechazar: visibility → 404, the decision → 403.
    Route(
        "progress:report_review",
        _review_url,
        expect(403, anonymous=LOGIN, other_liaison=404, validator=200, coordinator=200),
        method="post",
        label="POST without a decision",
        fixtures=("submitted_report",),
    ),
    Route("progress:review_queue", _url("progress:review_queue"), VALIDATORS),
    Route(
        "progress:comment_create",
        _obj_url("progress:comment_create", "own_commitment"),
        expect(200, anonymous=LOGIN, other_liaison=404, viewer=403),
        method="post",
        label="POST without text",
    ),
    Route(
        "progress:comment_create",
        _obj_url("progress:comment_create", "foreign_commitment"),
        expect(404, anonymous=LOGIN, other_liaison=200, coordinator=200, viewer=403),
        method="post",
        label="foreign",
    ),
    # Extensions and cancellation
    Route(
        "commitments:extension_request",
        _obj_url("commitments:extension_request", "own_commitment"),
        REPORTERS,
        method="post",
        label="POST without data",
    ),
    Route(
        "commitments:extension_request",
        _obj_url("commitments:extension_request", "own_commitment"),
        expect(405),
        label="GET is refused",
    ),
    Route(
        "commitments:extension_decide",
        _obj_url("commitments:extension_decide", "own_commitment"),
        expect(403, anonymous=LOGIN, other_liaison=404, coordinator=200),
        method="post",
        label="POST without a decision",
        fixtures=("pending_extension",),
    ),
    Route(
        "commitments:commitment_cancel",
        _obj_url("commitments:commitment_cancel", "own_commitment"),
        expect(403, anonymous=LOGIN, other_liaison=404, coordinator=200),
    ),
    Route(
        "commitments:commitment_cancel",
        _obj_url("commitments:commitment_cancel", "foreign_commitment"),
        expect(404, anonymous=LOGIN, other_liaison=403, coordinator=200, viewer=403),
        method="post",
        label="foreign, POST without a reason",
    ),
    # Notifications: one's own inbox only
    Route("notifications:inbox", _url("notifications:inbox"), EVERY_USER),
    Route(
        "notifications:open",
        _notification_url,
        expect(404, anonymous=LOGIN, liaison=302),
        fixtures=("liaison_notification",),
    ),
    Route(
        "notifications:mark_all_read",
        _url("notifications:mark_all_read"),
        expect(302, anonymous=LOGIN),
        method="post",
    ),
    Route(
        "notifications:mark_all_read",
        _url("notifications:mark_all_read"),
        expect(405),
        label="GET is refused",
    ),
    # Bitácora: the coordination and Consulta (OIC auditors) read the whole audit trail.
    Route("audit:log", _url("audit:log"), READ_ALL),
    # Dashboards: scoped figures. A region or unit page answers 404 when the user's scope holds
    # no commitment there (their scope has nothing to show); coordinators and viewers see every
    # region and unit that exists. Querétaro is co-responsible for the shared commitment of
    # Hidalgo, so its people see Hidalgo's page with that one commitment.
    Route("evaluation:board_region", _url("evaluation:board_region", "REG-CENTRO"), EVERY_USER),
    Route(
        "evaluation:board_region",
        _url("evaluation:board_region", "REG-NORTE"),
        expect(404, anonymous=LOGIN, coordinator=200, viewer=200),
        label="no commitments there",
    ),
    Route(
        "evaluation:board_region",
        _url("evaluation:board_region", "REG-ATLANTIDA"),
        expect(404, anonymous=LOGIN),
        label="unknown",
    ),
    Route("evaluation:board_unit", _url("evaluation:board_unit", "OOAD-QRO"), OWN),
    Route(
        "evaluation:board_unit",
        _url("evaluation:board_unit", "OOAD-HGO"),
        SHARED,
        label="co-responsible",
    ),
    Route(
        "evaluation:board_unit",
        _url("evaluation:board_unit", "OOAD-PUE"),
        expect(404, anonymous=LOGIN, coordinator=200, viewer=200),
        label="no commitments there",
    ),
    Route("evaluation:board_themes", _url("evaluation:board_themes"), EVERY_USER),
    Route("evaluation:board_areas", _url("evaluation:board_areas"), EVERY_USER),
    # Cortes: the calendar for the coordination and Consulta; only the coordination changes it.
    Route("evaluation:cutoffs", _url("evaluation:cutoffs"), READ_ALL),
    Route(
        "evaluation:cutoff_add",
        _url("evaluation:cutoff_add"),
        expect(403, anonymous=LOGIN, coordinator=400),  # 400: the empty form, in Spanish
        method="post",
    ),
    Route(
        "evaluation:cutoff_add_monthly",
        _url("evaluation:cutoff_add_monthly"),
        expect(403, anonymous=LOGIN, coordinator=302),
        method="post",
    ),
    Route(
        "evaluation:cutoff_add_monthly",
        _url("evaluation:cutoff_add_monthly"),
        expect(405),
        label="GET is refused",
    ),
    Route(
        "evaluation:cutoff_close",
        _url("evaluation:cutoff_close", dt.date(2026, 6, 30)),
        COORDINATOR_ONLY,
        label="confirmation",
        fixtures=("open_cutoff",),
    ),
    Route(
        "evaluation:cutoff_close",
        _url("evaluation:cutoff_close", dt.date(2026, 6, 30)),
        expect(403, anonymous=LOGIN, coordinator=302),
        method="post",
        fixtures=("open_cutoff",),
    ),
    Route(
        "evaluation:cutoff_close",
        _url("evaluation:cutoff_close", dt.date(2026, 5, 31)),
        expect(403, anonymous=LOGIN, coordinator=404),
        label="not in the calendar",
    ),
    Route(
        "evaluation:cutoff_remove",
        _url("evaluation:cutoff_remove", dt.date(2026, 6, 30)),
        expect(403, anonymous=LOGIN, coordinator=302),
        method="post",
        fixtures=("open_cutoff",),
    ),
    # Importar (issue 6): the coordination only; the previews need a file the coordinator staged.
    Route("imports:start", _url("imports:start"), COORDINATOR_ONLY),
    Route(
        "imports:agreements_upload",
        _url("imports:agreements_upload"),
        expect(403, anonymous=LOGIN, coordinator=400),
        method="post",
        label="POST without a file",
    ),
    Route("imports:agreements_upload", _url("imports:agreements_upload"), expect(405), label="GET"),
    Route(
        "imports:agreements_preview",
        _staged_agreements_url("imports:agreements_preview"),
        COORDINATOR_ONLY,
        fixtures=("staged_imports",),
    ),
    Route(
        "imports:agreements_preview",
        _staged_agreements_url("imports:agreements_preview"),
        expect(403, anonymous=LOGIN, coordinator=410),
        label="nothing staged",
    ),
    Route(
        "imports:agreements_confirm",
        _staged_agreements_url("imports:agreements_confirm"),
        expect(403, anonymous=LOGIN, coordinator=409),
        method="post",
        label="POST without the preview's figures",
        fixtures=("staged_imports",),
    ),
    Route(
        "imports:progress_upload",
        _url("imports:progress_upload"),
        expect(403, anonymous=LOGIN, coordinator=400),
        method="post",
        label="POST without a file",
    ),
    Route(
        "imports:progress_preview",
        _staged_progress_url("imports:progress_preview"),
        COORDINATOR_ONLY,
        fixtures=("staged_imports",),
    ),
    Route(
        "imports:progress_confirm",
        _staged_progress_url("imports:progress_confirm"),
        expect(403, anonymous=LOGIN, coordinator=409),
        method="post",
        label="POST without the preview's figures",
        fixtures=("staged_imports",),
    ),
    Route(
        "imports:alias_add",
        _url("imports:alias_add"),
        expect(403, anonymous=LOGIN, coordinator=400),
        method="post",
        label="POST without data",
    ),
    Route("imports:template", _url("imports:template", "acuerdos"), COORDINATOR_ONLY),
    Route(
        "imports:template", _url("imports:template", "avances"), COORDINATOR_ONLY, label="avances"
    ),
    # Exportar: every list to XLSX and CSV, scoped as its page (the rows: exports/tests).
    Route("exports:agreements", _url("exports:agreements", "xlsx"), EVERY_USER),
    Route("exports:agreements", _url("exports:agreements", "csv"), EVERY_USER, label="csv"),
    Route("exports:commitments", _url("exports:commitments", "xlsx"), EVERY_USER),
    Route("exports:commitments", _url("exports:commitments", "csv"), EVERY_USER, label="csv"),
    Route("exports:reports", _url("exports:reports", "xlsx"), EVERY_USER),
    Route("exports:reports", _url("exports:reports", "csv"), EVERY_USER, label="csv"),
    Route("exports:my_commitments", _url("exports:my_commitments", "xlsx"), EVERY_USER),
    Route("exports:my_commitments", _url("exports:my_commitments", "csv"), EVERY_USER, label="csv"),
    Route("exports:review_queue", _url("exports:review_queue", "xlsx"), VALIDATORS),
    Route("exports:review_queue", _url("exports:review_queue", "csv"), VALIDATORS, label="csv"),
    Route("exports:audit_log", _url("exports:audit_log", "xlsx"), READ_ALL),
    Route("exports:audit_log", _url("exports:audit_log", "csv"), READ_ALL, label="csv"),
    # REST API v1: the same scopes; anonymous requests get 403
    Route("api:api-root", _url("api:api-root"), API_EVERY_USER),
    Route("api:region-list", _url("api:region-list"), API_EVERY_USER),
    Route("api:region-detail", _url("api:region-detail", "REG-CENTRO"), API_EVERY_USER),
    Route("api:unit-list", _url("api:unit-list"), API_EVERY_USER),
    Route("api:unit-detail", _url("api:unit-detail", "OOAD-QRO"), API_EVERY_USER),
    Route("api:theme-list", _url("api:theme-list"), API_EVERY_USER),
    Route("api:theme-detail", _url("api:theme-detail", "AM"), API_EVERY_USER),
    Route("api:meeting-list", _url("api:meeting-list"), API_EVERY_USER),
    Route("api:meeting-detail", _obj_url("api:meeting-detail", "meeting"), API_EVERY_USER),
    Route("api:agreement-list", _url("api:agreement-list"), API_EVERY_USER),
    Route("api:agreement-detail", _obj_url("api:agreement-detail", "own"), api(OWN)),
    Route(
        "api:agreement-detail",
        _obj_url("api:agreement-detail", "foreign"),
        api(FOREIGN),
        label="foreign",
    ),
    Route("api:commitment-list", _url("api:commitment-list"), API_EVERY_USER),
    Route("api:commitment-detail", _obj_url("api:commitment-detail", "own_commitment"), api(OWN)),
    Route(
        "api:commitment-detail",
        _obj_url("api:commitment-detail", "shared_commitment"),
        api(SHARED),
        label="shared",
    ),
    # The schema and its docs are for people with an account (intranet tool, not public data).
    Route("api-schema", _url("api-schema"), API_EVERY_USER),
    Route("api-docs", _url("api-docs"), API_EVERY_USER),
]


def _app_rows() -> list[Route]:
    """The rows each app keeps beside its own code: `acuerdos/<app>/tests/matrix_rows.py`."""
    rows: list[Route] = []
    for module_file in sorted(Path(acuerdos.__file__).parent.glob("*/tests/matrix_rows*.py")):
        app = module_file.parent.parent.name
        rows += importlib.import_module(f"acuerdos.{app}.tests.{module_file.stem}").ROUTES
    return rows


ROUTES += _app_rows()


# --- Fixtures some rows need -------------------------------------------------------------------


@pytest.fixture
def submitted_report(world: World, settings, tmp_path):
    """A report with a PDF evidence, submitted by the liaison on the own commitment."""
    from acuerdos.progress.services import ReportInput, report_submit
    from acuerdos.progress.tests.helpers import PDF, upload

    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        return report_submit(
            commitment=world.own_commitment,
            actor=world.users["liaison"],
            data=ReportInput(
                as_of=dt.date(2026, 6, 10), percent=Decimal("40"), narrative="Avance de prueba."
            ),
            uploads=[upload(PDF, "oficio.pdf")],
        )


@pytest.fixture
def draft_report(world: World):
    """A draft saved by the liaison on the own commitment (no evidence yet)."""
    from acuerdos.progress.services import ReportInput, report_save_draft

    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        return report_save_draft(
            commitment=world.own_commitment,
            actor=world.users["liaison"],
            data=ReportInput(as_of=dt.date(2026, 6, 10), percent=Decimal("20")),
        )


@pytest.fixture
def pending_extension(world: World):
    """An extension of the own commitment asked by the liaison, waiting for a decision."""
    from acuerdos.commitments.services import extension_request

    return extension_request(
        commitment=world.own_commitment,
        actor=world.users["liaison"],
        new_due_date=dt.date(2026, 12, 31),
        justification="La licitación se declaró desierta.",
    )


@pytest.fixture
def liaison_notification(world: World):
    """A notification for the liaison that points to their commitment."""
    from acuerdos.notifications.services import notify

    return notify(
        recipients=[world.users["liaison"]],
        kind="progress.returned",
        title="Le devolvieron un avance",
        url=world.own_commitment.get_absolute_url(),
        commitment_id=world.own_commitment.pk,
    )[0]


@pytest.fixture
def open_cutoff(world: World):
    """The cut-off of 30 jun 2026 in the calendar, still open."""
    from acuerdos.evaluation.models import CutOff

    return CutOff.objects.create(date=dt.date(2026, 6, 30))


@pytest.fixture(autouse=True)
def import_staging(settings, tmp_path):
    """Staged import files in a directory of this test (never the shared temp dir)."""
    settings.IMPORT_STAGING_DIR = str(tmp_path / "staging")


@pytest.fixture
def staged_imports(world: World):
    """An agreements file and a progress file staged by the coordinator for their previews."""
    from acuerdos.commitments.imports import ImportFile
    from acuerdos.commitments.imports.staging import staged_save

    coordinator = world.users["coordinator"]
    staged_save(
        user=coordinator,
        kind="agreements",
        meeting_id=world.meeting.pk,
        file=ImportFile(name="acuerdos.csv", data=STAGED_AGREEMENTS),
    )
    staged_save(
        user=coordinator,
        kind="progress",
        meeting_id=None,
        file=ImportFile(name="avances.csv", data=STAGED_PROGRESS),
    )


# --- The matrix --------------------------------------------------------------------------------


def _answer(client: Client, route: Route, url: str) -> int | str:
    response = getattr(client, route.method)(url)
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return int(response.status_code)


@pytest.mark.parametrize("route", ROUTES, ids=[route.id for route in ROUTES])
def test_it_answers_every_persona_as_the_matrix_says(route, world, clients, request):
    for fixture in route.fixtures:
        request.getfixturevalue(fixture)
    url = route.url(world)
    # Each persona gets a fresh request; logout and login rows must not leak between personas.
    got = {persona: _answer(clients[persona], route, url) for persona in PERSONAS}
    assert got == route.expected, f"{route.id} {route.method.upper()} {url}"


@dataclass(frozen=True)
class Found:
    """A URL pattern found by walking the resolver, with its namespace."""

    namespace: str
    pattern: URLPattern

    @property
    def name(self) -> str | None:
        return f"{self.namespace}{self.pattern.name}" if self.pattern.name else None


def _walk(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[Found]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        else:
            yield Found(namespace, pattern)


def _project_patterns() -> list[Found]:
    """Every URL pattern of the project outside the Django admin (which has its own checks)."""
    return [found for found in _walk(get_resolver().url_patterns) if found.namespace != "admin:"]


def test_it_has_a_row_for_every_named_route():
    names = {found.name for found in _project_patterns() if found.name}
    in_table = {route.name for route in ROUTES}
    missing = sorted(names - in_table)
    assert not missing, (
        f"Routes without a row in ROUTES ({__name__}): {missing}. Add a Route(...) with the "
        "expected answer for every persona."
    )
    stale = sorted(in_table - names)
    assert not stale, f"Rows for routes that no longer exist: {stale}"


def test_it_has_no_unnamed_route_that_the_matrix_could_miss():
    unnamed = [found.pattern.lookup_str for found in _project_patterns() if not found.name]
    assert not unnamed, f"Name these routes and give them a row in ROUTES: {unnamed}"


def test_it_states_an_answer_for_every_persona():
    for route in ROUTES:
        assert set(route.expected) == set(PERSONAS), route.id
