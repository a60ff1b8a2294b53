"""Agreements, commitments and extension requests, scoped with `visible_to(user)` (404 outside
scope). Solicitar reprogramación goes through `commitments.services.extension_request`, which
checks who may ask and audits the request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from acuerdos.commitments import services
from acuerdos.commitments.api.serializers import (
    AgreementSerializer,
    CommitmentSerializer,
    ExtensionFilterSerializer,
    ExtensionRequestSerializer,
    ExtensionWriteSerializer,
)
from acuerdos.commitments.models import Agreement, Commitment, ExtensionRequest
from acuerdos.commitments.permissions import access_commitment
from acuerdos.commitments.policies import can_report
from acuerdos.organization.api.common import accessed, domain_errors, query_filters


class AgreementViewSet(viewsets.ReadOnlyModelViewSet[Agreement]):
    queryset = Agreement.objects.none()
    serializer_class = AgreementSerializer

    def get_queryset(self) -> QuerySet[Agreement]:
        return (
            Agreement.objects.visible_to(self.request.user)
            .select_related("meeting", "theme", "validating_area")
            .prefetch_related(
                Prefetch(
                    "commitments",
                    queryset=Commitment.objects.select_related("responsible_unit").order_by(
                        "responsible_unit__code"
                    ),
                )
            )
            .order_by("folio")
        )


class CommitmentViewSet(viewsets.ReadOnlyModelViewSet[Commitment]):
    queryset = Commitment.objects.none()
    serializer_class = CommitmentSerializer

    def get_queryset(self) -> QuerySet[Commitment]:
        return (
            Commitment.objects.visible_to(self.request.user)
            .select_related("agreement", "responsible_unit")
            .prefetch_related("co_responsible_units", "milestones")
            .order_by("agreement__folio", "responsible_unit__code")
        )

    @extend_schema(
        summary="Solicitar reprogramación (titular o enlace de la unidad responsable)",
        request=ExtensionWriteSerializer,
        responses={201: ExtensionRequestSerializer},
    )
    @action(detail=True, methods=["post"], url_path="extension-requests")
    def extension_requests(self, request: Request, pk: str) -> Response:
        commitment = accessed(access_commitment, request.user, pk)
        if not can_report(request.user, responsible_unit_id=commitment.responsible_unit_id):
            raise PermissionDenied(
                "Solo el titular o el enlace de la unidad responsable la solicita."
            )
        serializer = ExtensionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with domain_errors():
            created = services.extension_request(
                commitment=commitment,
                actor=request.user,
                new_due_date=serializer.validated_data["new_due_date"],
                justification=serializer.validated_data["justification"],
            )
        fresh = extension_rows(request.user).get(pk=created.pk)
        return Response(ExtensionRequestSerializer(fresh).data, status=status.HTTP_201_CREATED)


def extension_rows(user: object) -> QuerySet[ExtensionRequest]:
    """The extension requests of the commitments the user can see, newest first."""
    return (
        ExtensionRequest.objects.filter(commitment__in=Commitment.objects.visible_to(user))
        .select_related(
            "commitment__agreement", "commitment__responsible_unit", "requested_by", "decided_by"
        )
        .order_by("-created_at", "-id")
    )


@extend_schema_view(list=extend_schema(parameters=[ExtensionFilterSerializer]))
class ExtensionRequestViewSet(viewsets.ReadOnlyModelViewSet[ExtensionRequest]):
    """Reprogramaciones: every request with its decision (the history of due dates)."""

    queryset = ExtensionRequest.objects.none()
    serializer_class = ExtensionRequestSerializer

    def get_queryset(self) -> QuerySet[ExtensionRequest]:
        queryset = extension_rows(self.request.user)
        if self.action != "list":
            return queryset
        f = query_filters(self.request, ExtensionFilterSerializer)
        if "status" in f:
            queryset = queryset.filter(status=f["status"])
        if "commitment" in f:
            queryset = queryset.filter(commitment_id=f["commitment"])
        if "unit" in f:
            queryset = queryset.filter(commitment__responsible_unit__code=f["unit"])
        return queryset
