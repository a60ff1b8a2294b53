"""The «Exportar Excel» / «Exportar CSV» buttons of the list pages, carrying the page's filters."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {
    "exports:agreements": _("Acuerdos"),
    "exports:commitments": _("Compromisos, con semáforo"),
    "exports:reports": _("Reportes de avance"),
    "exports:my_commitments": _("Mis compromisos"),
    "exports:review_queue": _("Reportes por validar"),
    "exports:audit_log": _("Eventos de la bitácora"),
}
# Page numbers choose what the screen shows, never what the file holds.
_NOT_FILTERS = ("page", "co_page")


@register.inclusion_tag("exports/_buttons.html", takes_context=True)
def export_buttons(context: template.Context, *names: str) -> dict[str, Any]:
    """Download links for the named exports, with the current query string as their filters."""
    request: HttpRequest | None = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is not None:
        for key in _NOT_FILTERS:
            query.pop(key, None)
        for key in [k for k, values in query.lists() if not any(values)]:
            query.pop(key)
    suffix = f"?{query.urlencode()}" if query else ""
    items = [
        {
            "label": LABELS.get(name, name),
            "xlsx": reverse(name, args=["xlsx"]) + suffix,
            "csv": reverse(name, args=["csv"]) + suffix,
        }
        for name in names
    ]
    return {"items": items, "single": len(items) == 1}
