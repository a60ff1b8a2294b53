"""Agreement and commitment serializers (read-only for now; writes arrive with their services)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from acuerdos.commitments.models import Agreement, Commitment, Milestone


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ("name", "due_date", "weight", "order")


class CommitmentSerializer(serializers.ModelSerializer[Commitment]):
    agreement: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="folio", read_only=True
    )
    responsible_unit: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    co_responsible_units: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = (
            "id",
            "agreement",
            "responsible_unit",
            "co_responsible_units",
            "start_date",
            "due_date",
            "weight",
            "target_kind",
            "indicator_name",
            "unit_of_measure",
            "baseline",
            "target_value",
            "milestones",
            "cancelled_on",
            "cancellation_reason",
        )


class AgreementSerializer(serializers.ModelSerializer[Agreement]):
    meeting: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    theme: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    validating_area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    responsible_units = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = (
            "id",
            "folio",
            "meeting",
            "text",
            "deliverable",
            "theme",
            "validating_area",
            "priority",
            "responsible_units",
        )

    def get_responsible_units(self, obj: Agreement) -> list[str]:
        return [c.responsible_unit.code for c in obj.commitments.all()]
