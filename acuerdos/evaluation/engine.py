"""The rules of PRODUCT.md §3 computed in the database, for any group and any date.

Three sources give the same per-commitment row (status, exact progress, due date, …):

- `today`: the inputs cached on each commitment (progress.inputs) — valid for any date from the
  last write on, so it serves "today" with one scan of the commitments table;
- `history`: the input period in force at `t` (progress.InputPeriod, rewritten with the inputs
  on every write): any past date, one index probe per commitment;
- `snapshot`: the frozen rows of a closed cut-off.

Statuses are decided by `CASE` with integer cross-multiplication, so that comparisons are
exact as §3.5 demands. The group sums that need division (weighted progress) come back grouped
by denominator and are added up exactly in Python with `Fraction`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from acuerdos.commitments.models import DIVISORS_OF_10_000
from acuerdos.core.expressions import DAY_NUMBER_SQL, day_number
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


def _since_t(earlier: str) -> str:
    """SQL for the days from `earlier` to t (t's day number is a constant on SQLite)."""
    if connection.vendor == "postgresql":
        return f"(t.t - {earlier})"
    return f"CAST(t.tj - julianday({earlier}) AS INTEGER)"


def _t_params(as_of: dt.date, th: Thresholds) -> list[Any]:
    """t, its day number, and the two dates §3.6 compares with (young, fresh window)."""
    young = as_of - dt.timedelta(days=th.stale_after_days)
    window = as_of - dt.timedelta(days=th.stale_window_days)
    if connection.vendor == "postgresql":
        return [as_of, 0, young, window]
    # sqlite3 compares ISO strings; julianday of a date is its ordinal + 1721424.5.
    return [as_of.isoformat(), as_of.toordinal() + 1721424.5, young.isoformat(), window.isoformat()]


# The joins each group key needs (the commitment row alone carries the unit and agreement).
KEY_JOINS = {
    "unit": (),
    "agreement": (),
    "national": (),
    "theme": ("a",),
    "area": ("a",),
    "meeting": ("a",),
    "region": ("a", "m"),
    "round": ("a", "m"),
}
KEY_EXPRESSIONS = {
    "unit_id": "c.responsible_unit_id",
    "region_id": "m.region_id",
    "round_id": "m.round_id",
    "meeting_id": "a.meeting_id",
    "theme_id": "a.theme_id",
    "area_id": "a.validating_area_id",
    "agreement_id": "c.agreement_id",
}


def _keys_sql(by: str | None, *, commitments_first: bool = False) -> tuple[str, str]:
    """The group-key columns of the base rows and the joins they need: only the key of `by`
    (no join at all for a unit or an agreement), or every key when `by` is None.

    `commitments_first` keeps SQLite from choosing another join order (its `CROSS JOIN` is an
    inner join that fixes the order): the commitments are read on their index, each row then
    finds its agreement and meeting by primary key."""
    if by is None:
        columns = KEY_EXPRESSIONS
        aliases: tuple[str, ...] = ("a", "m")
    else:
        column = GROUP_COLUMNS[by]
        columns = {column: KEY_EXPRESSIONS[column]} if column in KEY_EXPRESSIONS else {}
        aliases = KEY_JOINS[by]
    join = "CROSS JOIN" if commitments_first and connection.vendor == "sqlite" else "JOIN"
    joins = ""
    if "a" in aliases:
        joins += f" {join} commitments_agreement a ON a.id = c.agreement_id"
    if "m" in aliases:
        joins += f" {join} meetings_meeting m ON m.id = a.meeting_id"
    select = "".join(f"{expression} AS {name}, " for name, expression in columns.items())
    return select, joins


def _live_base(source: str, by: str | None) -> str:
    """The per-commitment inputs (a SELECT with a `{scope}` slot) for `today` and `history`.

    `today` reads the inputs cached on the commitment row; `history` reads the commitment's
    input period in force at t (progress.InputPeriod, kept with every write): one probe into a
    covering index per commitment, no search of the reports and extensions themselves.
    """
    keys, joins = _keys_sql(by)
    if source == "today":
        inputs = """
            c.current_progress_num AS pn, c.current_progress_den AS pd,
            COALESCE(c.current_due_date, c.due_date) AS d, c.last_submitted_on AS ls,
            c.complete_since AS cs"""
    else:
        inputs = """
            COALESCE(ip.progress_num, 0) AS pn, COALESCE(ip.progress_den, 1) AS pd,
            COALESCE(ip.due_date, c.due_date) AS d, ip.last_submitted_on AS ls,
            ip.complete_since AS cs"""
        joins += """
            LEFT JOIN progress_inputperiod ip ON ip.commitment_id = c.id
                AND ip.valid_from <= t.t AND (ip.valid_to IS NULL OR ip.valid_to > t.t)"""
    return f"""
        SELECT c.id AS cid, {keys}CAST(ROUND(c.weight * 100) AS BIGINT) AS w,
               c.start_date AS s, c.cancelled_on, {inputs}
        FROM t CROSS JOIN commitments_commitment c {joins}
        WHERE c.start_date <= t.t {{scope}}"""


def _evaluated_sql(source: str, th: Thresholds, by: str | None) -> str:
    """Per-commitment rows with the status of §3.5 decided in SQL (the `{scope}` slot filters)."""
    t = "t.t"
    margin = int(th.at_risk_margin)
    base = _live_base(source, by)
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
                 < ev.pd * (100 * {_since_t("ev.s")} - {margin} * {_days("ev.d", "ev.s")})
                THEN 'at_risk'
            ELSE 'on_track'
        END"""
    return f"""
        WITH t AS (
            SELECT {_date_param()} AS t, %s AS tj, {_date_param()} AS young,
                   {_date_param()} AS fresh_from
        ),
        ev AS MATERIALIZED ({base}),
        st AS MATERIALIZED (
            SELECT ev.*, {status} AS status
            FROM ev, t
        )
        SELECT st.*,
               CASE WHEN st.status = 'overdue' THEN {_since_t("st.d")} ELSE 0 END AS overdue_days,
               CASE WHEN st.status IN ('cancelled', 'fulfilled') THEN 0
                    WHEN st.s > t.young THEN 0
                    WHEN st.ls >= t.fresh_from THEN 0
                    ELSE 1 END AS stale,
               CASE WHEN st.status = 'fulfilled' OR st.d <= {t} THEN 1 ELSE 0 END AS in_d,
               CASE WHEN st.status <> 'fulfilled' THEN NULL
                    WHEN st.cs <= st.d THEN 1 ELSE 0 END AS on_time,
               CASE WHEN {t} <= st.s THEN 0 WHEN {t} >= st.d THEN 100
                    ELSE 100 * {_since_t("st.s")} END AS e_num,
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
    by: str | None = None,
) -> tuple[str, list[Any]]:
    """The SQL and params of one evaluated row per commitment (for snapshots and tests), with
    every group key, or only the key of `by` (fewer joins)."""
    th = thresholds or configured_thresholds()
    if th.at_risk_margin.denominator != 1:
        raise ValueError("AT_RISK_MARGIN must be a whole number of percentage points")
    if source == "snapshot":
        scope, scope_params = _scope_sql(visible, "s.commitment_id")
        return _snapshot_sql().replace("{scope}", scope), [cutoff_id, *scope_params]
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    scope, scope_params = _scope_sql(visible, "c.id")
    sql = _evaluated_sql(source, th, by).replace("{scope}", scope)
    return sql, [*_t_params(as_of, th), *scope_params]


@dataclass(frozen=True)
class GroupResult:
    """The figures of one group: its key (an id, or 0 for the nation) and §3.7's figures."""

    key: int
    figures: GroupFigures


FIELD_BITS = 21  # the width of one packed counter (below); a group larger than this re-runs


def _case(branches: Sequence[tuple[str, Sequence[int]]], field: int | None) -> str:
    """One decision (`CASE WHEN condition THEN … END`, first match wins) whose leaves add to
    several counters at once: packed into one integer (`field` None: counter i in bits
    i·FIELD_BITS upwards), or only counter `field` (the unpacked form, for oversized groups).

    SQLite evaluates every aggregate's expression separately for each row: one decision that
    feeds three counters costs a third of three decisions (the national figures at ×100 spend
    most of their time there)."""
    parts = []
    for condition, increments in branches:
        if field is None:
            value = sum(n << (i * FIELD_BITS) for i, n in enumerate(increments))
        else:
            value = increments[field] if field < len(increments) else 0
        parts.append(f"WHEN {condition} THEN CAST({value} AS BIGINT)")
    return f"CASE {' '.join(parts)} ELSE 0 END"


def _unpacked(total: int, count: int) -> list[int]:
    mask = (1 << FIELD_BITS) - 1
    return [(total >> (i * FIELD_BITS)) & mask for i in range(count)]


# The per-commitment inputs of the group figures, in day numbers (core.expressions.DayNumber).
# `today` reads the commitment's generated columns on the covering commitment_evaluation_idx;
# `history` the input period in force at t, its due date turned into a day number per row.
HISTORY_JOIN = """
    LEFT JOIN progress_inputperiod ip ON ip.commitment_id = c.id
        AND ip.valid_from <= {t} AND (ip.valid_to IS NULL OR ip.valid_to > {t})"""


def _group_base(source: str, by: str) -> str:
    keys, joins = _keys_sql(by, commitments_first=source == "today")
    if source == "today":
        inputs = """c.current_progress_num AS pn, c.current_progress_den AS pd,
            c.due_day AS d, c.last_submitted_on AS ls, c.complete_on_time AS ot,
            c.weighted_progress_e4 AS wp"""
    else:  # the generated columns' formulas (commitments.models), on the period's inputs
        pn, pd = "COALESCE(ip.progress_num, 0)", "COALESCE(ip.progress_den, 1)"
        due = "COALESCE(ip.due_date, c.due_date)"
        divisors = ", ".join(str(d) for d in DIVISORS_OF_10_000)
        day = DAY_NUMBER_SQL[connection.vendor] % {"expressions": due}
        inputs = f"""{pn} AS pn, {pd} AS pd, {day} AS d, ip.last_submitted_on AS ls,
            ({pn} = 100 * {pd} AND ip.complete_since <= {due}) AS ot,
            CASE WHEN {pd} IN ({divisors})
                 THEN c.weight_cents * {pn} * (10000 / {pd}) END AS wp"""
        joins += HISTORY_JOIN
    return f"""
        SELECT {keys}c.weight_cents AS w, c.start_day AS s, c.cancelled_on AS co, {inputs}
        FROM commitments_commitment c {joins}
        WHERE c.start_day <= {{day}} {{scope}}"""


def _live_group_figures(
    *,
    by: str,
    source: str,
    as_of: dt.date,
    visible: QuerySet[Any] | None,
    thresholds: Thresholds | None,
    packed: bool = True,
) -> list[GroupResult]:
    """§3.7 for `today` and `history` in one pass over the per-commitment inputs, grouped by the
    key alone (no sort): three decisions per row, each adding to up to three counters packed in
    one integer, and a few sums; on track is what is left. Weighted progress is summed exactly:
    as integers over 1/10 000 for denominators dividing 10 000, the others per denominator in
    a second, small branch of the same statement (each term split in two halves that SQLite can
    add without overflow), added up in Python with `Fraction`."""
    th = thresholds or configured_thresholds()
    if th.at_risk_margin.denominator != 1:
        raise ValueError("AT_RISK_MARGIN must be a whole number of percentage points")
    margin = int(th.at_risk_margin)
    column = GROUP_COLUMNS[by]
    scope, scope_params = _scope_sql(visible, "c.id")
    pg = connection.vendor == "postgresql"
    day = day_number(as_of)
    young = day_number(as_of - dt.timedelta(days=th.stale_after_days))
    fresh_from = as_of - dt.timedelta(days=th.stale_window_days)

    def date(value: dt.date) -> str:  # a literal from a `datetime.date`, never from text
        return f"DATE '{value.isoformat()}'" if pg else f"'{value.isoformat()}'"

    base = _group_base(source, by).replace("{scope}", scope)
    base = base.replace("{day}", str(day)).replace("{t}", date(as_of))
    t, cancelled, full = day, f"ev.co <= {date(as_of)}", "ev.pn = 100 * ev.pd"
    closed = f"{cancelled} OR {full}"
    # Counters: [cancelled, fulfilled, fulfilled on time]
    ended = [(cancelled, (1, 0, 0)), ("ev.ot", (0, 1, 1)), (full, (0, 1, 0))]
    # [overdue, at risk, due by t] of the open ones (PRODUCT.md §3.5, in its order).
    behind = f"""ev.pn * (ev.d - ev.s)
        < ev.pd * (100 * ({t} - ev.s) - {margin} * (ev.d - ev.s))"""
    open_ = [
        (closed, (0, 0, 0)),
        (f"ev.d < {t}", (1, 0, 1)),
        (f"ev.s >= {t} AND ev.d = {t}", (0, 0, 1)),
        (f"ev.s >= {t}", (0, 0, 0)),
        (f"ev.d = {t} AND ev.pn < {100 - margin} * ev.pd", (0, 1, 1)),
        (f"ev.d = {t}", (0, 0, 1)),
        (behind, (0, 1, 0)),
    ]
    # [stale] of the open ones (§3.6), and their days overdue in the bits above it.
    stale = f"ev.s <= {young} AND (ev.ls IS NULL OR ev.ls < {date(fresh_from)})"
    overdue_days = f"CASE WHEN ev.d < {t} THEN CAST({t} - ev.d AS BIGINT) ELSE 0 END"
    if packed:
        counters = [_case(ended, None), _case(open_, None)]
        stale_sql = f"""CASE WHEN {closed} THEN 0 ELSE
            (CASE WHEN {stale} THEN 1 ELSE 0 END) + {overdue_days} * {1 << FIELD_BITS} END"""
        sums = [*counters, stale_sql]
    else:
        sums = [
            *(_case(ended, i) for i in range(3)),
            *(_case(open_, i) for i in range(3)),
            f"CASE WHEN {closed} THEN 0 WHEN {stale} THEN 1 ELSE 0 END",
            f"CASE WHEN {closed} THEN 0 ELSE {overdue_days} END",
        ]
    gkey = "0" if column == "0" else "ev." + column
    padding = ", NULL" * (len(sums) + 1)
    if source == "today":
        # Two passes over the commitments' indexes: every commitment on the evaluation index,
        # the few with other denominators on their partial index. SQLite's planner counts no
        # index as covering once a generated column is read (it would fetch the table row on
        # demand, which these columns never need), so it is told which index to walk.
        hint = " INDEXED BY commitment_evaluation_idx" if not pg else ""
        counted = f"({base.replace('commitments_commitment c', 'commitments_commitment c' + hint)})"
        listed, prefix = f"({base})", ""
    else:  # each commitment's input period is found once
        counted, listed, prefix = "ev", "ev", f"WITH ev AS MATERIALIZED ({base})"
    sql = f"""
        {prefix}
        SELECT 0, {gkey}, COUNT(*), {", ".join(f"SUM({s})" for s in sums)},
               SUM(CASE WHEN {cancelled} THEN 0 ELSE ev.wp END),
               SUM(CASE WHEN {cancelled} THEN 0 ELSE ev.w END),
               MAX(CASE WHEN {closed} OR ev.d >= {t} THEN 0 ELSE {t} - ev.d END)
        FROM {counted} ev
        {"" if column == "0" else "GROUP BY 2"}
        UNION ALL
        SELECT 1, {gkey}, ev.pd, SUM((ev.w * ev.pn) >> 32), SUM((ev.w * ev.pn) & 4294967295)
               {padding}
        FROM {listed} ev
        WHERE ev.wp IS NULL AND (ev.co IS NULL OR NOT ({cancelled}))
        GROUP BY {"3" if column == "0" else "2, 3"}"""
    # Compiling this query costs PostgreSQL's JIT more (~0.6 s at ×100) than it saves: off for
    # this statement's transaction.
    with (
        transaction.atomic() if pg else nullcontext(),
        connection.cursor() as cursor,
    ):
        if pg:
            cursor.execute("SET LOCAL jit = off")
        # Today's statement reads the commitments twice: its scope is bound twice.
        cursor.execute(sql, list(scope_params) * (2 if source == "today" else 1))
        rows = cursor.fetchall()
    # The nation is one group without GROUP BY (no sort of a constant key): it answers a row
    # even with no commitments, counted 0.
    main = [row for row in rows if row[0] == 0 and row[2]]
    if packed and any(int(row[2]) >> FIELD_BITS for row in main):
        return _live_group_figures(
            by=by, source=source, as_of=as_of, visible=visible, thresholds=th, packed=False
        )
    weighted: dict[int, Fraction] = {}
    # Σ w·pn of one denominator comes in two halves (high and low 32 bits of each term): the
    # terms of a large indicator denominator are large, and SQLite's SUM stops at 2⁶³.
    for _, key, den, high, low, *_rest in (row for row in rows if row[0] == 1):
        weighted[int(key or 0)] = weighted.get(int(key or 0), Fraction(0)) + Fraction(
            (int(high) << 32) + int(low), int(den)
        )
    results = []
    for _, key_value, n_value, *values in sorted(main, key=lambda row: int(row[1] or 0)):
        key, n = int(key_value or 0), int(n_value)
        wp, weights, od_max = (int(v or 0) for v in values[-3:])
        if packed:
            term, open_sum, stale_sum = (int(v or 0) for v in values[:3])
            cancelled_n, fulfilled, on_time = _unpacked(term, 3)
            overdue_n, at_risk_n, due_n = _unpacked(open_sum, 3)
            (stale_n,), od_sum = _unpacked(stale_sum, 1), stale_sum >> FIELD_BITS
        else:
            cancelled_n, fulfilled, on_time, overdue_n, at_risk_n, due_n, stale_n, od_sum = (
                int(v or 0) for v in values[:8]
            )
        total = n - cancelled_n
        open_n = total - fulfilled
        in_d = fulfilled + due_n
        counts = {
            Status.ON_TRACK: open_n - overdue_n - at_risk_n,
            Status.AT_RISK: at_risk_n,
            Status.OVERDUE: overdue_n,
            Status.FULFILLED: fulfilled,
            Status.CANCELLED: cancelled_n,
        }
        weighted_sum = Fraction(wp, 10_000) + weighted.get(key, Fraction(0))
        results.append(
            GroupResult(
                key=key,
                figures=GroupFigures(
                    total=total,
                    counts={status: counts[status] for status in STATUS_ORDER},
                    compliance_level=Fraction(fulfilled, in_d) * 100 if in_d else None,
                    average_progress=weighted_sum / weights if weights else None,
                    timeliness=Fraction(open_n - stale_n, open_n) * 100 if open_n else None,
                    overdue_days_sum=od_sum,
                    overdue_days_max=od_max,
                    fulfilled_on_time=on_time,
                    fulfilled_late=fulfilled - on_time,
                ),
            )
        )
    return results


def group_figures(
    *,
    by: str,
    source: str,
    as_of: dt.date,
    cutoff_id: int | None = None,
    visible: QuerySet[Any] | None = None,
    thresholds: Thresholds | None = None,
    use_frozen: bool = True,
) -> list[GroupResult]:
    """§3.7 for every group of `by`, in one query: counts, levels and overdue days.

    A closed cut-off read whole (no `visible` narrowing) comes from its frozen group figures.
    """
    if source == "snapshot" and visible is None and cutoff_id is not None and use_frozen:
        frozen = frozen_group_figures(cutoff_id=cutoff_id, by=by)
        if frozen is not None:
            return frozen
    if source in ("today", "history"):
        return _live_group_figures(
            by=by, source=source, as_of=as_of, visible=visible, thresholds=thresholds
        )
    column = GROUP_COLUMNS[by]
    rows_sql, params = evaluated_rows_sql(
        source=source,
        as_of=as_of,
        cutoff_id=cutoff_id,
        visible=visible,
        thresholds=thresholds,
        by=by,
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


ALL_GROUPS = "*"  # the marker row of a cut-off whose group figures were frozen
# Agreements are read within a unit or a meeting (a narrowed set): not worth freezing.
FROZEN_GROUPINGS = tuple(by for by in GROUP_COLUMNS if by != "agreement")


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def figures_to_json(figures: GroupFigures) -> dict[str, Any]:
    """A group's figures as JSON with exact levels ("numerator/denominator")."""
    return {
        "total": figures.total,
        "counts": {status.value: n for status, n in figures.counts.items()},
        "compliance_level": _exact(figures.compliance_level),
        "average_progress": _exact(figures.average_progress),
        "timeliness": _exact(figures.timeliness),
        "overdue_days_sum": figures.overdue_days_sum,
        "overdue_days_max": figures.overdue_days_max,
        "fulfilled_on_time": figures.fulfilled_on_time,
        "fulfilled_late": figures.fulfilled_late,
    }


def figures_from_json(data: dict[str, Any]) -> GroupFigures:
    """The inverse of `figures_to_json`."""

    def exact(value: str | None) -> Fraction | None:
        return None if value is None else Fraction(value)

    return GroupFigures(
        total=int(data["total"]),
        counts={status: int(data["counts"][status.value]) for status in STATUS_ORDER},
        compliance_level=exact(data["compliance_level"]),
        average_progress=exact(data["average_progress"]),
        timeliness=exact(data["timeliness"]),
        overdue_days_sum=int(data["overdue_days_sum"]),
        overdue_days_max=int(data["overdue_days_max"]),
        fulfilled_on_time=int(data["fulfilled_on_time"]),
        fulfilled_late=int(data["fulfilled_late"]),
    )


def freeze_group_figures(cutoff_id: int) -> int:
    """Compute the figures of every grouping but agreements of a closed cut-off from its
    snapshot rows and store them (one row per group, plus the marker). Returns the number of
    groups stored."""
    from acuerdos.evaluation.models import SnapshotFigures

    rows = [SnapshotFigures(cutoff_id=cutoff_id, grouping=ALL_GROUPS, key=0)]
    for by in FROZEN_GROUPINGS:
        for result in group_figures(
            by=by, source="snapshot", as_of=dt.date.min, cutoff_id=cutoff_id, use_frozen=False
        ):
            rows.append(
                SnapshotFigures(
                    cutoff_id=cutoff_id,
                    grouping=by,
                    key=result.key,
                    figures=figures_to_json(result.figures),
                )
            )
    SnapshotFigures.objects.bulk_create(rows, batch_size=500)
    return len(rows) - 1


def frozen_group_figures(*, cutoff_id: int, by: str) -> list[GroupResult] | None:
    """The stored figures of `by` at a closed cut-off, or None if they were never frozen (a
    cut-off closed before they existed: computed from its snapshot rows instead)."""
    from acuerdos.evaluation.models import SnapshotFigures

    if by not in FROZEN_GROUPINGS:
        return None
    stored = list(
        SnapshotFigures.objects.filter(cutoff_id=cutoff_id, grouping__in=(by, ALL_GROUPS))
        .order_by("key")
        .values_list("grouping", "key", "figures")
    )
    if not any(grouping == ALL_GROUPS for grouping, _, _ in stored):
        return None
    return [
        GroupResult(key=int(key), figures=figures_from_json(figures))
        for grouping, key, figures in stored
        if grouping == by
    ]
