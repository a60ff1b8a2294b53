"""The current request id and where the request came from (web pages or the API), kept in
context variables (no Django imports: logging loads this)."""

from __future__ import annotations

import logging
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
# "web" for the pages, "api" for `/api/`; '' outside a request (commands and jobs pass their own).
request_source_var: ContextVar[str] = ContextVar("request_source", default="")
# The API token a request authenticated with (its id and name), None otherwise.
request_token_var: ContextVar[tuple[int, str] | None] = ContextVar("request_token", default=None)


def current_request_id() -> str:
    """The id of the request being served ('' outside a request: commands, jobs)."""
    return request_id_var.get()


def current_source() -> str:
    """Where the request being served came from ("web" or "api"; '' outside a request)."""
    return request_source_var.get()


def current_token() -> tuple[int, str] | None:
    """The id and name of the API token the request being served authenticated with."""
    return request_token_var.get()


class RequestIdLogFilter(logging.Filter):
    """Adds the current request id to every log record as a structured field."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True
