"""Creating notifications: who must hear of an event, and one row per person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from acuerdos.audit import services as audit
from acuerdos.notifications.models import Notification, NotificationPreference
from acuerdos.organization.models import Role, Unit, User


def unit_people(unit_id: int) -> QuerySet[User]:
    """Active heads and liaisons of a unit: who hears about its commitments."""
    return User.objects.filter(
        is_active=True,
        memberships__unit_id=unit_id,
        memberships__role__in=[Role.HEAD, Role.LIAISON],
        memberships__is_active=True,
    ).distinct()


def area_validators(area_id: int) -> QuerySet[User]:
    """Active validators of the area or of any area above it (they see its subtree)."""
    ancestors: list[int] = []
    current: int | None = area_id
    parents = dict(Unit.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    while current is not None and current not in ancestors:
        ancestors.append(current)
        current = parents.get(current)
    return User.objects.filter(
        is_active=True,
        memberships__unit_id__in=ancestors,
        memberships__role=Role.VALIDATOR,
        memberships__is_active=True,
    ).distinct()


def coordinators() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__role=Role.COORDINATOR,
        memberships__is_active=True,
    ).distinct()


@dataclass(frozen=True)
class Message:
    """One notification's content, for everyone in `recipients`."""

    recipients: Iterable[User]
    kind: str
    title: str
    body: str = ""
    url: str = ""
    commitment_id: int | None = None


def _rows(message: Message, exclude: Any) -> list[Notification]:
    return [
        Notification(
            recipient=user,
            kind=message.kind,
            title=message.title[:200],
            body=message.body,
            url=message.url,
            commitment_id=message.commitment_id,
        )
        for user in {u.pk: u for u in message.recipients}.values()
        if exclude is None or user.pk != getattr(exclude, "pk", None)
    ]


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    commitment_id: int | None = None,
    exclude: Any = None,
) -> list[Notification]:
    """One in-app notification per recipient (never to the person who caused the event)."""
    message = Message(recipients, kind, title, body, url, commitment_id)
    return Notification.objects.bulk_create(_rows(message, exclude))


def notify_many(*, messages: Iterable[Message], exclude: Any = None) -> list[Notification]:
    """`notify` for many messages at once (a bulk action): one insert whatever their number,
    never to the person who caused them. Runs in the caller's transaction."""
    rows = [row for message in messages for row in _rows(message, exclude)]
    return Notification.objects.bulk_create(rows, batch_size=1000)


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all, or the given ones) as read. Not audited: it changes
    only the reader's own inbox state."""
    queryset = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.for_user(user).unread().count()


@transaction.atomic
def preference_update(*, user: User, email_enabled: bool, actor: User) -> NotificationPreference:
    """A person turns the daily e-mail digest on or off (in-app notifications always stay)."""
    preference = NotificationPreference.objects.select_for_update().filter(user=user).first()
    before = preference.email_enabled if preference is not None else True
    if preference is None:
        preference = NotificationPreference(user=user)
    preference.email_enabled = email_enabled
    preference.full_clean()
    preference.save()
    if before != email_enabled:
        audit.record(
            actor=actor,
            action="notification_preference.updated",
            target=preference,
            changes=audit.diff({"email_enabled": before}, {"email_enabled": email_enabled}),
        )
    return preference
