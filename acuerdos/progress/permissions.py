"""Access to progress reports and evidence: 404 outside scope (existence does not leak)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from acuerdos.progress.models import Evidence, ProgressReport


def access_report(user: Any, pk: int) -> ProgressReport:
    """The report if the user can see it (drafts only to their own unit), else 404."""
    report = (
        ProgressReport.objects.visible_to(user)
        .select_related("commitment__agreement", "commitment__responsible_unit", "author")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404("Reporte no encontrado")
    return report


def access_evidence(user: Any, pk: int) -> Evidence:
    """The evidence file if the user can see its report, else 404."""
    evidence = (
        Evidence.objects.filter(report__in=ProgressReport.objects.visible_to(user), pk=pk)
        .select_related("report__commitment")
        .first()
    )
    if evidence is None:
        raise Http404("Evidencia no encontrada")
    return evidence
