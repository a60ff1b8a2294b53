"""Pages of meetings: the scoped list and one meeting with its participants."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from acuerdos.core.pagination import paginate
from acuerdos.meetings import selectors
from acuerdos.meetings.permissions import access_meeting


@require_GET
@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Reuniones the user may see, newest first."""
    page = paginate(request, selectors.meeting_list(request.user))
    return render(request, "meetings/meeting_list.html", {"page": page})


@require_GET
@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting: data, participants grouped by kind with their commitments there."""
    meeting = access_meeting(request.user, pk)
    detail = selectors.meeting_detail(request.user, meeting)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting, "detail": detail})
