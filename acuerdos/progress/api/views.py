"""Progress reports and evidence endpoints, scoped with `visible_to(user)` (404 outside scope).

Writes go through the same services as the screens (`report_submit`, `report_save_draft`,
`report_validate`/`return`/`reject`), which check the permission rules, the version and
the uploaded files by their content, and audit every change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from acuerdos.commitments.permissions import access_commitment
from acuerdos.commitments.policies import can_report, can_validate
from acuerdos.organization.api.common import accessed, attachment, domain_errors, query_filters
from acuerdos.organization.scope import descendant_ids
from acuerdos.progress import services
from acuerdos.progress.api.serializers import (
    EvidenceSerializer,
    EvidenceUploadSerializer,
    ProgressReportSerializer,
    ReportFilterSerializer,
    ReportWriteSerializer,
    ReviewSerializer,
    VersionSerializer,
)
from acuerdos.progress.models import Evidence, ProgressReport
from acuerdos.progress.permissions import access_evidence, access_report
from acuerdos.progress.services import ReportInput, Upload


def _uploads(files: list[Any]) -> list[Upload]:
    return [Upload(stream=f, name=f.name or "archivo") for f in files]


def _input_of(report: ProgressReport) -> ReportInput:
    """A draft's own values, to store it again (with more evidence, or to send it)."""
    return ReportInput(
        as_of=report.as_of,
        percent=report.percent,
        indicator_value=report.indicator_value,
        milestone_ids=[m.pk for m in report.milestones_done.all()],
        narrative=report.narrative,
    )


def _require_reporter(user: Any, report: ProgressReport) -> None:
    """As on the screens: only the responsible unit writes its reports (403 before the body)."""
    if not can_report(user, responsible_unit_id=report.commitment.responsible_unit_id):
        raise PermissionDenied("Solo el titular o el enlace de la unidad responsable reporta.")


def report_rows(user: Any) -> QuerySet[ProgressReport]:
    """The reports the user may see, with everything a row shows (constant queries)."""
    return (
        ProgressReport.objects.visible_to(user)
        .select_related(
            "commitment__agreement", "commitment__responsible_unit", "author", "reviewed_by"
        )
        .prefetch_related(
            "milestones_done", Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
        )
        .order_by("-as_of", "-id")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Reportes de avance",
        parameters=[ReportFilterSerializer],
    ),
    retrieve=extend_schema(summary="Un reporte de avance"),
)
class ProgressReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ProgressReport]
):
    queryset = ProgressReport.objects.none()
    serializer_class = ProgressReportSerializer
    parser_classes = (JSONParser, MultiPartParser, FormParser)

    def get_queryset(self) -> QuerySet[ProgressReport]:
        queryset = report_rows(self.request.user)
        if self.action != "list":
            return queryset
        f = query_filters(self.request, ReportFilterSerializer)
        if "state" in f:
            queryset = queryset.filter(state=f["state"])
        if "commitment" in f:
            queryset = queryset.filter(commitment_id=f["commitment"])
        if "unit" in f:
            queryset = queryset.filter(commitment__responsible_unit__code=f["unit"])
        if "meeting" in f:
            queryset = queryset.filter(commitment__agreement__meeting__code=f["meeting"])
        if "theme" in f:
            queryset = queryset.filter(commitment__agreement__theme__code=f["theme"])
        if "region" in f:
            queryset = queryset.filter(commitment__agreement__meeting__region__code=f["region"])
        if "area" in f:
            from acuerdos.organization.models import Unit

            roots = set(Unit.objects.filter(code=f["area"]).values_list("pk", flat=True))
            queryset = queryset.filter(
                commitment__agreement__validating_area_id__in=descendant_ids(roots)
            )
        if "as_of_from" in f:
            queryset = queryset.filter(as_of__gte=f["as_of_from"])
        if "as_of_to" in f:
            queryset = queryset.filter(as_of__lte=f["as_of_to"])
        return queryset

    def get_object(self) -> ProgressReport:
        pk = accessed(access_report, self.request.user, self.kwargs["pk"]).pk  # 404 outside scope
        report = report_rows(self.request.user).filter(pk=pk).first()
        if report is None:
            raise Http404("Reporte no encontrado")
        return report

    def _answer(self, report: ProgressReport, code: int = status.HTTP_200_OK) -> Response:
        fresh = report_rows(self.request.user).get(pk=report.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        summary="Reportar avance (enviar a validación o guardar borrador)",
        request={
            "application/json": ReportWriteSerializer,
            "multipart/form-data": ReportWriteSerializer,
        },
        responses={201: ProgressReportSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = ReportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        commitment = access_commitment(request.user, data["commitment"])
        answers = None
        if data.get("answers"):
            answers = access_report(request.user, data["answers"])
            if answers.commitment_id != commitment.pk:
                raise Http404("Reporte no encontrado")
        service = services.report_submit if data["submit"] else services.report_save_draft
        with domain_errors():
            report = service(
                commitment=commitment,
                actor=request.user,
                data=ReportInput(
                    as_of=data["as_of"],
                    percent=data.get("percent"),
                    indicator_value=data.get("indicator_value"),
                    milestone_ids=data.get("milestones", []),
                    narrative=data.get("narrative", ""),
                ),
                uploads=_uploads(data.get("evidence", [])),
                answers=answers,
            )
        return self._answer(report, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Adjuntar evidencia a un borrador",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={200: ProgressReportSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        _require_reporter(request.user, report)
        serializer = EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with domain_errors():
            services.report_save_draft(
                commitment=report.commitment,
                actor=request.user,
                data=_input_of(report),
                uploads=_uploads(serializer.validated_data["evidence"]),
                report=report,
                answers=report.answers,
                expected_version=serializer.validated_data["expected_version"],
            )
        return self._answer(report)

    @extend_schema(
        summary="Enviar un borrador a validación",
        request=VersionSerializer,
        responses={200: ProgressReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        _require_reporter(request.user, report)
        serializer = VersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with domain_errors():
            services.report_submit(
                commitment=report.commitment,
                actor=request.user,
                data=_input_of(report),
                report=report,
                answers=report.answers,
                expected_version=serializer.validated_data["expected_version"],
            )
        return self._answer(report)

    def _review(self, request: Request, service: Callable[..., ProgressReport]) -> Response:
        report = self.get_object()
        area_id = report.commitment.agreement.validating_area_id
        if not can_validate(request.user, validating_area_id=area_id):
            raise PermissionDenied("Solo el área normativa que valida o la coordinación revisan.")
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with domain_errors():
            service(
                report=report,
                actor=request.user,
                comment=serializer.validated_data["comment"],
                expected_version=serializer.validated_data["expected_version"],
            )
        return self._answer(report)

    @extend_schema(
        summary="Validar (el área normativa que valida o la coordinación)",
        request=ReviewSerializer,
        responses={200: ProgressReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, pk: str) -> Response:
        return self._review(request, services.report_validate)

    @extend_schema(
        summary="Devolver con observaciones (comment obligatorio)",
        request=ReviewSerializer,
        responses={200: ProgressReportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        return self._review(request, services.report_return)

    @extend_schema(
        summary="Rechazar (comment obligatorio: el motivo)",
        request=ReviewSerializer,
        responses={200: ProgressReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._review(request, services.report_reject)


@extend_schema_view(retrieve=extend_schema(summary="Metadatos de una evidencia"))
class EvidenceViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Evidence]):
    queryset = Evidence.objects.none()
    serializer_class = EvidenceSerializer

    def get_object(self) -> Evidence:
        return accessed(access_evidence, self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="Descargar una evidencia (queda en la bitácora)",
        responses={(200, "application/octet-stream"): OpenApiResponse(description="El archivo.")},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        evidence = self.get_object()
        services.evidence_downloaded(evidence=evidence, actor=request.user)
        return attachment(
            evidence.file.open("rb"),
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
