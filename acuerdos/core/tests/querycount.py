"""Query-count helpers: a page must cost the same number of queries with 3 rows or with 33."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def count_queries(client: Client, url: str, **headers: str) -> int:
    """The number of queries one GET of `url` runs (the response must be a 200)."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


def assert_constant_queries(
    client: Client, url: str, grow: Callable[[], object], **headers: str
) -> int:
    """GET `url`, grow the data, GET again: same query count. Returns the count.

    A first request warms up what is cached per process or per session (content types, the
    session's last-seen mark) so that only the page itself is measured.
    """
    client.get(url, headers=headers)
    before = count_queries(client, url, **headers)
    grow()
    after = count_queries(client, url, **headers)
    assert before == after, f"{url}: {before} queries with few rows, {after} with more"
    return after
