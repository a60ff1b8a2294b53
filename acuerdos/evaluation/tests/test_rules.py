"""PRODUCT.md §3 as a decision table (one row per case) plus property tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acuerdos.evaluation.rules import (
    Commitment,
    Extension,
    Report,
    Status,
    Target,
    aggregate,
    evaluate,
    expected,
    level_colour,
    shown,
)

D = dt.date
START = D(2026, 4, 30)
DUE = D(2026, 6, 30)  # 61 days after START
PERCENT = Target("percent")
INDICATOR_DOWN = Target("indicator", baseline=F(45), target=F(15))  # días de espera: menos es mejor
INDICATOR_UP = Target("indicator", baseline=F(60), target=F(90))
MILESTONES = Target("milestones", milestone_weights=((1, F(1)), (2, F(2)), (3, F(1))))


def validated(as_of: D, value, on: D | None = None, seq: int = 0) -> Report:
    value = F(value) if isinstance(value, int | str) else value
    return Report(
        as_of=as_of, value=value, submitted_on=on or as_of, validated_on=on or as_of, sequence=seq
    )


def submitted(as_of: D, value, on: D | None = None) -> Report:
    return Report(as_of=as_of, value=F(value), submitted_on=on or as_of, validated_on=None)


def c(*reports, target=PERCENT, extensions=(), cancelled_on=None, start=START, due=DUE, weight=1):
    return Commitment(
        start=start,
        due=due,
        target=target,
        weight=F(weight),
        cancelled_on=cancelled_on,
        reports=tuple(reports),
        extensions=tuple(extensions),
    )


# (case, commitment, t, status, progress, due in force, on_time, stale, overdue days)
TABLE = [
    ("no report yet, just started", c(), D(2026, 5, 10), Status.ON_TRACK, 0, DUE, None, False, 0),
    (
        "no report, behind by more than 20 points",
        c(),
        D(2026, 5, 25),  # e = 25/61 ≈ 41 %
        Status.AT_RISK,
        0,
        DUE,
        None,
        False,
        0,
    ),
    (
        "a hair below e − 20 is at risk (exact comparison, never rounded)",
        c(validated(D(2026, 6, 4), "37.37704918032786885245901639"), due=DUE),
        D(2026, 6, 4),
        Status.AT_RISK,  # 37.377… < 57.377… − 20 by 3e-27: exact values decide
        F("37.37704918032786885245901639"),
        DUE,
        None,
        False,
        0,
    ),
    (
        "boundary: p = e − 20 exactly",
        c(validated(D(2026, 5, 31), 30), start=D(2026, 5, 1), due=D(2026, 6, 20)),
        D(2026, 5, 31),  # e = 30/50 = 60 %; p = 40 would be on track, 30 < 40 is at risk
        Status.AT_RISK,
        30,
        D(2026, 6, 20),
        None,
        False,
        0,
    ),
    (
        "boundary: p = e − 20 is on track",
        c(validated(D(2026, 5, 31), 40), start=D(2026, 5, 1), due=D(2026, 6, 20)),
        D(2026, 5, 31),
        Status.ON_TRACK,
        40,
        D(2026, 6, 20),
        None,
        False,
        0,
    ),
    (
        "due today: not overdue yet",
        c(validated(D(2026, 6, 20), 90)),
        DUE,
        Status.ON_TRACK,
        90,
        DUE,
        None,
        False,
        0,
    ),
    (
        "one day past due",
        c(validated(D(2026, 6, 20), 90)),
        D(2026, 7, 1),
        Status.OVERDUE,
        90,
        DUE,
        None,
        False,
        1,
    ),
    (
        "fulfilled on time",
        c(validated(D(2026, 6, 25), 100)),
        D(2026, 8, 1),
        Status.FULFILLED,
        100,
        DUE,
        True,
        False,
        0,
    ),
    (
        "fulfilled late",
        c(validated(D(2026, 7, 5), 100)),
        D(2026, 8, 1),
        Status.FULFILLED,
        100,
        DUE,
        False,
        False,
        0,
    ),
    (
        "early completion",
        c(validated(D(2026, 5, 20), 100)),
        D(2026, 5, 21),
        Status.FULFILLED,
        100,
        DUE,
        True,
        False,
        0,
    ),
    (
        "100 %, then back to 80 %, then 100 % after the due date: late",
        c(
            validated(D(2026, 6, 1), 100),
            validated(D(2026, 6, 15), 80),
            validated(D(2026, 7, 3), 100),
        ),
        D(2026, 7, 10),
        Status.FULFILLED,
        100,
        DUE,
        False,
        False,
        0,
    ),
    (
        "decreasing indicator halfway (45 → 15, value 30)",
        c(validated(D(2026, 6, 1), 30), target=INDICATOR_DOWN),
        D(2026, 6, 1),
        Status.ON_TRACK,
        50,
        DUE,
        None,
        False,
        0,
    ),
    (
        "decreasing indicator beyond target is 100 %",
        c(validated(D(2026, 6, 1), 12), target=INDICATOR_DOWN),
        D(2026, 6, 1),
        Status.FULFILLED,
        100,
        DUE,
        True,
        False,
        0,
    ),
    (
        "decreasing indicator worse than baseline is 0 %",
        c(validated(D(2026, 5, 5), 50), target=INDICATOR_DOWN),
        D(2026, 5, 5),
        Status.ON_TRACK,
        0,
        DUE,
        None,
        False,
        0,
    ),
    (
        "increasing indicator",
        c(validated(D(2026, 6, 1), 81), target=INDICATOR_UP),
        D(2026, 6, 1),
        Status.ON_TRACK,
        70,
        DUE,
        None,
        False,
        0,
    ),
    (
        "milestones by weight (1 + 2 of 4)",
        c(validated(D(2026, 6, 1), frozenset({1, 2})), target=MILESTONES),
        D(2026, 6, 1),
        Status.ON_TRACK,
        75,
        DUE,
        None,
        False,
        0,
    ),
    (
        "report validated after t does not count",
        c(validated(D(2026, 5, 30), 100, on=D(2026, 6, 3))),
        D(2026, 5, 31),
        Status.AT_RISK,
        0,
        DUE,
        None,
        True,
        0,
    ),
    (
        "submitted but not validated does not count",
        c(submitted(D(2026, 5, 30), 100)),
        D(2026, 6, 1),
        Status.AT_RISK,
        0,
        DUE,
        None,
        False,
        0,
    ),
    (
        "latest as-of wins, not latest validated",
        c(
            validated(D(2026, 6, 10), 60, on=D(2026, 6, 11)),
            validated(D(2026, 6, 1), 90, on=D(2026, 6, 12)),
        ),
        D(2026, 6, 15),
        Status.ON_TRACK,
        60,
        DUE,
        None,
        False,
        0,
    ),
    (
        "same as-of: the later validation wins",
        c(
            validated(D(2026, 6, 10), 60, on=D(2026, 6, 12)),
            validated(D(2026, 6, 10), 70, on=D(2026, 6, 11)),
        ),
        D(2026, 6, 15),
        Status.ON_TRACK,
        60,
        DUE,
        None,
        False,
        0,
    ),
    (
        "extension approved after the original due date: overdue before the decision",
        c(validated(D(2026, 6, 20), 50), extensions=[Extension(D(2026, 7, 10), D(2026, 9, 30))]),
        D(2026, 7, 5),
        Status.OVERDUE,
        50,
        DUE,
        None,
        False,
        5,
    ),
    (
        "extension approved after the original due date: new date from the decision",
        c(validated(D(2026, 6, 20), 50), extensions=[Extension(D(2026, 7, 10), D(2026, 9, 30))]),
        D(2026, 7, 10),
        Status.ON_TRACK,
        50,
        D(2026, 9, 30),
        None,
        False,
        0,
    ),
    (
        "the latest approved extension wins",
        c(
            validated(D(2026, 6, 20), 50),
            extensions=[
                Extension(D(2026, 6, 1), D(2026, 8, 31)),
                Extension(D(2026, 6, 15), D(2026, 7, 31)),
            ],
        ),
        D(2026, 7, 15),
        Status.AT_RISK,  # e = 76/92 ≈ 82.6 %
        50,
        D(2026, 7, 31),
        None,
        False,
        0,
    ),
    (
        "cancelled on t",
        c(validated(D(2026, 5, 10), 10), cancelled_on=D(2026, 6, 1)),
        D(2026, 6, 1),
        Status.CANCELLED,
        10,
        DUE,
        None,
        False,
        0,
    ),
    (
        "cancelled after t is evaluated normally",
        c(validated(D(2026, 5, 10), 10), cancelled_on=D(2026, 6, 2)),
        D(2026, 6, 1),
        Status.AT_RISK,
        10,
        DUE,
        None,
        False,
        0,
    ),
    (
        "stale: 31 days old and nothing submitted in the last 30",
        c(),
        D(2026, 5, 31),
        Status.AT_RISK,
        0,
        DUE,
        None,
        True,
        0,
    ),
    (
        "30 days old is never stale",
        c(),
        D(2026, 5, 30),
        Status.AT_RISK,
        0,
        DUE,
        None,
        False,
        0,
    ),
    (
        "a returned report still shows the unit reported",
        c(Report(as_of=D(2026, 6, 1), value=F(10), submitted_on=D(2026, 6, 2))),
        D(2026, 7, 2),
        Status.OVERDUE,
        0,
        DUE,
        None,
        False,
        2,
    ),
    (
        "a submission 31 days ago is outside the window",
        c(Report(as_of=D(2026, 6, 1), value=F(10), submitted_on=D(2026, 6, 1))),
        D(2026, 7, 2),
        Status.OVERDUE,
        0,
        DUE,
        None,
        True,
        2,
    ),
    (
        "drafts never count for timeliness",
        c(Report(as_of=D(2026, 6, 20), value=F(10), submitted_on=None)),
        D(2026, 6, 25),
        Status.AT_RISK,
        0,
        DUE,
        None,
        True,
        0,
    ),
]


@pytest.mark.parametrize(
    ("commitment", "t", "status", "p", "due", "on_time", "stale", "overdue_days"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_it_evaluates_a_commitment(commitment, t, status, p, due, on_time, stale, overdue_days):
    ev = evaluate(commitment, t)
    assert ev.status == status
    assert ev.progress == F(p)
    assert ev.due == due
    assert ev.on_time is on_time
    assert ev.stale is stale
    assert ev.overdue_days == overdue_days


def test_it_computes_expected_progress_linearly_in_days():
    assert expected(START, DUE, D(2026, 4, 1)) == 0
    assert expected(START, DUE, START) == 0
    assert expected(START, DUE, D(2026, 5, 31)) == F(31, 61) * 100
    assert expected(START, DUE, DUE) == 100
    assert expected(START, DUE, D(2027, 1, 1)) == 100


def test_it_leaves_a_commitment_out_before_its_start():
    assert not evaluate(c(start=D(2026, 6, 1), due=D(2026, 8, 1)), D(2026, 5, 31)).counts


def _group(commitments, t):
    return aggregate(evaluate(x, t) for x in commitments)


def test_it_aggregates_a_group():
    t = D(2026, 7, 10)
    figures = _group(
        [
            c(validated(D(2026, 6, 25), 100)),  # fulfilled on time
            c(validated(D(2026, 5, 20), 100), due=D(2026, 12, 31)),  # early completion: in D
            c(validated(D(2026, 7, 1), 40)),  # overdue 10 days (stale? submitted 7/1: no)
            c(validated(D(2026, 7, 1), 60), due=D(2026, 12, 31), weight=2),  # on track, not in D
            c(validated(D(2026, 5, 1), 10), cancelled_on=D(2026, 6, 1)),  # leaves denominators
            c(start=D(2026, 8, 1), due=D(2026, 9, 1)),  # does not count yet
        ],
        t,
    )
    assert figures.total == 4
    assert figures.counts == {
        Status.ON_TRACK: 1,
        Status.AT_RISK: 0,
        Status.OVERDUE: 1,
        Status.FULFILLED: 2,
        Status.CANCELLED: 1,
    }
    assert figures.compliance_level == F(2, 3) * 100
    assert figures.average_progress == F(100 + 100 + 40 + 2 * 60, 5)
    assert figures.timeliness == 100
    assert (figures.overdue_days_sum, figures.overdue_days_max) == (10, 10)
    assert (figures.fulfilled_on_time, figures.fulfilled_late) == (2, 0)


def test_it_says_na_for_an_empty_group():
    figures = _group([], D(2026, 7, 1))
    assert figures.total == 0
    assert figures.compliance_level is None
    assert figures.average_progress is None
    assert figures.timeliness is None
    assert level_colour(figures.compliance_level) == "gris"


def test_it_says_na_when_nothing_is_due_yet():
    figures = _group([c(validated(D(2026, 5, 10), 20))], D(2026, 5, 15))
    assert figures.compliance_level is None
    assert figures.average_progress == 20


def test_it_says_na_for_timeliness_when_everything_is_closed():
    figures = _group([c(validated(D(2026, 6, 1), 100))], D(2026, 7, 15))
    assert figures.timeliness is None
    assert figures.compliance_level == 100


@pytest.mark.parametrize(
    ("level", "colour"),
    [(F(90), "verde"), (F(8999, 100), "amarillo"), (F(70), "amarillo"), (F(6999, 100), "rojo")],
)
def test_it_colours_levels(level, colour):
    assert level_colour(level) == colour


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (F(1, 3) * 100, "33.3"),
        (F(2, 3) * 100, "66.7"),
        (F(45, 2) / 10, "2.3"),
        (F(0), "0.0"),
        (F(100), "100.0"),
    ],
)
def test_it_rounds_half_up_only_when_shown(value, text):
    assert shown(value) == Decimal(text)


# --- Property tests -------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=240)
BASE = D(2026, 4, 1)


@st.composite
def commitments(draw):
    start = BASE + dt.timedelta(days=draw(st.integers(0, 60)))
    due = start + dt.timedelta(days=draw(st.integers(0, 150)))
    reports = []
    for seq in range(draw(st.integers(0, 5))):
        as_of = start + dt.timedelta(days=draw(st.integers(0, 200)))
        submitted_on = as_of + dt.timedelta(days=draw(st.integers(0, 10)))
        validated_on = (
            submitted_on + dt.timedelta(days=draw(st.integers(0, 20)))
            if draw(st.booleans())
            else None
        )
        value = F(draw(st.integers(0, 100)))
        reports.append(Report(as_of, value, submitted_on, validated_on, seq))
    extensions = []
    for seq in range(draw(st.integers(0, 2))):
        decided = start + dt.timedelta(days=draw(st.integers(0, 200)))
        new_due = start + dt.timedelta(days=draw(st.integers(0, 250)))
        extensions.append(Extension(decided, new_due, seq))
    cancelled = (
        start + dt.timedelta(days=draw(st.integers(0, 250)))
        if draw(st.integers(0, 9)) == 0
        else None
    )
    return Commitment(
        start=start,
        due=due,
        target=PERCENT,
        weight=F(draw(st.integers(1, 3))),
        cancelled_on=cancelled,
        reports=tuple(reports),
        extensions=tuple(extensions),
    )


def at(day: int) -> D:
    return BASE + dt.timedelta(days=day)


@settings(max_examples=200, deadline=None)
@given(st.lists(commitments(), max_size=12), days)
def test_every_level_is_within_0_and_100(group, day):
    figures = _group(group, at(day))
    for level in (figures.compliance_level, figures.average_progress, figures.timeliness):
        assert level is None or 0 <= level <= 100


@settings(max_examples=200, deadline=None)
@given(commitments(), days, st.integers(1, 100))
def test_more_progress_never_lowers_a_level(commitment, day, extra):
    """Raising the latest counting report's value never lowers a level or worsens the status."""
    t = at(day)
    counting = sorted(
        (r for r in commitment.reports if r.validated_on and r.as_of <= t and r.validated_on <= t),
        key=lambda r: (r.as_of, r.validated_on, r.sequence),
    )
    if not counting:
        return
    latest = counting[-1]
    better = Report(
        latest.as_of,
        min(F(100), latest.value + extra),
        latest.submitted_on,
        latest.validated_on,
        latest.sequence,
    )
    improved = Commitment(
        **{
            **commitment.__dict__,
            "reports": tuple(better if r is latest else r for r in commitment.reports),
        }
    )
    before, after = _group([commitment], t), _group([improved], t)
    for old, new in (
        (before.compliance_level, after.compliance_level),
        (before.average_progress, after.average_progress),
    ):
        assert old is None or new is None or new >= old
    assert evaluate(improved, t).progress >= evaluate(commitment, t).progress


@settings(max_examples=200, deadline=None)
@given(commitments(), days, st.integers(1, 60), st.integers(0, 100))
def test_later_reports_never_change_a_past_date(commitment, day, delay, value):
    """A report validated after t (a closed cut-off) never changes the figures at t."""
    t = at(day)
    late = Report(
        t - dt.timedelta(days=3),
        F(value),
        t + dt.timedelta(days=1),
        t + dt.timedelta(days=delay),
        99,
    )
    extended = Commitment(**{**commitment.__dict__, "reports": (*commitment.reports, late)})
    assert evaluate(extended, t) == evaluate(commitment, t)
