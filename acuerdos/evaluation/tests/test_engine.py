"""The database path equals the pure rules on random histories (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acuerdos.commitments.models import ExtensionRequest, ExtensionStatus, TargetKind
from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory
from acuerdos.evaluation import rules
from acuerdos.evaluation.engine import group_figures
from acuerdos.evaluation.services import cutoff_close
from acuerdos.progress.inputs import refresh_inputs, report_fraction
from acuerdos.progress.models import ProgressReport

pytestmark = pytest.mark.django_db

BASE = dt.date(2026, 5, 1)
NOW = dt.datetime(2027, 6, 1, 18, tzinfo=dt.UTC)  # after every generated date
UNITS = ("OOAD-QRO", "OOAD-HGO", "OOAD-PUE")


class Rollback(Exception):
    pass


def day(n: int) -> dt.date:
    return BASE + dt.timedelta(days=n)


report_st = st.fixed_dictionaries(
    {
        "as_of": st.integers(0, 200),
        "submit_delay": st.integers(0, 10),
        "review_delay": st.integers(0, 20),
        "state": st.sampled_from(
            ["validated", "validated", "validated", "submitted", "returned", "draft"]
        ),
        "value": st.integers(0, 100),
    }
)
commitment_st = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(UNITS),
        "start": st.integers(0, 40),
        "length": st.integers(0, 150),
        "weight": st.integers(1, 3),
        "indicator": st.sampled_from([None, (45, 15), (10, 70)]),
        "reports": st.lists(report_st, max_size=5),
        "extensions": st.lists(st.tuples(st.integers(0, 220), st.integers(0, 260)), max_size=2),
        "cancel": st.one_of(st.none(), st.integers(0, 240)),
    }
)


def build(world, spec, index):
    start = day(spec["start"])
    due = start + dt.timedelta(days=spec["length"])
    extra = {}
    if spec["indicator"]:
        baseline, target = spec["indicator"]
        extra = {
            "target_kind": TargetKind.INDICATOR,
            "baseline": Decimal(baseline),
            "target_value": Decimal(target),
        }
    cancel = start + dt.timedelta(days=spec["cancel"]) if spec["cancel"] is not None else None
    commitment = CommitmentFactory(
        agreement=AgreementFactory(meeting=world.meeting),
        responsible_unit=world.unit(spec["unit"]),
        start_date=start,
        due_date=due,
        weight=Decimal(spec["weight"]),
        cancelled_on=cancel,
        cancellation_reason="Duplicado" if cancel else "",
        **extra,
    )
    rule_reports = []
    for r in spec["reports"]:
        as_of = start + dt.timedelta(days=r["as_of"])
        state = r["state"]
        submitted = None if state == "draft" else as_of + dt.timedelta(days=r["submit_delay"])
        validated = (
            submitted + dt.timedelta(days=r["review_delay"]) if state == "validated" else None
        )
        value = Decimal(r["value"])
        if spec["indicator"]:
            num, den = report_fraction(
                target_kind="indicator",
                indicator_value=value,
                baseline=commitment.baseline,
                target_value=commitment.target_value,
            )
        else:
            num, den = report_fraction(target_kind="percent", percent=value)
        report = ProgressReport.objects.create(
            commitment=commitment,
            author=world.users["liaison"],
            as_of=as_of,
            state=state,
            percent=None if spec["indicator"] else value,
            indicator_value=value if spec["indicator"] else None,
            submitted_on=submitted,
            validated_on=validated,
            review_comment="Observación" if state == "returned" else "",
            progress_num=num,
            progress_den=den,
        )
        rule_reports.append(rules.Report(as_of, Fraction(value), submitted, validated, report.pk))
    rule_extensions = []
    for decided_days, new_due_days in spec["extensions"]:
        new_due = start + dt.timedelta(days=new_due_days)
        if new_due == due:
            continue
        ext = ExtensionRequest.objects.create(
            commitment=commitment,
            requested_by=world.users["liaison"],
            previous_due_date=due,
            new_due_date=new_due,
            justification="Reprogramación",
            status=ExtensionStatus.APPROVED,
            decided_by=world.users["coordinator"],
            decided_on=start + dt.timedelta(days=decided_days),
        )
        rule_extensions.append(rules.Extension(ext.decided_on, new_due, ext.pk))
    target = (
        rules.Target(
            "indicator",
            baseline=Fraction(spec["indicator"][0]),
            target=Fraction(spec["indicator"][1]),
        )
        if spec["indicator"]
        else rules.Target("percent")
    )
    return commitment, rules.Commitment(
        start=start,
        due=due,
        target=target,
        weight=Fraction(spec["weight"]),
        cancelled_on=cancel,
        reports=tuple(rule_reports),
        extensions=tuple(rule_extensions),
    )


def expected_by_unit(pairs, t):
    groups = {}
    for commitment, rule_c in pairs:
        groups.setdefault(commitment.responsible_unit_id, []).append(rules.evaluate(rule_c, t))
    return {
        key: figures
        for key, evs in groups.items()
        if (figures := rules.aggregate(evs)).total or sum(figures.counts.values())
    }


def assert_same(engine_results, expected):
    got = {g.key: g.figures for g in engine_results}
    assert got == expected


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(commitment_st, min_size=1, max_size=8), t_days=st.integers(0, 300))
def test_it_equals_the_pure_rules_on_random_histories(world, specs, t_days):
    t = day(t_days)
    try:
        with time_machine.travel(NOW, tick=False), transaction.atomic():
            for agreement in (world.own, world.foreign, world.shared):
                agreement.commitments.all().delete()
            pairs = [build(world, spec, i) for i, spec in enumerate(specs)]
            refresh_inputs()
            expected = expected_by_unit(pairs, t)
            assert_same(group_figures(by="unit", source="history", as_of=t), expected)
            today = NOW.date()
            assert_same(
                group_figures(by="unit", source="today", as_of=today),
                expected_by_unit(pairs, today),
            )
            cutoff, _ = cutoff_close(date=t)
            assert_same(
                group_figures(by="unit", source="snapshot", as_of=t, cutoff_id=cutoff.pk),
                expected,
            )
            # The frozen group figures equal the ones computed from the snapshot rows.
            assert_same(
                group_figures(
                    by="unit", source="snapshot", as_of=t, cutoff_id=cutoff.pk, use_frozen=False
                ),
                expected,
            )
            for by in ("region", "theme", "national"):
                assert group_figures(
                    by=by, source="snapshot", as_of=t, cutoff_id=cutoff.pk
                ) == group_figures(by=by, source="history", as_of=t)
            national = rules.aggregate(rules.evaluate(rc, t) for _, rc in pairs)
            got = group_figures(by="national", source="history", as_of=t)
            assert [g.figures for g in got] == ([national] if sum(national.counts.values()) else [])
            raise Rollback
    except Rollback:
        pass


def test_the_generated_inputs_follow_the_columns_they_are_computed_from(world):
    """The day numbers, the weight in hundredths, "complete on time" and the whole weighted
    progress are the database's (generated columns): they follow every change of their
    columns, and their day numbers are core.expressions.day_number's."""
    from acuerdos.commitments.models import Commitment
    from acuerdos.core.expressions import day_number

    commitment = CommitmentFactory(
        agreement=AgreementFactory(meeting=world.meeting),
        responsible_unit=world.unit("OOAD-QRO"),
        start_date=dt.date(2026, 3, 20),
        due_date=dt.date(2026, 7, 15),
        weight=Decimal("2.55"),
    )

    def generated():
        return Commitment.objects.values(
            "start_day", "due_day", "weight_cents", "complete_on_time", "weighted_progress_e4"
        ).get(pk=commitment.pk)

    assert generated() == {
        "start_day": day_number(dt.date(2026, 3, 20)),
        "due_day": day_number(dt.date(2026, 7, 15)),
        "weight_cents": 255,
        "complete_on_time": False,
        "weighted_progress_e4": 0,
    }
    assert day_number(dt.date(1970, 1, 1)) == 0
    assert day_number(dt.date(2026, 11, 22)) == 20779
    # An extension moved the due date; the commitment reached 100 % before it.
    Commitment.objects.filter(pk=commitment.pk).update(
        current_due_date=dt.date(2026, 9, 30),
        current_progress_num=100,
        current_progress_den=1,
        complete_since=dt.date(2026, 8, 31),
    )
    got = generated()
    assert got["due_day"] == day_number(dt.date(2026, 9, 30))
    assert got["complete_on_time"] is True
    assert got["weighted_progress_e4"] == 255 * 100 * 10_000
    # 2/3 of a percent has no whole number of ten-thousandths: listed apart (NULL).
    Commitment.objects.filter(pk=commitment.pk).update(
        current_progress_num=200, current_progress_den=3, complete_since=None
    )
    got = generated()
    assert got["complete_on_time"] is False
    assert got["weighted_progress_e4"] is None
    # 12.5 % is 125 000 ten-thousandths per hundredth of weight.
    Commitment.objects.filter(pk=commitment.pk).update(
        current_progress_num=25, current_progress_den=2
    )
    assert generated()["weighted_progress_e4"] == 255 * 25 * 5_000


def test_a_group_too_large_for_the_packed_counters_is_counted_unpacked(world, monkeypatch):
    """Counters share one integer (engine.FIELD_BITS bits each): a group with more
    commitments than a field holds is counted again with one sum per counter. With two-bit
    fields, six overdue commitments in one unit would overflow into the next counter."""
    from acuerdos.evaluation import engine

    monkeypatch.setattr(engine, "FIELD_BITS", 2)
    specs = [
        {
            "unit": "OOAD-QRO",
            "start": 0,
            "length": 10 + i,
            "weight": 1 + i % 3,
            "indicator": (45, 15) if i == 5 else None,
            "reports": [
                {
                    "as_of": 5,
                    "submit_delay": 0,
                    "review_delay": 1,
                    "state": "validated",
                    "value": 7 * i,
                },
            ],
            "extensions": [],
            "cancel": 3 if i == 6 else None,
        }
        for i in range(8)
    ]
    with time_machine.travel(NOW, tick=False):
        for agreement in (world.own, world.foreign, world.shared):
            agreement.commitments.all().delete()
        pairs = [build(world, spec, i) for i, spec in enumerate(specs)]
        refresh_inputs()
        for t in (day(100), NOW.date()):
            source = "today" if t == NOW.date() else "history"
            got = group_figures(by="unit", source=source, as_of=t)
            assert_same(got, expected_by_unit(pairs, t))
            assert got[0].figures.counts[rules.Status.OVERDUE] >= 4


def test_large_indicator_denominators_add_up_without_overflow(world):
    """Twenty-five commitments sharing one indicator target with a 14-digit denominator: each
    weighted term is about 4·10¹⁷, their sum passes 2⁶³ (SQLite's SUM would stop there). The
    figures still equal the pure rules'."""
    start = dt.date(2026, 1, 1)
    target = Decimal("9876543210.1237")
    value = Decimal("4000000000.0001")
    with time_machine.travel(dt.datetime(2026, 6, 1, 18, tzinfo=dt.UTC), tick=False):
        for agreement in (world.own, world.foreign, world.shared):
            agreement.commitments.all().delete()
        pairs = []
        for _ in range(25):
            commitment = CommitmentFactory(
                agreement=AgreementFactory(meeting=world.meeting),
                responsible_unit=world.unit("OOAD-QRO"),
                start_date=start,
                due_date=dt.date(2026, 12, 31),
                weight=Decimal("1"),
                target_kind=TargetKind.INDICATOR,
                baseline=Decimal("0"),
                target_value=target,
            )
            num, den = report_fraction(
                target_kind="indicator",
                indicator_value=value,
                baseline=commitment.baseline,
                target_value=commitment.target_value,
            )
            report = ProgressReport.objects.create(
                commitment=commitment,
                author=world.users["liaison"],
                as_of=dt.date(2026, 5, 1),
                state="validated",
                indicator_value=value,
                submitted_on=dt.date(2026, 5, 2),
                validated_on=dt.date(2026, 5, 3),
                progress_num=num,
                progress_den=den,
            )
            assert den > 10**13
            pairs.append(
                (
                    commitment,
                    rules.Commitment(
                        start=start,
                        due=dt.date(2026, 12, 31),
                        target=rules.Target(
                            "indicator", baseline=Fraction(0), target=Fraction(target)
                        ),
                        weight=Fraction(1),
                        reports=(
                            rules.Report(
                                dt.date(2026, 5, 1),
                                Fraction(value),
                                dt.date(2026, 5, 2),
                                dt.date(2026, 5, 3),
                                report.pk,
                            ),
                        ),
                    ),
                )
            )
        refresh_inputs()
        t = dt.date(2026, 6, 1)
        for by, source in (("unit", "today"), ("national", "today"), ("unit", "history")):
            got = group_figures(by=by, source=source, as_of=t)
            if by == "unit":
                assert_same(got, expected_by_unit(pairs, t))
            else:
                national = rules.aggregate(rules.evaluate(rc, t) for _, rc in pairs)
                assert [g.figures for g in got] == [national]
