"""Template helpers about people: role names and the memberships shown in the navbar."""

from __future__ import annotations

from typing import Any

from django import template

from acuerdos.organization.models import Membership, Role

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    """The Spanish name of a role code (`liaison` → `Enlace`)."""
    try:
        return str(Role(value).label)
    except ValueError:
        return value


@register.simple_tag
def user_memberships(user: Any) -> list[Membership]:
    """The user's active memberships with their units (one query, cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached: list[Membership] | None = getattr(user, "_acuerdos_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True)
            .select_related("unit")
            .order_by("unit__short_name", "role")
        )
        user._acuerdos_memberships = cached
    return cached


@register.filter
def role_labels(codes: Any) -> str:
    """Role codes as Spanish names in the catalogue's order: `Titular · Enlace`."""
    present = set(codes or ())
    return " · ".join(str(role.label) for role in Role if role.value in present)
