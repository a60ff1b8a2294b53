"""Importing agreements: the rules of PRODUCT.md §4.2 on files written by the tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.imports import (
    ImportFile,
    agreements_import,
    agreements_import_apply,
    agreements_import_plan,
    unit_alias_add,
)
from acuerdos.commitments.models import Agreement, Commitment, Milestone, TargetKind
from acuerdos.commitments.services import CommitmentSpec, agreement_create
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.organization.models import Theme, UnitAlias

from .helpers import HEADERS, csv_file, xlsx_bytes, xlsx_file

pytestmark = pytest.mark.django_db

DUE = dt.datetime(2026, 9, 30)


def row(
    folio,
    text="Fortalecer la atención en urgencias.",
    theme="Atención médica",
    units="Querétaro",
    due=DUE,
    goal=None,
    baseline=None,
    indicator=None,
    uom=None,
):
    return [folio, text, theme, units, due, goal, baseline, indicator, uom]


def _errors(plan):
    return [(e.row, e.column) for e in plan.errors]


def test_it_imports_agreements_with_one_commitment_per_unit(meeting, unit):
    file = xlsx_file(
        [
            ["Acuerdos de la 8ª Reunión Regional Centro"],
            ["Querétaro, 27 al 30 de abril de 2026"],
            [],
            HEADERS,
            row("RR8-CEN-2026-0001", units="Querétaro, Hidalgo y Cd. de México Nte."),
            row("RR8-CEN-2026-0002", theme="DIG", units="Puebla", goal="Sistema en operación"),
        ]
    )
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    assert plan.applied
    assert plan.summary().startswith("Se importaron 2 acuerdos con 4 compromisos")
    first = Agreement.objects.get(folio="RR8-CEN-2026-0001")
    assert first.meeting == meeting
    assert first.theme.code == "AM"
    assert first.validating_area.code == "DPM"  # the theme's lead area by default
    codes = list(first.commitments.order_by("pk").values_list("responsible_unit__code", flat=True))
    assert codes == ["OOAD-QRO", "OOAD-HGO", "OOAD-CDMXN"]
    commitment = first.commitments.first()
    assert commitment.start_date == meeting.end_date
    assert commitment.due_date == commitment.current_due_date == dt.date(2026, 9, 30)
    assert commitment.target_kind == TargetKind.PERCENT
    second = Agreement.objects.get(folio="RR8-CEN-2026-0002")
    assert second.deliverable == "Sistema en operación"
    assert second.validating_area.code == "DIDT"


def test_it_audits_every_agreement_and_commitment_as_imported(meeting, world):
    file = xlsx_file([HEADERS, row("RR8-CEN-2026-0001", units="Querétaro y Puebla")])
    coordinator = world.users["coordinator"]
    agreements_import(file=file, meeting=meeting, actor=coordinator)
    agreement = Agreement.objects.get(folio="RR8-CEN-2026-0001")
    event = AuditEvent.objects.get(action="agreement.imported")
    assert event.actor == coordinator
    assert event.source == "import"
    assert event.target_id == str(agreement.pk)
    assert event.context["file"] == "acuerdos.xlsx"
    assert event.context["sha256"] == file.sha256
    events = AuditEvent.objects.filter(action="commitment.imported").order_by("id")
    assert [e.commitment_id for e in events] == list(
        agreement.commitments.order_by("pk").values_list("pk", flat=True)
    )
    assert events[0].changes["responsible_unit"] == [None, "OOAD-QRO"]
    assert events[0].context["row"] == "Hoja «Acuerdos», fila 2"


def test_it_reports_the_five_kinds_of_error_by_row_and_column_and_writes_nothing(meeting):
    file = xlsx_file(
        [
            ["Título del archivo"],
            HEADERS,
            row("RR8-CEN-2026-0001"),
            row("RR8-CEN-2026-0002", units="Atlantis"),
            row("RR8-CEN-2026-0003", due="31/02/2026"),
            row("RR8-CEN-2026-0004", text=""),
            row("RR8-CEN-2026-0005", theme="Astronomía"),
            row("RR8-CEN-2026-0006", due=dt.datetime(2026, 3, 15)),
        ]
    )
    plan = agreements_import(file=file, meeting=meeting)
    assert not plan.applied
    assert _errors(plan) == [
        (4, "Responsable"),
        (5, "Fecha compromiso"),
        (6, "Acuerdo"),
        (7, "Línea de acción"),
        (8, "Fecha compromiso"),
    ]
    messages = [e.message for e in plan.errors]
    assert "No se reconoce la unidad «Atlantis»" in messages[0]
    assert "no existe: febrero de 2026 tiene 28 días" in messages[1]
    assert "Falta el texto del acuerdo" in messages[2]
    assert "No se reconoce la línea de acción «Astronomía»" in messages[3]
    assert "anterior al inicio de la reunión (27/04/2026)" in messages[4]
    assert str(plan.errors[0]).startswith("Hoja «Acuerdos», fila 4, columna «Responsable»: ")
    assert plan.summary().startswith("No se importó nada: 5 errores")
    assert not Agreement.objects.exists()
    assert not AuditEvent.objects.filter(action__endswith=".imported").exists()


def test_it_changes_nothing_when_the_same_file_is_imported_again(meeting):
    file = xlsx_file([HEADERS, row("RR8-CEN-2026-0001", units="Querétaro y Puebla")])
    agreements_import(file=file, meeting=meeting)
    events = AuditEvent.objects.count()
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok
    assert [a.status for a in plan.agreements] == ["unchanged"]
    assert plan.summary() == (
        "Sin cambios: el acuerdo del archivo ya estaba registrado en la reunión RR8-CEN."
    )
    assert Agreement.objects.count() == 1
    assert Commitment.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_it_imports_only_the_new_agreements_of_a_grown_file(meeting):
    agreements_import(file=xlsx_file([HEADERS, row("RR8-CEN-2026-0001")]), meeting=meeting)
    grown = xlsx_file([HEADERS, row("RR8-CEN-2026-0001"), row("RR8-CEN-2026-0002")])
    plan = agreements_import(file=grown, meeting=meeting)
    assert [(a.folio, a.status) for a in plan.agreements] == [
        ("RR8-CEN-2026-0001", "unchanged"),
        ("RR8-CEN-2026-0002", "create"),
    ]
    assert "1 ya estaban registrados sin cambios" in plan.summary()
    assert Agreement.objects.count() == 2


def test_it_refuses_an_existing_folio_with_other_content_as_a_conflict(meeting):
    agreements_import(file=xlsx_file([HEADERS, row("RR8-CEN-2026-0001")]), meeting=meeting)
    changed = xlsx_file(
        [
            HEADERS,
            row("RR8-CEN-2026-0001", units="Querétaro y Puebla", due=dt.datetime(2026, 10, 31)),
            row("RR8-CEN-2026-0002"),
        ]
    )
    plan = agreements_import(file=changed, meeting=meeting)
    assert not plan.applied
    assert [a.status for a in plan.agreements] == ["conflict", "create"]
    assert _errors(plan) == [(2, "Folio")]
    message = plan.errors[0].message
    assert "ya existe con otro contenido" in message
    assert "en el archivo se agrega Puebla" in message
    assert "fecha compromiso de Querétaro: 30/09/2026 en el sistema, 31/10/2026 en el archivo" in (
        message
    )
    assert Agreement.objects.count() == 1


def test_it_refuses_a_folio_that_belongs_to_another_meeting(meeting, world):
    file = xlsx_file([HEADERS, row(world.own.folio)])
    plan = agreements_import_plan(file=file, meeting=meeting)
    assert "ya pertenece a la reunión TST-CEN" in plan.errors[0].message


def test_it_writes_nothing_on_a_dry_run(meeting):
    file = xlsx_file([HEADERS, row("RR8-CEN-2026-0001", units="Querétaro y Puebla")])
    plan = agreements_import(file=file, meeting=meeting, dry_run=True)
    assert plan.ok and not plan.applied
    assert plan.summary() == (
        "Se importarían 1 acuerdo con 2 compromisos en la reunión RR8-CEN "
        "(vista previa: no se guardó nada)."
    )
    assert not Agreement.objects.exists()
    assert not AuditEvent.objects.filter(action__endswith=".imported").exists()


def test_it_applies_a_previewed_plan_once_and_refuses_a_stale_one(meeting):
    file = xlsx_file([HEADERS, row("RR8-CEN-2026-0001")])
    plan = agreements_import_plan(file=file, meeting=meeting)
    stale = agreements_import_plan(file=file, meeting=meeting)
    agreements_import_apply(plan=plan, actor=None)
    assert Agreement.objects.count() == 1
    with pytest.raises(ConflictError):
        agreements_import_apply(plan=plan, actor=None)
    with pytest.raises(ConflictError, match="se registraron los folios RR8-CEN-2026-0001"):
        agreements_import_apply(plan=stale, actor=None)
    assert Agreement.objects.count() == 1


def test_it_refuses_to_apply_a_plan_with_errors(meeting):
    plan = agreements_import_plan(file=xlsx_file([HEADERS, row("")]), meeting=meeting)
    with pytest.raises(DomainError):
        agreements_import_apply(plan=plan, actor=None)


def test_it_gives_an_indicator_target_when_baseline_and_goal_are_numbers(meeting):
    file = xlsx_file(
        [
            HEADERS,
            row(
                "RR8-CEN-2026-0001", goal=20, baseline="45", indicator="Días de espera", uom="días"
            ),
            row("RR8-CEN-2026-0002", goal="Programa publicado", baseline=10),
            row("RR8-CEN-2026-0003", goal="95%", baseline=None),
        ]
    )
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    indicator = Commitment.objects.get(agreement__folio="RR8-CEN-2026-0001")
    assert indicator.target_kind == TargetKind.INDICATOR
    assert (indicator.baseline, indicator.target_value) == (Decimal("45"), Decimal("20"))
    assert (indicator.indicator_name, indicator.unit_of_measure) == ("Días de espera", "días")
    percent = Commitment.objects.get(agreement__folio="RR8-CEN-2026-0002")
    assert percent.target_kind == TargetKind.PERCENT
    assert percent.baseline is None
    assert percent.agreement.deliverable == "Programa publicado"
    assert Agreement.objects.get(folio="RR8-CEN-2026-0003").deliverable == "95%"
    assert [(w.row, w.column) for w in plan.warnings] == [(3, "Línea base")]


def test_it_refuses_an_indicator_target_equal_to_its_baseline(meeting):
    file = xlsx_file(
        [HEADERS, row("RR8-CEN-2026-0001", goal=45, baseline=45, indicator="Días", uom="días")]
    )
    plan = agreements_import_plan(file=file, meeting=meeting)
    assert _errors(plan) == [(2, "Meta")]
    assert "es igual a la línea base" in plan.errors[0].message


def test_it_requires_the_indicator_name_of_an_indicator_target(meeting):
    file = xlsx_file([HEADERS, row("RR8-CEN-2026-0001", goal=20, baseline=45)])
    plan = agreements_import_plan(file=file, meeting=meeting)
    assert _errors(plan) == [(2, "Indicador")]


def test_it_reads_the_four_date_forms(meeting):
    file = xlsx_file(
        [
            HEADERS,
            row("RR8-CEN-2026-0001", due=dt.datetime(2026, 6, 30)),
            row("RR8-CEN-2026-0002", due="30/06/2026"),
            row("RR8-CEN-2026-0003", due="2026-06-30"),
            row("RR8-CEN-2026-0004", due="30 de junio de 2026"),
        ]
    )
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    assert set(Commitment.objects.values_list("due_date", flat=True)) == {dt.date(2026, 6, 30)}


def test_it_refuses_a_due_date_before_the_end_of_the_meeting(meeting):
    file = xlsx_file([HEADERS, row("RR8-CEN-2026-0001", due="29/04/2026")])
    plan = agreements_import_plan(file=file, meeting=meeting)
    assert "anterior al término de la reunión (30/04/2026)" in plan.errors[0].message


def test_it_requires_a_folio_column_and_a_folio_in_every_row(meeting):
    no_column = xlsx_file([HEADERS[1:], row("x")[1:]])
    plan = agreements_import_plan(file=no_column, meeting=meeting)
    assert _errors(plan) == [(1, "Folio")]
    assert "Falta la columna «Folio»" in plan.errors[0].message
    blank = agreements_import_plan(
        file=xlsx_file([HEADERS, row("", text="Un acuerdo sin folio")]), meeting=meeting
    )
    assert _errors(blank) == [(2, "Folio")]
    assert "folio estable" in blank.errors[0].message


def test_it_completes_a_bare_number_folio_with_the_meeting_series(meeting):
    file = xlsx_file([["No.", *HEADERS[1:]], row(7), row("8", units="Puebla")])
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    assert sorted(Agreement.objects.values_list("folio", flat=True)) == [
        "RR8-CEN-2026-0007",
        "RR8-CEN-2026-0008",
    ]


def test_it_groups_rows_with_the_same_folio_into_one_agreement(meeting):
    file = xlsx_file(
        [
            HEADERS,
            row("RR8-CEN-2026-0001", units="Querétaro", due=dt.datetime(2026, 6, 30)),
            row("RR8-CEN-2026-0001", units="Puebla", due=dt.datetime(2026, 7, 31)),
        ]
    )
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    agreement = Agreement.objects.get()
    assert dict(agreement.commitments.values_list("responsible_unit__code", "due_date")) == {
        "OOAD-QRO": dt.date(2026, 6, 30),
        "OOAD-PUE": dt.date(2026, 7, 31),
    }


def test_it_refuses_a_duplicate_folio_with_another_agreement(meeting):
    file = xlsx_file(
        [
            HEADERS,
            row("RR8-CEN-2026-0001", text="Primer acuerdo."),
            row("RR8-CEN-2026-0001", text="Otro acuerdo distinto.", units="Puebla"),
        ]
    )
    plan = agreements_import_plan(file=file, meeting=meeting)
    assert _errors(plan) == [(3, "Acuerdo")]
    assert "ya aparece en la fila 2 con otro texto" in plan.errors[0].message


def test_it_refuses_the_same_unit_twice_in_one_agreement(meeting):
    file = xlsx_file([HEADERS, row("RR8-CEN-2026-0001"), row("RR8-CEN-2026-0001", units="Qro")])
    UnitAlias.objects.create(unit_id=meeting.region.units.get(code="OOAD-QRO").pk, alias="Qro")
    plan = agreements_import_plan(file=file, meeting=meeting)
    assert _errors(plan) == [(3, "Responsable")]
    assert "aparece dos veces" in plan.errors[0].message


def test_it_skips_blank_rows_total_rows_and_section_titles(meeting):
    file = xlsx_file(
        [
            HEADERS,
            ["Eje 1: Atención médica"],
            row("RR8-CEN-2026-0001"),
            [],
            [None, None, None],
            row("RR8-CEN-2026-0002"),
            ["TOTAL GENERAL", 2],
            ["Total", None, None, "=SUM(X)"],
        ],
        merges=["A2:I2"],
    )
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    assert Agreement.objects.count() == 2
    assert [w.row for w in plan.warnings] == [2, 7, 8]


def test_it_fills_a_cell_merged_over_several_rows_into_each(meeting):
    file = xlsx_file(
        [
            HEADERS,
            row("RR8-CEN-2026-0001", units="Querétaro"),
            [None, None, None, "Puebla", DUE],
        ],
        merges=["A2:A3", "B2:B3", "C2:C3"],
    )
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    assert Agreement.objects.get().commitments.count() == 2


def test_it_finds_the_header_below_title_rows_with_synonyms(meeting):
    headers = [
        "Núm.",
        "DESCRIPCIÓN",
        "eje",
        "Unidad(es) responsable(s)",
        "Fecha límite (dd/mm/aaaa)",
        "Área que valida",
        "Prioridad",
        "Peso",
        "Corresponsable(s)",
        "Notas internas",
    ]
    file = xlsx_file(
        [
            ["Instituto Mexicano del Seguro Social"],
            ["Dirección de Operación y Evaluación"],
            ["Acuerdos", "de la", "reunión"],
            headers,
            [
                "RR8-CEN-2026-0001",
                "Texto.",
                "INF",
                "Hidalgo",
                "30/09/2026",
                "Administración",
                "Alta",
                "2.5",
                "Querétaro",
                "no importa",
            ],
        ]
    )
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    agreement = Agreement.objects.get()
    assert agreement.validating_area.code == "DA"
    assert agreement.priority == "alta"
    commitment = agreement.commitments.get()
    assert commitment.weight == Decimal("2.50")
    assert list(commitment.co_responsible_units.values_list("code", flat=True)) == ["OOAD-QRO"]
    assert any("«Notas internas»" in w.message for w in plan.warnings)


def test_it_reads_milestones_from_a_second_sheet(meeting):
    milestones = [
        ["Folio", "Unidad", "Hito", "Fecha", "Peso"],
        ["RR8-CEN-2026-0001", "Querétaro", "Diagnóstico", dt.datetime(2026, 6, 30), 1],
        ["RR8-CEN-2026-0001", "Querétaro", "Implementación", "31/08/2026", 3],
        ["RR8-CEN-2026-0001", None, "Informe final", "30/09/2026", None],
    ]
    file = xlsx_file(
        [HEADERS, row("RR8-CEN-2026-0001", units="Querétaro y Puebla")],
        extra={"Hitos": milestones},
    )
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    qro = Commitment.objects.get(responsible_unit__code="OOAD-QRO")
    assert qro.target_kind == TargetKind.MILESTONES
    assert list(qro.milestones.values_list("name", "weight", "order")) == [
        ("Diagnóstico", Decimal("1.00"), 1),
        ("Implementación", Decimal("3.00"), 2),
        ("Informe final", Decimal("1.00"), 3),
    ]
    puebla = Commitment.objects.get(responsible_unit__code="OOAD-PUE")
    assert list(puebla.milestones.values_list("name", flat=True)) == ["Informe final"]
    assert plan.summary().startswith("Se importaron 1 acuerdo con 2 compromisos y 4 hitos")
    assert agreements_import(file=file, meeting=meeting).agreements[0].status == "unchanged"
    assert Milestone.objects.count() == 4


def test_it_reports_milestones_of_unknown_folios_and_foreign_units(meeting):
    milestones = [
        ["Folio", "Unidad", "Hito", "Fecha"],
        ["RR8-CEN-2026-0099", None, "Diagnóstico", "30/06/2026"],
        ["RR8-CEN-2026-0001", "Hidalgo", "Diagnóstico", "30/06/2026"],
        ["RR8-CEN-2026-0001", "Querétaro", "Antes", "01/03/2026"],
    ]
    file = xlsx_file([HEADERS, row("RR8-CEN-2026-0001")], extra={"Hitos": milestones})
    plan = agreements_import_plan(file=file, meeting=meeting)
    assert [(e.table, e.row, e.column) for e in plan.errors] == [
        ("Hoja «Hitos»", 2, "Folio"),
        ("Hoja «Hitos»", 3, "Unidad"),
        ("Hoja «Hitos»", 4, "Fecha"),
    ]


def test_it_suggests_close_names_for_an_unknown_unit_and_accepts_a_new_alias(meeting, world):
    file = xlsx_file([HEADERS, row("RR8-CEN-2026-0001", units="Queretaro Centro; Hidalgo")])
    plan = agreements_import_plan(file=file, meeting=meeting)
    assert _errors(plan) == [(2, "Responsable")]
    assert "¿Quiso decir: Querétaro (OOAD-QRO)" in plan.errors[0].message
    assert [(u.text, u.places) for u in plan.unknown_units] == [
        ("Queretaro Centro", ["Hoja «Acuerdos», fila 2"])
    ]
    assert plan.unknown_units[0].suggestions[0] == "Querétaro (OOAD-QRO)"
    alias = unit_alias_add(
        unit=world.unit("OOAD-QRO"), alias="Querétaro Centro", actor=world.users["coordinator"]
    )
    assert AuditEvent.objects.filter(action="unitalias.created", target_id=str(alias.pk)).exists()
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    assert Commitment.objects.filter(agreement__folio="RR8-CEN-2026-0001").count() == 2


def test_it_lets_only_coordinators_import_and_register_aliases(meeting, world):
    plan = agreements_import_plan(
        file=xlsx_file([HEADERS, row("RR8-CEN-2026-0001")]), meeting=meeting
    )
    with pytest.raises(PermissionDenied):
        agreements_import_apply(plan=plan, actor=world.users["liaison"])
    with pytest.raises(PermissionDenied):
        unit_alias_add(unit=world.unit("OOAD-QRO"), alias="Qro.", actor=world.users["validator"])
    assert not Agreement.objects.filter(meeting=meeting).exists()
    assert not UnitAlias.objects.filter(alias="Qro.").exists()


def test_it_refuses_an_alias_that_names_another_unit(world):
    unit_alias_add(unit=world.unit("OOAD-QRO"), alias="Qro.", actor=None)
    assert unit_alias_add(unit=world.unit("OOAD-QRO"), alias="QRO.", actor=None)
    with pytest.raises(ConflictError):
        unit_alias_add(unit=world.unit("OOAD-HGO"), alias="qro.", actor=None)


def test_it_expands_all_the_ooad_of_the_region(meeting):
    file = xlsx_file([HEADERS, row("RR8-CEN-2026-0001", units="Todas las OOAD de la región")])
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    codes = set(Commitment.objects.values_list("responsible_unit__code", flat=True))
    centro = set(meeting.region.units.filter(kind="ooad").values_list("code", flat=True))
    assert codes == centro and len(codes) == 11


def test_it_matches_a_umae_name_with_commas_and_y(meeting):
    name = (
        'UMAE Hospital de Traumatología y Ortopedia "Dr. Victorio de la Fuente Narváez" '
        "(Magdalena de las Salinas), HE CMN Siglo XXI y hospital de cardiología, centro médico "
        "nacional siglo xxi"
    )
    file = xlsx_file([HEADERS, row("RR8-CEN-2026-0001", units=name)])
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    assert list(
        Commitment.objects.order_by("pk").values_list("responsible_unit__code", flat=True)
    ) == ["UMAE-HTO-MS", "UMAE-CMNSXXI-HE", "UMAE-CMNSXXI-CARD"]


def test_it_matches_the_theme_by_code_or_name_without_accents(meeting):
    file = xlsx_file(
        [
            HEADERS,
            row("RR8-CEN-2026-0001", theme="atencion medica"),
            row("RR8-CEN-2026-0002", theme="ceci"),
            row("RR8-CEN-2026-0003", theme="SOSTENIBILIDAD FINANCIERA"),
        ]
    )
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    assert list(Agreement.objects.order_by("folio").values_list("theme__code", flat=True)) == [
        "AM",
        "CECI",
        "SF",
    ]


def test_it_reads_cached_values_of_formulas(meeting):
    data = xlsx_bytes(
        [HEADERS, row("RR8-CEN-2026-0001", goal="=B1", baseline=45, indicator="Días", uom="días")]
    )
    # openpyxl writes no cached value: add one, as Excel and LibreOffice do.
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b"<f>B1</f><v />" in content
                content = content.replace(b"<f>B1</f><v />", b"<f>B1</f><v>20</v>")
            out.writestr(info, content)
    plan = agreements_import(file=ImportFile("formulas.xlsx", target.getvalue()), meeting=meeting)
    assert plan.ok, plan.errors
    assert Commitment.objects.get().target_value == Decimal("20")


def test_it_imports_a_csv_in_every_encoding_and_separator(meeting):
    rows = [
        ["Acuerdos de la reunión"],
        HEADERS,
        row("RR8-CEN-2026-0001", units="Michoacán y Querétaro", due="30/06/2026"),
    ]
    variants = [
        csv_file(rows),
        csv_file(rows, bom=True),
        csv_file(rows, encoding="cp1252", delimiter=";"),
        csv_file(rows, encoding="utf-8", delimiter=";"),
        csv_file(rows, encoding="cp1252", delimiter="\t"),
    ]
    for file in variants:
        plan = agreements_import_plan(file=file, meeting=meeting)
        assert plan.ok, plan.errors
        assert plan.file_kind == "csv"
        assert [c.unit.code for c in plan.agreements[0].commitments] == ["OOAD-MICH", "OOAD-QRO"]


def test_it_undoes_the_neutralising_apostrophe_of_an_export(meeting):
    file = csv_file([HEADERS, row("RR8-CEN-2026-0001", text="'- Revisar plantillas.")])
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    assert Agreement.objects.get().text == "- Revisar plantillas."


def test_it_says_so_when_no_header_row_is_found(meeting):
    plan = agreements_import_plan(file=csv_file([["a", "b"], ["1", "2"]]), meeting=meeting)
    assert "No se encontró la fila de encabezados" in plan.errors[0].message


def test_it_refuses_an_unreadable_file_in_spanish(meeting):
    legacy = ImportFile("viejo.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    plan = agreements_import_plan(file=legacy, meeting=meeting)
    assert "formato antiguo de Office" in plan.errors[0].message
    broken = ImportFile("roto.xlsx", b"PK\x03\x04 esto no es un zip")
    assert "dañado" in agreements_import_plan(file=broken, meeting=meeting).errors[0].message


def test_it_does_not_compare_what_the_file_does_not_say(meeting, unit):
    """An agreement created in the system, then exported without priority or area columns,
    re-imports as unchanged."""
    agreement_create(
        meeting=meeting,
        folio="RR8-CEN-2026-0001",
        text="Fortalecer la atención en urgencias.",
        theme=Theme.objects.get(code="AM"),
        validating_area=unit("DPM-UAM"),
        priority="alta",
        commitments=[CommitmentSpec(responsible_unit=unit("OOAD-QRO"), due_date=DUE.date())],
    )
    plan = agreements_import_plan(
        file=xlsx_file([HEADERS, row("RR8-CEN-2026-0001")]), meeting=meeting
    )
    assert plan.ok, plan.errors
    assert plan.agreements[0].status == "unchanged"


def test_it_runs_from_the_command_line(meeting, tmp_path, capsys):
    path = tmp_path / "acuerdos.xlsx"
    path.write_bytes(xlsx_bytes([HEADERS, row("RR8-CEN-2026-0001")]))
    call_command("import_agreements", str(path), "--meeting", "RR8-CEN", "--dry-run")
    assert "Se importarían 1 acuerdo" in capsys.readouterr().out
    assert not Agreement.objects.exists()
    call_command("import_agreements", str(path), "--meeting", "RR8-CEN")
    assert "Se importaron 1 acuerdo con 1 compromiso" in capsys.readouterr().out
    assert AuditEvent.objects.get(action="agreement.imported").actor is None


def test_it_exits_with_every_error_from_the_command_line(meeting, tmp_path, capsys):
    path = tmp_path / "acuerdos.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                HEADERS,
                row("RR8-CEN-2026-0001", units="Atlantis"),
                row("", text="Acuerdo sin folio", theme="Nada"),
            ]
        )
    )
    with pytest.raises(CommandError, match="No se importó nada: 3 errores"):
        call_command("import_agreements", str(path), "--meeting", "RR8-CEN")
    err = capsys.readouterr().err
    assert "fila 2, columna «Responsable»" in err
    assert "fila 3, columna «Folio»" in err
    assert "fila 3, columna «Línea de acción»" in err
    with pytest.raises(CommandError, match="No existe la reunión"):
        call_command("import_agreements", str(path), "--meeting", "NOPE")
    assert not Agreement.objects.exists()
