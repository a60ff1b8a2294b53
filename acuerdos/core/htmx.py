"""htmx helpers: render a whole page, or only the fragment an htmx request asked for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that expects a fragment (not a history restore, which wants the page)."""
    details = getattr(request, "htmx", None)
    return bool(details) and not getattr(details, "history_restore_request", False)


def render_page_or_partial(
    request: HttpRequest,
    template_name: str,
    context: Mapping[str, Any],
    *,
    partial: str = "results",
) -> HttpResponse:
    """Render `template_name`, or only its `{% partialdef partial %}` for an htmx request.

    The page works without JavaScript (plain GET renders everything); with htmx the filter form
    swaps just the results. `Vary: HX-Request` keeps caches from mixing the two answers.
    """
    name = f"{template_name}#{partial}" if is_htmx(request) else template_name
    response = render(request, name, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
