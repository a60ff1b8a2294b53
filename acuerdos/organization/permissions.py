"""Access to people and their memberships: the only way a view turns a user-supplied id into a
person. Managing accounts belongs to the Coordinación central: everyone else is refused (403,
as the people list itself is); an id that does not exist answers 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from acuerdos.organization import selectors
from acuerdos.organization.models import Membership, User


def _require_coordinator(user: Any) -> None:
    # The same permission as the people list (coordinators; superusers hold every permission).
    if not user.has_perm("acuerdos.manage"):
        raise PermissionDenied("Solo la Coordinación central administra las cuentas.")


def access_person(user: Any, pk: int, *, for_write: bool = False) -> User:
    """The person (with their memberships) if the user is a coordinator; reading and writing
    need the same role."""
    _require_coordinator(user)
    person = selectors.person_detail(pk)
    if person is None:
        raise Http404("Persona no encontrada")
    return person


def access_membership(user: Any, person: User, pk: int) -> Membership:
    """One membership of `person` (404 if it is somebody else's: ids are not trusted)."""
    _require_coordinator(user)
    membership = Membership.objects.select_related("unit").filter(pk=pk, user=person).first()
    if membership is None:
        raise Http404("Membresía no encontrada")
    return membership
