"""Access to one notification (only its recipient: 404 for everyone else), and to the worker's
failures and the outbox (the Coordinación central only: 403 for everyone else)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from acuerdos.notifications.models import Notification, OutgoingEmail
from acuerdos.organization.scope import scope_for


def access_notification(user: Any, pk: int) -> Notification:
    """The user's own notification, else 404 (other people's inboxes do not leak)."""
    notification = Notification.objects.for_user(user).filter(pk=pk).first()
    if notification is None:
        raise Http404("Notificación no encontrada")
    return notification


def check_worker_access(user: Any) -> None:
    """The worker's failures and the outbox are for the Coordinación central (403 otherwise)."""
    if not scope_for(user).is_coordinator:
        raise PermissionDenied("Solo la Coordinación central revisa los trabajos en segundo plano.")


def access_outgoing_email(user: Any, pk: int) -> OutgoingEmail:
    """An outbox e-mail, for coordinators only (403 before 404: others learn nothing)."""
    check_worker_access(user)
    email = OutgoingEmail.objects.filter(pk=pk).first()
    if email is None:
        raise Http404("Correo no encontrado")
    return email
