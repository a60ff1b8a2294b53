"""The Informes inbox (list and audited download) and the user's own notifications."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request

from acuerdos.notifications import selectors as notification_selectors
from acuerdos.notifications.models import Notification
from acuerdos.organization.api.common import accessed, attachment, query_filters
from acuerdos.reporting import services
from acuerdos.reporting.api.serializers import (
    NotificationFilterSerializer,
    NotificationSerializer,
    ReportFilterSerializer,
    ReportSerializer,
)
from acuerdos.reporting.models import Report, ReportFormat
from acuerdos.reporting.permissions import access_report
from acuerdos.reporting.services import MIMETYPES


@extend_schema_view(list=extend_schema(summary="Informes", parameters=[ReportFilterSerializer]))
class ReportViewSet(viewsets.ReadOnlyModelViewSet[Report]):
    """Informes: every file (PDF and XLSX) the user may see, latest first."""

    queryset = Report.objects.none()
    serializer_class = ReportSerializer

    def get_queryset(self) -> QuerySet[Report]:
        queryset = (
            Report.objects.visible_to(self.request.user)
            .select_related("cutoff")
            .order_by("-as_of", "audience", "audience_code", "format", "-id")
        )
        if self.action != "list":
            return queryset
        f = query_filters(self.request, ReportFilterSerializer)
        if "audience" in f:
            queryset = queryset.filter(audience=f["audience"])
        if "file_format" in f:
            queryset = queryset.filter(format=f["file_format"])
        if "as_of" in f:
            queryset = queryset.filter(as_of=f["as_of"])
        return queryset

    @extend_schema(
        summary="Descargar un informe (queda en la bitácora)",
        responses={(200, "application/octet-stream"): OpenApiResponse(description="El archivo.")},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        report = accessed(access_report, request.user, pk)
        services.report_downloaded(report=report, actor=request.user)
        return attachment(
            report.file.open("rb"),
            filename=report.file_name,
            content_type=MIMETYPES[ReportFormat(report.format)],
        )


@extend_schema_view(
    list=extend_schema(summary="Sus notificaciones", parameters=[NotificationFilterSerializer])
)
class NotificationViewSet(viewsets.ReadOnlyModelViewSet[Notification]):
    """The user's own notifications (never anyone else's), newest first."""

    queryset = Notification.objects.none()
    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        unread = False
        if self.action == "list":
            unread = bool(query_filters(self.request, NotificationFilterSerializer).get("unread"))
        return notification_selectors.inbox(self.request.user, unread_only=unread)
