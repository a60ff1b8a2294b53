"""The national figures by every grouping, today and at the past date, on one dataset: what the
dashboards' other tables cost (bench/measure.py times the grouping by unit against its floor).

Run with DATABASE_URL pointing at a `make bench` dataset, e.g.

    DATABASE_URL=sqlite:///bench/out/acuerdos-s100.sqlite3 .venv/bin/python bench/groupings.py 3

Prints the median seconds of `figures_by(None, by=…)` per grouping and date (after a warm-up)
and the 1-minute load average before and after.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import PAST, timed

from acuerdos.core.dates import today
from acuerdos.evaluation.selectors import GroupRow, basis_for, figures_by

GROUPINGS = ("unit", "national", "region", "theme", "area", "meeting")


def _figures(by: str, day: dt.date) -> Callable[[], list[GroupRow]]:
    return lambda: figures_by(None, by=by, basis=basis_for(as_of=day))


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    from django.db import connection

    load = os.getloadavg()[0]
    print(f"{connection.vendor}: figures_by(None, by=…), median of {repeat} (seconds)")
    print(f"{'grouping':<10}{'today':>9}{'past date':>11}")
    for by in GROUPINGS:
        now = timed(_figures(by, today()), repeat)
        past = timed(_figures(by, PAST), repeat)
        print(f"{by:<10}{now:>9.3f}{past:>11.3f}")
    print(f"load {load:.1f} → {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
