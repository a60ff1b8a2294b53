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
import re
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import connection, transaction
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


def _keys_sql(by: str | None) -> tuple[str, str]:
    """The group-key columns of the base rows and the joins they need: only the key of `by`
    (no join at all for a unit or an agreement), or every key when `by` is None."""
    if by is None:
        columns = KEY_EXPRESSIONS
        aliases: tuple[str, ...] = ("a", "m")
    else:
        column = GROUP_COLUMNS[by]
        columns = {column: KEY_EXPRESSIONS[column]} if column in KEY_EXPRESSIONS else {}
        aliases = KEY_JOINS[by]
    joins = ""
    if "a" in aliases:
        joins += " JOIN commitments_agreement a ON a.id = c.agreement_id"
    if "m" in aliases:
        joins += " JOIN meetings_meeting m ON m.id = a.meeting_id"
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


def _dates_inlined(sql: str, as_of: dt.date, th: Thresholds) -> str:
    """The dates of t written as literals (they come from `datetime.date` values, never from
    text): constants let the planners drive the scan by the group key's index."""
    params = _t_params(as_of, th)
    pg = connection.vendor == "postgresql"
    literals = {
        "t": f"DATE '{as_of.isoformat()}'" if pg else f"'{params[0]}'",
        "tj": "0" if pg else repr(params[1]),
        "young": f"DATE '{params[2].isoformat()}'" if pg else f"'{params[2]}'",
        "fresh_from": f"DATE '{params[3].isoformat()}'" if pg else f"'{params[3]}'",
    }
    return re.sub(r"\bt\.(tj|young|fresh_from|t)\b", lambda m: literals[m.group(1)], sql)


NICE = 10_000  # progress denominators that divide it are summed exactly as integers in SQL


def _live_group_figures(
    *,
    by: str,
    source: str,
    as_of: dt.date,
    visible: QuerySet[Any] | None,
    thresholds: Thresholds | None,
) -> list[GroupResult]:
    """§3.7 for `today` and `history` in one pass over the per-commitment inputs, grouped by the
    key alone (no sort by denominator, no status column materialized): each figure is a
    conditional sum; on track is what is left. Weighted progress is summed exactly: as integers
    over 1/10 000 for denominators dividing 10 000, the other terms listed for Python."""
    th = thresholds or configured_thresholds()
    if th.at_risk_margin.denominator != 1:
        raise ValueError("AT_RISK_MARGIN must be a whole number of percentage points")
    margin = int(th.at_risk_margin)
    column = GROUP_COLUMNS[by]
    scope, scope_params = _scope_sql(visible, "c.id")
    base = _live_base(source, by).replace("{scope}", scope)
    pg = connection.vendor == "postgresql"
    t = "t.t"
    active = f"(ev.cancelled_on IS NULL OR ev.cancelled_on > {t})"
    full = "ev.pn = 100 * ev.pd"
    open_ = f"{active} AND ev.pn <> 100 * ev.pd"
    at_risk = f"""{open_} AND ev.d >= {t} AND ev.s < {t} AND (
        (ev.d = {t} AND ev.pn < {100 - margin} * ev.pd)
        OR (ev.d > {t} AND ev.pn * {_days("ev.d", "ev.s")}
            < ev.pd * (100 * {_since_t("ev.s")} - {margin} * {_days("ev.d", "ev.s")})))"""
    overdue = f"{open_} AND ev.d < {t}"
    stale = f"{open_} AND ev.s <= t.young AND (ev.ls IS NULL OR ev.ls < t.fresh_from)"
    # The other denominators: PostgreSQL groups by them too (a hash aggregate, in parallel);
    # SQLite, which would have to sort, lists their terms instead.
    den_key = f"CASE WHEN {NICE} %% ev.pd = 0 THEN 0 ELSE ev.pd END"
    if pg:
        odd = f"SUM(CASE WHEN {active} AND {NICE} %% ev.pd <> 0 THEN ev.w * ev.pn END)"
        group_by = f"1, {den_key}"
    else:
        term = "CAST(ev.w * ev.pn AS TEXT) || '/' || CAST(ev.pd AS TEXT)"
        odd = f"GROUP_CONCAT(CASE WHEN {active} AND {NICE} %% ev.pd <> 0 THEN {term} END, ',')"
        den_key, group_by = "0", "1"
    # `today` reads the commitments table directly (flattened: one pass over it, on the
    # covering index); `history` first finds each commitment's inputs once (materialized).
    materialized = "NOT MATERIALIZED" if source == "today" else "MATERIALIZED"
    sql = f"""
        WITH ev AS {materialized} ({base})
        SELECT {"0" if column == "0" else "ev." + column} AS gkey, {den_key} AS dk,
               COUNT(*),
               SUM(CASE WHEN {active} THEN 0 ELSE 1 END),
               SUM(CASE WHEN {active} AND {full} THEN 1 ELSE 0 END),
               SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END),
               SUM(CASE WHEN {at_risk} THEN 1 ELSE 0 END),
               SUM(CASE WHEN {active} AND ({full} OR ev.d <= {t}) THEN 1 ELSE 0 END),
               SUM(CASE WHEN {stale} THEN 1 ELSE 0 END),
               SUM(CASE WHEN {active} AND {NICE} %% ev.pd = 0
                        THEN ev.w * ev.pn * ({NICE} / ev.pd) ELSE 0 END),
               {odd},
               SUM(CASE WHEN {active} THEN ev.w ELSE 0 END),
               SUM(CASE WHEN {overdue} THEN {_since_t("ev.d")} ELSE 0 END),
               MAX(CASE WHEN {overdue} THEN {_since_t("ev.d")} ELSE 0 END),
               SUM(CASE WHEN {active} AND {full} AND ev.cs <= ev.d THEN 1 ELSE 0 END)
        FROM ev
        GROUP BY {group_by}"""
    sql = _dates_inlined(sql.replace("FROM t CROSS JOIN ", "FROM "), as_of, th)
    # Compiling this query costs PostgreSQL's JIT more (~0.6 s at ×100) than it saves: off for
    # this statement's transaction.
    with (
        transaction.atomic() if pg else nullcontext(),
        connection.cursor() as cursor,
    ):
        if pg:
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, list(scope_params))  # always a list: `%%` is unescaped
        rows = cursor.fetchall()
    sums: dict[int, list[int]] = {}
    weighted_by_key: dict[int, Fraction] = {}
    for row in rows:
        key, den_key_value = int(row[0] or 0), int(row[1] or 0)
        numbers = [int(v or 0) for v in (*row[2:10], *row[11:15])]
        acc = sums.setdefault(key, [0] * len(numbers))
        for i, value in enumerate(numbers):
            acc[i] = max(acc[i], value) if i == 10 else acc[i] + value  # 10: overdue max
        weighted = Fraction(numbers[7], NICE)  # Σ weight·progress over 1/10 000 denominators
        odd_terms = row[10]
        if isinstance(odd_terms, str) and odd_terms:  # SQLite: "w·pn/pd,…"
            by_den: dict[int, int] = {}
            for odd_term in odd_terms.split(","):
                num_text, den_text = odd_term.split("/")
                by_den[int(den_text)] = by_den.get(int(den_text), 0) + int(num_text)
            for den, num_sum in by_den.items():
                weighted += Fraction(num_sum, den)
        elif odd_terms and den_key_value:  # PostgreSQL: Σ w·pn of one denominator
            weighted += Fraction(int(odd_terms), den_key_value)
        weighted_by_key[key] = weighted_by_key.get(key, Fraction(0)) + weighted
    results = []
    for key in sorted(sums):
        n, cancelled, fulfilled, overdue_n, at_risk_n, in_d, stale_n, _nice, *rest = sums[key]
        weights, od_sum, od_max, on_time = rest
        weighted = weighted_by_key[key]
        total = n - cancelled
        open_n = total - fulfilled
        counts = {
            Status.ON_TRACK: open_n - overdue_n - at_risk_n,
            Status.AT_RISK: at_risk_n,
            Status.OVERDUE: overdue_n,
            Status.FULFILLED: fulfilled,
            Status.CANCELLED: cancelled,
        }
        w = int(weights or 0)
        results.append(
            GroupResult(
                key=key,
                figures=GroupFigures(
                    total=total,
                    counts={status: counts[status] for status in STATUS_ORDER},
                    compliance_level=Fraction(fulfilled, in_d) * 100 if in_d else None,
                    average_progress=weighted / w if w else None,
                    timeliness=Fraction(open_n - stale_n, open_n) * 100 if open_n else None,
                    overdue_days_sum=int(od_sum or 0),
                    overdue_days_max=int(od_max or 0),
                    fulfilled_on_time=int(on_time or 0),
                    fulfilled_late=fulfilled - int(on_time or 0),
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
