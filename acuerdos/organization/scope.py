"""What a user may see and do, computed once per request from their memberships.

Every `visible_to(user)` queryset and every `access_*` function reads this, so that the rules of
PRODUCT.md §1 live in one place:

- coordinator and viewer: everything (the viewer read-only);
- validator: commitments whose validating area is one of theirs or a descendant of it;
- head and liaison: commitments of their units (write) and where the unit is co-responsible (read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from acuerdos.organization.models import Membership, Role, Unit


@dataclass(frozen=True)
class Scope:
    """The resolved permissions of one user."""

    authenticated: bool = False
    is_coordinator: bool = False
    is_viewer: bool = False
    validator_area_ids: frozenset[int] = field(default_factory=frozenset)
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    head_unit_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def sees_everything(self) -> bool:
        return self.is_coordinator or self.is_viewer

    @property
    def is_validator(self) -> bool:
        return bool(self.validator_area_ids)

    @property
    def is_unit_member(self) -> bool:
        return bool(self.unit_ids)


ANONYMOUS = Scope()


def descendant_ids(root_ids: set[int]) -> set[int]:
    """The given units and every unit below them in the tree (one query; the tree is small)."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Unit.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    result = set(root_ids)
    stack = list(root_ids)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in result:
                result.add(child)
                stack.append(child)
    return result


def scope_for(user: Any) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached: Scope | None = getattr(user, "_acuerdos_scope", None)
    if cached is not None:
        return cached
    memberships = list(
        Membership.objects.filter(user=user, is_active=True).values_list("unit_id", "role")
    )
    roles = {role for _, role in memberships}
    validator_roots = {unit for unit, role in memberships if role == Role.VALIDATOR}
    scope = Scope(
        authenticated=True,
        is_coordinator=Role.COORDINATOR in roles,
        is_viewer=Role.VIEWER in roles,
        validator_area_ids=frozenset(descendant_ids(validator_roots) if validator_roots else ()),
        unit_ids=frozenset(unit for unit, role in memberships if role in (Role.HEAD, Role.LIAISON)),
        head_unit_ids=frozenset(unit for unit, role in memberships if role == Role.HEAD),
        roles=frozenset(roles),
    )
    user._acuerdos_scope = scope
    return scope
