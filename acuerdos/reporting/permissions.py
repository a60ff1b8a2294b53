"""Access to informes: a report outside the user's scope answers 404; the meeting pack is
requested only by the Coordinación central (403 for everyone else)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from acuerdos.organization.scope import scope_for
from acuerdos.reporting.models import Report


def access_report(user: Any, pk: int) -> Report:
    """The report if the user may see it, else 404."""
    report = Report.objects.visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404("Informe no encontrado")
    return report


def check_pack_access(user: Any) -> None:
    """Only coordinators generate a region's follow-up meeting pack."""
    if not scope_for(user).is_coordinator:
        raise PermissionDenied("Solo la Coordinación central genera los paquetes de reunión.")
