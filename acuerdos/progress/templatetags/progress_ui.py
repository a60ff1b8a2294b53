"""Template helpers of the progress pages: a report's progress as shown, and its state badge."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from acuerdos.progress.models import ProgressReport
from acuerdos.progress.selectors import report_percent, shown_percent

register = template.Library()

STATE_LABELS = {
    "draft": "Borrador",
    "submitted": "Por validar",
    "validated": "Validado",
    "returned": "Observado",
    "rejected": "Rechazado",
}
STATE_ICONS = {
    "draft": "pencil",
    "submitted": "hourglass-split",
    "validated": "check-circle-fill",
    "returned": "arrow-return-left",
    "rejected": "x-circle-fill",
}


@register.filter
def avance(report: ProgressReport) -> Decimal:
    """The report's progress p (PRODUCT.md §3.2), rounded half up to one decimal."""
    return report_percent(report)


@register.filter
def avance_actual(commitment: Any) -> Decimal:
    """The commitment's validated progress today, rounded half up to one decimal."""
    return shown_percent(commitment.current_progress_num, commitment.current_progress_den)


@register.filter
def bar_value(value: Decimal) -> str:
    """A percentage for a `<progress value>` attribute: a plain number with a point."""
    return f"{min(max(value, Decimal(0)), Decimal(100)):f}"


@register.simple_tag
def state_badge(state: str) -> SafeString:
    """A report state as a coloured badge with an icon (the colour is never the only cue)."""
    return format_html(
        '<span class="ac-badge ac-state ac-state-{}"><i class="bi bi-{}" aria-hidden="true"></i> '
        "{}</span>",
        state,
        STATE_ICONS.get(state, "circle"),
        STATE_LABELS.get(state, state),
    )
