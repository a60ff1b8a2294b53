"""Access to one meeting: 404 outside the user's scope, 403 for writes by non-coordinators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from acuerdos.meetings.models import Meeting
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
