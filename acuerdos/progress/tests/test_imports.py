"""Importing progress history: dates of PRODUCT.md §3.6, idempotency, errors by row and column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import Commitment, TargetKind
from acuerdos.commitments.services import CommitmentSpec, MilestoneSpec, agreement_create
from acuerdos.commitments.tests.imports.helpers import csv_file, xlsx_bytes, xlsx_file
from acuerdos.notifications.models import Notification
from acuerdos.organization.models import Membership, Role, Theme, Unit
from acuerdos.organization.tests.factories import MembershipFactory, UserFactory
from acuerdos.progress.imports import (
    MISSING_REVIEW_COMMENT,
    default_import_user,
    progress_import,
    progress_import_apply,
    progress_import_plan,
)
from acuerdos.progress.models import ProgressReport, ReportState

pytestmark = pytest.mark.django_db

HEADERS = [
    "Folio",
    "Unidad",
    "Fecha de avance",
    "Porcentaje de avance",
    "Valor del indicador",
    "Hitos cumplidos",
    "Narrativa",
    "Estado",
    "Fecha de envío",
    "Fecha de validación",
    "Validador",
    "Observaciones",
]
FOLIO = "AV-2026-0001"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 8, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def agreement(world):
    def unit(code):
        return Unit.objects.get(code=code)

    return agreement_create(
        meeting=world.meeting,
        folio=FOLIO,
        text="Abatir el rezago quirúrgico.",
        theme=Theme.objects.get(code="AM"),
        commitments=[
            CommitmentSpec(responsible_unit=unit("OOAD-QRO"), due_date=dt.date(2026, 9, 30)),
            CommitmentSpec(
                responsible_unit=unit("OOAD-PUE"),
                due_date=dt.date(2026, 9, 30),
                target_kind=TargetKind.INDICATOR,
                indicator_name="Días de espera",
                unit_of_measure="días",
                baseline=Decimal("45"),
                target_value=Decimal("20"),
            ),
            CommitmentSpec(
                responsible_unit=unit("OOAD-HGO"),
                due_date=dt.date(2026, 9, 30),
                target_kind=TargetKind.MILESTONES,
                milestones=[
                    MilestoneSpec(name="Diagnóstico", due_date=dt.date(2026, 6, 30)),
                    MilestoneSpec(name="Implementación", due_date=dt.date(2026, 8, 31)),
                ],
            ),
        ],
    )


def line(
    unit="Querétaro",
    as_of="31/05/2026",
    percent=None,
    value=None,
    milestones=None,
    narrative="Se avanzó en la licitación.",
    state=None,
    sent=None,
    validated=None,
    validator=None,
    comment=None,
    folio=FOLIO,
):
    return [
        folio,
        unit,
        as_of,
        percent,
        value,
        milestones,
        narrative,
        state,
        sent,
        validated,
        validator,
        comment,
    ]


def _commitment(code):
    return Commitment.objects.get(agreement__folio=FOLIO, responsible_unit__code=code)


def test_it_imports_the_history_of_every_target_kind(agreement, world):
    coordinator = world.users["coordinator"]
    file = xlsx_file(
        [
            ["Historial de avances"],
            HEADERS,
            line(percent=30),
            line(
                as_of="30/06/2026",
                percent="55%",
                sent="02/07/2026",
                validated="10/07/2026",
                validator="validator@imss.gob.mx",
            ),
            line(unit="Puebla", value="38.5"),
            line(unit="Hidalgo", milestones="Diagnóstico; implementación", state="Enviado"),
        ],
        name="historial.xlsx",
    )
    notifications = Notification.objects.count()
    plan = progress_import(file=file, actor=coordinator)
    assert plan.ok, plan.errors
    assert plan.summary() == "Se importaron 4 reportes de avance."
    reports = {
        (r.commitment.responsible_unit.code, r.as_of): r
        for r in ProgressReport.objects.select_related("commitment__responsible_unit")
    }
    first = reports[("OOAD-QRO", dt.date(2026, 5, 31))]
    assert first.imported and first.author == coordinator
    assert (first.state, first.percent) == (ReportState.VALIDATED, Decimal("30.00"))
    # No dates in the file: submitted on the as-of date, validated on the submission date.
    assert (first.submitted_on, first.validated_on) == (dt.date(2026, 5, 31), dt.date(2026, 5, 31))
    assert first.narrative == "Se avanzó en la licitación."
    second = reports[("OOAD-QRO", dt.date(2026, 6, 30))]
    assert (second.submitted_on, second.validated_on) == (dt.date(2026, 7, 2), dt.date(2026, 7, 10))
    assert second.reviewed_by == world.users["validator"]
    assert second.percent == Decimal("55.00")
    indicator = reports[("OOAD-PUE", dt.date(2026, 5, 31))]
    assert (indicator.indicator_value, indicator.percent) == (Decimal("38.5000"), None)
    milestones = reports[("OOAD-HGO", dt.date(2026, 5, 31))]
    assert milestones.state == ReportState.SUBMITTED
    assert (milestones.submitted_on, milestones.validated_on) == (dt.date(2026, 5, 31), None)
    assert sorted(milestones.milestones_done.values_list("name", flat=True)) == [
        "Diagnóstico",
        "Implementación",
    ]
    # Exact progress stored as the progress services do, and the commitments' inputs refreshed.
    assert [(r.progress_num, r.progress_den) for r in (first, second, indicator, milestones)] == [
        (30, 1),
        (55, 1),
        (26, 1),
        (100, 1),
    ]
    qro, hgo = _commitment("OOAD-QRO"), _commitment("OOAD-HGO")
    assert (qro.current_progress_num, qro.current_progress_den) == (55, 1)
    assert qro.last_submitted_on == dt.date(2026, 7, 2)
    assert (hgo.current_progress_num, hgo.last_submitted_on) == (0, dt.date(2026, 5, 31))
    events = AuditEvent.objects.filter(action="progress.imported")
    assert events.count() == 4
    event = events.get(target_id=str(first.pk))
    assert (event.actor, event.source, event.commitment_id) == (
        coordinator,
        "import",
        _commitment("OOAD-QRO").pk,
    )
    assert event.context["file"] == "historial.xlsx"
    assert event.context["row"] == "Hoja «Acuerdos», fila 3"
    assert Notification.objects.count() == notifications


def test_it_changes_nothing_when_the_same_history_is_imported_again(agreement, world):
    file = xlsx_file([HEADERS, line(percent=30), line(as_of="30/06/2026", percent=50)])
    progress_import(file=file, actor=world.users["coordinator"])
    events = AuditEvent.objects.count()
    plan = progress_import(file=file, actor=world.users["coordinator"])
    assert plan.ok, plan.errors
    assert [r.status for r in plan.reports] == ["unchanged", "unchanged"]
    assert plan.summary() == "Sin cambios: los 2 reportes del archivo ya estaban registrados."
    assert ProgressReport.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_it_refuses_a_report_that_exists_with_other_values(agreement, world):
    progress_import(file=xlsx_file([HEADERS, line(percent=30)]), actor=world.users["coordinator"])
    plan = progress_import(
        file=xlsx_file([HEADERS, line(percent=35), line(as_of="30/06/2026", percent=50)]),
        actor=world.users["coordinator"],
    )
    assert [(e.row, e.message[:40]) for e in plan.errors] == [
        (2, "Ya existe un reporte de AV-2026-0001 · Q")
    ]
    assert "en el sistema: «Validado», 30 %" in plan.errors[0].message
    assert ProgressReport.objects.count() == 1


def test_it_reports_every_error_by_row_and_column_and_writes_nothing(agreement, world):
    file = xlsx_file(
        [
            HEADERS,
            line(percent=120),
            line(folio="AV-2026-9999", percent=10),
            line(unit="Jalisco", percent=10),
            line(as_of="15/04/2026", percent=10),
            line(as_of="30/09/2026", percent=10),
            line(as_of="30/06/2026", percent=10, sent="01/07/2026", validated="20/06/2026"),
            line(as_of="31/07/2026", percent=10, validator="nadie@imss.gob.mx"),
            line(as_of="01/08/2026", percent=10, state="Archivado"),
            line(unit="", as_of="02/08/2026", percent=10),
            line(unit="Puebla", percent=10),
            line(unit="Hidalgo", milestones="Inauguración"),
            line(as_of="03/08/2026", percent=20),
            line(as_of="03/08/2026", percent=25),
            line(as_of="04/08/2026", percent=25, sent="01/08/2026"),
        ]
    )
    plan = progress_import(file=file, actor=world.users["coordinator"])
    assert [(e.row, e.column) for e in plan.errors] == [
        (2, "Porcentaje de avance"),
        (3, "Folio"),
        (4, "Unidad"),
        (5, "Fecha de avance"),
        (6, "Fecha de avance"),
        (7, "Fecha de validación"),
        (8, "Validador"),
        (9, "Estado"),
        (10, "Unidad"),
        (11, "Valor del indicador"),
        (12, "Hitos cumplidos"),
        (14, "Fecha de avance"),
        (15, "Fecha de envío"),
    ]
    messages = [e.message for e in plan.errors]
    assert "debe estar entre 0 y 100" in messages[0]
    assert "No existe el acuerdo con folio «AV-2026-9999»" in messages[1]
    assert "Jalisco no tiene compromiso en el acuerdo" in messages[2]
    assert "anterior al inicio del compromiso (30/04/2026)" in messages[3]
    assert "posterior a hoy" in messages[4]
    assert "anterior a la fecha de envío" in messages[5]
    assert "tiene 3 unidades responsables" in messages[8]
    assert "sus hitos son: Diagnóstico; Implementación" in messages[10]
    assert "Repetido: la fila 13 ya trae un avance enviado o validado" in messages[11]
    assert not ProgressReport.objects.exists()
    assert not AuditEvent.objects.filter(action="progress.imported").exists()


def test_it_imports_a_returned_report_and_its_answer_with_the_same_date(agreement, world):
    returned = line(
        percent=20,
        state="Devuelto",
        sent="01/06/2026",
        validated="03/06/2026",
        comment="Falta el acta.",
    )
    answer = line(percent=25, sent="05/06/2026", validated="08/06/2026")
    coordinator = world.users["coordinator"]
    first = progress_import(file=xlsx_file([HEADERS, returned]), actor=coordinator)
    assert first.ok, first.errors
    plan = progress_import(file=xlsx_file([HEADERS, answer, returned]), actor=coordinator)
    assert plan.ok, plan.errors
    assert [r.status for r in plan.reports] == ["create", "unchanged"]
    old, new = ProgressReport.objects.order_by("submitted_on")
    assert (old.state, new.state) == (ReportState.RETURNED, ReportState.VALIDATED)
    assert new.answers == old
    assert old.reviewed_at.date() == dt.date(2026, 6, 3)
    again = progress_import(file=xlsx_file([HEADERS, returned, answer]), actor=coordinator)
    assert [r.status for r in again.reports] == ["unchanged", "unchanged"]
    assert ProgressReport.objects.count() == 2


def test_it_links_answers_within_one_file(agreement, world):
    rows = [
        HEADERS,
        line(as_of="31/05/2026", percent=20, state="Devuelto", sent="01/06/2026"),
        line(as_of="15/06/2026", percent=30, sent="16/06/2026"),
        line(as_of="30/06/2026", percent=40, sent="01/07/2026"),
    ]
    assert progress_import(file=xlsx_file(rows), actor=world.users["coordinator"]).ok
    first, second, third = ProgressReport.objects.order_by("as_of")
    assert (second.answers, third.answers) == (first, None)


def test_it_takes_the_only_commitment_when_the_unit_is_blank(world):
    plan = progress_import(
        file=csv_file(
            [["Folio", "Fecha de avance", "Avance (%)"], [world.own.folio, "15/05/2026", "40"]]
        ),
        actor=world.users["coordinator"],
    )
    assert plan.ok, plan.errors
    assert ProgressReport.objects.get().commitment == world.own_commitment


def test_it_gives_returned_and_rejected_reports_a_review_comment(agreement, world):
    file = xlsx_file(
        [
            HEADERS,
            line(percent=10, state="Devuelto"),
            line(as_of="30/06/2026", percent=20, state="rechazado", comment="Sin evidencia."),
        ]
    )
    plan = progress_import(file=file, actor=world.users["coordinator"])
    assert plan.ok, plan.errors
    returned, rejected = ProgressReport.objects.order_by("as_of")
    assert (returned.state, returned.review_comment) == (
        ReportState.RETURNED,
        MISSING_REVIEW_COMMENT,
    )
    assert (rejected.state, rejected.review_comment) == (ReportState.REJECTED, "Sin evidencia.")
    assert rejected.validated_on is None
    assert rejected.reviewed_at is not None


def test_it_writes_nothing_on_a_dry_run(agreement, world):
    plan = progress_import(
        file=xlsx_file([HEADERS, line(percent=30)]), actor=world.users["coordinator"], dry_run=True
    )
    assert plan.ok and not plan.applied
    assert plan.summary() == "Se importarían 1 reporte de avance (vista previa: no se guardó nada)."
    assert not ProgressReport.objects.exists()


def test_it_refuses_reports_after_a_cancellation(agreement, world):
    Commitment.objects.filter(pk=_commitment("OOAD-QRO").pk).update(
        cancelled_on=dt.date(2026, 6, 1), cancellation_reason="Duplicado"
    )
    plan = progress_import_plan(file=xlsx_file([HEADERS, line(as_of="30/06/2026", percent=10)]))
    assert "se canceló el 01/06/2026" in plan.errors[0].message


def test_it_imports_from_the_command_line_as_a_given_coordinator_or_the_first_one(
    agreement, world, tmp_path, capsys
):
    path = tmp_path / "avances.xlsx"
    path.write_bytes(xlsx_bytes([HEADERS, line(percent=30)]))
    call_command("import_progress", str(path), "--dry-run")
    assert "Se importarían 1 reporte" in capsys.readouterr().out
    assert default_import_user() == world.users["coordinator"]
    with pytest.raises(CommandError, match="no tiene rol de coordinación central"):
        call_command("import_progress", str(path), "--user", "viewer@imss.gob.mx")
    other = UserFactory(email="otra.coordinadora@imss.gob.mx")
    MembershipFactory(user=other, unit=Unit.objects.get(code="DOE"), role=Role.COORDINATOR)
    call_command("import_progress", str(path), "--user", "OTRA.coordinadora@imss.gob.mx")
    assert ProgressReport.objects.get().author_id == other.pk
    with pytest.raises(CommandError, match="No hay ninguna persona activa con el correo"):
        call_command("import_progress", str(path), "--user", "nadie@imss.gob.mx")


def test_it_lets_only_coordinators_import_progress(agreement, world):
    plan = progress_import_plan(file=xlsx_file([HEADERS, line(percent=30)]))
    with pytest.raises(PermissionDenied):
        progress_import_apply(plan=plan, actor=world.users["validator"])
    assert not ProgressReport.objects.exists()


def test_it_needs_a_coordinator_on_the_command_line(agreement, tmp_path):
    Membership.objects.filter(role=Role.COORDINATOR).update(is_active=False)
    path = tmp_path / "avances.xlsx"
    path.write_bytes(xlsx_bytes([HEADERS, line(percent=30)]))
    with pytest.raises(CommandError, match="indique quién importa con --user"):
        call_command("import_progress", str(path))


def test_it_exits_with_every_error_from_the_command_line(agreement, tmp_path, capsys):
    path = tmp_path / "avances.xlsx"
    path.write_bytes(xlsx_bytes([HEADERS, line(percent=120), line(folio="X-1", percent=1)]))
    with pytest.raises(CommandError, match="No se importó nada: 2 errores"):
        call_command("import_progress", str(path))
    err = capsys.readouterr().err
    assert "fila 2, columna «Porcentaje de avance»" in err
    assert "fila 3, columna «Folio»" in err


def test_it_writes_each_event_as_audit_build_would(agreement, world):
    from acuerdos.audit import services as audit

    coordinator = world.users["coordinator"]
    file = xlsx_file(
        [
            HEADERS,
            line(percent="42.5", validator="validator@imss.gob.mx", validated="02/06/2026"),
            line(unit="Hidalgo", milestones="Diagnóstico", state="Devuelto", comment="Falta."),
        ]
    )
    plan = progress_import(file=file, actor=coordinator)
    assert plan.applied, plan.errors
    for planned in plan.reports:
        report = ProgressReport.objects.get(
            commitment=planned.commitment, as_of=planned.as_of, state=planned.state
        )
        event = AuditEvent.objects.get(action="progress.imported", target_id=str(report.pk))
        built = audit.build(
            actor=coordinator,
            action="progress.imported",
            target=report,
            commitment_id=report.commitment_id,
            changes={
                key: [None, value]
                for key, value in {
                    "state": report.state,
                    "as_of": report.as_of,
                    "percent": report.percent,
                    "indicator_value": report.indicator_value,
                    "milestones_done": sorted(m.pk for m in report.milestones_done.all()),
                    "narrative": report.narrative,
                    "submitted_on": report.submitted_on,
                    "validated_on": report.validated_on,
                    "review_comment": report.review_comment,
                }.items()
            },
            context={
                "file": plan.file_name,
                "sha256": plan.file_sha256,
                "row": f"Hoja «Acuerdos», fila {planned.row}",
                "validator": report.reviewed_by.email if report.reviewed_by else None,
            },
            source="import",
        )
        for name in (
            "actor_id",
            "actor_label",
            "target_type",
            "target_label",
            "commitment_id",
            "changes",
            "context",
            "source",
        ):
            assert getattr(event, name) == getattr(built, name), name
