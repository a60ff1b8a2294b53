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
