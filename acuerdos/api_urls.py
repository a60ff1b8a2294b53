"""REST API v1 (PRODUCT.md §4.9): the same scoping as the screens; schema and docs without CDN."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from acuerdos.commitments.api.views import AgreementViewSet, CommitmentViewSet
from acuerdos.meetings.api.views import MeetingViewSet
from acuerdos.organization.api.views import RegionViewSet, ThemeViewSet, UnitViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("units", UnitViewSet, basename="unit")
router.register("themes", ThemeViewSet, basename="theme")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("commitments", CommitmentViewSet, basename="commitment")

urlpatterns = [
    path("v1/", include((router.urls, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
