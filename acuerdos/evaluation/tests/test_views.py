"""The dashboards: what each persona sees, the same numbers as the `compliance` command, closed
cut-offs read from their snapshot, "reportado, sin validar" apart, drill-down links.

Who gets 200 / 302 / 404 on each route is in the permission matrix
(`acuerdos/core/tests/test_permission_matrix.py`); here, what the pages say.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from acuerdos.evaluation import boards
from acuerdos.evaluation.rules import Status, shown
from acuerdos.evaluation.selectors import Basis, basis_for, compliance_group, figures_by
from acuerdos.evaluation.services import cutoff_close
from acuerdos.evaluation.tests.boards_data import CUTOFF, NOW, TODAY, Graded, build_graded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    """Every test runs on 15 jul 2026 (Mexico City), fixtures included."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def graded(world) -> Graded:
    return build_graded(world)


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's visible words, without tags and with spaces collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html(response), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("\u00a0", " ")


def pct(value) -> str:
    rounded = shown(value)
    return "n/a" if rounded is None else f"{rounded} %"


def compliance_json(day: dt.date, by: str) -> list[dict]:
    out = StringIO()
    call_command(
        "compliance", "--as-of", day.isoformat(), "--by", by, "--format", "json", stdout=out
    )
    return json.loads(out.getvalue())["groups"]


def shown_groups(rows) -> list[dict]:
    """A page's rows in the command's JSON shape (groups with no active commitment left out, as
    the command does)."""
    return [compliance_group(row) for row in rows if row.figures.total > 0]


# --- The same numbers as the compliance command ---------------------------------------------

PAGES = {
    "region": ("dashboard", "regions"),
    "unit": ("dashboard", "units"),
    "theme": ("evaluation:board_themes", "rows"),
    "area": ("evaluation:board_areas", "rows"),
}


@pytest.mark.parametrize("day", [TODAY, CUTOFF], ids=["today", "cutoff"])
@pytest.mark.parametrize("by", list(PAGES))
def test_it_shows_the_numbers_of_the_compliance_command(graded, clients, by, day):
    route, attribute = PAGES[by]
    query = "" if day == TODAY else f"?corte={day.isoformat()}"
    response = clients["coordinator"].get(reverse(route) + query)
    assert response.status_code == 200
    rows = getattr(response.context["board"], attribute)
    expected = compliance_json(day, by)
    assert expected, "the fixture gives every grouping some figures"
    assert shown_groups(rows) == expected
    # …and those are the numbers on the screen.
    page = text(response)
    for group in expected:
        for key in ("compliance_level", "average_progress", "timeliness"):
            figure = "n/a" if group[key] is None else f"{group[key]:.1f} %"
            assert figure in page, (group["code"], key, figure)


def test_the_national_figures_are_the_sum_of_the_regions_groups(graded, clients):
    board = clients["coordinator"].get("/").context["board"]
    national = board.overall.figures
    assert national.total == sum(row.figures.total for row in board.regions) == 4
    assert national.counts == {
        Status.ON_TRACK: 1,  # shared: 40 %, 49.7 % expected
        Status.AT_RISK: 1,  # pending: 0 % validated, 31 % expected
        Status.OVERDUE: 1,  # foreign, due 30 jun
        Status.FULFILLED: 1,  # own
        Status.CANCELLED: 1,
    }


def test_it_shows_the_three_levels_big_and_rounded_half_up(graded, clients):
    response = clients["coordinator"].get("/")
    figures = response.context["board"].overall.figures
    page = text(response)
    # own fulfilled of {own, foreign} due → 50 %; mean of 100, 0, 40, 0 → 35 %;
    # open: foreign (stale), shared (fresh), pending (fresh) → 66.7 %.
    assert pct(figures.compliance_level) == "50.0 %"
    assert pct(figures.average_progress) == "35.0 %"
    assert pct(figures.timeliness) == "66.7 %"
    for label in ("Nivel de cumplimiento", "Avance promedio", "Oportunidad del reporte"):
        assert label in page
    body = html(response)
    assert 'font-size="34" font-weight="700" fill="#b3261e">50.0\u00a0%</text>' in body
    assert 'fill="#b3261e">66.7\u00a0%</text>' in body
    assert "Tablero de cumplimiento" in page and "Panorama nacional" in page


def test_a_group_without_anything_due_shows_na_in_grey(graded, clients):
    response = clients["coordinator"].get(reverse("evaluation:board_themes"))
    rows = {row.code: row for row in response.context["board"].rows}
    assert rows["TD"].figures.compliance_level is None  # pending: due in December
    assert '<span class="ac-level ac-level-gris">n/a</span>' in html(response)


# --- Closed cut-offs ---------------------------------------------------------------------------


def test_a_closed_cut_off_shows_its_snapshot_even_after_the_data_changed(graded, clients):
    world = graded.world
    before = clients["coordinator"].get(f"/?corte={CUTOFF.isoformat()}").context["board"]
    # A cancellation back-dated to before the cut-off changes the history of 30 jun…
    world.foreign_commitment.cancelled_on = dt.date(2026, 6, 15)
    world.foreign_commitment.cancellation_reason = "Registrada tarde"
    world.foreign_commitment.save()
    history = figures_by(
        world.users["coordinator"], by="national", basis=Basis(as_of=CUTOFF, source="history")
    )[0].figures
    assert history.counts[Status.CANCELLED] == 2
    response = clients["coordinator"].get(f"/?corte={CUTOFF.isoformat()}")
    board = response.context["board"]
    assert response.context["basis"].source == "snapshot"
    assert response.context["basis"].cutoff == graded.cutoff
    # …but the cut-off's figures are frozen: foreign still at risk, as it stood on 30 jun.
    assert board.overall.figures == before.overall.figures
    assert board.overall.figures.counts[Status.CANCELLED] == 1
    assert board.overall.figures.counts[Status.AT_RISK] == 3
    assert shown_groups(board.regions) == compliance_json(CUTOFF, "region")
    page = text(response)
    assert "Cifras con corte al 30 de junio de 2026: congeladas al cerrar el corte." in page


def test_the_trend_equals_the_figures_of_each_closed_cut_off(graded, clients):
    cutoff_close(date=dt.date(2026, 7, 10), actor=None)
    coordinator, liaison = graded.world.users["coordinator"], graded.world.users["liaison"]
    closed = boards.closed_cutoffs()
    for user in (coordinator, liaison):
        for within in (None, boards.of_unit(graded.world.unit("OOAD-HGO"))):
            points = boards.trend(user, closed, within)
            assert [p.date for p in points] == [CUTOFF, dt.date(2026, 7, 10)]
            for point, cutoff in zip(points, sorted(closed, key=lambda c: c.date), strict=True):
                rows = figures_by(
                    user, by="national", basis=basis_for(cutoff=cutoff), within=within
                )
                expected = rows[0].figures
                assert point.compliance == expected.compliance_level
                assert point.progress == expected.average_progress
                assert point.timeliness == expected.timeliness


def test_it_reports_a_cut_off_that_is_not_closed_and_shows_today(graded, clients):
    response = clients["coordinator"].get("/?corte=2026-05-31")
    assert response.status_code == 200
    assert response.context["basis"].source == "today"
    assert "Ese corte no existe o aún no está cerrado" in text(response)


def test_the_as_of_selector_lists_today_and_the_closed_cut_offs(graded, clients):
    form = clients["viewer"].get("/").context["form"]
    assert [label for _, label in form.fields["corte"].choices] == [
        "Hoy, 15 de julio de 2026",
        "Corte al 30 de junio de 2026",
    ]


# --- Scope: unit first for heads and liaisons, the area for validators ------------------------


def test_it_shows_a_liaison_their_unit_first(graded, clients):
    response = clients["liaison"].get("/")
    board = response.context["board"]
    assert [row.code for row in board.own_units] == ["OOAD-QRO"]
    # Their scope also holds the shared commitment of Hidalgo (co-responsible, read-only).
    assert {row.code for row in board.units} == {"OOAD-QRO", "OOAD-HGO"}
    assert board.own_pending == 1
    page = text(response)
    assert page.index("Su unidad") < page.index("Todo su alcance")
    assert "Ver el tablero de la unidad" in page
    assert "Ir a Mis compromisos" in page


def test_it_shows_a_validator_the_commitments_of_their_area(graded, clients):
    board = clients["validator"].get("/").context["board"]
    # DPM validates own (Atención médica) and pending (Trato Digno), both of Querétaro.
    assert board.overall.figures.total == 2
    assert [row.code for row in board.units] == ["OOAD-QRO"]
    assert board.own_units == []


def test_a_region_page_shows_only_the_users_commitments(graded, clients):
    coordinator = clients["coordinator"].get("/tablero/region/REG-CENTRO/").context["board"]
    liaison = clients["liaison"].get("/tablero/region/REG-CENTRO/").context["board"]
    assert coordinator.overall.figures.total == 4
    assert liaison.overall.figures.total == 3  # own, pending and the shared one
    validator = clients["validator"].get("/tablero/region/REG-CENTRO/").context["board"]
    assert validator.overall.figures.total == 2


def test_a_liaison_sees_only_the_shared_commitment_on_a_co_responsible_units_page(graded, clients):
    board = clients["liaison"].get("/tablero/unidad/OOAD-HGO/").context["board"]
    assert board.overall.figures.total == 1
    assert [line.row.code for line in board.agreements] == ["TST-CEN-2026-0003"]


# --- The unit page: reportado, sin validar apart ----------------------------------------------


def test_a_unit_page_shows_what_awaits_validation_apart_from_the_figures(graded, clients):
    response = clients["head"].get("/tablero/unidad/OOAD-QRO/")
    board = response.context["board"]
    assert board.pending == 1
    # The submitted 50 % does not count: the pending commitment has 0 % validated progress.
    assert pct(board.overall.figures.average_progress) == "50.0 %"  # (100 + 0) / 2
    page = text(response)
    assert "Reporte de avance enviado, sin validar" in page
    assert "no cuentan en las cifras hasta que se validen" in page
    # At the cut-off the report had not been sent yet.
    at_cutoff = clients["head"].get(f"/tablero/unidad/OOAD-QRO/?corte={CUTOFF.isoformat()}")
    assert at_cutoff.context["board"].pending == 0


def test_pending_at_a_past_date_counts_reports_decided_after_it(graded):
    from acuerdos.progress.models import ProgressReport, ReportState

    report = ProgressReport.objects.get(commitment=graded.pending)
    report.submitted_on = dt.date(2026, 7, 5)
    report.state, report.validated_on = ReportState.VALIDATED, dt.date(2026, 7, 14)
    report.save()
    user, within = graded.world.users["coordinator"], boards.of_unit(graded.world.unit("OOAD-QRO"))
    assert boards.pending_validation(user, basis_for(), within) == 0  # today: validated
    day = basis_for(as_of=dt.date(2026, 7, 12))
    assert day.source == "history"
    assert boards.pending_validation(user, day, within) == 1  # then: still waiting


def test_a_unit_page_lists_its_agreements_what_needs_attention_first(graded, clients):
    response = clients["coordinator"].get("/tablero/unidad/OOAD-HGO/")
    lines = response.context["board"].agreements
    assert [(line.row.code, line.status) for line in lines] == [
        ("TST-CEN-2026-0002", Status.OVERDUE),
        ("TST-CEN-2026-0003", Status.ON_TRACK),
        ("TST-CEN-2026-0005", Status.CANCELLED),
    ]
    body = html(response)
    assert f'href="/acuerdos/{graded.world.foreign.pk}/"' in body
    assert '<span class="ac-status ac-status-rojo">Vencido</span>' in body


# --- Drill-down --------------------------------------------------------------------------------


def test_drill_down_links_keep_the_chosen_cut_off(graded, clients):
    query = f"?corte={CUTOFF.isoformat()}"
    home = html(clients["coordinator"].get(f"/{query}"))
    assert f'href="/tablero/region/REG-CENTRO/{query}"' in home
    assert f'href="/tablero/unidad/OOAD-QRO/{query}"' in home
    region = html(clients["coordinator"].get(f"/tablero/region/REG-CENTRO/{query}"))
    assert f'href="/tablero/unidad/OOAD-HGO/{query}"' in region
    assert f'href="/{query}"' in region  # breadcrumbs back to the board
    unit = html(clients["coordinator"].get(f"/tablero/unidad/OOAD-HGO/{query}"))
    assert f'href="/tablero/region/REG-CENTRO/{query}"' in unit
    assert f'href="/acuerdos/{graded.world.foreign.pk}/{query}"' in unit


def test_the_agreement_page_rolls_up_its_commitments(graded, clients):
    world = graded.world
    response = clients["coordinator"].get(f"/acuerdos/{world.shared.pk}/")
    page = text(response)
    assert "Evaluación del acuerdo" in page
    expected = figures_by(
        world.users["coordinator"],
        by="agreement",
        basis=basis_for(),
        within=boards.of_agreement(world.shared),
    )[0]
    assert f"Avance promedio {pct(expected.figures.average_progress)}" in page
    assert "En tiempo 40.0 %" in page  # Hidalgo's line: status and progress
    at_cutoff = text(clients["coordinator"].get(f"/acuerdos/{world.shared.pk}/?corte=2026-06-30"))
    assert "Cifras con corte al 30 de junio de 2026" in at_cutoff
    assert "En riesgo 0.0 %" in at_cutoff  # validated on 2 jul: not yet at the cut-off


def test_the_agreement_page_rolls_up_only_the_commitments_in_scope(graded, clients):
    page = text(clients["liaison"].get(f"/acuerdos/{graded.world.own.pk}/"))
    assert "compromisos en su alcance" in page


def test_a_user_without_roles_gets_no_board(world, client):
    from acuerdos.organization.tests.factories import UserFactory

    client.force_login(UserFactory(email="sinrol@imss.gob.mx"))
    response = client.get("/")
    assert "board" not in response.context
    assert "Sin unidad asignada" in text(response)


def test_every_board_page_keeps_the_csp_strict(graded, clients):
    for url in (
        "/",
        f"/?corte={CUTOFF.isoformat()}",
        "/tablero/region/REG-CENTRO/",
        "/tablero/unidad/OOAD-QRO/",
        "/tablero/lineas/",
        "/tablero/areas/",
        "/cortes/",
        f"/acuerdos/{graded.world.own.pk}/",
    ):
        body = html(clients["coordinator"].get(url))
        assert "<script>" not in body and " style=" not in body, url
        assert " onclick=" not in body, url


# --- Ranking -----------------------------------------------------------------------------------


def test_the_ranking_shows_all_groups_when_few_and_best_and_worst_when_many():
    from fractions import Fraction

    from acuerdos.evaluation.rules import GroupFigures
    from acuerdos.evaluation.selectors import GroupRow

    def row(n: int, level: Fraction | None) -> GroupRow:
        figures = GroupFigures(
            total=1,
            counts=dict.fromkeys(Status, 0),
            compliance_level=level,
            average_progress=None,
            timeliness=None,
            overdue_days_sum=0,
            overdue_days_max=0,
            fulfilled_on_time=0,
            fulfilled_late=0,
        )
        return GroupRow(
            key=n, code=f"U{n:02d}", name=f"Unidad {n:02d}", short_name="", figures=figures
        )

    few = boards.ranking([row(1, Fraction(10)), row(2, None), row(3, Fraction(90))], size=2)
    assert [r.key for r in few.best] == [3, 1] and few.worst == [] and few.unranked == 1
    many = boards.ranking([row(n, Fraction(n)) for n in range(1, 31)], size=5)
    assert [r.key for r in many.best] == [30, 29, 28, 27, 26]
    assert [r.key for r in many.worst] == [1, 2, 3, 4, 5]
