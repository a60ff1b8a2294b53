"""Data for the dashboard tests, on top of the conftest `world` (Región Centro).

At NOW (15 jul 2026, noon in Mexico City), with the cut-off of 30 jun 2026 closed:

- own (Querétaro, Atención médica, validated by DPM): 100 % validated on 20 jun → fulfilled;
- foreign (Hidalgo, Infraestructura, DA): no report, due 30 jun → at risk at the cut-off,
  overdue today;
- shared (Hidalgo, Querétaro co-responsible, DA): 40 % validated on 2 jul, due 30 sep → on track;
- pending (Querétaro, Trato Digno, DPM): a report submitted on 10 jul, not yet validated;
- cancelled (Hidalgo, Infraestructura, DA): cancelled on 1 jun.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import time_machine

from acuerdos.commitments.models import Commitment
from acuerdos.commitments.tests.builders import many_agreements
from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory
from acuerdos.evaluation.models import CutOff
from acuerdos.evaluation.services import cutoff_close
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Theme, Unit
from acuerdos.progress.inputs import refresh_inputs
from acuerdos.progress.models import ProgressReport, ReportState

NOW = dt.datetime(2026, 7, 15, 18, tzinfo=dt.UTC)
TODAY = dt.date(2026, 7, 15)
CUTOFF = dt.date(2026, 6, 30)


def add_report(
    commitment: Commitment,
    author: Any,
    *,
    as_of: dt.date,
    percent: int,
    submitted_on: dt.date,
    validated_on: dt.date | None = None,
) -> ProgressReport:
    """A percent report, validated when `validated_on` is given, else submitted."""
    value = Fraction(percent)
    return ProgressReport.objects.create(
        commitment=commitment,
        author=author,
        as_of=as_of,
        percent=Decimal(percent),
        state=ReportState.VALIDATED if validated_on else ReportState.SUBMITTED,
        submitted_on=submitted_on,
        validated_on=validated_on,
        progress_num=value.numerator,
        progress_den=value.denominator,
    )


@dataclass
class Graded:
    world: Any
    pending: Commitment
    cancelled: Commitment
    cutoff: CutOff


def build_graded(world: Any) -> Graded:
    liaison, other = world.users["liaison"], world.users["other_liaison"]
    qro, hgo = Unit.objects.get(code="OOAD-QRO"), Unit.objects.get(code="OOAD-HGO")
    for commitment in (world.own_commitment, world.foreign_commitment):
        commitment.due_date = dt.date(2026, 6, 30)
        commitment.save()
    add_report(
        world.own_commitment,
        liaison,
        as_of=dt.date(2026, 6, 15),
        percent=100,
        submitted_on=dt.date(2026, 6, 16),
        validated_on=dt.date(2026, 6, 20),
    )
    add_report(
        world.shared_commitment,
        other,
        as_of=dt.date(2026, 7, 1),
        percent=40,
        submitted_on=dt.date(2026, 7, 1),
        validated_on=dt.date(2026, 7, 2),
    )
    td, inf = Theme.objects.get(code="TD"), Theme.objects.get(code="INF")
    pending = CommitmentFactory(
        agreement=AgreementFactory(meeting=world.meeting, folio="TST-CEN-2026-0004", theme=td),
        responsible_unit=qro,
        due_date=dt.date(2026, 12, 31),
    )
    add_report(pending, liaison, as_of=dt.date(2026, 7, 10), percent=50, submitted_on=TODAY)
    cancelled = CommitmentFactory(
        agreement=AgreementFactory(meeting=world.meeting, folio="TST-CEN-2026-0005", theme=inf),
        responsible_unit=hgo,
        cancelled_on=dt.date(2026, 6, 1),
        cancellation_reason="Duplicado de otro acuerdo",
    )
    with time_machine.travel(NOW, tick=False):
        refresh_inputs()
        cutoff, _ = cutoff_close(date=CUTOFF, actor=world.users["coordinator"])
    return Graded(world=world, pending=pending, cancelled=cancelled, cutoff=cutoff)


def grow(meeting: Meeting, agreements: int, author: Any) -> None:
    """`agreements` more agreements of three commitments each, every commitment with a
    validated report and a submitted one (so that every read has rows to grow with)."""
    for agreement in many_agreements(meeting, agreements):
        for commitment in agreement.commitments.all():
            add_report(
                commitment,
                author,
                as_of=dt.date(2026, 6, 1),
                percent=30,
                submitted_on=dt.date(2026, 6, 2),
                validated_on=dt.date(2026, 6, 3),
            )
            add_report(
                commitment, author, as_of=dt.date(2026, 7, 1), percent=60, submitted_on=TODAY
            )
    with time_machine.travel(NOW, tick=False):
        refresh_inputs()
