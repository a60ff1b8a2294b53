"""Agreement, commitment and extension-request serializers (writes: extension requests)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from acuerdos.commitments.models import (
    Agreement,
    Commitment,
    ExtensionRequest,
    ExtensionStatus,
    Milestone,
)


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


class ExtensionRequestSerializer(serializers.ModelSerializer[ExtensionRequest]):
    commitment = serializers.IntegerField(source="commitment_id", read_only=True)
    folio = serializers.CharField(source="commitment.agreement.folio", read_only=True)
    responsible_unit = serializers.CharField(
        source="commitment.responsible_unit.code", read_only=True
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = serializers.CharField(source="requested_by.full_name", read_only=True)
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = ExtensionRequest
        fields = (
            "id",
            "commitment",
            "folio",
            "responsible_unit",
            "previous_due_date",
            "new_due_date",
            "justification",
            "status",
            "status_label",
            "requested_by",
            "created_at",
            "decided_by",
            "decided_on",
            "decision_comment",
        )

    def get_decided_by(self, obj: ExtensionRequest) -> str | None:
        return obj.decided_by.full_name if obj.decided_by is not None else None


class ExtensionFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ExtensionStatus.choices, required=False)
    commitment = serializers.IntegerField(min_value=1, required=False)
    unit = serializers.CharField(max_length=40, required=False, help_text="Clave de la unidad.")


class ExtensionWriteSerializer(serializers.Serializer[Any]):
    """Solicitar reprogramación: the new due date and why."""

    new_due_date = serializers.DateField()
    justification = serializers.CharField(max_length=4000)
