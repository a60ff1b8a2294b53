"""Cut-offs and compliance figures through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework import serializers

from acuerdos.evaluation.models import CutOff
from acuerdos.evaluation.selectors import COMPLIANCE_BY

# Figures exist from the first meetings on; a far date has nothing to show (and the year 1
# has no 30 days before it).
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class CutOffSerializer(serializers.ModelSerializer[CutOff]):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CutOff
        fields = ("date", "status", "status_label", "closed_at", "snapshot_rows")


class ComplianceQuerySerializer(serializers.Serializer[Any]):
    as_of = serializers.DateField(
        required=False, help_text="AAAA-MM-DD; por omisión, hoy. Un corte cerrado se lee congelado."
    )
    by = serializers.ChoiceField(choices=COMPLIANCE_BY, default="unit")

    def validate_as_of(self, value: dt.date) -> dt.date:
        if not EARLIEST <= value <= LATEST:
            raise serializers.ValidationError(
                f"Use una fecha entre {EARLIEST:%d/%m/%Y} y {LATEST:%d/%m/%Y}."
            )
        return value


class ComplianceCountsSerializer(serializers.Serializer[Any]):
    on_track = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    overdue = serializers.IntegerField()
    fulfilled = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class ComplianceGroupSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    counts = ComplianceCountsSerializer()
    compliance_level = serializers.FloatField(allow_null=True)
    average_progress = serializers.FloatField(allow_null=True)
    timeliness = serializers.FloatField(allow_null=True)


class ComplianceSerializer(serializers.Serializer[Any]):
    """The shape of `manage.py compliance --format json` (PRODUCT.md §5)."""

    as_of = serializers.DateField()
    by = serializers.ChoiceField(choices=COMPLIANCE_BY)
    groups = ComplianceGroupSerializer(many=True)
