"""Agreement and commitment pages, and Inicio: status per persona, content, filters, htmx."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from acuerdos.commitments.models import Commitment
from acuerdos.commitments.tests.builders import agreement_with_commitments
from acuerdos.commitments.tests.factories import MeetingFactory
from acuerdos.meetings.models import Round
from acuerdos.organization.models import Region, Unit

pytestmark = pytest.mark.django_db

LOGGED_IN = ("liaison", "head", "other_liaison", "validator", "coordinator", "viewer")


def _html(response) -> str:
    return response.content.decode()


# --- Status per persona ----------------------------------------------------------------------


LISTS = ("dashboard", "commitments:agreement_list", "commitments:my_commitments")


def test_it_sends_anonymous_visitors_to_the_login_page(clients):
    for name in LISTS:
        url = reverse(name)
        response = clients["anonymous"].get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_it_shows_the_lists_to_every_logged_in_persona(clients):
    statuses = {
        (name, p): clients[p].get(reverse(name)).status_code for name in LISTS for p in LOGGED_IN
    }
    assert set(statuses.values()) == {200}, statuses


AGREEMENT_STATUS = {
    "own": {"liaison": 200, "head": 200, "other_liaison": 404, "validator": 200},
    "foreign": {"liaison": 404, "head": 404, "other_liaison": 200, "validator": 404},
    "shared": {"liaison": 200, "head": 200, "other_liaison": 200, "validator": 404},
}


@pytest.mark.parametrize("which", AGREEMENT_STATUS)
def test_it_answers_agreement_and_commitment_details_by_scope(world, clients, which):
    expected = {**AGREEMENT_STATUS[which], "coordinator": 200, "viewer": 200, "anonymous": 302}
    agreement = getattr(world, which)
    commitment = getattr(world, f"{which}_commitment")
    for persona, status in expected.items():
        got = clients[persona].get(reverse("commitments:agreement_detail", args=[agreement.pk]))
        assert got.status_code == status, (persona, which, "agreement")
        got = clients[persona].get(reverse("commitments:commitment_detail", args=[commitment.pk]))
        assert got.status_code == status, (persona, which, "commitment")


def test_it_answers_404_for_a_missing_agreement(clients):
    assert clients["coordinator"].get("/acuerdos/999999/").status_code == 404
    assert clients["coordinator"].get("/compromisos/999999/").status_code == 404


def test_it_answers_the_same_spanish_404_for_missing_and_forbidden(world, clients):
    missing = clients["other_liaison"].get("/acuerdos/999999/")
    forbidden = clients["other_liaison"].get(f"/acuerdos/{world.own.pk}/")
    assert missing.status_code == forbidden.status_code == 404
    assert "No encontramos esta página" in forbidden.content.decode()
    assert world.own.folio not in forbidden.content.decode()


def test_it_refuses_post_on_read_only_pages(world, clients):
    response = clients["coordinator"].post(reverse("commitments:agreement_list"))
    assert response.status_code == 405


# --- Inicio ----------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 9, 15, 12, tzinfo=dt.UTC), tick=False)
def test_it_counts_only_what_the_user_sees_on_inicio(world, clients):
    response = clients["liaison"].get("/")
    summary = response.context["summary"]
    assert summary.agreements == 2  # own + shared
    assert summary.commitments == 2
    assert summary.own_commitments == 1
    assert summary.due_soon == 2  # both due 30 sep 2026
    assert [c.pk for c in summary.next_due] == [world.own_commitment.pk]
    html = _html(response)
    assert "Mis compromisos" in html
    assert "Tablero de cumplimiento" in html and "Su unidad" in html
    assert "30 sep 2026" in html


def test_it_gives_coordinators_the_national_figures(world, clients):
    summary = clients["coordinator"].get("/").context["summary"]
    assert summary.agreements == 3
    assert summary.own_commitments is None
    assert "Ir a Mis compromisos" not in _html(clients["coordinator"].get("/"))


def test_it_tells_a_user_without_roles_what_to_do(world, client):
    from acuerdos.organization.tests.factories import UserFactory

    client.force_login(UserFactory(email="sinrol@imss.gob.mx"))
    html = _html(client.get("/"))
    assert "Sin unidad asignada" in html


# --- Navigation, layout and language ---------------------------------------------------------


def test_it_shows_navigation_by_role(clients):
    liaison = _html(clients["liaison"].get("/"))
    coordinator = _html(clients["coordinator"].get("/"))
    viewer = _html(clients["viewer"].get("/"))
    assert 'href="/compromisos/mios/"' in liaison
    assert 'href="/personas/"' not in liaison
    assert 'href="/personas/"' in coordinator
    assert 'href="/compromisos/mios/"' not in coordinator
    assert 'href="/personas/"' not in viewer
    assert 'href="/admin/"' not in coordinator  # only superusers


def test_it_links_the_admin_for_superusers(world, clients):
    user = world.users["coordinator"]
    user.is_superuser = user.is_staff = True
    user.save()
    assert 'href="/admin/"' in _html(clients["coordinator"].get("/"))


def test_it_renders_the_layout_in_spanish_with_the_privacy_notice(clients):
    html = _html(clients["liaison"].get("/"))
    assert '<html lang="es-MX">' in html
    assert "Saltar al contenido principal" in html
    assert "Aviso de privacidad simplificado" in html
    assert 'href="/aviso-de-privacidad/"' in html
    assert "Enlace" in html  # the role under the user's name
    assert 'action="/accounts/logout/"' in html
    assert 'method="post"' in html


def test_it_keeps_the_csp_strict_in_every_page(world, clients):
    for url in ("/", "/acuerdos/", f"/acuerdos/{world.own.pk}/", "/compromisos/mios/"):
        html = _html(clients["liaison"].get(url))
        assert "<script>" not in html and "style=" not in html, url
        assert 'name="htmx-config"' in html
        assert '"allowEval":false' in html and '"includeIndicatorStyles":false' in html


# --- Agreement list: filters -----------------------------------------------------------------


def _folios(response) -> set[str]:
    return {agreement.folio for agreement in response.context["page"].object_list}


@pytest.fixture
def catalogue_of_agreements(world):
    """Besides the world's three: one in Occidente (round 8), one Infraestructura due in
    December, one Atención médica for UMAE HE CMN Siglo XXI with an accented text."""
    round8 = Round.objects.create(name="8ª Ronda de Reuniones Regionales 2026", number=8, year=2026)
    occidente = MeetingFactory(
        code="TST-OCC",
        name="Reunión Regional Occidente de prueba",
        region=Region.objects.get(short_name="Occidente"),
        round=round8,
    )
    occidente.participants.set([Unit.objects.get(code="OOAD-JAL")])
    west = agreement_with_commitments(occidente, units=("OOAD-JAL",), theme_code="INF")
    december = agreement_with_commitments(
        world.meeting, units=("OOAD-PUE",), theme_code="INF", due=dt.date(2026, 12, 15)
    )
    accented = agreement_with_commitments(
        world.meeting,
        units=("UMAE-CMNSXXI-HE",),
        text="Reducir el diferimiento quirúrgico en Ortopedia y Cardiología.",
    )
    return {"west": west, "december": december, "accented": accented}


def test_it_lists_every_visible_agreement_without_filters(world, clients, catalogue_of_agreements):
    response = clients["coordinator"].get("/acuerdos/")
    assert len(_folios(response)) == 6
    assert "6 acuerdos" in _html(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region={occidente}", {"west"}),
        ("round={round8}", {"west"}),
        ("meeting={west_meeting}", {"west"}),
        ("unit={pue}", {"december"}),
        ("theme={inf}&meeting={world_meeting}", {"december", "foreign", "shared"}),
        ("due_from=2026-12-01", {"december"}),
        ("due_from=01/12/2026", {"december"}),
        ("due_from=2026-12-01&due_to=2026-12-31", {"december"}),
        ("due_to=2026-11-30&theme={inf}&region={centro}", {"foreign", "shared"}),
        ("q=QUIRURGICO", {"accented"}),
        ("q=cardiologia ortopedia", set()),
        ("q=ortopedia y cardiología", {"accented"}),
        ("q=TST-CEN-2026-0002", {"foreign"}),
    ],
)
def test_it_narrows_the_list_with_each_filter(
    world, clients, catalogue_of_agreements, query, expected
):
    ids = {
        "occidente": Region.objects.get(short_name="Occidente").pk,
        "centro": Region.objects.get(short_name="Centro").pk,
        "round8": catalogue_of_agreements["west"].meeting.round_id,
        "west_meeting": catalogue_of_agreements["west"].meeting_id,
        "world_meeting": world.meeting.pk,
        "pue": Unit.objects.get(code="OOAD-PUE").pk,
        "inf": catalogue_of_agreements["december"].theme_id,
    }
    response = clients["coordinator"].get(f"/acuerdos/?{query.format(**ids)}")
    assert response.status_code == 200
    named = {**catalogue_of_agreements, "own": world.own, "foreign": world.foreign}
    named["shared"] = world.shared
    assert _folios(response) == {named[key].folio for key in expected}
    assert not response.context["form"].errors


def test_it_filters_by_normative_area_including_its_coordinations(world, clients):
    cumae = Unit.objects.get(code="DPM-CUMAE")
    world.own.validating_area = cumae
    world.own.save()
    dpm = Unit.objects.get(code="DPM")
    response = clients["coordinator"].get(f"/acuerdos/?area={dpm.pk}")
    assert _folios(response) == {world.own.folio}
    response = clients["coordinator"].get(f"/acuerdos/?area={cumae.pk}")
    assert _folios(response) == {world.own.folio}


def test_it_keeps_the_scope_when_filtering(world, clients, catalogue_of_agreements):
    response = clients["liaison"].get(f"/acuerdos/?meeting={world.meeting.pk}")
    assert _folios(response) == {world.own.folio, world.shared.folio}


@pytest.mark.parametrize(
    "query",
    [
        "round=abc",
        "meeting=999999",
        "region=-1",
        "unit=1.5",
        "theme=99999999999999999999999",
        "due_from=30-junio",
        "due_from=2026-02-31",
        "area=%27%20OR%201%3D1",
    ],
)
def test_it_reports_invalid_filters_in_spanish_without_failing(world, clients, query):
    response = clients["coordinator"].get(f"/acuerdos/?{query}")
    assert response.status_code == 200
    html = _html(response)
    assert "Algunos filtros no son válidos y no se aplicaron" in html
    assert "Seleccione una opción de la lista" in html or "Escriba una fecha válida" in html
    # The invalid filter is ignored: every agreement is still listed.
    assert len(_folios(response)) == 3


def test_it_refuses_a_date_range_that_ends_before_it_starts(world, clients):
    response = clients["coordinator"].get("/acuerdos/?due_from=2026-12-01&due_to=2026-01-01")
    assert "La fecha final no puede ser anterior a la fecha inicial" in _html(response)


def test_it_does_not_let_a_liaison_filter_by_a_meeting_outside_their_scope(
    world, clients, catalogue_of_agreements
):
    west_meeting = catalogue_of_agreements["west"].meeting_id
    response = clients["liaison"].get(f"/acuerdos/?meeting={west_meeting}")
    assert response.context["form"].errors["meeting"]
    choices = response.context["form"].fields["meeting"].queryset
    assert west_meeting not in {meeting.pk for meeting in choices}
    assert _folios(response) == {world.own.folio, world.shared.folio}


def test_it_ignores_unknown_query_parameters(world, clients):
    response = clients["liaison"].get("/acuerdos/?folio__startswith=TST&responsible_unit=1")
    assert response.status_code == 200
    assert _folios(response) == {world.own.folio, world.shared.folio}


def test_it_paginates_fifty_agreements_per_page_keeping_the_filters(world, clients):
    for _ in range(51):
        agreement_with_commitments(world.meeting, units=("OOAD-PUE",), theme_code="INF")
    theme = world.foreign.theme_id
    first = clients["coordinator"].get(f"/acuerdos/?theme={theme}")
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 53
    assert f"?theme={theme}&amp;page=2" in _html(first)
    second = clients["coordinator"].get(f"/acuerdos/?theme={theme}&page=2")
    assert len(second.context["page"].object_list) == 3
    assert clients["coordinator"].get("/acuerdos/?page=zzz").status_code == 200


# --- htmx ------------------------------------------------------------------------------------


def test_it_answers_htmx_with_the_results_fragment_only(world, clients):
    response = clients["liaison"].get(
        f"/acuerdos/?theme={world.own.theme_id}", headers={"HX-Request": "true"}
    )
    html = _html(response)
    assert response.status_code == 200
    assert "<html" not in html and "<nav" not in html.split("ac-results", 1)[0]
    assert 'class="ac-results"' in html
    assert world.own.folio in html
    assert world.shared.folio not in html
    assert "HX-Request" in response["Vary"]


def test_it_answers_an_htmx_history_restore_with_the_whole_page(world, clients):
    response = clients["liaison"].get(
        "/acuerdos/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in _html(response)


def test_it_wires_the_filter_form_for_htmx_and_for_plain_get(clients):
    html = _html(clients["liaison"].get("/acuerdos/"))
    assert 'method="get"' in html
    assert 'hx-get="/acuerdos/"' in html
    assert 'hx-target="#results"' in html
    assert 'hx-push-url="true"' in html
    assert 'id="results"' in html


# --- Details ---------------------------------------------------------------------------------


def test_it_shows_an_agreement_with_all_its_commitments(world, clients):
    agreement = agreement_with_commitments(world.meeting)
    response = clients["coordinator"].get(f"/acuerdos/{agreement.pk}/")
    html = _html(response)
    assert agreement.folio in html
    assert "Días de espera para cirugía" in html
    assert "45 → 20 días" in html
    assert "Menor es mejor" in html
    assert "3 hitos" in html
    assert "Hidalgo" in html  # co-responsible
    assert len(response.context["detail"].commitments) == 3


def test_it_links_only_the_commitments_in_the_users_scope(world, clients):
    response = clients["liaison"].get(f"/acuerdos/{world.shared.pk}/")
    detail = response.context["detail"]
    # Querétaro is only co-responsible of Hidalgo's commitment: it sees the row…
    assert [c.pk for c in detail.commitments] == [world.shared_commitment.pk]
    assert world.shared_commitment.pk in detail.linkable_ids
    extra = Commitment.objects.create(
        agreement=world.shared,
        responsible_unit=Unit.objects.get(code="OOAD-TLAX"),
        start_date=dt.date(2026, 4, 30),
        due_date=dt.date(2026, 10, 31),
    )
    response = clients["liaison"].get(f"/acuerdos/{world.shared.pk}/")
    detail = response.context["detail"]
    # …and Tlaxcala's row, without a link to a page that would answer 404.
    assert extra.pk in {c.pk for c in detail.commitments}
    assert extra.pk not in detail.linkable_ids
    assert f'href="/compromisos/{extra.pk}/"' not in _html(response)
    assert clients["liaison"].get(f"/compromisos/{extra.pk}/").status_code == 404


def test_it_marks_a_co_responsible_commitment_read_only(world, clients):
    html = _html(clients["liaison"].get(f"/compromisos/{world.shared_commitment.pk}/"))
    assert "Su unidad es corresponsable (solo lectura)" in html
    html = _html(clients["liaison"].get(f"/compromisos/{world.own_commitment.pk}/"))
    assert "Compromiso de su unidad" in html
    assert "30 sep 2026" in html


# --- Mis compromisos -------------------------------------------------------------------------


def test_it_lists_my_units_commitments_and_the_co_responsible_ones_apart(world, clients):
    response = clients["liaison"].get("/compromisos/mios/")
    assert [c.pk for c in response.context["own_page"].object_list] == [world.own_commitment.pk]
    assert [c.pk for c in response.context["co_page"].object_list] == [world.shared_commitment.pk]
    html = _html(response)
    assert world.own.folio in html and "Como unidad corresponsable" in html


def test_it_orders_my_commitments_by_due_date(world, clients):
    late = agreement_with_commitments(world.meeting, units=("OOAD-QRO",), due=dt.date(2027, 1, 31))
    early = agreement_with_commitments(world.meeting, units=("OOAD-QRO",), due=dt.date(2026, 6, 1))
    page = clients["head"].get("/compromisos/mios/").context["own_page"]
    folios = [c.agreement.folio for c in page.object_list]
    assert folios == [early.folio, world.own.folio, late.folio]


def test_it_explains_mis_compromisos_to_users_without_units(clients):
    for persona in ("validator", "coordinator", "viewer"):
        html = _html(clients[persona].get("/compromisos/mios/"))
        assert "Su cuenta no está asignada a una OOAD, UMAE o grupo de trabajo" in html
