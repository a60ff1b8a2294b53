"""Progress views: report permalinks and scoped, audited evidence downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from acuerdos.progress.permissions import access_evidence, access_report
from acuerdos.progress.services import evidence_downloaded


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report's permalink: its place in the commitment's page."""
    report = access_report(request.user, pk)
    return redirect(f"{report.commitment.get_absolute_url()}#reporte-{report.pk}")


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Download an evidence file as an attachment; every download is audited."""
    evidence = access_evidence(request.user, pk)
    evidence_downloaded(evidence=evidence, actor=request.user)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
