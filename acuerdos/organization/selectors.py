"""Reads of people and their memberships for the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from acuerdos.audit.models import AuditEvent
from acuerdos.organization.models import Membership, Unit, User

STALE_ACCESS_DAYS = 30


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Activas")
    INACTIVE = "inactive", _("Desactivadas")


class LastAccess(models.TextChoices):
    NEVER = "never", _("Nunca ha entrado")
    STALE = "stale", _("Sin entrar en 30 días o más")


@dataclass(frozen=True)
class PeopleFilters:
    """The validated filters of the people list."""

    text: str = ""
    role: str = ""
    unit: Unit | None = None
    status: str = ""
    access: str = ""


def _memberships_prefetch() -> Prefetch[str]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("unit").order_by(
            "-is_active", "unit__short_name", "role"
        ),
    )


def people_list(filters: PeopleFilters) -> QuerySet[User]:
    """Users with their memberships (units prefetched in one query), by name.

    Only coordinators reach this (the view checks `acuerdos.manage`), so it is not scoped
    further: the Coordinación central manages every account.
    """
    queryset = User.objects.all()
    if filters.text:
        term = filters.text.strip()
        queryset = queryset.filter(Q(full_name__icontains=term) | Q(email__icontains=term))
    if filters.role or filters.unit is not None:
        memberships = Membership.objects.filter(user_id=OuterRef("pk"), is_active=True)
        if filters.role:
            memberships = memberships.filter(role=filters.role)
        if filters.unit is not None:
            memberships = memberships.filter(unit=filters.unit)
        queryset = queryset.filter(Exists(memberships))
    if filters.status == AccountStatus.ACTIVE:
        queryset = queryset.filter(is_active=True)
    elif filters.status == AccountStatus.INACTIVE:
        queryset = queryset.filter(is_active=False)
    if filters.access == LastAccess.NEVER:
        queryset = queryset.filter(last_login__isnull=True)
    elif filters.access == LastAccess.STALE:
        since = timezone.now() - dt.timedelta(days=STALE_ACCESS_DAYS)
        queryset = queryset.filter(Q(last_login__isnull=True) | Q(last_login__lt=since))
    return queryset.prefetch_related(_memberships_prefetch()).order_by("full_name", "email")


def person_detail(pk: int) -> User | None:
    """One person with every membership (vigentes first), or None."""
    return User.objects.filter(pk=pk).prefetch_related(_memberships_prefetch()).first()


def person_history(user: User, *, limit: int = 20) -> list[AuditEvent]:
    """What happened to the account, newest first: invitations, roles, passwords, activation."""
    membership_ids = [
        str(pk) for pk in Membership.objects.filter(user=user).values_list("pk", flat=True)
    ]
    return list(
        AuditEvent.objects.filter(
            Q(target_type=User._meta.label_lower, target_id=str(user.pk))
            | Q(target_type=Membership._meta.label_lower, target_id__in=membership_ids)
        )
        .select_related("actor")
        .order_by("-occurred_at", "-id")[:limit]
    )
