"""Role predicates for django-rules (`user.has_perm("acuerdos.manage")` and templates)."""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from acuerdos.organization.scope import scope_for


@predicate
def is_coordinator(user: Any) -> bool:
    return scope_for(user).is_coordinator


@predicate
def is_validator(user: Any) -> bool:
    return scope_for(user).is_validator


@predicate
def is_unit_member(user: Any) -> bool:
    return scope_for(user).is_unit_member


@predicate
def sees_everything(user: Any) -> bool:
    return scope_for(user).sees_everything


add_perm("acuerdos.manage", is_coordinator)
add_perm("acuerdos.view_all", sees_everything)
add_perm("acuerdos.validate", is_coordinator | is_validator)
add_perm("acuerdos.report_progress", is_unit_member)
