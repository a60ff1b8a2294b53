"""Who may do what on a commitment they can see (PRODUCT.md §1). Pure: scope + ids in, bool out.

Visibility is `visible_to()`'s job (404 outside scope); these answer the 403 question.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from acuerdos.organization.scope import Scope, scope_for


def _scope(user_or_scope: Any) -> Scope:
    return user_or_scope if isinstance(user_or_scope, Scope) else scope_for(user_or_scope)


def can_report(user: Any, *, responsible_unit_id: int) -> bool:
    """Heads and liaisons of the responsible unit report progress and request extensions."""
    return responsible_unit_id in _scope(user).unit_ids


def can_validate(user: Any, *, validating_area_id: int) -> bool:
    """The validating area (or an area above it) and coordinators validate progress."""
    scope = _scope(user)
    return scope.is_coordinator or validating_area_id in scope.validator_area_ids


def can_decide_extension(user: Any, *, validating_area_id: int) -> bool:
    """Coordinators decide extensions; the validating area too when the setting says so."""
    scope = _scope(user)
    if scope.is_coordinator:
        return True
    by_area = bool(settings.ACUERDOS.get("EXTENSIONS_DECIDED_BY_AREA", False))
    return by_area and validating_area_id in scope.validator_area_ids


def can_cancel(user: Any) -> bool:
    """Only the central coordination cancels commitments."""
    return _scope(user).is_coordinator


def can_comment(user: Any, *, responsible_unit_id: int, validating_area_id: int) -> bool:
    """Everyone involved comments: coordinators, the validating area and the unit's people
    (co-responsible units too). Viewers (Consulta) only read."""
    scope = _scope(user)
    return (
        scope.is_coordinator
        or validating_area_id in scope.validator_area_ids
        or bool(scope.unit_ids)
    )


def can_manage_agreements(user: Any) -> bool:
    """Only the central coordination creates and edits agreements and their commitments."""
    return _scope(user).is_coordinator
