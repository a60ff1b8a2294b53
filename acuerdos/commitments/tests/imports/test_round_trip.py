"""Export → empty database → import gives back the same agreements, commitments and progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from acuerdos.commitments.imports import ImportFile, agreements_import
from acuerdos.commitments.imports.canonical import (
    AGREEMENT_COLUMNS,
    agreement_rows,
    agreements_export,
)
from acuerdos.commitments.models import Agreement, Commitment, Milestone, TargetKind
from acuerdos.commitments.services import CommitmentSpec, MilestoneSpec, agreement_create
from acuerdos.core.exports import csv_text
from acuerdos.organization.models import Theme, Unit
from acuerdos.progress.imports import progress_export, progress_import
from acuerdos.progress.models import ProgressReport, ReportState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 8, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


def _unit(code):
    return Unit.objects.get(code=code)


@pytest.fixture
def agreements(meeting):
    agreement_create(
        meeting=meeting,
        folio="RR8-CEN-2026-0001",
        text="- Reducir la espera quirúrgica.\nCon dos líneas.",
        deliverable="=Informe mensual",
        theme=Theme.objects.get(code="AM"),
        validating_area=_unit("DPM-CUMAE"),
        priority="alta",
        commitments=[
            CommitmentSpec(
                responsible_unit=_unit("UMAE-CMNSXXI-HE"),
                due_date=dt.date(2026, 9, 30),
                target_kind=TargetKind.INDICATOR,
                indicator_name="Días de espera",
                unit_of_measure="días",
                baseline=Decimal("45.5"),
                target_value=Decimal("20"),
                weight=Decimal("2.5"),
                co_responsible_units=[_unit("OOAD-CDMXS"), _unit("OOAD-MICH")],
            ),
            CommitmentSpec(
                responsible_unit=_unit("OOAD-QRO"),
                due_date=dt.date(2026, 10, 31),
                start_date=dt.date(2026, 5, 15),
            ),
        ],
    )
    agreement_create(
        meeting=meeting,
        folio="RR8-CEN-2026-0002",
        text="Implementar el expediente clínico electrónico.",
        theme=Theme.objects.get(code="DIG"),
        commitments=[
            CommitmentSpec(
                responsible_unit=_unit("OOAD-HGO"),
                due_date=dt.date(2026, 12, 15),
                target_kind=TargetKind.MILESTONES,
                milestones=[
                    MilestoneSpec(name="Diagnóstico", due_date=dt.date(2026, 6, 30)),
                    MilestoneSpec(
                        name="Arranque", due_date=dt.date(2026, 11, 30), weight=Decimal("3")
                    ),
                ],
            )
        ],
    )


def _agreements():
    return sorted(
        (
            a.folio,
            a.meeting.code,
            a.text,
            a.deliverable,
            a.theme.code,
            a.validating_area.code,
            a.priority,
            tuple(
                (
                    c.responsible_unit.code,
                    c.start_date,
                    c.due_date,
                    c.weight,
                    c.target_kind,
                    c.indicator_name,
                    c.unit_of_measure,
                    c.baseline,
                    c.target_value,
                    tuple(sorted(u.code for u in c.co_responsible_units.all())),
                    tuple((m.name, m.due_date, m.weight, m.order) for m in c.milestones.all()),
                )
                for c in a.commitments.order_by("responsible_unit__code")
            ),
        )
        for a in Agreement.objects.filter(folio__startswith="RR8-")
    )


def _reports():
    return sorted(
        (
            r.commitment.agreement.folio,
            r.commitment.responsible_unit.code,
            r.as_of,
            r.state,
            r.percent,
            r.indicator_value,
            tuple(sorted(m.name for m in r.milestones_done.all())),
            r.narrative,
            r.submitted_on,
            r.validated_on,
            r.reviewed_by_id,
            r.review_comment,
        )
        for r in ProgressReport.objects.all()
    )


def _empty_the_database():
    ProgressReport.objects.all().delete()
    Milestone.objects.all().delete()
    Commitment.objects.all().delete()
    Agreement.objects.all().delete()
    assert not Agreement.objects.exists()


def test_it_reimports_exported_agreements_identically(meeting, agreements, tmp_path):
    before = _agreements()
    path = tmp_path / "acuerdos.xlsx"
    agreements_export(path, Commitment.objects.filter(agreement__meeting=meeting))
    file = ImportFile.from_path(path)
    assert (
        agreements_import(file=file, meeting=meeting, dry_run=True)
        .summary()
        .startswith("Sin cambios: los 2 acuerdos")
    )
    _empty_the_database()
    plan = agreements_import(file=file, meeting=meeting)
    assert plan.ok, plan.errors
    assert _agreements() == before


def test_it_reimports_exported_agreements_from_csv(meeting, agreements):
    before = [a[:7] for a in _agreements()]
    text = csv_text(
        AGREEMENT_COLUMNS, agreement_rows(Commitment.objects.filter(agreement__meeting=meeting))
    )
    assert "'- Reducir" in text and "'=Informe" in text
    _empty_the_database()
    plan = agreements_import(file=ImportFile("a.csv", text.encode("utf-8")), meeting=meeting)
    assert plan.ok, plan.errors
    assert [a[:7] for a in _agreements()] == before


def test_it_reimports_exported_progress_identically(meeting, agreements, world, tmp_path):
    coordinator, validator = world.users["coordinator"], world.users["validator"]
    indicator = Commitment.objects.get(
        agreement__meeting=meeting, responsible_unit__code="UMAE-CMNSXXI-HE"
    )
    percent = Commitment.objects.get(agreement__meeting=meeting, responsible_unit__code="OOAD-QRO")
    milestones = Commitment.objects.get(
        agreement__meeting=meeting, responsible_unit__code="OOAD-HGO"
    )
    common = {"author": coordinator, "narrative": "Avance del periodo."}
    ProgressReport.objects.create(
        commitment=indicator,
        as_of=dt.date(2026, 5, 31),
        state=ReportState.VALIDATED,
        indicator_value=Decimal("40.25"),
        submitted_on=dt.date(2026, 6, 2),
        validated_on=dt.date(2026, 6, 5),
        reviewed_by=validator,
        **common,
    )
    ProgressReport.objects.create(
        commitment=percent,
        as_of=dt.date(2026, 6, 30),
        state=ReportState.RETURNED,
        percent=Decimal("20"),
        submitted_on=dt.date(2026, 7, 1),
        reviewed_at=dt.datetime(2026, 7, 3, 18, tzinfo=dt.UTC),
        reviewed_by=validator,
        review_comment="Falta evidencia.",
        **common,
    )
    ProgressReport.objects.create(
        commitment=percent,
        as_of=dt.date(2026, 7, 31),
        state=ReportState.SUBMITTED,
        percent=Decimal("35.5"),
        submitted_on=dt.date(2026, 8, 1),
        **common,
    )
    done = ProgressReport.objects.create(
        commitment=milestones,
        as_of=dt.date(2026, 7, 15),
        state=ReportState.VALIDATED,
        submitted_on=dt.date(2026, 7, 15),
        validated_on=dt.date(2026, 7, 20),
        **common,
    )
    done.milestones_done.set(milestones.milestones.filter(name="Diagnóstico"))
    agreements_before, reports_before = _agreements(), _reports()

    agreements_path, progress_path = tmp_path / "acuerdos.xlsx", tmp_path / "avances.xlsx"
    agreements_export(agreements_path, Commitment.objects.filter(agreement__meeting=meeting))
    progress_export(progress_path, ProgressReport.objects.all())
    again = progress_import(file=ImportFile.from_path(progress_path), actor=coordinator)
    assert again.ok and again.summary().startswith("Sin cambios: los 4 reportes")

    _empty_the_database()
    assert agreements_import(file=ImportFile.from_path(agreements_path), meeting=meeting).ok
    plan = progress_import(file=ImportFile.from_path(progress_path), actor=coordinator)
    assert plan.ok, plan.errors
    assert _agreements() == agreements_before
    assert _reports() == reports_before
    assert set(ProgressReport.objects.values_list("imported", flat=True)) == {True}
