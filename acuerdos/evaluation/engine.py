"""The rules of PRODUCT.md §3 computed in the database, for any group and any date.

Three sources give the same per-commitment row (status, exact progress, due date, …):

- `today`: the inputs cached on each commitment (progress.inputs) — valid for any date from the
  last write on, so it serves "today" with one scan of the commitments table;
- `history`: the same inputs rebuilt from the reports and extensions as they stood at `t`
  (window functions) — any past date;
- `snapshot`: the frozen rows of a closed cut-off.

Statuses are decided by `CASE` with integer cross-multiplication, so that comparisons are
exact as §3.5 demands. The group sums that need division (weighted progress) come back grouped
by denominator and are added up exactly in Python with `Fraction`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from acuerdos.evaluation.rules import STATUS_ORDER, GroupFigures, Status, Thresholds
from acuerdos.evaluation.settings import thresholds as configured_thresholds

GROUP_COLUMNS = {
    "unit": "unit_id",
    "region": "region_id",
    "theme": "theme_id",
    "area": "area_id",
    "meeting": "meeting_id",
    "round": "round_id",
    "agreement": "agreement_id",
    "national": "0",
}
SOURCES = ("today", "history", "snapshot")


def _days(later: str, earlier: str) -> str:
    """SQL for the number of days between two date expressions."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _date_param() -> str:
    return "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"


def _live_base(source: str) -> tuple[str, str]:
    """The per-commitment inputs (CTEs and a SELECT) for the `today` and `history` sources."""
    t = "t.t"
    if source == "today":
        ctes = ""
        inputs = """
            c.current_progress_num AS pn, c.current_progress_den AS pd,
            COALESCE(c.current_due_date, c.due_date) AS d,
            c.last_submitted_on AS ls, c.complete_since AS cs"""
        joins = ""
    else:
        ctes = f""",
        cr AS (
            SELECT r.commitment_id AS cid, r.as_of, r.progress_num AS pn, r.progress_den AS pd,
                   ROW_NUMBER() OVER (PARTITION BY r.commitment_id
                                      ORDER BY r.as_of, r.validated_on, r.id) AS rn,
                   COUNT(*) OVER (PARTITION BY r.commitment_id) AS cnt
            FROM progress_progressreport r, t
            WHERE r.state = 'validated' AND r.as_of <= {t} AND r.validated_on <= {t}
        ),
        crs AS (
            SELECT cid,
                   MAX(CASE WHEN rn = cnt THEN pn END) AS pn,
                   MAX(CASE WHEN rn = cnt THEN pd END) AS pd,
                   MAX(CASE WHEN pn <> 100 * pd THEN rn ELSE 0 END) AS last_short
            FROM cr GROUP BY cid
        ),
        since AS (
            SELECT cr.cid, MIN(cr.as_of) AS cs
            FROM cr JOIN crs ON crs.cid = cr.cid
            WHERE cr.rn > crs.last_short
            GROUP BY cr.cid
        ),
        ext AS (
            SELECT e.commitment_id AS cid, e.new_due_date,
                   ROW_NUMBER() OVER (PARTITION BY e.commitment_id
                                      ORDER BY e.decided_on DESC, e.created_at DESC, e.id DESC)
                       AS rn
            FROM commitments_extensionrequest e, t
            WHERE e.status = 'approved' AND e.decided_on <= {t}
        ),
        sub AS (
            SELECT r.commitment_id AS cid, MAX(r.submitted_on) AS ls
            FROM progress_progressreport r, t
            WHERE r.submitted_on IS NOT NULL AND r.submitted_on <= {t}
            GROUP BY r.commitment_id
        )"""
        inputs = """
            COALESCE(crs.pn, 0) AS pn, COALESCE(crs.pd, 1) AS pd,
            COALESCE(ext.new_due_date, c.due_date) AS d,
            sub.ls AS ls, since.cs AS cs"""
        joins = """
            LEFT JOIN crs ON crs.cid = c.id
            LEFT JOIN since ON since.cid = c.id
            LEFT JOIN ext ON ext.cid = c.id AND ext.rn = 1
            LEFT JOIN sub ON sub.cid = c.id"""
    base = f"""
        SELECT c.id AS cid, c.responsible_unit_id AS unit_id, m.region_id, m.round_id,
               a.meeting_id, a.theme_id, a.validating_area_id AS area_id, c.agreement_id,
               CAST(ROUND(c.weight * 100) AS BIGINT) AS w, c.start_date AS s,
               c.cancelled_on, {inputs}
        FROM commitments_commitment c
        JOIN commitments_agreement a ON a.id = c.agreement_id
        JOIN meetings_meeting m ON m.id = a.meeting_id
        {joins}
        , t
        WHERE c.start_date <= {t} {{scope}}"""
    return ctes, base


def _evaluated_sql(source: str, th: Thresholds) -> str:
    """Per-commitment rows with the status of §3.5 decided in SQL (the `{scope}` slot filters)."""
    t = "t.t"
    margin = int(th.at_risk_margin)
    ctes, base = _live_base(source)
    full = "ev.pn = 100 * ev.pd"
    status = f"""
        CASE
            WHEN ev.cancelled_on IS NOT NULL AND ev.cancelled_on <= {t} THEN 'cancelled'
            WHEN {full} THEN 'fulfilled'
            WHEN {t} > ev.d THEN 'overdue'
            WHEN {t} <= ev.s THEN 'on_track'
            WHEN {t} >= ev.d THEN
                CASE WHEN ev.pn < {100 - margin} * ev.pd THEN 'at_risk' ELSE 'on_track' END
            WHEN ev.pn * {_days("ev.d", "ev.s")}
                 < ev.pd * (100 * {_days(t, "ev.s")} - {margin} * {_days("ev.d", "ev.s")})
                THEN 'at_risk'
            ELSE 'on_track'
        END"""
    return f"""
        WITH t AS (SELECT {_date_param()} AS t){ctes},
        ev AS ({base}),
        st AS (
            SELECT ev.*, {status} AS status
            FROM ev, t
        )
        SELECT st.*,
               CASE WHEN st.status = 'overdue' THEN {_days(t, "st.d")} ELSE 0 END AS overdue_days,
               CASE WHEN st.status IN ('cancelled', 'fulfilled') THEN 0
                    WHEN {_days(t, "st.s")} < {th.stale_after_days} THEN 0
                    WHEN st.ls IS NOT NULL AND {_days(t, "st.ls")} <= {th.stale_window_days} THEN 0
                    ELSE 1 END AS stale,
               CASE WHEN st.status = 'fulfilled' OR st.d <= {t} THEN 1 ELSE 0 END AS in_d,
               CASE WHEN st.status = 'fulfilled' AND st.cs <= st.d THEN 1
                    WHEN st.status = 'fulfilled' THEN 0 END AS on_time,
               CASE WHEN {t} <= st.s THEN 0 WHEN {t} >= st.d THEN 100
                    ELSE 100 * {_days(t, "st.s")} END AS e_num,
               CASE WHEN {t} <= st.s OR {t} >= st.d THEN 1 ELSE {_days("st.d", "st.s")} END AS e_den
        FROM st, t"""


def _snapshot_sql() -> str:
    return """
        SELECT s.commitment_id AS cid, s.unit_id, s.region_id, s.round_id, s.meeting_id,
               s.theme_id, s.area_id, s.agreement_id, s.weight_cents AS w,
               s.progress_num AS pn, s.progress_den AS pd, s.due_date AS d, s.status,
               s.overdue_days, CASE WHEN s.stale THEN 1 ELSE 0 END AS stale,
               CASE WHEN s.in_denominator THEN 1 ELSE 0 END AS in_d,
               CASE WHEN s.on_time IS NULL THEN NULL WHEN s.on_time THEN 1 ELSE 0 END AS on_time,
               s.expected_num AS e_num, s.expected_den AS e_den
        FROM evaluation_snapshot s
        WHERE s.cutoff_id = %s {scope}"""


def _scope_sql(visible: QuerySet[Any] | None, column: str) -> tuple[str, list[Any]]:
    """`AND <column> IN (<the visible commitments' ids>)`, or nothing for everything."""
    if visible is None:
        return "", []
    sql, params = visible.order_by().values("pk").query.sql_with_params()
    # The unary plus keeps SQLite from driving the join through this IN list (one probe per
    # row of the outer tables); PostgreSQL ignores it.
    return f" AND +{column} IN ({sql})", list(params)


def evaluated_rows_sql(
    *,
    source: str,
    as_of: dt.date,
    cutoff_id: int | None = None,
    visible: QuerySet[Any] | None = None,
    thresholds: Thresholds | None = None,
) -> tuple[str, list[Any]]:
    """The SQL and params of one evaluated row per commitment (for snapshots and tests)."""
    th = thresholds or configured_thresholds()
    if th.at_risk_margin.denominator != 1:
        raise ValueError("AT_RISK_MARGIN must be a whole number of percentage points")
    if source == "snapshot":
        scope, scope_params = _scope_sql(visible, "s.commitment_id")
        return _snapshot_sql().replace("{scope}", scope), [cutoff_id, *scope_params]
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    scope, scope_params = _scope_sql(visible, "c.id")
    # sqlite3 compares ISO strings; PostgreSQL gets a real date.
    date_param: Any = as_of if connection.vendor == "postgresql" else as_of.isoformat()
    return _evaluated_sql(source, th).replace("{scope}", scope), [date_param, *scope_params]


@dataclass(frozen=True)
class GroupResult:
    """The figures of one group: its key (an id, or 0 for the nation) and §3.7's figures."""

    key: int
    figures: GroupFigures


def group_figures(
    *,
    by: str,
    source: str,
    as_of: dt.date,
    cutoff_id: int | None = None,
    visible: QuerySet[Any] | None = None,
    thresholds: Thresholds | None = None,
) -> list[GroupResult]:
    """§3.7 for every group of `by`, in one query: counts, levels and overdue days."""
    column = GROUP_COLUMNS[by]
    rows_sql, params = evaluated_rows_sql(
        source=source, as_of=as_of, cutoff_id=cutoff_id, visible=visible, thresholds=thresholds
    )
    counted = ", ".join(
        f"SUM(CASE WHEN r.status = '{status.value}' THEN 1 ELSE 0 END)" for status in STATUS_ORDER
    )
    open_ = "r.status NOT IN ('cancelled', 'fulfilled')"
    active = "r.status <> 'cancelled'"
    sql = f"""
        SELECT {"0" if column == "0" else "r." + column} AS gkey, r.pd,
               {counted},
               SUM(CASE WHEN {active} AND r.in_d = 1 THEN 1 ELSE 0 END),
               SUM(CASE WHEN {open_} THEN 1 ELSE 0 END),
               SUM(CASE WHEN {open_} AND r.stale = 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN {active} THEN r.w * r.pn ELSE 0 END),
               SUM(CASE WHEN {active} THEN r.w ELSE 0 END),
               SUM(r.overdue_days), MAX(r.overdue_days),
               SUM(CASE WHEN r.on_time = 1 THEN 1 ELSE 0 END),
               SUM(CASE WHEN r.on_time = 0 THEN 1 ELSE 0 END)
        FROM ({rows_sql}) r
        GROUP BY 1, 2"""
    merged: dict[int, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            key, den, *counts = row[:7]
            in_d, open_n, fresh, wp, w, od_sum, od_max, on_time, late = row[7:]
            group = merged.setdefault(
                int(key or 0),
                {
                    "counts": dict.fromkeys(STATUS_ORDER, 0),
                    "in_d": 0,
                    "open": 0,
                    "fresh": 0,
                    "weighted": Fraction(0),
                    "weights": 0,
                    "od_sum": 0,
                    "od_max": 0,
                    "on_time": 0,
                    "late": 0,
                },
            )
            for status, n in zip(STATUS_ORDER, counts, strict=True):
                group["counts"][status] += int(n or 0)
            group["in_d"] += int(in_d or 0)
            group["open"] += int(open_n or 0)
            group["fresh"] += int(fresh or 0)
            group["weighted"] += Fraction(int(wp or 0), int(den))
            group["weights"] += int(w or 0)
            group["od_sum"] += int(od_sum or 0)
            group["od_max"] = max(group["od_max"], int(od_max or 0))
            group["on_time"] += int(on_time or 0)
            group["late"] += int(late or 0)
    results = []
    for key, g in sorted(merged.items()):
        counts = g["counts"]
        fulfilled = counts[Status.FULFILLED]
        total = sum(counts.values()) - counts[Status.CANCELLED]
        results.append(
            GroupResult(
                key=key,
                figures=GroupFigures(
                    total=total,
                    counts=counts,
                    compliance_level=Fraction(fulfilled, g["in_d"]) * 100 if g["in_d"] else None,
                    average_progress=g["weighted"] / g["weights"] if g["weights"] else None,
                    timeliness=Fraction(g["fresh"], g["open"]) * 100 if g["open"] else None,
                    overdue_days_sum=g["od_sum"],
                    overdue_days_max=g["od_max"],
                    fulfilled_on_time=g["on_time"],
                    fulfilled_late=g["late"],
                ),
            )
        )
    return results


def evaluated_rows(
    *,
    source: str,
    as_of: dt.date,
    cutoff_id: int | None = None,
    visible: QuerySet[Any] | None = None,
    thresholds: Thresholds | None = None,
) -> Sequence[dict[str, Any]]:
    """Every evaluated row as a dict (snapshots, exports and the tests use it)."""
    sql, params = evaluated_rows_sql(
        source=source, as_of=as_of, cutoff_id=cutoff_id, visible=visible, thresholds=thresholds
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
