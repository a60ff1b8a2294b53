"""Access to one agreement or commitment: the only way a view turns a user-supplied id into an
object. Outside the user's scope the answer is 404 (its existence does not leak); a write the user
may not make on an object they can see is 403 (PRODUCT.md §1)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.organization.scope import scope_for


def access_agreement(user: Any, pk: int, *, for_write: bool = False) -> Agreement:
    """The agreement if the user may see it (and, `for_write`, edit it: coordinators only)."""
    agreement = (
        Agreement.objects.visible_to(user)
        .select_related(
            "meeting__region", "meeting__round", "theme__lead_area", "validating_area__parent"
        )
        .filter(pk=pk)
        .first()
    )
    if agreement is None:
        raise Http404("Acuerdo no encontrado")
    if for_write and not scope_for(user).is_coordinator:
        raise PermissionDenied("Solo la Coordinación central modifica acuerdos.")
    return agreement


def access_commitment(user: Any, pk: int, *, for_write: bool = False) -> Commitment:
    """The commitment if the user may see it; `for_write` (report progress, ask for an
    extension) also requires being the responsible unit or a coordinator."""
    commitment = (
        Commitment.objects.visible_to(user)
        .select_related(
            "agreement__meeting__region",
            "agreement__meeting__round",
            "agreement__theme",
            "agreement__validating_area",
            "responsible_unit__region",
        )
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404("Compromiso no encontrado")
    if for_write:
        scope = scope_for(user)
        if not (scope.is_coordinator or commitment.responsible_unit_id in scope.unit_ids):
            raise PermissionDenied("Solo la unidad responsable modifica este compromiso.")
    return commitment
