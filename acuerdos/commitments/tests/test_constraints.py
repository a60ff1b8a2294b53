"""The database refuses what the domain forbids, whatever path the write takes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from acuerdos.commitments.models import (
    Agreement,
    Commitment,
    ExtensionRequest,
    ExtensionStatus,
    Milestone,
    TargetKind,
)
from acuerdos.commitments.services import CommitmentSpec, agreement_create, folio_next
from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory
from acuerdos.organization.models import Theme, Unit

pytestmark = pytest.mark.django_db


def _refused(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentFactory(**fields)


def test_it_refuses_a_duplicate_folio(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(folio=world.own.folio)


def test_it_refuses_two_commitments_of_one_unit_in_an_agreement(world):
    _refused(agreement=world.own, responsible_unit=world.unit("OOAD-QRO"))


def test_it_refuses_a_due_date_before_the_start(world):
    _refused(start_date=dt.date(2026, 5, 1), due_date=dt.date(2026, 4, 30))


def test_it_refuses_a_non_positive_weight(world):
    _refused(weight=Decimal("0"))


def test_it_refuses_an_indicator_whose_target_equals_its_baseline(world):
    _refused(target_kind=TargetKind.INDICATOR, baseline=Decimal("10"), target_value=Decimal("10"))


def test_it_refuses_an_indicator_without_baseline(world):
    _refused(target_kind=TargetKind.INDICATOR, target_value=Decimal("10"))


def test_it_accepts_a_lower_is_better_indicator(world):
    commitment = CommitmentFactory(
        target_kind=TargetKind.INDICATOR, baseline=Decimal("45"), target_value=Decimal("15")
    )
    assert commitment.lower_is_better


def test_it_refuses_a_cancellation_without_reason(world):
    _refused(cancelled_on=dt.date(2026, 6, 1))


def test_it_refuses_a_milestone_with_zero_weight(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(
            commitment=world.own_commitment,
            name="Hito",
            due_date=dt.date(2026, 6, 1),
            weight=Decimal("0"),
        )


def test_it_refuses_an_extension_to_the_same_date(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtensionRequest.objects.create(
            commitment=world.own_commitment,
            requested_by=world.users["liaison"],
            previous_due_date=dt.date(2026, 9, 30),
            new_due_date=dt.date(2026, 9, 30),
            justification="Falta de insumos",
        )


def test_it_refuses_a_decided_extension_without_decision_date(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtensionRequest.objects.create(
            commitment=world.own_commitment,
            requested_by=world.users["liaison"],
            previous_due_date=dt.date(2026, 9, 30),
            new_due_date=dt.date(2026, 12, 31),
            justification="Falta de insumos",
            status=ExtensionStatus.APPROVED,
        )


def test_it_explains_a_violation_in_spanish(world):
    commitment = Commitment(
        agreement=world.own,
        responsible_unit=world.unit("OOAD-HGO"),
        start_date=dt.date(2026, 5, 1),
        due_date=dt.date(2026, 4, 1),
    )
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "no puede ser anterior a la fecha de inicio" in str(error.value)


def test_it_creates_an_agreement_with_one_commitment_per_unit(world):
    theme = Theme.objects.get(code="ABA")
    units = list(Unit.objects.filter(code__in=["OOAD-QRO", "OOAD-HGO", "OOAD-PUE"]))
    agreement = agreement_create(
        meeting=world.meeting,
        folio=folio_next(world.meeting),
        text="Garantizar el surtimiento completo de recetas.",
        theme=theme,
        commitments=[
            CommitmentSpec(responsible_unit=u, due_date=dt.date(2026, 8, 31)) for u in units
        ],
        actor=world.users["coordinator"],
    )
    assert agreement.folio == "TST-CEN-2026-0004"
    assert agreement.validating_area == theme.lead_area
    assert agreement.commitments.count() == 3
    assert {c.start_date for c in agreement.commitments.all()} == {world.meeting.end_date}


def test_it_writes_nothing_when_one_commitment_is_invalid(world):
    theme = Theme.objects.get(code="ABA")
    before = Agreement.objects.count()
    with pytest.raises(ValidationError):
        agreement_create(
            meeting=world.meeting,
            folio="TST-CEN-2026-0099",
            text="Texto",
            theme=theme,
            commitments=[
                CommitmentSpec(
                    responsible_unit=world.unit("OOAD-PUE"), due_date=dt.date(2026, 8, 31)
                ),
                CommitmentSpec(
                    responsible_unit=world.unit("OOAD-GRO"), due_date=dt.date(2026, 1, 1)
                ),
            ],
        )
    assert Agreement.objects.count() == before
