"""Access to one notification: only its recipient may open it (404 for everyone else)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from acuerdos.notifications.models import Notification


def access_notification(user: Any, pk: int) -> Notification:
    """The user's own notification, else 404 (other people's inboxes do not leak)."""
    notification = Notification.objects.for_user(user).filter(pk=pk).first()
    if notification is None:
        raise Http404("Notificación no encontrada")
    return notification
