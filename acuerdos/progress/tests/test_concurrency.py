"""Two people acting on the same report at once: one wins, the other is told, nothing is lost.

Runs with real concurrent connections; on PostgreSQL the row lock (SELECT … FOR UPDATE)
serialises them, on SQLite the IMMEDIATE transactions do.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, connections, transaction

from acuerdos.audit.models import AuditEvent
from acuerdos.core.errors import ConflictError
from acuerdos.progress.inputs import refresh_inputs
from acuerdos.progress.models import InputPeriod, ProgressReport, ReportState
from acuerdos.progress.services import (
    ReportInput,
    report_return,
    report_submit,
    report_validate,
)
from acuerdos.progress.tests.helpers import PDF, upload

pytestmark = pytest.mark.django_db(transaction=True)


def _run_at_once(*actions):
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_it_lets_one_of_two_simultaneous_reviews_win(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=True):
        report = report_submit(
            commitment=world.own_commitment,
            actor=world.users["liaison"],
            data=ReportInput(
                as_of=dt.date(2026, 6, 10), percent=Decimal(30), narrative="Avance de obra"
            ),
            uploads=[upload(PDF, "a.pdf")],
        )
        version = report.version
        outcomes = _run_at_once(
            lambda: report_validate(
                report=report, actor=world.users["validator"], expected_version=version
            ),
            lambda: report_return(
                report=report,
                actor=world.users["coordinator"],
                comment="Falta evidencia",
                expected_version=version,
            ),
        )
    winners = [o for o in outcomes if isinstance(o, ProgressReport)]
    losers = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    assert "Sus cambios no se guardaron" in losers[0].message or "No se cambió" in losers[0].message
    report.refresh_from_db()
    assert report.state == winners[0].state
    assert report.state in (ReportState.VALIDATED, ReportState.RETURNED)
    assert report.version == version + 1
    reviews = AuditEvent.objects.filter(action__in=["progress.validated", "progress.returned"])
    assert reviews.count() == 1
    assert connection.vendor in ("postgresql", "sqlite")


def test_two_simultaneous_refreshes_of_one_commitment_leave_one_set_of_periods(world):
    commitment = world.own_commitment
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=True):
        for as_of, submitted in ((dt.date(2026, 5, 31), dt.date(2026, 6, 1)),
                                 (dt.date(2026, 6, 10), dt.date(2026, 6, 11))):  # fmt: skip
            ProgressReport.objects.create(
                commitment=commitment,
                author=world.users["liaison"],
                as_of=as_of,
                percent=Decimal(40),
                progress_num=40,
                state=ReportState.SUBMITTED,
                submitted_on=submitted,
            )

        def refresh() -> int:
            with transaction.atomic():
                count = refresh_inputs([commitment.pk])
                time.sleep(0.3)  # hold the transaction open while the other one tries
                return count

        outcomes = _run_at_once(refresh, refresh, refresh)
    assert outcomes == [1, 1, 1], outcomes
    starts = list(
        InputPeriod.objects.filter(commitment=commitment).values_list("valid_from", flat=True)
    )
    assert sorted(starts) == [dt.date(2026, 6, 1), dt.date(2026, 6, 11)]


def test_a_refresh_waits_for_another_write_on_the_commitment_and_reads_what_it_committed(world):
    """Two validations of one commitment at once: the second refresh must read the first's
    report once it commits (the commitment is locked first), not the state before it."""
    commitment = world.own_commitment
    late, early = (
        ProgressReport.objects.create(
            commitment=commitment,
            author=world.users["liaison"],
            as_of=as_of,
            percent=Decimal(percent),
            progress_num=percent,
            state=ReportState.SUBMITTED,
            submitted_on=dt.date(2026, 6, 11),
        )
        for as_of, percent in ((dt.date(2026, 6, 10), 70), (dt.date(2026, 5, 31), 40))
    )
    first_wrote = threading.Event()

    def validate(report: ProgressReport) -> None:
        ProgressReport.objects.filter(pk=report.pk).update(
            state=ReportState.VALIDATED, validated_on=dt.date(2026, 6, 12)
        )
        refresh_inputs([commitment.pk])

    def first() -> None:
        with transaction.atomic():
            validate(late)
            first_wrote.set()
            time.sleep(0.5)  # still uncommitted while the second one starts

    def second() -> None:
        assert first_wrote.wait(timeout=10)
        with transaction.atomic():
            validate(early)

    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=True):
        outcomes = _run_at_once(first, second)
    assert outcomes == [None, None], outcomes
    commitment.refresh_from_db()
    # The 10 June report (70 %) is the latest counting one: a refresh that read before the
    # first write committed would have left the 31 May report's 40 %.
    assert (commitment.current_progress_num, commitment.current_progress_den) == (70, 1)
    last = InputPeriod.objects.filter(commitment=commitment).order_by("valid_from").last()
    assert last is not None and last.progress_num == 70
