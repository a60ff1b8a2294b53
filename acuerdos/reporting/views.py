"""The Informes inbox, scoped downloads, and the request of a region's meeting pack."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from acuerdos.core.pagination import paginate
from acuerdos.organization.scope import scope_for
from acuerdos.reporting import selectors, services
from acuerdos.reporting.forms import InboxFilterForm, PackForm
from acuerdos.reporting.models import ReportFormat
from acuerdos.reporting.permissions import access_report, check_pack_access
from acuerdos.reporting.services import MIMETYPES


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The reports the user may see, latest first, with their downloads."""
    form = InboxFilterForm(request.GET or None)
    reports = selectors.reports_for(request.user)
    if form.is_valid() and form.cleaned_data["tipo"]:
        reports = reports.filter(audience=form.cleaned_data["tipo"])
    page = paginate(request, reports)
    return render(
        request,
        "reporting/inbox.html",
        {
            "page": page,
            "rows": selectors.with_spreadsheets(request.user, list(page.object_list)),
            "form": form,
            "pack_form": PackForm() if scope_for(request.user).is_coordinator else None,
        },
    )


@require_GET
@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """Download a report as an attachment; every download is audited."""
    report = access_report(request.user, pk)
    services.report_downloaded(report=report, actor=request.user)
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.file_name,
        content_type=MIMETYPES[ReportFormat(report.format)],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def pack_request(request: HttpRequest) -> HttpResponse:
    """Queue a region's follow-up meeting pack; it appears in the inbox when ready."""
    from acuerdos.reporting.tasks import generate_meeting_pack

    check_pack_access(request.user)
    form = PackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija una región."))
        return redirect("reporting:inbox")
    region = form.cleaned_data["region"]
    generate_meeting_pack(region.pk, request.user.pk)
    messages.success(
        request,
        _(
            "Se está generando el paquete de la reunión de seguimiento de %(region)s; aparecerá "
            "en esta lista en unos momentos."
        )
        % {"region": region.name},
    )
    return redirect("reporting:inbox")
