"""A closed cut-off's group figures are frozen when it closes and read back in one query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
import time_machine

from acuerdos.evaluation.engine import (
    GROUP_COLUMNS,
    figures_from_json,
    figures_to_json,
    group_figures,
)
from acuerdos.evaluation.models import SnapshotFigures
from acuerdos.evaluation.rules import STATUS_ORDER, GroupFigures
from acuerdos.evaluation.services import cutoff_close
from acuerdos.progress.inputs import refresh_inputs
from acuerdos.progress.models import ProgressReport, ReportState

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 7, 15, 18, tzinfo=dt.UTC)
CUTOFF = dt.date(2026, 7, 10)


@pytest.fixture
def closed(world):
    """Querétaro at 100 % (on time), Hidalgo at 1/3 of an indicator, one commitment cancelled;
    the cut-off of 2026-07-10 closed."""
    for commitment in (world.own_commitment, world.foreign_commitment, world.shared_commitment):
        commitment.due_date = dt.date(2026, 6, 30)
        commitment.save()
    for commitment, percent in ((world.own_commitment, 100), (world.foreign_commitment, 40)):
        ProgressReport.objects.create(
            commitment=commitment,
            author=world.users["liaison"],
            as_of=dt.date(2026, 6, 15),
            percent=Decimal(percent),
            state=ReportState.VALIDATED,
            submitted_on=dt.date(2026, 6, 16),
            validated_on=dt.date(2026, 6, 20),
            progress_num=100,
            progress_den=1 if percent == 100 else 3,
        )
    world.shared_commitment.cancelled_on = dt.date(2026, 6, 1)
    world.shared_commitment.cancellation_reason = "Se fusionó con otro acuerdo"
    world.shared_commitment.save()
    with time_machine.travel(NOW, tick=False):
        refresh_inputs()
        cutoff, _ = cutoff_close(date=CUTOFF, source="command")
    return cutoff


def test_it_round_trips_group_figures_through_json():
    figures = GroupFigures(
        total=7,
        counts=dict(zip(STATUS_ORDER, (1, 2, 3, 1, 0), strict=True)),
        compliance_level=Fraction(100, 3),
        average_progress=Fraction(12345678901234567, 987654321),
        timeliness=None,
        overdue_days_sum=40,
        overdue_days_max=30,
        fulfilled_on_time=1,
        fulfilled_late=0,
    )
    assert figures_from_json(figures_to_json(figures)) == figures


def test_it_freezes_every_grouping_but_agreements_when_closing(closed):
    stored = set(SnapshotFigures.objects.filter(cutoff=closed).values_list("grouping", flat=True))
    assert stored == {"*", *(by for by in GROUP_COLUMNS if by != "agreement")}


def test_it_reads_the_frozen_figures_in_one_query(closed, django_assert_num_queries):
    computed = group_figures(
        by="unit", source="snapshot", as_of=CUTOFF, cutoff_id=closed.pk, use_frozen=False
    )
    averages = [g.figures.average_progress for g in computed]
    assert None not in averages
    assert sorted(a for a in averages if a is not None) == [Fraction(100, 3), 100]
    with django_assert_num_queries(1):
        frozen = group_figures(by="unit", source="snapshot", as_of=CUTOFF, cutoff_id=closed.pk)
    assert frozen == computed


def test_it_computes_a_cutoff_closed_before_figures_were_frozen(closed):
    expected = group_figures(by="region", source="snapshot", as_of=CUTOFF, cutoff_id=closed.pk)
    SnapshotFigures.objects.filter(cutoff=closed).delete()
    assert group_figures(by="region", source="snapshot", as_of=CUTOFF, cutoff_id=closed.pk) == (
        expected
    )
    assert group_figures(by="agreement", source="snapshot", as_of=CUTOFF, cutoff_id=closed.pk)
