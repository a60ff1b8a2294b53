"""Meetings endpoint, scoped with `Meeting.objects.visible_to(user)`."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets

from acuerdos.meetings.api.serializers import MeetingSerializer
from acuerdos.meetings.models import Meeting


class MeetingViewSet(viewsets.ReadOnlyModelViewSet[Meeting]):
    queryset = Meeting.objects.none()
    serializer_class = MeetingSerializer

    def get_queryset(self) -> QuerySet[Meeting]:
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("region", "round")
            .prefetch_related("participants")
            .order_by("-start_date", "code")
        )
