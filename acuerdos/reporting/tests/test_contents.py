"""The figures of every audience's report, fetched for all audiences at once, equal what the
evaluation selectors read for each audience alone (its breakdown, its trend, its pending
validations), in a number of queries that does not grow with the audiences."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acuerdos.commitments.models import Commitment
from acuerdos.evaluation import boards
from acuerdos.evaluation.models import CutOff, CutOffStatus
from acuerdos.evaluation.selectors import basis_for, figures_by
from acuerdos.evaluation.services import cutoff_close
from acuerdos.evaluation.tests.boards_data import NOW, add_report, build_graded, grow
from acuerdos.progress.inputs import refresh_inputs
from acuerdos.reporting.models import Audience
from acuerdos.reporting.selectors import BREAKDOWN, SYSTEM, _within, cutoff_contents

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world: Any) -> Any:
    """The graded world grown by a few agreements, with a report still waiting for validation
    at the cut-off of 30 jun 2026 and an earlier cut-off closed (a trend of two points)."""
    grow(world.meeting, 3, world.users["liaison"])
    add_report(
        world.shared_commitment,
        world.users["other_liaison"],
        as_of=dt.date(2026, 6, 20),
        percent=20,
        submitted_on=dt.date(2026, 6, 21),
    )
    with time_machine.travel(NOW, tick=False):
        refresh_inputs()
        cutoff_close(date=dt.date(2026, 5, 31), actor=world.users["coordinator"])
    return build_graded(world)


def test_it_reads_each_audience_as_the_evaluation_selectors_read_it_alone(closed: Any) -> None:
    cutoff = closed.cutoff
    basis = basis_for(cutoff=cutoff)
    cutoffs = list(CutOff.objects.filter(status=CutOffStatus.CLOSED, date__lte=cutoff.date))
    contents = cutoff_contents(cutoff)
    assert {c.audience.kind for c in contents} == {
        Audience.UNIT,
        Audience.AREA,
        Audience.REGION,
        Audience.NATION,
    }
    for content in contents:
        kind, key = content.audience.kind, content.audience.key
        within = _within(cutoff, kind, key)
        by = BREAKDOWN[Audience(kind)][0]
        assert content.breakdown == figures_by(None, by=by, basis=basis, within=within), kind
        assert content.trend == boards.trend(SYSTEM, cutoffs, within=within), kind
        assert content.pending == boards.pending_validation(
            SYSTEM, basis, within if within is not None else Commitment.objects.all()
        ), kind
        # A job for this audience alone reads the same figures.
        alone = cutoff_contents(cutoff, only=[(kind, key)])
        assert [c.figures() for c in alone] == [content.figures()]
    # The data exercises what is compared: two trend points, a pending validation, breakdowns.
    assert all(len(c.trend) == 2 for c in contents)
    assert any(c.pending for c in contents if c.audience.kind == Audience.UNIT)
    assert all(c.breakdown for c in contents)


def test_it_fetches_every_audience_in_as_many_queries_as_one_of_each_kind(closed: Any) -> None:
    cutoff = closed.cutoff
    every = cutoff_contents(cutoff)
    kinds = (Audience.NATION, Audience.REGION, Audience.AREA, Audience.UNIT)
    few = [(kind, next(c.audience.key for c in every if c.audience.kind == kind)) for kind in kinds]
    with CaptureQueriesContext(connection) as one:
        assert len(cutoff_contents(cutoff, only=few)) == 4
    with CaptureQueriesContext(connection) as all_:
        assert len(cutoff_contents(cutoff)) == len(every) >= 2 * len(few)
    assert len(all_.captured_queries) == len(one.captured_queries) <= 20
