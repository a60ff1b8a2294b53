"""Measure one dataset (run by bench/run.py in a subprocess with DATABASE_URL set).

Prints one JSON object: median seconds for the national figures by unit (a) today, (b) a past
date, (c) a closed cut-off, each through the product's evaluation path (`figures_by`, the same
call as the dashboards and `compliance`), and the hand-written SQL floor at the same date
(bench/floor.sql over the raw history; for the cut-off, bench/floor_snapshot.sql over its frozen
snapshot rows).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acuerdos.settings")
os.environ.setdefault("ACUERDOS_ALLOW_DEV_SECRET", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from acuerdos.core.dates import today  # noqa: E402
from acuerdos.evaluation.models import CutOff  # noqa: E402
from acuerdos.evaluation.selectors import GroupRow, basis_for, figures_by  # noqa: E402

PAST = dt.date(2026, 8, 31)
CUTOFF = dt.date(2026, 10, 31)


def floor_sql() -> str:
    text = (Path(__file__).parent / "floor.sql").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    pg = connection.vendor == "postgresql"
    t = "CAST(%(t)s AS date)" if pg else "%(t)s"

    def days(match: re.Match[str]) -> str:
        a, b = match.group(1), match.group(2)
        return f"({a} - {b})" if pg else f"CAST(julianday({a}) - julianday({b}) AS INTEGER)"

    text = re.sub(r"\{days\(([^,]+), ([^)]+)\)\}", days, text)
    return text.replace(":t", t)


def floor_snapshot_sql() -> str:
    text = (Path(__file__).parent / "floor_snapshot.sql").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    if connection.vendor != "postgresql":
        text = text.replace("AND NOT stale", "AND stale = 0").replace(
            "AND in_denominator", "AND in_denominator = 1"
        )
    return text.replace(":c", "%(c)s")


def timed(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up: caches, statistics, prepared plans
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    sql = floor_sql()

    def floor(day: dt.date) -> Callable[[], list[Any]]:
        def run() -> list[Any]:
            param = day if connection.vendor == "postgresql" else day.isoformat()
            with connection.cursor() as cursor:
                cursor.execute(sql, {"t": param})
                return list(cursor.fetchall())

        return run

    snapshot_sql = floor_snapshot_sql()

    def floor_snapshot(cutoff_id: int) -> Callable[[], list[Any]]:
        def run() -> list[Any]:
            with connection.cursor() as cursor:
                cursor.execute(snapshot_sql, {"c": cutoff_id})
                return list(cursor.fetchall())

        return run

    def product(**kw: Any) -> Callable[[], list[GroupRow]]:
        return lambda: figures_by(None, by="unit", basis=basis_for(**kw))

    cutoff = CutOff.objects.get(date=CUTOFF)
    assert cutoff.is_closed, "the benchmark dataset must have its cut-off closed"
    now = today()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM commitments_commitment")
        commitments = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM progress_progressreport")
        reports = cursor.fetchone()[0]

    # The product and the floor must agree on the counts per status (a sanity check).
    def mismatches(ours_rows: list[GroupRow], floor_rows: list[Any]) -> list[int]:
        ours = {r.key: tuple(r.figures.counts.values()) for r in ours_rows}
        theirs = {row[0]: tuple(int(n) for n in row[1:6]) for row in floor_rows}
        return [k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k)]

    mismatched = [
        *mismatches(product(as_of=PAST)(), floor(PAST)()),
        *mismatches(product(as_of=now)(), floor(now)()),
        *mismatches(product(cutoff=cutoff)(), floor_snapshot(cutoff.pk)()),
        *mismatches(product(cutoff=cutoff)(), floor(CUTOFF)()),
    ]
    load_before = os.getloadavg()[0]
    result = {
        "vendor": connection.vendor,
        "commitments": commitments,
        "reports": reports,
        "groups_mismatched": len(mismatched),
        "today": timed(product(as_of=now), repeat),
        "today_floor": timed(floor(now), repeat),
        "past": timed(product(as_of=PAST), repeat),
        "past_floor": timed(floor(PAST), repeat),
        "cutoff": timed(product(cutoff=cutoff), repeat),
        "cutoff_floor": timed(floor_snapshot(cutoff.pk), repeat),
    }
    # The machine is shared: the 1-minute load average around the measurement, for the notes.
    result["load"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
