"""Builders of many rows for list and query-count tests, on top of the conftest `world`."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import cast

from acuerdos.commitments.models import Agreement, Commitment, Milestone, TargetKind
from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Theme, Unit

_serial = itertools.count(1)

CO_RESPONSIBLE_CODES = ("OOAD-HGO", "OOAD-MOR", "OOAD-TLAX")
RESPONSIBLE_CODES = ("OOAD-QRO", "OOAD-PUE", "UMAE-CMNSXXI-HE")


def agreement_with_commitments(
    meeting: Meeting,
    *,
    theme_code: str = "AM",
    units: tuple[str, ...] = RESPONSIBLE_CODES,
    due: dt.date = dt.date(2026, 9, 30),
    text: str | None = None,
) -> Agreement:
    """An agreement binding `units`, each commitment with co-responsible units; the first with
    three milestones, the second with an indicator target, the rest percent."""
    number = next(_serial)
    agreement = cast(
        Agreement,
        AgreementFactory(
            meeting=meeting,
            folio=f"BLD-{meeting.code}-{number:05d}",
            theme=Theme.objects.get(code=theme_code),
            text=text or f"Acuerdo de prueba número {number} sobre atención en unidades médicas.",
        ),
    )
    co_units = list(Unit.objects.filter(code__in=CO_RESPONSIBLE_CODES))
    for index, code in enumerate(units):
        kind = (TargetKind.MILESTONES, TargetKind.INDICATOR)[index] if index < 2 else None
        extra: dict[str, object] = {}
        if kind == TargetKind.INDICATOR:
            extra = {
                "target_kind": kind,
                "indicator_name": "Días de espera para cirugía",
                "unit_of_measure": "días",
                "baseline": Decimal("45"),
                "target_value": Decimal("20"),
            }
        elif kind == TargetKind.MILESTONES:
            extra = {"target_kind": kind}
        commitment = cast(
            Commitment,
            CommitmentFactory(
                agreement=agreement,
                responsible_unit=Unit.objects.get(code=code),
                due_date=due,
                **extra,
            ),
        )
        commitment.co_responsible_units.set([u for u in co_units if u.code != code])
        if kind == TargetKind.MILESTONES:
            Milestone.objects.bulk_create(
                Milestone(
                    commitment=commitment,
                    name=f"Hito {n}",
                    due_date=due - dt.timedelta(days=30 * (3 - n)),
                    order=n,
                )
                for n in (1, 2, 3)
            )
    return agreement


def many_agreements(meeting: Meeting, count: int) -> list[Agreement]:
    """`count` agreements in `meeting`, each binding Querétaro and two other units."""
    return [agreement_with_commitments(meeting) for _ in range(count)]


def many_commitments_on(agreement: Agreement, codes: list[str]) -> list[Commitment]:
    """One more commitment of `agreement` per unit code, each with co-responsible units and
    three milestones."""
    co_units = list(Unit.objects.filter(code__in=CO_RESPONSIBLE_CODES))
    created = []
    for code in codes:
        commitment = cast(
            Commitment,
            CommitmentFactory(
                agreement=agreement,
                responsible_unit=Unit.objects.get(code=code),
                target_kind=TargetKind.MILESTONES,
            ),
        )
        commitment.co_responsible_units.set(co_units)
        Milestone.objects.bulk_create(
            Milestone(commitment=commitment, name=f"Hito {n}", due_date=dt.date(2026, 8, n))
            for n in (1, 2, 3)
        )
        created.append(commitment)
    return created
