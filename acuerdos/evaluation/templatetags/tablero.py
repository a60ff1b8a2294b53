"""Template helpers of the dashboards: levels as shown, semáforo rows, charts, drill-down links.

Charts come from `acuerdos.evaluation.charts` (the same SVG the PDF reports draw); the tags only
pick the figures and mark the escaped markup safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from acuerdos.evaluation import charts
from acuerdos.evaluation.boards import (
    AgreementRollup,
    agreement_rollup,
    closed_cutoffs,
    main_status,
)
from acuerdos.evaluation.forms import AsOfForm
from acuerdos.evaluation.rules import (
    SEMAFORO,
    STATUS_LABELS,
    STATUS_ORDER,
    GroupFigures,
    Status,
    level_colour,
)
from acuerdos.evaluation.selectors import GroupRow
from acuerdos.evaluation.settings import thresholds

register = template.Library()

LEVELS = (
    (
        "compliance_level",
        "cumplimiento",
        _("Nivel de cumplimiento"),
        _("Compromisos cumplidos entre los exigibles (vencidos o ya cumplidos)."),
    ),
    (
        "average_progress",
        "avance",
        _("Avance promedio"),
        _("Promedio del avance validado, ponderado por el peso de cada compromiso."),
    ),
    (
        "timeliness",
        "oportunidad",
        _("Oportunidad del reporte"),
        _("Compromisos abiertos con un reporte enviado en los últimos 30 días."),
    ),
)
COLOUR_NAMES = {
    "verde": _("verde"),
    "amarillo": _("amarillo"),
    "rojo": _("rojo"),
    "gris": _("sin dato"),
}


@register.filter
def pct(value: Fraction | None) -> str:
    """`93.3 %` (half up, one decimal) or `n/a`."""
    return charts.percent_text(value)


@register.filter
def colour(value: Fraction | None) -> str:
    """verde, amarillo, rojo or gris (§3.7, thresholds from settings)."""
    return level_colour(value, thresholds())


@register.simple_tag
def level(value: Fraction | None) -> SafeString:
    """A level as a coloured pill: the colour repeats what the figure says, never replaces it."""
    name = level_colour(value, thresholds())
    return format_html(
        '<span class="ac-level ac-level-{}">{}</span>', name, charts.percent_text(value)
    )


@register.filter
def chart_id(value: str) -> str:
    """A string made safe as (part of) a chart's element id: `UMAE-CMN.SXXI` → `umae-cmn-sxxi`."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return slug if slug[:1].isalpha() else f"g-{slug}"


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS[Status(status)]


@register.filter
def semaforo(status: str) -> str:
    return SEMAFORO[Status(status)]


@dataclass(frozen=True)
class LevelItem:
    key: str
    slug: str
    label: str
    help: str
    value: Fraction | None
    colour: str
    colour_name: str


@register.simple_tag
def levels(figures: GroupFigures | None) -> list[LevelItem]:
    """The three levels of a group, in the order of §3.7, ready for the cards."""
    th = thresholds()
    items = []
    for key, slug, label, help_text in LEVELS:
        value = getattr(figures, key) if figures is not None else None
        name = level_colour(value, th)
        items.append(
            LevelItem(key, slug, str(label), str(help_text), value, name, str(COLOUR_NAMES[name]))
        )
    return items


@dataclass(frozen=True)
class StatusItem:
    status: Status
    label: str
    colour: str
    count: int
    share: str


@register.simple_tag
def status_items(figures: GroupFigures | None) -> list[StatusItem]:
    """The semáforo rows of the text equivalent: count and share of every status."""
    counts = figures.counts if figures is not None else {}
    total = sum(counts.get(s, 0) for s in STATUS_ORDER)
    return [
        StatusItem(
            status=s,
            label=STATUS_LABELS[s],
            colour=SEMAFORO[s],
            count=counts.get(s, 0),
            share=charts.percent_text(Fraction(counts.get(s, 0) * 100, total) if total else None),
        )
        for s in STATUS_ORDER
    ]


@register.simple_tag
def gauge(item: LevelItem, prefix: str) -> SafeString:
    return mark_safe(  # noqa: S308 - charts escape every label
        charts.level_gauge(
            item.value, chart_id=f"{prefix}-{item.slug}", label=item.label, thresholds=thresholds()
        )
    )


@register.simple_tag
def semaforo_chart(
    figures: GroupFigures | None, chart_id: str, title: str, compact: bool = False
) -> SafeString:
    counts = figures.counts if figures is not None else {}
    return mark_safe(  # noqa: S308 - charts escape every label
        charts.semaforo_bar(counts, chart_id=chart_id, title=title, compact=compact)
    )


def group_url(kind: str, row: GroupRow, query: str = "", site: str = "board") -> str:
    """Where a group's row leads: the drill-down of a region or unit, the agreements of a theme
    or normative area, an agreement's page; on the public portal (`site="portal"`) only a
    region leads anywhere, to its public page."""
    if site == "portal":
        return reverse("portal:region", args=[row.code]) + query if kind == "region" else ""
    if kind == "region":
        return reverse("evaluation:board_region", args=[row.code]) + query
    if kind == "unit":
        return reverse("evaluation:board_unit", args=[row.code]) + query
    if kind == "agreement":
        return reverse("commitments:agreement_detail", args=[row.key]) + query
    if kind == "theme":
        return f"{reverse('commitments:agreement_list')}?theme={row.key}"
    if kind == "area":
        return f"{reverse('commitments:agreement_list')}?area={row.key}"
    return ""


register.simple_tag(group_url, name="group_url")


def row_label(kind: str, row: GroupRow) -> str:
    """How a group is named in tables and charts: units with their kind (`OOAD Querétaro`,
    `UMAE HE CMN Siglo XXI`, read from the catalog code), coordinations by their name rather
    than their acronym, the rest by their short name."""
    name = row.short_name or row.name
    if kind == "unit":
        for prefix in ("OOAD", "UMAE"):
            if row.code.startswith(f"{prefix}-"):
                return f"{prefix} {name}"
    if kind == "area" and name.isupper() and " " not in name:
        # Coordinations are known by acronyms (CPIP); their name says what they are.
        return row.name.replace("Coordinación de ", "Coord. de ", 1)
    return name


register.simple_tag(row_label, name="group_label")


@register.simple_tag
def ranking_chart(
    rows: list[GroupRow], chart_id: str, title: str, kind: str = "", query: str = ""
) -> SafeString:
    bars = [
        charts.Bar(
            label=row_label(kind, row),
            value=row.figures.compliance_level,
            href=group_url(kind, row, query) if kind else "",
        )
        for row in rows
    ]
    return mark_safe(  # noqa: S308 - charts escape every label
        charts.ranking_bars(bars, chart_id=chart_id, title=title, thresholds=thresholds())
    )


@register.simple_tag
def trend_chart(points: list[charts.TrendPoint], chart_id: str, title: str) -> SafeString:
    return mark_safe(charts.trend_lines(points, chart_id=chart_id, title=title))  # noqa: S308


@register.filter
def month(point: charts.TrendPoint) -> str:
    return charts.month_label(point.date)


@register.filter
def unit_line(rollup: AgreementRollup, unit_id: int) -> GroupRow | None:
    """The figures of one unit's commitment in an agreement's roll-up (None outside scope or
    before its start)."""
    return rollup.by_unit.get(unit_id)


@register.filter(name="main_status")
def main_status_filter(figures: GroupFigures) -> Status:
    return main_status(figures)


@register.simple_tag(takes_context=True)
def agreement_evaluation(context: template.Context, agreement: Any) -> AgreementRollup:
    """The roll-up of an agreement for its detail page, today or at the closed cut-off that the
    address names (`?corte=2026-10-31`), over the commitments in the user's scope."""
    request = context["request"]
    form = AsOfForm(request.GET or None, cutoffs=closed_cutoffs())
    return agreement_rollup(request.user, agreement, form.basis())
