"""Reads of people and their memberships for the pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from acuerdos.organization.models import Membership, Unit, User


@dataclass(frozen=True)
class PeopleFilters:
    """The validated filters of the people list."""

    text: str = ""
    role: str = ""
    unit: Unit | None = None


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
    return queryset.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("unit").order_by(
                "-is_active", "unit__short_name", "role"
            ),
        )
    ).order_by("full_name", "email")
