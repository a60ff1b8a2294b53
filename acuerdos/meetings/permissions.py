"""Access to one meeting: 404 outside the user's scope, 403 for writes by non-coordinators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from acuerdos.meetings.models import Meeting, Round
from acuerdos.organization.scope import scope_for


def access_meeting(user: Any, pk: int, *, for_write: bool = False) -> Meeting:
    """The meeting if the user may see it (and, `for_write`, manage it: coordinators only)."""
    meeting = (
        Meeting.objects.visible_to(user).select_related("region", "round").filter(pk=pk).first()
    )
    if meeting is None:
        raise Http404("Reunión no encontrada")
    if for_write and not scope_for(user).is_coordinator:
        raise PermissionDenied("Solo la Coordinación central administra reuniones.")
    return meeting


def require_coordinator(user: Any) -> None:
    """Rounds and meetings are created and edited by the central coordination only (403)."""
    if not scope_for(user).is_coordinator:
        raise PermissionDenied("Solo la Coordinación central administra reuniones.")


def access_round(user: Any, pk: int, *, for_write: bool = False) -> Round:
    """A round (rounds carry no private data: every signed-in person may see them), 404 when
    it does not exist; `for_write`, coordinators only."""
    if not scope_for(user).authenticated:
        raise Http404("Ronda no encontrada")
    round_ = Round.objects.filter(pk=pk).first()
    if round_ is None:
        raise Http404("Ronda no encontrada")
    if for_write:
        require_coordinator(user)
    return round_
