"""Reads of a person's notifications: the inbox and the unread counter."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from acuerdos.notifications.models import Notification


def inbox(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (never anyone else's)."""
    queryset = Notification.objects.for_user(user)
    if unread_only:
        queryset = queryset.unread()
    return queryset.order_by("-created_at", "-id")


def unread_ids_for(user: Any, url: str) -> list[int]:
    """The user's unread notifications about the page at `url` (one query): opening the page
    is reading them, so the bell stops counting what the person has already seen."""
    if not getattr(user, "is_authenticated", False) or not url:
        return []
    return list(
        Notification.objects.for_user(user).unread().filter(url=url).values_list("pk", flat=True)
    )
