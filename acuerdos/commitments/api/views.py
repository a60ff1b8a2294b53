"""Agreements and commitments endpoints, scoped with `visible_to(user)` (404 outside scope)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import viewsets

from acuerdos.commitments.api.serializers import AgreementSerializer, CommitmentSerializer
from acuerdos.commitments.models import Agreement, Commitment


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
