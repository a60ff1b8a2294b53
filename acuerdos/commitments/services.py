"""Writes on agreements and commitments. Every write is audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from acuerdos.audit import services as audit
from acuerdos.commitments.models import (
    Agreement,
    Commitment,
    Milestone,
    Priority,
    TargetKind,
)
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Theme, Unit


def folio_prefix(meeting: Meeting) -> str:
    """`RR8-CEN-2026-`: the series of folios of a meeting (its code and year)."""
    return f"{meeting.code}-{meeting.start_date.year}-"


def folio_format(meeting: Meeting, number: int, *, width: int = 4) -> str:
    """The folio of the n-th agreement of a meeting: `RR8-CEN-2026-0001`."""
    return f"{folio_prefix(meeting)}{number:0{width}d}"


def folio_next(meeting: Meeting) -> str:
    """The next free folio in the meeting's series (proposed to the coordinator, editable)."""
    prefix = folio_prefix(meeting)
    numbers = [
        int(folio[len(prefix) :])
        for folio in Agreement.objects.filter(folio__startswith=prefix).values_list(
            "folio", flat=True
        )
        if folio[len(prefix) :].isdigit()
    ]
    return folio_format(meeting, max(numbers, default=0) + 1)


@dataclass
class MilestoneSpec:
    """A milestone to create: name, scheduled date, weight."""

    name: str
    due_date: dt.date
    weight: Decimal = Decimal("1")


@dataclass
class CommitmentSpec:
    """One responsible unit's commitment within a new agreement."""

    responsible_unit: Unit
    due_date: dt.date
    start_date: dt.date | None = None
    co_responsible_units: Sequence[Unit] = ()
    weight: Decimal = Decimal("1")
    target_kind: str = TargetKind.PERCENT
    indicator_name: str = ""
    unit_of_measure: str = ""
    baseline: Decimal | None = None
    target_value: Decimal | None = None
    milestones: Sequence[MilestoneSpec] = field(default_factory=list)


def commitment_build(agreement: Agreement, spec: CommitmentSpec) -> Commitment:
    """An unsaved, validated commitment (start date defaults to the meeting's last day)."""
    commitment = Commitment(
        agreement=agreement,
        responsible_unit=spec.responsible_unit,
        start_date=spec.start_date or agreement.meeting.end_date,
        due_date=spec.due_date,
        weight=spec.weight,
        target_kind=spec.target_kind,
        indicator_name=spec.indicator_name,
        unit_of_measure=spec.unit_of_measure,
        baseline=spec.baseline,
        target_value=spec.target_value,
    )
    commitment.full_clean(exclude=["agreement"], validate_unique=False)
    return commitment


@transaction.atomic
def agreement_create(
    *,
    meeting: Meeting,
    folio: str,
    text: str,
    theme: Theme,
    commitments: Sequence[CommitmentSpec],
    deliverable: str = "",
    validating_area: Unit | None = None,
    priority: str = Priority.MEDIUM,
    actor: Any = None,
    source: str = "web",
) -> Agreement:
    """Create an agreement and one commitment per responsible unit, audited.

    The validating area defaults to the theme's lead area (PRODUCT.md §2).
    """
    agreement = Agreement(
        meeting=meeting,
        folio=folio.strip(),
        text=text.strip(),
        deliverable=deliverable.strip(),
        theme=theme,
        validating_area=validating_area or theme.lead_area,
        priority=priority,
    )
    agreement.full_clean()
    agreement.save()
    audit.record(
        actor=actor,
        action="agreement.created",
        target=agreement,
        changes={
            "folio": [None, agreement.folio],
            "text": [None, agreement.text],
            "theme": [None, theme.code],
            "validating_area": [None, agreement.validating_area.code],
        },
        source=source,
    )
    for spec in commitments:
        commitment = commitment_build(agreement, spec)
        commitment.save()
        if spec.co_responsible_units:
            commitment.co_responsible_units.set(spec.co_responsible_units)
        milestones = [
            Milestone(
                commitment=commitment,
                name=m.name,
                due_date=m.due_date,
                weight=m.weight,
                order=index,
            )
            for index, m in enumerate(spec.milestones, start=1)
        ]
        for milestone in milestones:
            milestone.full_clean()
        Milestone.objects.bulk_create(milestones)
        audit.record(
            actor=actor,
            action="commitment.created",
            target=commitment,
            commitment_id=commitment.pk,
            changes={
                "responsible_unit": [None, spec.responsible_unit.code],
                "due_date": [None, commitment.due_date],
                "target_kind": [None, commitment.target_kind],
            },
            source=source,
        )
    return agreement
