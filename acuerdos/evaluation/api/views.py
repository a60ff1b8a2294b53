"""Cut-offs and compliance figures (PRODUCT.md §3.7) for the user's scope.

`/api/v1/compliance/` answers exactly what `manage.py compliance --format json` prints, through
the same code (`evaluation.selectors.compliance_payload`, which the command prints), but
within the user's scope: a liaison gets the figures of the commitments they can see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from acuerdos.core.dates import today
from acuerdos.evaluation.api.serializers import (
    ComplianceQuerySerializer,
    ComplianceSerializer,
    CutOffSerializer,
)
from acuerdos.evaluation.models import CutOff, CutOffStatus
from acuerdos.evaluation.selectors import basis_for, compliance_payload
from acuerdos.organization.api.common import query_filters
from acuerdos.organization.scope import scope_for


class ComplianceView(APIView):
    """Nivel de cumplimiento, avance promedio y oportunidad por grupo, a una fecha."""

    @extend_schema(
        summary="Cifras de cumplimiento por grupo",
        parameters=[ComplianceQuerySerializer],
        responses={200: ComplianceSerializer},
    )
    def get(self, request: Request) -> Response:
        f = query_filters(request, ComplianceQuerySerializer)
        basis = basis_for(as_of=f.get("as_of") or today())
        return Response(compliance_payload(request.user, basis=basis, by=f["by"]))


class CutOffViewSet(viewsets.ReadOnlyModelViewSet[CutOff]):
    """Cortes: the closed ones for everybody (the "con corte al" dates of the dashboards); the
    whole calendar, open ones too, for the Coordinación central and Consulta."""

    queryset = CutOff.objects.none()
    serializer_class = CutOffSerializer
    lookup_field = "date"
    lookup_value_regex = r"\d{4}-\d{2}-\d{2}"

    def get_queryset(self) -> QuerySet[CutOff]:
        queryset = CutOff.objects.order_by("-date")
        if not scope_for(self.request.user).sees_everything:
            queryset = queryset.filter(status=CutOffStatus.CLOSED)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "date", OpenApiTypes.DATE, OpenApiParameter.PATH, description="AAAA-MM-DD"
            )
        ]
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    def get_object(self) -> CutOff:
        try:
            date = dt.date.fromisoformat(self.kwargs["date"])
        except ValueError as exc:
            raise Http404("Corte no encontrado") from exc
        cutoff = self.get_queryset().filter(date=date).first()
        if cutoff is None:
            raise Http404("Corte no encontrado")
        return cutoff
