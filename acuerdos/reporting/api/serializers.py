"""Informes and the user's notifications through the API."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from acuerdos.notifications.models import Notification
from acuerdos.reporting.models import Audience, Report, ReportFormat


class ReportSerializer(serializers.ModelSerializer[Report]):
    audience_label = serializers.CharField(source="get_audience_display", read_only=True)
    cutoff = serializers.DateField(source="cutoff.date", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = (
            "id",
            "as_of",
            "cutoff",
            "audience",
            "audience_label",
            "audience_code",
            "audience_name",
            "format",
            "file_name",
            "size",
            "sha256",
            "generated_at",
            "bundle",
            "download_url",
        )

    def get_download_url(self, obj: Report) -> str:
        path = reverse("api:report-download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ReportFilterSerializer(serializers.Serializer[Any]):
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    # Not `format`: DRF reads that query parameter to choose a renderer.
    file_format = serializers.ChoiceField(choices=ReportFormat.choices, required=False)
    as_of = serializers.DateField(required=False)


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "url", "commitment_id", "created_at", "read_at")


class NotificationFilterSerializer(serializers.Serializer[Any]):
    unread = serializers.BooleanField(required=False, help_text="Solo las no leídas.")
