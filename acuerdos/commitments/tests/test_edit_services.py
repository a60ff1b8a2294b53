"""Creating and editing agreements and commitments: folios, shortcuts, targets, milestones,
versions, reasons and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments import selectors
from acuerdos.commitments.models import Agreement, Commitment, Milestone, TargetKind
from acuerdos.commitments.services import (
    CommitmentSpec,
    MilestoneSpec,
    ReasonRequired,
    agreement_create,
    agreement_update,
    commitment_add,
    commitment_update,
    folio_next,
)
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.organization.models import Theme, Unit, UnitKind
from acuerdos.progress.models import ProgressReport

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 12, 31)
NOON = dt.datetime(2026, 6, 15, 18, tzinfo=dt.UTC)


def _spec(unit: Unit, **kwargs: object) -> CommitmentSpec:
    return CommitmentSpec(responsible_unit=unit, due_date=DUE, **kwargs)


def _create(world, units, folio="TST-CEN-2026-0100", **spec):
    return agreement_create(
        meeting=world.meeting,
        folio=folio,
        text="Reducir el tiempo de espera en urgencias.",
        theme=Theme.objects.get(code="AM"),
        commitments=[_spec(u, **spec) for u in units],
        actor=world.users["coordinator"],
    )


def _milestones(*weights: str) -> list[MilestoneSpec]:
    return [
        MilestoneSpec(name=f"Hito {i}", due_date=dt.date(2026, 6 + i, 1), weight=Decimal(w))
        for i, w in enumerate(weights, start=1)
    ]


# --- Folios ------------------------------------------------------------------------------------


def test_it_proposes_the_next_folio_in_the_meetings_series(world):
    assert folio_next(world.meeting) == "TST-CEN-2026-0004"
    _create(world, [world.unit("OOAD-QRO")], folio="TST-CEN-2026-0010")
    assert folio_next(world.meeting) == "TST-CEN-2026-0011"


def test_it_refuses_a_folio_already_taken_whatever_its_case(world):
    assert selectors.folio_taken("tst-cen-2026-0001")
    assert not selectors.folio_taken("TST-CEN-2026-0001", exclude_pk=world.own.pk)
    with pytest.raises(ValidationError) as error:
        _create(world, [world.unit("OOAD-QRO")], folio="TST-CEN-2026-0001")
    assert "folio" in error.value.message_dict
    assert Agreement.objects.filter(folio="TST-CEN-2026-0001").count() == 1


# --- Creating --------------------------------------------------------------------------------


def test_it_creates_one_commitment_per_ooad_of_the_region(world):
    ooad = selectors.region_units(world.meeting.region_id, UnitKind.OOAD)
    assert len(ooad) > 5
    assert all(u.region_id == world.meeting.region_id for u in ooad)
    agreement = _create(
        world,
        ooad,
        target_kind=TargetKind.INDICATOR,
        indicator_name="Tiempo de espera",
        unit_of_measure="minutos",
        baseline=Decimal("90"),
        target_value=Decimal("30"),
    )
    commitments = list(agreement.commitments.select_related("responsible_unit"))
    assert sorted(c.responsible_unit.code for c in commitments) == sorted(u.code for u in ooad)
    assert {(c.target_kind, c.baseline, c.target_value) for c in commitments} == {
        (TargetKind.INDICATOR, Decimal("90"), Decimal("30"))
    }
    assert all(c.lower_is_better for c in commitments)
    assert all(c.start_date == world.meeting.end_date for c in commitments)
    assert AuditEvent.objects.filter(
        action="commitment.created", commitment_id__in=[c.pk for c in commitments]
    ).count() == len(ooad)
    assert (
        AuditEvent.objects.filter(action="agreement.created", target_id=str(agreement.pk)).count()
        == 1
    )


def test_it_creates_each_target_kind(world):
    qro, hgo, pue = world.unit("OOAD-QRO"), world.unit("OOAD-HGO"), world.unit("OOAD-PUE")
    percent = _create(world, [qro], folio="F-1")
    milestones = _create(
        world,
        [hgo, pue],
        folio="F-2",
        target_kind=TargetKind.MILESTONES,
        milestones=_milestones("1", "2", "1"),
    )
    assert percent.commitments.get().target_kind == TargetKind.PERCENT
    for commitment in milestones.commitments.all():
        assert [(m.name, m.weight, m.order) for m in commitment.milestones.all()] == [
            ("Hito 1", Decimal("1"), 1),
            ("Hito 2", Decimal("2"), 2),
            ("Hito 3", Decimal("1"), 3),
        ]


def test_it_refuses_an_indicator_whose_target_equals_its_baseline(world):
    with pytest.raises(ValidationError):
        _create(
            world,
            [world.unit("OOAD-QRO")],
            target_kind=TargetKind.INDICATOR,
            indicator_name="Camas",
            baseline=Decimal("10"),
            target_value=Decimal("10"),
        )
    assert not Agreement.objects.filter(folio="TST-CEN-2026-0100").exists()


@pytest.mark.parametrize(
    ("kind", "milestones", "message"),
    [
        (TargetKind.MILESTONES, [], "al menos un hito"),
        (TargetKind.PERCENT, _milestones("1"), "Solo las metas por hitos"),
        (TargetKind.MILESTONES, _milestones("1", "0"), "mayor que cero"),
        (
            TargetKind.MILESTONES,
            [
                MilestoneSpec("Uno", dt.date(2026, 7, 1)),
                MilestoneSpec(" uno ", dt.date(2026, 8, 1)),
            ],
            "nombre distinto",
        ),
    ],
)
def test_it_refuses_milestones_that_break_the_rules(world, kind, milestones, message):
    with pytest.raises(ValidationError) as error:
        _create(world, [world.unit("OOAD-QRO")], target_kind=kind, milestones=milestones)
    assert message in str(error.value)
    assert not Agreement.objects.filter(folio="TST-CEN-2026-0100").exists()


def test_it_adds_a_commitment_of_another_unit(world):
    pue = world.unit("OOAD-PUE")
    commitment = commitment_add(
        agreement=world.own, actor=world.users["coordinator"], spec=_spec(pue)
    )
    assert commitment.agreement == world.own and commitment.responsible_unit == pue
    assert AuditEvent.objects.filter(
        action="commitment.created", commitment_id=commitment.pk
    ).exists()
    with pytest.raises(DomainError):
        commitment_add(agreement=world.own, actor=world.users["coordinator"], spec=_spec(pue))
    with pytest.raises(PermissionDenied):
        commitment_add(
            agreement=world.own, actor=world.users["validator"], spec=_spec(world.unit("OOAD-TLAX"))
        )


# --- Editing agreements ------------------------------------------------------------------------


def _agreement_fields(agreement: Agreement, **changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "folio": agreement.folio,
        "text": agreement.text,
        "deliverable": agreement.deliverable,
        "theme": agreement.theme,
        "validating_area": agreement.validating_area,
        "priority": agreement.priority,
    }
    return {**fields, **changes}


def test_it_edits_an_agreement_and_audits_the_field_diff(world):
    coordinator = world.users["coordinator"]
    inf = Theme.objects.get(code="INF")
    updated = agreement_update(
        agreement=world.own,
        actor=coordinator,
        expected_version=world.own.version,
        **_agreement_fields(
            world.own, folio="TST-CEN-2026-0099", theme=inf, validating_area=inf.lead_area
        ),
    )
    assert updated.version == world.own.version + 1
    event = AuditEvent.objects.get(action="agreement.updated")
    assert event.actor == coordinator
    assert event.changes == {
        "folio": ["TST-CEN-2026-0001", "TST-CEN-2026-0099"],
        "theme": ["AM", "INF"],
        "validating_area": [world.own.validating_area.code, inf.lead_area.code],
    }
    assert world.own.commitments.count() == 1


def test_it_refuses_a_stale_agreement_form_and_changes_nothing(world):
    with pytest.raises(ConflictError):
        agreement_update(
            agreement=world.own,
            actor=world.users["coordinator"],
            expected_version=world.own.version - 1 if world.own.version > 1 else 99,
            **_agreement_fields(world.own, text="Otro texto."),
        )
    world.own.refresh_from_db()
    assert world.own.text != "Otro texto."
    assert not AuditEvent.objects.filter(action="agreement.updated").exists()


def test_it_refuses_an_agreement_edit_from_anyone_but_the_coordination(world):
    with pytest.raises(PermissionDenied):
        agreement_update(
            agreement=world.own,
            actor=world.users["validator"],
            expected_version=None,
            **_agreement_fields(world.own, text="Otro texto."),
        )


def test_it_writes_nothing_when_nothing_changed(world):
    agreement_update(
        agreement=world.own,
        actor=world.users["coordinator"],
        expected_version=1,
        **_agreement_fields(world.own),
    )
    world.own.refresh_from_db()
    assert world.own.version == 1
    assert not AuditEvent.objects.filter(action="agreement.updated").exists()


# --- Editing commitments -----------------------------------------------------------------------


def _validated_report(
    world, commitment: Commitment, settings, tmp_path, **values: object
) -> ProgressReport:
    from acuerdos.progress.services import ReportInput, report_submit, report_validate
    from acuerdos.progress.tests.helpers import PDF, upload

    settings.MEDIA_ROOT = tmp_path
    report = report_submit(
        commitment=commitment,
        actor=world.users["liaison"],
        data=ReportInput(as_of=dt.date(2026, 6, 10), narrative="Avance.", **values),
        uploads=[upload(PDF, "oficio.pdf")],
    )
    return report_validate(report=report, actor=world.users["validator"])


def _update(
    world, commitment: Commitment, *, reason: str = "", version: int | None = None, **spec: object
):
    commitment.refresh_from_db()
    return commitment_update(
        commitment=commitment,
        actor=world.users["coordinator"],
        expected_version=commitment.version if version is None else version,
        spec=CommitmentSpec(
            responsible_unit=commitment.responsible_unit,
            start_date=spec.pop("start_date", commitment.start_date),
            due_date=spec.pop("due_date", commitment.due_date),
            **spec,
        ),
        reason=reason,
    )


def test_it_edits_dates_weight_and_co_responsibles_with_an_audited_diff(world):
    commitment = world.own_commitment
    updated = _update(
        world,
        commitment,
        due_date=dt.date(2026, 11, 30),
        weight=Decimal("2"),
        co_responsible_units=[world.unit("OOAD-HGO")],
    )
    assert updated.due_date == updated.current_due_date == dt.date(2026, 11, 30)
    assert list(updated.co_responsible_units.values_list("code", flat=True)) == ["OOAD-HGO"]
    event = AuditEvent.objects.get(action="commitment.updated", commitment_id=commitment.pk)
    assert event.changes == {
        "due_date": ["2026-09-30", "2026-11-30"],
        "weight": ["1", "2"],
        "co_responsible_units": [[], ["OOAD-HGO"]],
    }
    assert event.context == {}


def test_it_requires_a_reason_once_progress_was_validated_and_keeps_the_history(
    world, settings, tmp_path
):
    commitment = world.own_commitment
    with time_machine.travel(NOON, tick=False):
        report = _validated_report(world, commitment, settings, tmp_path, percent=Decimal("40"))
        with pytest.raises(ReasonRequired):
            _update(world, commitment, due_date=dt.date(2026, 10, 31))
        _update(
            world,
            commitment,
            due_date=dt.date(2026, 10, 31),
            reason="Acuerdo de la reunión de seguimiento.",
        )
    commitment.refresh_from_db()
    assert commitment.due_date == dt.date(2026, 10, 31)
    assert ProgressReport.objects.filter(commitment=commitment).get() == report
    assert commitment.current_progress_num * 100 == 40 * 100 * commitment.current_progress_den
    event = AuditEvent.objects.get(action="commitment.updated", commitment_id=commitment.pk)
    assert event.context == {"reason": "Acuerdo de la reunión de seguimiento."}
    assert event.changes == {"due_date": ["2026-09-30", "2026-10-31"]}
    actions = list(
        AuditEvent.objects.filter(commitment_id=commitment.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-1] == "commitment.updated" and "progress.validated" in actions


def test_it_recomputes_progress_when_the_indicator_target_changes(world, settings, tmp_path):
    commitment = world.own_commitment
    commitment.refresh_from_db()
    Commitment.objects.filter(pk=commitment.pk).update(
        target_kind=TargetKind.INDICATOR, baseline=Decimal("0"), target_value=Decimal("100")
    )
    commitment.refresh_from_db()
    with time_machine.travel(NOON, tick=False):
        _validated_report(world, commitment, settings, tmp_path, indicator_value=Decimal("50"))
        commitment.refresh_from_db()
        assert (commitment.current_progress_num, commitment.current_progress_den) == (50, 1)
        _update(
            world,
            commitment,
            reason="La meta se corrigió.",
            target_kind=TargetKind.INDICATOR,
            indicator_name="Consultas",
            baseline=Decimal("0"),
            target_value=Decimal("200"),
        )
    commitment.refresh_from_db()
    assert (commitment.current_progress_num, commitment.current_progress_den) == (25, 1)


def test_it_refuses_a_change_of_target_kind_once_progress_was_reported(world, settings, tmp_path):
    with time_machine.travel(NOON, tick=False):
        _validated_report(world, world.own_commitment, settings, tmp_path, percent=Decimal("40"))
        with pytest.raises(DomainError, match="tipo de meta"):
            _update(
                world,
                world.own_commitment,
                reason="Cambio",
                target_kind=TargetKind.MILESTONES,
                milestones=_milestones("1"),
            )


def test_it_edits_milestones_keeping_the_reported_ones(world, settings, tmp_path):
    agreement = _create(
        world,
        [world.unit("OOAD-QRO")],
        target_kind=TargetKind.MILESTONES,
        milestones=_milestones("1", "1", "2"),
    )
    commitment = agreement.commitments.get()
    first, second, third = commitment.milestones.all()
    with time_machine.travel(NOON, tick=False):
        _validated_report(world, commitment, settings, tmp_path, milestone_ids=[first.pk])
        commitment.refresh_from_db()
        assert (commitment.current_progress_num, commitment.current_progress_den) == (25, 1)
        with pytest.raises(DomainError, match="ya figura como cumplido"):
            _update(
                world,
                commitment,
                reason="Se reorganizan los hitos.",
                target_kind=TargetKind.MILESTONES,
                milestones=[MilestoneSpec("Hito 2", second.due_date, Decimal("1"), pk=second.pk)],
            )
        _update(
            world,
            commitment,
            reason="Se reorganizan los hitos.",
            target_kind=TargetKind.MILESTONES,
            milestones=[
                MilestoneSpec("Diagnóstico", first.due_date, Decimal("3"), pk=first.pk),
                MilestoneSpec("Hito 3", third.due_date, Decimal("1"), pk=third.pk),
            ],
        )
    assert list(Milestone.objects.filter(commitment=commitment).values_list("name", "weight")) == [
        ("Diagnóstico", Decimal("3")),
        ("Hito 3", Decimal("1")),
    ]
    commitment.refresh_from_db()
    assert (commitment.current_progress_num, commitment.current_progress_den) == (75, 1)
    event = AuditEvent.objects.filter(action="commitment.updated").get()
    assert set(event.changes) == {"milestones"}


def test_it_refuses_a_stale_commitment_form_and_changes_nothing(world):
    with pytest.raises(ConflictError):
        _update(world, world.own_commitment, version=99, due_date=dt.date(2026, 12, 1))
    world.own_commitment.refresh_from_db()
    assert world.own_commitment.due_date == dt.date(2026, 9, 30)
    assert not AuditEvent.objects.filter(action="commitment.updated").exists()


def test_it_refuses_the_responsible_unit_as_co_responsible(world):
    with pytest.raises(DomainError):
        _update(world, world.own_commitment, co_responsible_units=[world.unit("OOAD-QRO")])
