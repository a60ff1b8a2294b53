"""Pagination shared by every list page: fixed page sizes, tolerant of bad page numbers."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

PAGE_SIZE = 50


def paginate(
    request: HttpRequest,
    queryset: QuerySet[M, Any],
    *,
    per_page: int = PAGE_SIZE,
    param: str = "page",
) -> Page[Any]:
    """The requested page of `queryset`.

    A missing, non-numeric or out-of-range page number gives the first or last page rather than
    an error: page links are shared and bookmarked, and the list may have shrunk meanwhile.
    """
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get(param))
