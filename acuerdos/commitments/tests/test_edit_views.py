"""The agreement and commitment forms: pages, htmx partials, errors in Spanish next to their
fields with nothing lost, version conflicts, and query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments import selectors
from acuerdos.commitments.models import Agreement, Milestone, TargetKind
from acuerdos.commitments.services import CommitmentSpec, MilestoneSpec, agreement_create
from acuerdos.core.tests.querycount import assert_constant_queries, count_queries
from acuerdos.organization.models import Theme, UnitKind

pytestmark = pytest.mark.django_db

CREATE = reverse("commitments:agreement_create")
HTMX = {"HX-Request": "true"}


def _html(response) -> str:
    return response.content.decode()


def _create_url(world) -> str:
    return f"{CREATE}?reunion={world.meeting.pk}"


def _agreement_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "folio": "TST-CEN-2026-0050",
        "text": "Reducir el tiempo de espera en urgencias.",
        "deliverable": "Tablero mensual",
        "theme": Theme.objects.get(code="AM").pk,
        "validating_area": "",
        "priority": "alta",
        "start_date": "",
        "due_date": "31/12/2026",
        "weight": "1",
        "target_kind": "percent",
    }
    data.update(overrides)
    return data


# --- Nuevo acuerdo ------------------------------------------------------------------------------


def test_it_asks_for_the_meeting_first(clients, world):
    response = clients["coordinator"].get(CREATE)
    assert response.status_code == 200
    assert "¿En qué reunión se firmó?" in _html(response)
    assert world.meeting.code in _html(response)


def test_it_proposes_the_next_folio_and_the_regions_shortcuts(clients, world):
    response = clients["coordinator"].get(_create_url(world))
    html = _html(response)
    assert response.status_code == 200
    assert 'value="TST-CEN-2026-0004"' in html
    assert "Todas las OOAD de la región Centro" in html
    assert "Todas las UMAE de la región Centro" in html
    assert "Agregar hito" in html


def test_it_links_to_the_form_from_the_list_for_coordinators_only(clients):
    url = reverse("commitments:agreement_list")
    assert "Nuevo acuerdo" in _html(clients["coordinator"].get(url))
    assert "Nuevo acuerdo" not in _html(clients["viewer"].get(url))


def test_it_creates_an_agreement_for_all_ooad_of_the_region_with_an_indicator(clients, world):
    data = _agreement_post(
        all_region_ooad="on",
        target_kind="indicator",
        indicator_name="Tiempo de espera",
        unit_of_measure="minutos",
        baseline="90",
        target_value="30",
    )
    response = clients["coordinator"].post(_create_url(world), data)
    assert response.status_code == 302, _html(response)
    agreement = Agreement.objects.get(folio="TST-CEN-2026-0050")
    assert response["Location"] == agreement.get_absolute_url()
    ooad = selectors.region_units(world.meeting.region_id, UnitKind.OOAD)
    assert agreement.commitments.count() == len(ooad)
    assert set(agreement.commitments.values_list("target_kind", "baseline", "target_value")) == {
        ("indicator", Decimal("90"), Decimal("30"))
    }
    assert agreement.validating_area == agreement.theme.lead_area
    assert AuditEvent.objects.filter(action="commitment.created").count() == len(ooad)


def test_it_creates_an_agreement_with_milestones_for_chosen_units(clients, world):
    qro, umae = world.unit("OOAD-QRO"), selectors.region_units(world.meeting.region_id, "umae")[0]
    data = _agreement_post(
        responsible_units=[qro.pk, umae.pk],
        co_responsible_units=[world.unit("OOAD-HGO").pk],
        target_kind="milestones",
        **{
            "m-id": ["", "", "", ""],
            "m-name": ["Diagnóstico", "Proyecto", "Operación", ""],
            "m-date": ["30/06/2026", "30/09/2026", "15/12/2026", ""],
            "m-weight": ["1", "2", "1", "1"],
        },
    )
    response = clients["coordinator"].post(_create_url(world), data)
    assert response.status_code == 302, _html(response)
    agreement = Agreement.objects.get(folio="TST-CEN-2026-0050")
    assert agreement.commitments.count() == 2
    for commitment in agreement.commitments.all():
        assert [m.name for m in commitment.milestones.all()] == [
            "Diagnóstico",
            "Proyecto",
            "Operación",
        ]
        assert list(commitment.co_responsible_units.values_list("code", flat=True)) == ["OOAD-HGO"]


def test_it_shows_errors_next_to_their_fields_and_keeps_everything_typed(clients, world):
    data = _agreement_post(
        folio="TST-CEN-2026-0001",
        text="Texto que no se pierde.",
        target_kind="indicator",
        indicator_name="Camas",
        baseline="10",
        target_value="10",
        due_date="31/02/2026",
        responsible_units=[world.unit("OOAD-QRO").pk],
    )
    response = clients["coordinator"].post(_create_url(world), data)
    html = _html(response)
    assert response.status_code == 400
    assert "El folio «TST-CEN-2026-0001» ya está registrado" in html
    assert 'id="id_folio_error"' in html
    assert "Escriba una fecha válida" in html
    assert "Texto que no se pierde." in html
    assert 'value="Camas"' in html
    assert not Agreement.objects.filter(text="Texto que no se pierde.").exists()


def test_it_keeps_milestone_rows_and_says_what_is_wrong_in_each(clients, world):
    data = _agreement_post(
        responsible_units=[world.unit("OOAD-QRO").pk],
        target_kind="milestones",
        **{
            "m-id": ["", ""],
            "m-name": ["Diagnóstico", "Diagnóstico"],
            "m-date": ["30/06/2026", "30/06/2027"],
            "m-weight": ["1", "0"],
        },
    )
    html = _html(clients["coordinator"].post(_create_url(world), data))
    assert "Ya hay otro hito con ese nombre." in html
    assert "posterior a la fecha compromiso" in html
    assert "debe ser un número mayor que cero" in html
    assert html.count('value="Diagnóstico"') == 2


def test_it_asks_for_a_responsible_unit(clients, world):
    html = _html(clients["coordinator"].post(_create_url(world), _agreement_post()))
    assert "Elija al menos una unidad responsable" in html


# --- htmx partials ------------------------------------------------------------------------------


def test_it_checks_the_folio_as_it_is_typed(clients, world):
    url = reverse("commitments:agreement_folio_check")
    taken = clients["coordinator"].get(f"{url}?folio=tst-cen-2026-0001", headers=HTMX)
    assert "ya está registrado" in _html(taken)
    assert "<html" not in _html(taken)
    free = clients["coordinator"].get(f"{url}?folio=TST-CEN-2026-0999", headers=HTMX)
    assert "Folio disponible" in _html(free)
    own = clients["coordinator"].get(
        f"{url}?folio=TST-CEN-2026-0001&acuerdo={world.own.pk}", headers=HTMX
    )
    assert "Folio disponible" in _html(own)


def test_it_proposes_the_themes_lead_area(clients):
    theme = Theme.objects.get(code="INF")
    url = f"{reverse('commitments:agreement_theme_area')}?theme={theme.pk}"
    html = _html(clients["coordinator"].get(url, headers=HTMX))
    assert html.lstrip().startswith('<div id="area-field">')
    assert f'<option value="{theme.lead_area_id}" selected>' in html


# --- Editar acuerdo -----------------------------------------------------------------------------


def test_it_edits_an_agreement(clients, world):
    url = reverse("commitments:agreement_edit", args=[world.own.pk])
    assert 'value="TST-CEN-2026-0001"' in _html(clients["coordinator"].get(url))
    data = _agreement_post(folio="TST-CEN-2026-0001", text="Texto corregido.", expected_version=1)
    response = clients["coordinator"].post(url, data)
    assert response.status_code == 302
    world.own.refresh_from_db()
    assert world.own.text == "Texto corregido." and world.own.version == 2
    assert AuditEvent.objects.filter(action="agreement.updated").count() == 1


def test_it_refuses_a_stale_agreement_form_and_keeps_what_was_typed(clients, world):
    url = reverse("commitments:agreement_edit", args=[world.own.pk])
    Agreement.objects.filter(pk=world.own.pk).update(version=5)
    data = _agreement_post(folio="TST-CEN-2026-0001", text="Mi versión.", expected_version=1)
    response = clients["coordinator"].post(url, data)
    html = _html(response)
    assert response.status_code == 409
    assert "Otra persona cambió este acuerdo" in html
    assert "Mi versión." in html
    assert 'name="expected_version" value="5"' in html
    assert clients["coordinator"].post(url, {**data, "expected_version": 5}).status_code == 302


# --- Editar compromiso and Agregar compromiso ---------------------------------------------------


def _commitment_post(commitment, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "start_date": f"{commitment.start_date:%d/%m/%Y}",
        "due_date": f"{commitment.due_date:%d/%m/%Y}",
        "weight": "1",
        "target_kind": commitment.target_kind,
        "expected_version": commitment.version,
    }
    data.update(overrides)
    return data


def test_it_edits_a_commitment(clients, world):
    commitment = world.own_commitment
    url = reverse("commitments:commitment_edit", args=[commitment.pk])
    assert "Motivo del cambio" in _html(clients["coordinator"].get(url))
    response = clients["coordinator"].post(
        url, _commitment_post(commitment, due_date="30/11/2026", weight="3")
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.due_date == dt.date(2026, 11, 30) and commitment.weight == 3


def test_it_asks_for_the_reason_next_to_its_field_after_validated_progress(
    clients, world, settings, tmp_path
):
    from acuerdos.progress.services import ReportInput, report_submit, report_validate
    from acuerdos.progress.tests.helpers import PDF, upload

    settings.MEDIA_ROOT = tmp_path
    commitment = world.own_commitment
    with time_machine.travel(dt.datetime(2026, 6, 15, 18, tzinfo=dt.UTC), tick=False):
        report = report_submit(
            commitment=commitment,
            actor=world.users["liaison"],
            data=ReportInput(as_of=dt.date(2026, 6, 10), percent=Decimal("40"), narrative="x"),
            uploads=[upload(PDF, "oficio.pdf")],
        )
        report_validate(report=report, actor=world.users["validator"])
    commitment.refresh_from_db()
    url = reverse("commitments:commitment_edit", args=[commitment.pk])
    page = _html(clients["coordinator"].get(url))
    assert "ya tiene avance validado" in page
    data = _commitment_post(commitment, due_date="30/11/2026")
    response = clients["coordinator"].post(url, data)
    html = _html(response)
    assert response.status_code == 400
    assert 'id="id_reason_error"' in html
    assert 'value="30/11/2026"' in html
    response = clients["coordinator"].post(url, {**data, "reason": "Lo acordó la reunión."})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="commitment.updated")
    assert event.context == {"reason": "Lo acordó la reunión."}


def test_it_refuses_a_stale_commitment_form(clients, world):
    commitment = world.own_commitment
    url = reverse("commitments:commitment_edit", args=[commitment.pk])
    data = _commitment_post(commitment, due_date="30/11/2026", expected_version=99)
    response = clients["coordinator"].post(url, data)
    assert response.status_code == 409
    assert "Otra persona cambió este compromiso" in _html(response)
    assert 'value="30/11/2026"' in _html(response)
    version = commitment.version
    assert f'name="expected_version" value="{version}"' in _html(response)
    retry = clients["coordinator"].post(url, {**data, "expected_version": version})
    assert retry.status_code == 302


def test_it_adds_a_commitment_of_another_unit(clients, world):
    url = reverse("commitments:commitment_add", args=[world.own.pk])
    html = _html(clients["coordinator"].get(url))
    qro, pue = world.unit("OOAD-QRO"), world.unit("OOAD-PUE")
    assert f'<option value="{pue.pk}">' in html
    assert f'<option value="{qro.pk}">' not in html  # it already has one
    data = {"responsible_unit": pue.pk, "due_date": "30/11/2026", "weight": "1"}
    response = clients["coordinator"].post(url, {**data, "target_kind": "percent"})
    assert response.status_code == 302
    assert world.own.commitments.filter(responsible_unit=pue).exists()


# --- Query counts -------------------------------------------------------------------------------


def test_it_renders_the_new_agreement_form_in_a_fixed_number_of_queries(clients, world):
    assert count_queries(clients["coordinator"], _create_url(world)) <= 20


def test_it_renders_the_commitment_form_in_constant_queries_whatever_the_milestones(clients, world):
    agreement = agreement_create(
        meeting=world.meeting,
        folio="TST-CEN-2026-0077",
        text="Hitos",
        theme=Theme.objects.get(code="AM"),
        commitments=[
            CommitmentSpec(
                responsible_unit=world.unit("OOAD-QRO"),
                due_date=dt.date(2026, 12, 31),
                target_kind=TargetKind.MILESTONES,
                milestones=[MilestoneSpec("Uno", dt.date(2026, 7, 1))],
            )
        ],
    )
    commitment = agreement.commitments.get()
    url = reverse("commitments:commitment_edit", args=[commitment.pk])

    def grow() -> None:
        for n in range(2, 8):
            Milestone.objects.create(
                commitment=commitment, name=f"Hito {n}", due_date=dt.date(2026, 8, n), order=n
            )

    assert_constant_queries(clients["coordinator"], url, grow)
