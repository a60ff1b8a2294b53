"""Charts of the evaluation as server-rendered SVG: the same markup on screen and in the PDFs.

Plain functions that take figures and return an SVG document as a string. Everything that
draws is a presentation attribute (`fill`, `stroke`, `font-size`…), never CSS, so that WeasyPrint
and a browser under a strict Content-Security-Policy render the same picture. Every chart is
accessible: `role="img"`, named by its `<title>` (`aria-labelledby`) and described by its `<desc>`
(`aria-describedby`), and each page puts a table with the same numbers next to it. Sizes are in
`viewBox` units, so a chart scales to its container, from a phone to a projector.

Every label that comes from the data (unit names contain quotes and ampersands) is escaped here.
Percentages are shown as the rules say: rounded half up to one decimal (`rules.shown`), "n/a"
for an empty denominator.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from acuerdos.core.dates import MONTHS_ES
from acuerdos.evaluation.rules import (
    SEMAFORO,
    STATUS_LABELS,
    STATUS_ORDER,
    Status,
    Thresholds,
    level_colour,
    shown,
)

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
INK = "#1f2421"
MUTED = "#545454"
TRACK = "#e4e7e5"
GRID = "#d9dcd9"
# The semáforo of PRODUCT.md §3.5 (the same hues as the `.ac-dot-*` classes of acuerdos.css).
COLOURS = {
    "verde": "#1e7d45",
    "amarillo": "#e0a800",
    "rojo": "#b3261e",
    "azul": "#1f5fa8",
    "gris": "#767b78",
}
# Text drawn in a level's colour on white: amber is too light for text, so it darkens.
TEXT_COLOURS = {**COLOURS, "amarillo": "#8a5a00"}
# Text drawn on a filled segment of that colour.
ON_COLOUR = {"verde": "#fff", "amarillo": INK, "rojo": "#fff", "azul": "#fff", "gris": "#fff"}
NA = "n/a"
_CHART_ID = re.compile(r"^[a-z][a-z0-9-]*$")
# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(text: object) -> str:
    """Text for an SVG element or attribute: escaped, without characters XML refuses."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def percent_text(value: Fraction | None) -> str:
    """`93.3 %` (half up, one decimal, a no-break space before the sign) or `n/a`."""
    rounded = shown(value)
    return NA if rounded is None else f"{rounded}\u00a0%"


def count_text(value: int) -> str:
    """`1,250`: thousands separated the Mexican way."""
    return f"{value:,}"


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(*, chart_id: str, title: str, desc: str, width: int, height: int, body: str) -> str:
    """The SVG document around a chart's body, with its accessible name and description."""
    if not _CHART_ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r}: lowercase letters, digits and hyphens only")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" class="ac-chart" '
        f'font-family="{esc(FONT)}">'
        f'<title id="{chart_id}-title">{esc(title)}</title>'
        f'<desc id="{chart_id}-desc">{esc(desc)}</desc>'
        f"{body}</svg>"
    )


def _plain(value: Fraction) -> str:
    """A threshold as people write it: `90`, `92.5`."""
    return f"{float(value):g}"


def _num(value: float) -> str:
    """A coordinate with at most two decimals (short markup, stable tests)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


# --- Semáforo: one stacked bar of the counts per status -------------------------------------


def semaforo_bar(
    counts: Mapping[Status, int], *, chart_id: str, title: str, compact: bool = False
) -> str:
    """The counts per status as one horizontal stacked bar in the semáforo colours.

    Cancelled commitments are drawn too (grey, last): they are part of the picture although
    they leave every denominator. A segment wide enough carries its count; every segment has
    its own `<title>` with the status, count and share.
    """
    width, height, bar_y, bar_h = (600, 40, 2, 36) if compact else (600, 64, 6, 52)
    font = 20 if compact else 24
    total = sum(counts.get(status, 0) for status in STATUS_ORDER)
    parts = [
        f"{STATUS_LABELS[s]}: {count_text(counts.get(s, 0))}"
        for s in STATUS_ORDER
        if counts.get(s, 0)
    ]
    desc = (
        _("%(n)s compromisos.") % {"n": count_text(total)} + " " + "; ".join(parts) + "."
        if total
        else _("Sin compromisos en este grupo.")
    )
    body = [f'<rect x="0" y="{bar_y}" width="{width}" height="{bar_h}" rx="6" fill="{TRACK}"/>']
    if not total:
        body.append(
            f'<text x="{width / 2}" y="{bar_y + bar_h / 2 + 8}" text-anchor="middle" '
            f'font-size="22" fill="{MUTED}">{esc(_("Sin compromisos"))}</text>'
        )
    x = 0.0
    for status in STATUS_ORDER:
        count = counts.get(status, 0)
        if not count:
            continue
        segment = width * count / total
        colour = SEMAFORO[status]
        share = percent_text(Fraction(count * 100, total))
        label = f"{STATUS_LABELS[status]}: {count_text(count)} ({share})"
        body.append(
            f'<g><title>{esc(label)}</title><rect x="{_num(x)}" y="{bar_y}" '
            f'width="{_num(segment)}" height="{bar_h}" fill="{COLOURS[colour]}" '
            f'stroke="#fff" stroke-width="2"/>'
        )
        text = count_text(count)
        if segment >= font * 0.62 * len(text) + 14:
            body.append(
                f'<text x="{_num(x + segment / 2)}" y="{_num(bar_y + bar_h / 2 + font / 3)}" '
                f'text-anchor="middle" font-size="{font}" font-weight="700" '
                f'fill="{ON_COLOUR[colour]}">{esc(text)}</text>'
            )
        body.append("</g>")
        x += segment
    return _svg(
        chart_id=chart_id, title=title, desc=desc, width=width, height=height, body="".join(body)
    )


# --- A level as a gauge with its big number -------------------------------------------------


def level_gauge(
    value: Fraction | None,
    *,
    chart_id: str,
    label: str,
    thresholds: Thresholds | None = None,
) -> str:
    """One of the three levels as a half-circle gauge with the figure in big type, in the
    colour of §3.7 (verde ≥ 90, amarillo ≥ 70, rojo below, gris for n/a). Ticks mark the
    thresholds."""
    th = thresholds or Thresholds()
    width, height = 240, 150
    cx, cy, radius, stroke = 120, 124, 96, 22
    colour = level_colour(value, th)
    text = percent_text(value)

    def point(level: float, r: float = radius) -> tuple[float, float]:
        angle = math.pi * (1 - level / 100)
        return cx + r * math.cos(angle), cy - r * math.sin(angle)

    def arc(start: float, end: float) -> str:
        (x0, y0), (x1, y1) = point(start), point(end)
        return f"M {_num(x0)} {_num(y0)} A {radius} {radius} 0 0 1 {_num(x1)} {_num(y1)}"

    body = [
        f'<path d="{arc(0, 100)}" fill="none" stroke="{TRACK}" stroke-width="{stroke}"/>',
    ]
    if value is not None and value > 0:
        level = min(100.0, float(value))
        body.append(
            f'<path d="{arc(0, level)}" fill="none" stroke="{COLOURS[colour]}" '
            f'stroke-width="{stroke}"/>'
        )
    for tick in (th.level_yellow, th.level_green):
        (x0, y0), (x1, y1) = point(float(tick), radius - 14), point(float(tick), radius + 14)
        body.append(
            f'<line x1="{_num(x0)}" y1="{_num(y0)}" x2="{_num(x1)}" y2="{_num(y1)}" '
            f'stroke="{INK}" stroke-width="2"/>'
        )
    body.append(
        f'<text x="{cx}" y="{cy - 8}" text-anchor="middle" font-size="34" '
        f'font-weight="700" fill="{TEXT_COLOURS[colour]}">{esc(text)}</text>'
    )
    body.append(
        f'<text x="{cx - radius}" y="{cy + 22}" text-anchor="middle" font-size="13" '
        f'fill="{MUTED}">0</text>'
        f'<text x="{cx + radius}" y="{cy + 22}" text-anchor="middle" font-size="13" '
        f'fill="{MUTED}">100</text>'
    )
    green, yellow = _plain(th.level_green), _plain(th.level_yellow)
    band = {
        "verde": _("en verde (igual o mayor que %(green)s %%)") % {"green": green},
        "amarillo": _("en amarillo (de %(yellow)s %% a menos de %(green)s %%)")
        % {"yellow": yellow, "green": green},
        "rojo": _("en rojo (menor que %(yellow)s %%)") % {"yellow": yellow},
        "gris": _("sin compromisos que medir"),
    }[colour]
    desc = f"{label}: {text}, {band}."
    return _svg(
        chart_id=chart_id,
        title=f"{label}: {text}",
        desc=desc,
        width=width,
        height=height,
        body="".join(body),
    )


# --- Rankings: one horizontal bar per group -------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One row of a ranking: a group's name, its level (None = n/a) and where it leads."""

    label: str
    value: Fraction | None
    href: str = ""


def ranking_bars(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    thresholds: Thresholds | None = None,
) -> str:
    """Horizontal bars, one per group in the given order, each in its level's colour, with the
    name above the bar and the figure at its right end. A bar with an `href` is a link."""
    th = thresholds or Thresholds()
    width, row_h, top = 380, 46, 4
    height = top + row_h * max(1, len(bars))
    body: list[str] = []
    if not bars:
        body.append(
            f'<text x="{width / 2}" y="{top + 28}" text-anchor="middle" font-size="16" '
            f'fill="{MUTED}">{esc(_("Sin grupos que comparar"))}</text>'
        )
    for index, bar in enumerate(bars):
        y = top + index * row_h
        colour = level_colour(bar.value, th)
        text = percent_text(bar.value)
        length = width * min(100.0, max(0.0, float(bar.value or 0))) / 100
        label = _truncate(bar.label, 32)
        row = (
            f"<title>{esc(bar.label)}: {esc(text)}</title>"
            f'<text x="0" y="{y + 17}" font-size="16" fill="{INK}">{esc(label)}</text>'
            f'<text x="{width}" y="{y + 17}" text-anchor="end" font-size="16" '
            f'font-weight="700" fill="{TEXT_COLOURS[colour]}">{esc(text)}</text>'
            f'<rect x="0" y="{y + 24}" width="{width}" height="14" rx="3" fill="{TRACK}"/>'
        )
        if length > 0:
            row += (
                f'<rect x="0" y="{y + 24}" width="{_num(length)}" height="14" rx="3" '
                f'fill="{COLOURS[colour]}"/>'
            )
        if bar.href:
            body.append(f'<a href="{esc(bar.href)}">{row}</a>')
        else:
            body.append(f"<g>{row}</g>")
    desc = (
        "; ".join(f"{bar.label}: {percent_text(bar.value)}" for bar in bars) + "."
        if bars
        else _("Sin grupos que comparar.")
    )
    return _svg(
        chart_id=chart_id, title=title, desc=desc, width=width, height=height, body="".join(body)
    )


# --- Trend across closed cut-offs -----------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """The three levels at one closed cut-off."""

    date: dt.date
    compliance: Fraction | None
    progress: Fraction | None
    timeliness: Fraction | None


SERIES = (
    # attribute, label (legend), colour, dash pattern, marker
    ("compliance", _lazy("Cumplimiento"), "#10312b", "", "circle"),
    ("progress", _lazy("Avance"), "#9c6f19", "8 5", "square"),
    ("timeliness", _lazy("Oportunidad"), "#1f5fa8", "2 5", "diamond"),
)


def month_label(day: dt.date) -> str:
    """`oct 26`: a cut-off on the time axis."""
    return f"{MONTHS_ES[day.month - 1][:3]} {day:%y}"


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="5" fill="{colour}"/>'
    if kind == "square":
        return (
            f'<rect x="{_num(x - 4.5)}" y="{_num(y - 4.5)}" width="9" height="9" fill="{colour}"/>'
        )
    corners = ((x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y))
    points = " ".join(f"{_num(a)},{_num(b)}" for a, b in corners)
    return f'<polygon points="{points}" fill="{colour}"/>'


def trend_lines(points: Sequence[TrendPoint], *, chart_id: str, title: str) -> str:
    """The three levels over the closed cut-offs, oldest first: one line per level (each with
    its own colour, dash and marker, so that it reads in grey too), a legend, the values of the
    latest cut-off at the right end. An n/a level leaves a gap."""
    width, height = 420, 290
    left, right, top, bottom = 46, 66, 48, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    body: list[str] = []
    # Legend on top.
    x = 6
    for _attribute, label, colour, dash, marker in SERIES:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line x1="{x}" y1="16" x2="{x + 26}" y2="16" stroke="{colour}" '
            f'stroke-width="3"{dash_attr}/>{_marker(marker, x + 13, 16, colour)}'
            f'<text x="{x + 32}" y="21" font-size="15" fill="{INK}">{esc(label)}</text>'
        )
        x += 32 + int(len(label) * 8.2) + 16
    for level in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - level / 100)
        body.append(
            f'<line x1="{left}" y1="{_num(y)}" x2="{left + plot_w}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_num(y + 5)}" text-anchor="end" font-size="14" '
            f'fill="{MUTED}">{level}\u00a0%</text>'
        )
    if not points:
        body.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" '
            f'font-size="16" fill="{MUTED}">{esc(_("Aún no hay cortes cerrados"))}</text>'
        )
        desc = _("Aún no hay cortes cerrados.")
        return _svg(
            chart_id=chart_id,
            title=title,
            desc=desc,
            width=width,
            height=height,
            body="".join(body),
        )

    step = plot_w / (len(points) - 1) if len(points) > 1 else 0.0

    def px(index: int) -> float:
        return left + (index * step if len(points) > 1 else plot_w / 2)

    def py(value: Fraction) -> float:
        return top + plot_h * (1 - float(value) / 100)

    every = max(1, math.ceil(len(points) / 5))
    for index, point in enumerate(points):
        if index % every == 0 or index == len(points) - 1:
            body.append(
                f'<text x="{_num(px(index))}" y="{height - 10}" text-anchor="middle" '
                f'font-size="14" fill="{MUTED}">{esc(month_label(point.date))}</text>'
            )
    last_labels: list[tuple[float, str, str]] = []
    for attribute, label, colour, dash, marker in SERIES:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[tuple[float, float]]] = [[]]
        markers = []
        for index, point in enumerate(points):
            value: Fraction | None = getattr(point, attribute)
            if value is None:
                runs.append([])
                continue
            xy = (px(index), py(value))
            runs[-1].append(xy)
            markers.append(
                f"<g><title>{esc(label)} {esc(month_label(point.date))}: "
                f"{esc(percent_text(value))}</title>{_marker(marker, *xy, colour)}</g>"
            )
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{_num(x)},{_num(y)}" for x, y in run)
                body.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="3"{dash_attr}/>'
                )
        body.extend(markers)
        latest: Fraction | None = getattr(points[-1], attribute)
        if latest is not None:
            last_labels.append((py(latest), percent_text(latest), colour))
    # The latest values at the right end, nudged apart so that they never overlap.
    last_labels.sort()
    placed: list[float] = []
    for y, text, colour in last_labels:
        y_text = max(y + 5, (placed[-1] + 17) if placed else top)
        placed.append(y_text)
        body.append(
            f'<text x="{left + plot_w + 6}" y="{_num(y_text)}" font-size="15" font-weight="700" '
            f'fill="{colour}">{esc(text)}</text>'
        )
    desc = " ".join(
        _("%(month)s: cumplimiento %(c)s, avance %(p)s, oportunidad %(t)s.")
        % {
            "month": month_label(p.date),
            "c": percent_text(p.compliance),
            "p": percent_text(p.progress),
            "t": percent_text(p.timeliness),
        }
        for p in points
    )
    return _svg(
        chart_id=chart_id,
        title=title,
        desc=desc,
        width=width,
        height=height,
        body="".join(body),
    )
