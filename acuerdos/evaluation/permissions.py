"""Access to the dashboards' groups and to cut-offs from what a URL names.

A region or unit page shows only the commitments in the user's scope: when the scope holds none
there, the page answers 404, like any object outside the scope (PRODUCT.md §1) — a liaison
opening another unit's page finds nothing, not an empty board. Coordinators and viewers see every
region and unit that exists (an empty one shows an empty board). Cut-offs: the calendar is for the
Coordinación central and the viewers; only the coordinators change it (403 for everyone else).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from acuerdos.evaluation import boards
from acuerdos.evaluation.models import CutOff
from acuerdos.organization.models import Region, Unit
from acuerdos.organization.scope import scope_for


def access_region(user: Any, code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404("Región no encontrada")
    if not scope_for(user).sees_everything and not boards.has_any(user, boards.in_region(region)):
        raise Http404("Región fuera de su alcance")
    return region


def access_unit(user: Any, code: str) -> Unit:
    unit = Unit.objects.select_related("region", "parent").filter(code=code).first()
    if unit is None:
        raise Http404("Unidad no encontrada")
    if not scope_for(user).sees_everything and not boards.has_any(user, boards.of_unit(unit)):
        raise Http404("Unidad fuera de su alcance")
    return unit


def check_calendar_access(user: Any, *, for_write: bool = False) -> None:
    """The calendar: coordinators and viewers see it, only coordinators change it."""
    scope = scope_for(user)
    allowed = scope.is_coordinator if for_write else scope.sees_everything
    if not allowed:
        raise PermissionDenied("Solo la Coordinación central administra los cortes.")


def access_cutoff(user: Any, date: dt.date, *, for_write: bool = False) -> CutOff:
    """The cut-off of that date in the calendar (403 before 404: the calendar itself is not
    for everyone, so a non-coordinator learns nothing about which dates exist)."""
    check_calendar_access(user, for_write=for_write)
    cutoff = CutOff.objects.filter(date=date).first()
    if cutoff is None:
        raise Http404("Corte no encontrado")
    return cutoff
