"""Two closings of the same cut-off at once produce one snapshot (real concurrent connections)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections

from acuerdos.evaluation.models import CutOff, Snapshot
from acuerdos.evaluation.services import cutoff_close

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_freezes_one_snapshot_when_two_closings_race(world):
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def close(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = cutoff_close(date=dt.date(2026, 6, 30), source="command")
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    assert sorted(closed_now for _, closed_now in outcomes) == [False, True]
    assert CutOff.objects.count() == 1
    assert Snapshot.objects.count() == 3
