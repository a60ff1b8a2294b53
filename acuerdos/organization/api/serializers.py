"""Catalog serializers: regions, units, themes (public catalog data, no personal data)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from acuerdos.organization.models import Region, Theme, Unit


class RegionSerializer(serializers.ModelSerializer[Region]):
    class Meta:
        model = Region
        fields = ("code", "name", "short_name")


class UnitSerializer(serializers.ModelSerializer[Unit]):
    region: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="short_name", read_only=True, allow_null=True
    )
    parent_code: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        source="parent", slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Unit
        fields = (
            "code",
            "name",
            "short_name",
            "kind",
            "region",
            "parent_code",
            "city",
            "is_active",
        )


class ThemeSerializer(serializers.ModelSerializer[Theme]):
    lead_area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Theme
        fields = ("code", "name", "lead_area", "is_active")
