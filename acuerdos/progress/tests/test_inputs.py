"""Evaluation inputs kept with the data: exact report fractions and today's commitment inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from acuerdos.commitments.models import ExtensionRequest, ExtensionStatus
from acuerdos.commitments.services import extension_decide, extension_request
from acuerdos.evaluation import rules
from acuerdos.progress.inputs import refresh_inputs, report_fraction
from acuerdos.progress.models import InputPeriod, ProgressReport, ReportState

decimals = st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False)


@given(decimals, decimals, decimals)
def test_it_matches_the_rules_for_indicators(value, baseline, target):
    if baseline == target:
        return
    num, den = report_fraction(
        target_kind="indicator", indicator_value=value, baseline=baseline, target_value=target
    )
    expected = rules.report_progress(
        rules.Target("indicator", baseline=Fraction(baseline), target=Fraction(target)),
        Fraction(value),
    )
    assert Fraction(num, den) == expected


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_it_matches_the_rules_for_percent(percent):
    num, den = report_fraction(target_kind="percent", percent=percent)
    assert Fraction(num, den) == Fraction(percent)


@given(
    st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=50, places=2), min_size=1, max_size=6
    ),
    st.data(),
)
def test_it_matches_the_rules_for_milestones(weights, data):
    ids = list(range(1, len(weights) + 1))
    done = data.draw(st.frozensets(st.sampled_from(ids)))
    num, den = report_fraction(
        target_kind="milestones",
        milestone_weights=list(zip(ids, weights, strict=True)),
        milestones_done=done,
    )
    target = rules.Target(
        "milestones",
        milestone_weights=tuple((i, Fraction(w)) for i, w in zip(ids, weights, strict=True)),
    )
    assert Fraction(num, den) == rules.report_progress(target, done)


def _report(commitment, author, as_of, percent, *, state, submitted, validated=None):
    comment = "Falta el acta" if state == ReportState.RETURNED else ""
    num, den = report_fraction(target_kind="percent", percent=Decimal(percent))
    return ProgressReport.objects.create(
        commitment=commitment,
        author=author,
        as_of=as_of,
        percent=Decimal(percent),
        state=state,
        submitted_on=submitted,
        validated_on=validated,
        progress_num=num,
        progress_den=den,
        review_comment=comment,
    )


@pytest.mark.django_db
def test_it_refreshes_todays_inputs_from_reports_and_extensions(world):
    commitment, liaison = world.own_commitment, world.users["liaison"]
    D = dt.date
    _report(
        commitment,
        liaison,
        D(2026, 5, 31),
        "100",
        state=ReportState.VALIDATED,
        submitted=D(2026, 6, 2),
        validated=D(2026, 6, 3),
    )
    _report(
        commitment,
        liaison,
        D(2026, 6, 30),
        "90",
        state=ReportState.VALIDATED,
        submitted=D(2026, 7, 2),
        validated=D(2026, 7, 3),
    )
    _report(
        commitment,
        liaison,
        D(2026, 7, 31),
        "100",
        state=ReportState.VALIDATED,
        submitted=D(2026, 8, 2),
        validated=D(2026, 8, 4),
    )
    _report(
        commitment,
        liaison,
        D(2026, 8, 31),
        "100",
        state=ReportState.VALIDATED,
        submitted=D(2026, 9, 1),
        validated=D(2026, 9, 2),
    )
    _report(
        commitment,
        liaison,
        D(2026, 9, 30),
        "20",
        state=ReportState.RETURNED,
        submitted=D(2026, 10, 1),
    )
    ExtensionRequest.objects.create(
        commitment=commitment,
        requested_by=liaison,
        previous_due_date=commitment.due_date,
        new_due_date=D(2026, 12, 15),
        justification="Obra",
        status=ExtensionStatus.APPROVED,
        decided_by=world.users["coordinator"],
        decided_on=D(2026, 9, 1),
    )
    with time_machine.travel(dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC), tick=False):
        assert refresh_inputs([commitment.pk]) == 1
    commitment.refresh_from_db()
    assert (commitment.current_progress_num, commitment.current_progress_den) == (100, 1)
    assert commitment.current_due_date == D(2026, 12, 15)
    assert commitment.last_submitted_on == D(2026, 10, 1)
    assert commitment.complete_since == D(2026, 7, 31)


@pytest.mark.django_db
def test_it_recomputes_the_fractions_of_bulk_written_reports(world):
    from acuerdos.progress.inputs import recompute_fractions

    commitment = world.own_commitment
    commitment.target_kind = "indicator"
    commitment.baseline, commitment.target_value = Decimal(45), Decimal(15)
    commitment.save()
    reports = ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                commitment=commitment,
                author=world.users["liaison"],
                as_of=dt.date(2026, 6, day),
                indicator_value=Decimal(value),
                state=ReportState.SUBMITTED,
                submitted_on=dt.date(2026, 6, day),
            )
            for day, value in ((1, "30"), (2, "10"), (3, "45"))
        ]
    )
    assert recompute_fractions([commitment.pk]) == 2  # the third is 0/1 already
    got = [
        Fraction(r.progress_num, r.progress_den)
        for r in ProgressReport.objects.filter(pk__in=[r.pk for r in reports]).order_by("as_of")
    ]
    assert got == [Fraction(50), Fraction(100), Fraction(0)]
    assert recompute_fractions() == 0


@pytest.mark.django_db
def test_it_keeps_a_period_for_every_stretch_of_days_with_the_same_inputs(world):
    commitment, liaison = world.own_commitment, world.users["liaison"]
    D = dt.date
    validated = ReportState.VALIDATED
    _report(commitment, liaison, D(2026, 5, 15), "50", state=validated, submitted=D(2026, 5, 20),
            validated=D(2026, 6, 10))  # fmt: skip
    _report(commitment, liaison, D(2026, 5, 31), "100", state=validated, submitted=D(2026, 6, 2),
            validated=D(2026, 6, 3))  # fmt: skip
    _report(commitment, liaison, D(2026, 6, 30), "90", state=validated, submitted=D(2026, 7, 2),
            validated=D(2026, 7, 3))  # fmt: skip
    _report(commitment, liaison, D(2026, 7, 31), "100", state=validated, submitted=D(2026, 8, 2),
            validated=D(2026, 8, 4))  # fmt: skip
    _report(commitment, liaison, D(2026, 9, 30), "20", state=ReportState.RETURNED,
            submitted=D(2026, 10, 1))  # fmt: skip
    ExtensionRequest.objects.create(
        commitment=commitment,
        requested_by=liaison,
        previous_due_date=commitment.due_date,
        new_due_date=D(2026, 12, 15),
        justification="Obra",
        status=ExtensionStatus.APPROVED,
        decided_by=world.users["coordinator"],
        decided_on=D(2026, 7, 20),
    )
    with time_machine.travel(dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC), tick=False):
        refresh_inputs([commitment.pk])
    periods = list(
        InputPeriod.objects.filter(commitment=commitment)
        .order_by("valid_from")
        .values_list(
            "valid_from",
            "valid_to",
            "progress_num",
            "progress_den",
            "due_date",
            "last_submitted_on",
            "complete_since",
        )
    )
    due = D(2026, 12, 15)
    # The 50 % of 15 May validated on 10 June changes nothing (a later report already counts):
    # no period starts that day.
    assert periods == [
        (D(2026, 5, 20), D(2026, 6, 2), 0, 1, None, D(2026, 5, 20), None),
        (D(2026, 6, 2), D(2026, 6, 3), 0, 1, None, D(2026, 6, 2), None),
        (D(2026, 6, 3), D(2026, 7, 2), 100, 1, None, D(2026, 6, 2), D(2026, 5, 31)),
        (D(2026, 7, 2), D(2026, 7, 3), 100, 1, None, D(2026, 7, 2), D(2026, 5, 31)),
        (D(2026, 7, 3), D(2026, 7, 20), 90, 1, None, D(2026, 7, 2), None),
        (D(2026, 7, 20), D(2026, 8, 2), 90, 1, due, D(2026, 7, 2), None),
        (D(2026, 8, 2), D(2026, 8, 4), 90, 1, due, D(2026, 8, 2), None),
        (D(2026, 8, 4), D(2026, 10, 1), 100, 1, due, D(2026, 8, 2), D(2026, 7, 31)),
        (D(2026, 10, 1), None, 100, 1, due, D(2026, 10, 1), D(2026, 7, 31)),
    ]
    # Refreshing again rewrites the same periods (no duplicates).
    refresh_inputs([commitment.pk])
    assert InputPeriod.objects.filter(commitment=commitment).count() == len(periods)


@pytest.mark.django_db
def test_an_approved_extension_starts_a_period_from_the_day_of_the_decision(world):
    commitment = world.own_commitment
    new_due = commitment.due_date + dt.timedelta(days=60)
    with time_machine.travel(dt.datetime(2026, 7, 20, 12, tzinfo=dt.UTC), tick=False):
        request = extension_request(
            commitment=commitment,
            actor=world.users["liaison"],
            new_due_date=new_due,
            justification="Obra civil retrasada",
        )
        extension_decide(request=request, actor=world.users["coordinator"], approve=True)
    period = InputPeriod.objects.get(commitment=commitment)
    assert (period.valid_from, period.valid_to, period.due_date) == (
        dt.date(2026, 7, 20),
        None,
        new_due,
    )
