"""Template helpers shared by every page: dates and numbers the Mexican way, navigation.

Dates are always shown as `30 jun 2026` (and `30 jun 2026, 14:05` for moments, in Mexico City
time), whatever the browser's locale, so that screenshots, printed pages and reports agree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

register = template.Library()

MONTHS_SHORT_ES = (
    "ene",
    "feb",
    "mar",
    "abr",
    "may",
    "jun",
    "jul",
    "ago",
    "sep",
    "oct",
    "nov",
    "dic",
)
EMPTY = "—"


@register.filter
def fecha(value: dt.date | dt.datetime | None) -> str:
    """`30 jun 2026`; a datetime is first converted to Mexico City time."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.day} {MONTHS_SHORT_ES[value.month - 1]} {value.year}"


@register.filter
def fecha_hora(value: dt.datetime | None) -> str:
    """`30 jun 2026, 14:05` in Mexico City time."""
    if value is None:
        return EMPTY
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{fecha(local.date())}, {local:%H:%M}"


@register.filter
def numero(value: Decimal | float | int | None) -> str:
    """A figure without useless zeros and with thousands separated: `1,250.5`, `12`, `0.75`."""
    if value is None or value == "":
        return EMPTY
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number.normalize():,f}"


def _current_view(context: template.Context) -> str:
    request: HttpRequest | None = context.get("request")
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


@register.inclusion_tag("includes/nav_item.html", takes_context=True)
def nav_item(
    context: template.Context,
    view_name: str,
    label: str,
    icon: str,
    section: str = "",
    in_menu: bool = False,
) -> dict[str, Any]:
    """A navbar link, marked `active` + `aria-current="page"` when the page belongs to it.

    `section` is a view-name prefix (e.g. `commitments:agreement`) so that a detail page keeps
    its list highlighted; without it only the exact view matches. `in_menu` draws it as an item
    of a dropdown menu.
    """
    current = _current_view(context)
    active = current == view_name or bool(section and current.startswith(section))
    return {
        "href": reverse(view_name),
        "label": label,
        "icon": icon,
        "active": active,
        "in_menu": in_menu,
    }


@register.simple_tag(takes_context=True)
def nav_section_active(context: template.Context, *sections: str) -> bool:
    """Whether the page belongs to one of the view-name prefixes (highlights a dropdown)."""
    current = _current_view(context)
    return any(current.startswith(section) for section in sections)


@register.filter
def minutos(value: dt.timedelta | None) -> int:
    """Whole minutes of a duration, rounded up (`0:15:00` → 15): used by the lockout page."""
    if value is None:
        return 0
    seconds = int(value.total_seconds())
    return -(-seconds // 60)


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int, param: str = "page") -> str:
    """The current URL's query string with `param` set to `number` (other filters kept)."""
    request: HttpRequest = context["request"]
    query = request.GET.copy()
    query[param] = str(number)
    return f"?{query.urlencode()}"


@register.filter
def elided_pages(page: Page[Any]) -> list[int | str]:
    """Page numbers around the current one, with `…` gaps (Paginator.get_elided_page_range)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.simple_tag
def bootstrap_widget(field: forms.BoundField) -> SafeString:
    """Render a form field's widget with Bootstrap's class, `is-invalid` and the ARIA links to
    its help text and errors (the ids `includes/field.html` gives them)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs: dict[str, str | bool] = {"class": f"{css} is-invalid" if field.errors else css}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
