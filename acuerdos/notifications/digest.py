"""The daily digest: at most one e-mail per person per day with their pending notifications.

A notification starts `pending` for e-mail. The digest gathers every pending one per person into
one e-mail (Spanish text and HTML, links to each notification) queued in the outbox, and marks
them `sent` (`emailed_at`); it lists the newest 40 and counts the rest. People who turned e-mail
off in their preferences, and inactive accounts, get nothing by e-mail: their notifications are
marked `skipped` and stay in the app, as do notifications left pending for more than a week.
The outbox key `digest:<user>:<date>` makes a second run on the same day send nothing new;
what arrives after the day's digest waits for the next day's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from acuerdos.core.dates import long_date
from acuerdos.notifications import mail, reminders
from acuerdos.notifications.models import (
    EmailStatus,
    Notification,
    NotificationPreference,
    OutgoingEmail,
)
from acuerdos.organization.models import User

CHUNK = 900
# At most this many notifications are listed in one digest (the rest: "y N avisos más").
MAX_ITEMS = 40
STALE_AFTER = dt.timedelta(days=7)


@dataclass(frozen=True)
class DigestResult:
    """What one run did: e-mails queued, notifications they carry, notifications skipped."""

    emails: int
    notifications: int
    skipped: int


@dataclass(frozen=True)
class DailyResult:
    reminders: int
    digest: DigestResult


def site_url() -> str:
    """Scheme and host of the links in e-mails (setting SITE_URL)."""
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def digest_key(user_id: int, on: dt.date) -> str:
    return f"digest:{user_id}:{on.isoformat()}"


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _mark(ids: list[int], status: str, emailed_at: dt.datetime | None) -> None:
    for chunk in _chunks(ids):
        Notification.objects.filter(pk__in=chunk, email_status=EmailStatus.PENDING).update(
            email_status=status, emailed_at=emailed_at
        )


def _render(user: User, rows: list[dict[str, Any]], on: dt.date) -> OutgoingEmail:
    base = site_url()
    newest_first = sorted(rows, key=lambda row: row["pk"], reverse=True)
    items = [
        {
            "title": row["title"],
            "body": row["body"],
            "link": base + reverse("notifications:open", args=[row["pk"]]),
        }
        for row in newest_first[:MAX_ITEMS]
    ]
    context = {
        "user": user,
        "items": items,
        "count": len(rows),
        "more": max(len(rows) - MAX_ITEMS, 0),
        "day": long_date(on),
        "inbox_url": base + reverse("notifications:inbox"),
        "preferences_url": base + reverse("notifications:preferences"),
    }
    subject = " ".join(render_to_string("notifications/email/digest_subject.txt", context).split())
    context["subject"] = subject
    return OutgoingEmail(
        to=user.email,
        subject=subject,
        body=render_to_string("notifications/email/digest.txt", context),
        html=render_to_string("notifications/email/digest.html", context),
        user=user,
        dedupe_key=digest_key(user.pk, on),
    )


@transaction.atomic
def digests_send(*, on: dt.date) -> DigestResult:
    """Queue the day's digest for everyone with pending notifications (a fixed number of
    queries, plus one per 900 notifications marked)."""
    # Week-old news is not worth an e-mail (e.g. the backlog when e-mail is first switched on):
    # it stays in the app.
    stale = Notification.objects.filter(
        email_status=EmailStatus.PENDING, created_at__lt=timezone.now() - STALE_AFTER
    ).update(email_status=EmailStatus.SKIPPED)
    pending = list(
        Notification.objects.filter(email_status=EmailStatus.PENDING)
        .order_by("recipient_id", "created_at", "pk")
        .values("pk", "recipient_id", "title", "body")
    )
    by_user: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in pending:
        by_user[row["recipient_id"]].append(dict(row))
    if not by_user:
        return DigestResult(0, 0, stale)
    users = User.objects.in_bulk(list(by_user))
    email_off = set(
        NotificationPreference.objects.filter(
            user_id__in=list(by_user), email_enabled=False
        ).values_list("user_id", flat=True)
    )
    done_today = set(
        OutgoingEmail.objects.filter(
            dedupe_key__in=[digest_key(uid, on) for uid in by_user]
        ).values_list("dedupe_key", flat=True)
    )
    emails: list[OutgoingEmail] = []
    carried: list[int] = []
    skipped: list[int] = []
    for user_id, rows in by_user.items():
        user = users.get(user_id)
        if user is None or not user.is_active or not user.email or user_id in email_off:
            skipped.extend(row["pk"] for row in rows)
        elif digest_key(user_id, on) not in done_today:
            emails.append(_render(user, rows, on))
            carried.extend(row["pk"] for row in rows)
    mail.email_enqueue_many(emails)
    now = timezone.now()
    _mark(carried, EmailStatus.SENT, now)
    _mark(skipped, EmailStatus.SKIPPED, None)
    return DigestResult(len(emails), len(carried), len(skipped) + stale)


def daily_notifications(*, on: dt.date) -> DailyResult:
    """The daily job: create the day's reminders, then queue the digests (idempotent)."""
    created = reminders.reminders_send(on=on)
    return DailyResult(reminders=created, digest=digests_send(on=on))
