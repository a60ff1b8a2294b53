"""Read-only catalog endpoints (any authenticated user: the catalog is not scoped)."""

from __future__ import annotations

from rest_framework import viewsets

from acuerdos.organization.api.serializers import RegionSerializer, ThemeSerializer, UnitSerializer
from acuerdos.organization.models import Region, Theme, Unit


class RegionViewSet(viewsets.ReadOnlyModelViewSet[Region]):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_field = "code"


class UnitViewSet(viewsets.ReadOnlyModelViewSet[Unit]):
    queryset = Unit.objects.select_related("region", "parent").order_by("code")
    serializer_class = UnitSerializer
    lookup_field = "code"


class ThemeViewSet(viewsets.ReadOnlyModelViewSet[Theme]):
    queryset = Theme.objects.select_related("lead_area")
    serializer_class = ThemeSerializer
    lookup_field = "code"
