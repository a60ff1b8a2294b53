"""compliance and close_cutoff: the contracts of PRODUCT.md §5."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from acuerdos.evaluation.models import CutOff, Snapshot
from acuerdos.progress.inputs import refresh_inputs
from acuerdos.progress.models import ProgressReport, ReportState

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 7, 15, 18, tzinfo=dt.UTC)


@pytest.fixture
def history(world):
    """Querétaro: one commitment at 100 % (validated 2026-06-20); Hidalgo: two at 0 %, one
    cancelled. All due 2026-06-30."""
    for commitment in (world.own_commitment, world.foreign_commitment, world.shared_commitment):
        commitment.due_date = dt.date(2026, 6, 30)
        commitment.save()
    ProgressReport.objects.create(
        commitment=world.own_commitment,
        author=world.users["liaison"],
        as_of=dt.date(2026, 6, 15),
        percent=Decimal(100),
        state=ReportState.VALIDATED,
        submitted_on=dt.date(2026, 6, 16),
        validated_on=dt.date(2026, 6, 20),
        progress_num=100,
        progress_den=1,
    )
    world.shared_commitment.cancelled_on = dt.date(2026, 6, 1)
    world.shared_commitment.cancellation_reason = "Se fusionó con otro acuerdo"
    world.shared_commitment.save()
    with time_machine.travel(NOW, tick=False):
        refresh_inputs()
    return world


def run(*args) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_it_prints_the_contract_json(history):
    payload = json.loads(
        run("compliance", "--as-of", "2026-07-10", "--by", "unit", "--format", "json")
    )
    assert payload["as_of"] == "2026-07-10"
    assert payload["by"] == "unit"
    groups = {g["code"]: g for g in payload["groups"]}
    assert groups["OOAD-QRO"] == {
        "code": "OOAD-QRO",
        "name": "Órgano de Operación Administrativa Desconcentrada Querétaro",
        "total": 1,
        "counts": {"on_track": 0, "at_risk": 0, "overdue": 0, "fulfilled": 1, "cancelled": 0},
        "compliance_level": 100.0,
        "average_progress": 100.0,
        "timeliness": None,
    }
    assert groups["OOAD-HGO"]["total"] == 1
    assert groups["OOAD-HGO"]["counts"]["cancelled"] == 1
    assert groups["OOAD-HGO"]["counts"]["overdue"] == 1
    assert groups["OOAD-HGO"]["compliance_level"] == 0.0


def test_it_reads_a_date_before_a_validation_without_it(history):
    payload = json.loads(
        run("compliance", "--as-of", "2026-06-19", "--by", "region", "--format", "json")
    )
    (centro,) = payload["groups"]
    assert centro["counts"]["fulfilled"] == 0
    assert centro["compliance_level"] is None  # nothing due yet


def test_it_prints_a_table_and_csv(history):
    table = run("compliance", "--as-of", "2026-07-10", "--by", "theme")
    assert "Atención médica" in table and "Cumplimiento" in table
    csv_text = run("compliance", "--as-of", "2026-07-10", "--by", "area", "--format", "csv")
    assert csv_text.splitlines()[0].startswith("code,name,total,on_track")


def test_it_refuses_a_bad_date():
    with pytest.raises(CommandError, match="AAAA-MM-DD"):
        call_command("compliance", "--as-of", "10/07/2026", "--by", "unit")


def test_it_closes_a_cutoff_once_and_keeps_its_figures(history, world):
    assert "congelados" in run("close_cutoff", "2026-06-30")
    assert "ya estaba cerrado" in run("close_cutoff", "2026-06-30")
    cutoff = CutOff.objects.get(date=dt.date(2026, 6, 30))
    assert cutoff.is_closed
    assert Snapshot.objects.filter(cutoff=cutoff).count() == 3
    before = run("compliance", "--as-of", "2026-06-30", "--by", "unit", "--format", "json")
    # a late report for 30 June, validated afterwards, must not change the closed cut-off
    ProgressReport.objects.create(
        commitment=world.foreign_commitment,
        author=world.users["other_liaison"],
        as_of=dt.date(2026, 6, 30),
        percent=Decimal(100),
        state=ReportState.VALIDATED,
        submitted_on=dt.date(2026, 7, 2),
        validated_on=dt.date(2026, 7, 3),
        progress_num=100,
        progress_den=1,
    )
    with time_machine.travel(NOW, tick=False):
        refresh_inputs()
    assert run("compliance", "--as-of", "2026-06-30", "--by", "unit", "--format", "json") == before
    later = json.loads(
        run("compliance", "--as-of", "2026-07-10", "--by", "unit", "--format", "json")
    )
    assert {g["code"]: g for g in later["groups"]}["OOAD-HGO"]["counts"]["fulfilled"] == 1


def test_it_refuses_to_close_a_future_cutoff():
    with pytest.raises(CommandError, match="futura"):
        run("close_cutoff", "2026-12-31")
