"""The unread counter of the navbar bell: one COUNT, and only if the page shows it."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from acuerdos.notifications.services import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @functools.cache
    def count() -> int:
        # A callable: the template calls it when (and only if) the bell is rendered, and the
        # cache keeps it to one query however many times the page reads it.
        return unread_count(user)

    return {"unread_notifications": count}
