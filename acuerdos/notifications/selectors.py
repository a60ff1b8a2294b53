"""Reads of a person's notifications (inbox, unread counter, preferences) and of the worker's
health for coordinators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from acuerdos.core.models import JobFailure, ScheduleSlot
from acuerdos.notifications.models import (
    Notification,
    NotificationPreference,
    OutgoingEmail,
    OutgoingStatus,
)


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


def preference_for(user: Any) -> NotificationPreference:
    """The user's preference row, or the default (e-mail on) unsaved when they never chose."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user, email_enabled=True)


@dataclass(frozen=True)
class WorkerHealth:
    """What the coordinators' "Trabajos en segundo plano" page shows."""

    failures: list[JobFailure]
    failed_emails: list[OutgoingEmail]
    retrying_emails: list[OutgoingEmail]
    pending_count: int
    doubled_slots: list[ScheduleSlot]
    heartbeat: datetime | None

    @property
    def heartbeat_stale(self) -> bool:
        """No heartbeat in the last three minutes: no consumer is running the schedule."""
        return self.heartbeat is None or timezone.now() - self.heartbeat > timedelta(minutes=3)


def worker_health(*, limit: int = 50) -> WorkerHealth:
    """Recent job failures, e-mails that failed or are being retried, and signs of trouble with
    the schedule (a stale heartbeat, two schedulers) — a fixed number of queries."""
    from acuerdos.core.tasks import last_heartbeat

    heartbeat: datetime | None = None
    try:
        raw = last_heartbeat()
        heartbeat = datetime.fromisoformat(raw) if raw else None
    except Exception:  # the queue's storage is down: the page must still open
        heartbeat = None
    since = timezone.now() - timedelta(days=7)
    return WorkerHealth(
        failures=list(JobFailure.objects.order_by("-occurred_at", "-pk")[:limit]),
        failed_emails=list(
            OutgoingEmail.objects.filter(status=OutgoingStatus.FAILED).order_by("-created_at")[
                :limit
            ]
        ),
        retrying_emails=list(
            OutgoingEmail.objects.filter(status=OutgoingStatus.PENDING, attempts__gt=0).order_by(
                "next_attempt_at"
            )[:limit]
        ),
        pending_count=OutgoingEmail.objects.filter(status=OutgoingStatus.PENDING).count(),
        doubled_slots=list(
            ScheduleSlot.objects.filter(duplicates__gt=0, claimed_at__gte=since).order_by(
                "-claimed_at"
            )[:limit]
        ),
        heartbeat=heartbeat,
    )
