"""Role predicates for django-rules (`user.has_perm("acuerdos.manage")` and templates)."""

from __future__ import annotations

from typing import Any

import rules

from acuerdos.organization.scope import scope_for


@rules.predicate
def is_coordinator(user: Any) -> bool:
    return scope_for(user).is_coordinator


@rules.predicate
def is_validator(user: Any) -> bool:
    return scope_for(user).is_validator


@rules.predicate
def is_unit_member(user: Any) -> bool:
    return scope_for(user).is_unit_member


@rules.predicate
def sees_everything(user: Any) -> bool:
    return scope_for(user).sees_everything


rules.add_perm("acuerdos.manage", is_coordinator)
rules.add_perm("acuerdos.view_all", sees_everything)
rules.add_perm("acuerdos.validate", is_coordinator | is_validator)
rules.add_perm("acuerdos.report_progress", is_unit_member)
