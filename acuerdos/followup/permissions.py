"""Access to a follow-up review: coordinators only, on follow-up meetings, for agreements of the
meeting's region."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from acuerdos.commitments.models import Agreement
from acuerdos.meetings.models import Meeting, MeetingKind
from acuerdos.meetings.permissions import access_meeting


def access_review(user: Any, pk: int) -> Meeting:
    """The follow-up meeting whose review the user runs: 404 outside scope or for a meeting that
    is not a follow-up one, 403 for anyone but a coordinator."""
    meeting = access_meeting(user, pk, for_write=True)
    if meeting.kind != MeetingKind.FOLLOW_UP:
        raise Http404("Sólo las reuniones de seguimiento tienen revisión de acuerdos.")
    return meeting


def access_review_agreement(user: Any, meeting: Meeting, agreement_pk: int) -> Agreement:
    """An agreement of the meeting's region (signed elsewhere), or 404."""
    agreement = (
        Agreement.objects.visible_to(user)
        .select_related("meeting", "meeting__region", "theme")
        .filter(pk=agreement_pk, meeting__region_id=meeting.region_id)
        .exclude(meeting_id=meeting.pk)
        .first()
    )
    if agreement is None:
        raise Http404("Acuerdo no encontrado en esta región.")
    return agreement
