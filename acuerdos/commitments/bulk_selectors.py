"""Reads of the Compromisos list: one row per commitment the user may see, filtered.

The filters are the agreements list's (`AgreementFilters`) with the meaning the commitments
export gives them (`exports.selectors.commitments`): the unit is the responsible unit and the
due-date range applies to each commitment's original fecha compromiso — so the export buttons
of the list download exactly its rows. Today's status (semáforo) is the evaluation's, read in
the view (`bulk_views`), because `evaluation` sits above this app.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from acuerdos.commitments.models import Commitment
from acuerdos.commitments.selectors import AgreementFilters
from acuerdos.core.search import accent_insensitive_pattern
from acuerdos.organization.scope import descendant_ids


def commitment_list(user: Any, filters: AgreementFilters) -> QuerySet[Commitment]:
    """The commitments the user may see under the filters, with what each row shows."""
    queryset = Commitment.objects.visible_to(user)
    if filters.round is not None:
        queryset = queryset.filter(agreement__meeting__round=filters.round)
    if filters.meeting is not None:
        queryset = queryset.filter(agreement__meeting=filters.meeting)
    if filters.region is not None:
        queryset = queryset.filter(agreement__meeting__region=filters.region)
    if filters.theme is not None:
        queryset = queryset.filter(agreement__theme=filters.theme)
    if filters.area is not None:
        queryset = queryset.filter(
            agreement__validating_area_id__in=descendant_ids({filters.area.pk})
        )
    if filters.unit is not None:
        queryset = queryset.filter(responsible_unit=filters.unit)
    if filters.due_from is not None:
        queryset = queryset.filter(due_date__gte=filters.due_from)
    if filters.due_to is not None:
        queryset = queryset.filter(due_date__lte=filters.due_to)
    if filters.text:
        term = filters.text.strip()
        queryset = queryset.filter(
            Q(agreement__folio__icontains=term)
            | Q(agreement__text__iregex=accent_insensitive_pattern(term))
        )
    return queryset.select_related(
        "agreement__meeting__region",
        "agreement__theme",
        "agreement__validating_area",
        "responsible_unit",
    ).order_by("agreement__folio", "responsible_unit__kind", "responsible_unit__short_name", "pk")
