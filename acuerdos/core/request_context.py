"""The current request id, kept in a context variable (no Django imports: logging loads this)."""

from __future__ import annotations

import logging
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="")


def current_request_id() -> str:
    """The id of the request being served ('' outside a request: commands, jobs)."""
    return request_id_var.get()


class RequestIdLogFilter(logging.Filter):
    """Adds the current request id to every log record as a structured field."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True
