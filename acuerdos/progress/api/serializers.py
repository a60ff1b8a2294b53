"""Progress reports and evidence through the API: what is read, and what a write may carry."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from acuerdos.progress.models import Evidence, ProgressReport, ReportState
from acuerdos.progress.selectors import report_percent

MAX_NARRATIVE = 20_000


class EvidenceSerializer(serializers.ModelSerializer[Evidence]):
    """An evidence file's metadata; the file itself only through `download_url` (audited)."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = (
            "id",
            "original_name",
            "size",
            "sha256",
            "content_type",
            "created_at",
            "download_url",
        )

    def get_download_url(self, obj: Evidence) -> str:
        path = reverse("api:evidence-download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ProgressReportSerializer(serializers.ModelSerializer[ProgressReport]):
    commitment = serializers.IntegerField(source="commitment_id", read_only=True)
    folio = serializers.CharField(source="commitment.agreement.folio", read_only=True)
    responsible_unit = serializers.CharField(
        source="commitment.responsible_unit.code", read_only=True
    )
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    progress = serializers.SerializerMethodField(
        help_text="Avance p del reporte (PRODUCT.md §3.2), en porcentaje con un decimal."
    )
    milestones_done: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    author = serializers.CharField(source="author.full_name", read_only=True)
    reviewed_by = serializers.SerializerMethodField()
    answers = serializers.IntegerField(source="answers_id", read_only=True, allow_null=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = (
            "id",
            "commitment",
            "folio",
            "responsible_unit",
            "as_of",
            "state",
            "state_label",
            "percent",
            "indicator_value",
            "milestones_done",
            "progress",
            "narrative",
            "author",
            "answers",
            "submitted_on",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "validated_on",
            "review_comment",
            "imported",
            "version",
            "evidence",
        )

    def get_progress(self, obj: ProgressReport) -> float:
        return float(report_percent(obj))

    def get_reviewed_by(self, obj: ProgressReport) -> str | None:
        return obj.reviewed_by.full_name if obj.reviewed_by is not None else None


class ReportFilterSerializer(serializers.Serializer[Any]):
    """The filters of the reports list (those of Por validar, plus state and dates)."""

    state = serializers.ChoiceField(choices=ReportState.choices, required=False)
    commitment = serializers.IntegerField(min_value=1, required=False)
    unit = serializers.CharField(max_length=40, required=False, help_text="Clave de la unidad.")
    meeting = serializers.CharField(max_length=40, required=False, help_text="Clave.")
    theme = serializers.CharField(max_length=20, required=False, help_text="Clave.")
    region = serializers.CharField(max_length=20, required=False, help_text="Clave.")
    area = serializers.CharField(
        max_length=40, required=False, help_text="Clave del área que valida (con las de abajo)."
    )
    as_of_from = serializers.DateField(required=False)
    as_of_to = serializers.DateField(required=False)


class ReportWriteSerializer(serializers.Serializer[Any]):
    """Reportar avance: the values for the commitment's target kind, the narrative, evidence
    files (multipart) and whether to send it to validation now (`submit`) or keep a draft."""

    commitment = serializers.IntegerField(min_value=1)
    as_of = serializers.DateField()
    percent = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True
    )
    indicator_value = serializers.DecimalField(
        max_digits=16, decimal_places=4, required=False, allow_null=True
    )
    milestones = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=200
    )
    narrative = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_NARRATIVE, trim_whitespace=False
    )
    answers = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="Reporte devuelto que atiende."
    )
    submit = serializers.BooleanField(
        default=True, help_text="Enviar a validación (por omisión) o guardar como borrador."
    )
    evidence = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=20, write_only=True
    )


class VersionSerializer(serializers.Serializer[Any]):
    """The version read (the optimistic check): a stale one answers 409."""

    expected_version = serializers.IntegerField(min_value=1)


class EvidenceUploadSerializer(VersionSerializer):
    evidence = serializers.ListField(
        child=serializers.FileField(), min_length=1, max_length=20, write_only=True
    )


class ReviewSerializer(VersionSerializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_NARRATIVE, default=""
    )
