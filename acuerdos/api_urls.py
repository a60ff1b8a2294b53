"""REST API v1 (PRODUCT.md §4.9): the same scoping as the screens; schema and docs without CDN.

Authentication: the browser's session, or a personal API token (`Authorization: Bearer …`,
made on /cuenta/tokens/). Writes go through the same services as the screens.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from acuerdos.commitments.api.views import (
    AgreementViewSet,
    CommitmentViewSet,
    ExtensionRequestViewSet,
)
from acuerdos.evaluation.api.views import ComplianceView, CutOffViewSet
from acuerdos.meetings.api.views import MeetingViewSet
from acuerdos.organization.api.views import RegionViewSet, ThemeViewSet, UnitViewSet
from acuerdos.progress.api.views import EvidenceViewSet, ProgressReportViewSet
from acuerdos.reporting.api.views import NotificationViewSet, ReportViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("units", UnitViewSet, basename="unit")
router.register("themes", ThemeViewSet, basename="theme")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("extension-requests", ExtensionRequestViewSet, basename="extension-request")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("cutoffs", CutOffViewSet, basename="cutoff")
router.register("reports", ReportViewSet, basename="report")
router.register("notifications", NotificationViewSet, basename="notification")

v1 = [
    *router.urls,
    path("compliance/", ComplianceView.as_view(), name="compliance"),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
