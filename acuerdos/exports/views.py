"""Export downloads: the lists of the screens, with the same filter forms and the same scoping,
to XLSX or CSV. Thin views: permission → the screen's form → a `Sheet` → a streamed response,
and one `export.downloaded` audit event per download.

A filter that does not validate is left out, exactly as the screen leaves it out, so that the
file always holds the rows the page shows (every page, not just the visible one).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from acuerdos.audit import selectors as audit_selectors
from acuerdos.audit.forms import AuditFilterForm
from acuerdos.commitments.bulk_forms import CommitmentFilterForm
from acuerdos.commitments.forms import AgreementFilterForm
from acuerdos.core.dates import today
from acuerdos.core.exports import csv_response
from acuerdos.evaluation.selectors import basis_for
from acuerdos.exports import sheets
from acuerdos.exports.services import export_downloaded
from acuerdos.exports.sheets import Sheet
from acuerdos.exports.xlsx import sheet_response
from acuerdos.progress import selectors as progress_selectors
from acuerdos.progress.forms import QueueFilterForm


class _Counted:
    """Rows passed through while counting them (the XLSX is written before it is sent)."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self.rows:
            self.count += 1
            yield row


def _applied(form: forms.Form) -> Mapping[str, Any]:
    """The filters that validated (the ones the list applied)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return {k: v for k, v in form.cleaned_data.items() if k not in form.errors}


def _download(
    request: HttpRequest, sheet: Sheet, file_format: str, filters: Mapping[str, Any]
) -> HttpResponse | StreamingHttpResponse:
    """The file, streamed, with its audit event (which list, format, filters and row count)."""
    filename = f"{sheet.slug}-{today():%Y-%m-%d}"
    if file_format == "csv":
        # The CSV is sent while it is written: its rows are counted first, in one COUNT.
        export_downloaded(
            actor=request.user,
            list_name=sheet.name,
            file_format="CSV",
            filters=filters,
            rows=sheet.count(),
        )
        response: HttpResponse | StreamingHttpResponse = csv_response(
            filename, sheet.columns, sheet.rows
        )
    else:
        counted = _Counted(sheet.rows)
        response = sheet_response(
            filename, sheet.columns, counted, sheet_name=sheet.name, status=sheet.status
        )
        export_downloaded(
            actor=request.user,
            list_name=sheet.name,
            file_format="XLSX",
            filters=filters,
            rows=counted.count,
        )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def agreements(request: HttpRequest, file_format: str) -> HttpResponse | StreamingHttpResponse:
    """Acuerdos: the agreements list with its filters, one row per agreement."""
    form = AgreementFilterForm(request.GET or None, user=request.user)
    sheet = sheets.agreements_sheet(request.user, form.to_filters(), basis_for(as_of=today()))
    return _download(request, sheet, file_format, _applied(form))


@require_GET
@login_required
def commitments(request: HttpRequest, file_format: str) -> HttpResponse | StreamingHttpResponse:
    """Compromisos: the Compromisos list's filters (today's semáforo included), one row per
    commitment, with its status."""
    form = CommitmentFilterForm(request.GET or None, user=request.user)
    sheet = sheets.commitments_sheet(
        request.user, form.to_filters(), basis_for(as_of=today()), status=form.status_value
    )
    return _download(request, sheet, file_format, _applied(form))


@require_GET
@login_required
def reports(request: HttpRequest, file_format: str) -> HttpResponse | StreamingHttpResponse:
    """Reportes de avance of the commitments under the agreements list's filters."""
    form = AgreementFilterForm(request.GET or None, user=request.user)
    sheet = sheets.reports_sheet(request.user, form.to_filters())
    return _download(request, sheet, file_format, _applied(form))


@require_GET
@login_required
def my_commitments(request: HttpRequest, file_format: str) -> HttpResponse | StreamingHttpResponse:
    """Mis compromisos (own and co-responsible), with their status."""
    sheet = sheets.my_commitments_sheet(request.user, basis_for(as_of=today()))
    return _download(request, sheet, file_format, {})


@require_GET
@login_required
@permission_required("acuerdos.validate", raise_exception=True)
def review_queue(request: HttpRequest, file_format: str) -> HttpResponse | StreamingHttpResponse:
    """Por validar, with the page's filters (validators of an area and the coordination)."""
    form = QueueFilterForm(request.GET or None, user=request.user)
    queryset = progress_selectors.review_queue(request.user, form.to_filters())
    sheet = sheets.review_queue_sheet(queryset, today())
    return _download(request, sheet, file_format, _applied(form))


@require_GET
@login_required
@permission_required("acuerdos.view_all", raise_exception=True)
def audit_log(request: HttpRequest, file_format: str) -> HttpResponse | StreamingHttpResponse:
    """Bitácora, with the page's filters (the coordination and Consulta)."""
    form = AuditFilterForm(request.GET or None)
    queryset = audit_selectors.audit_events(form.to_filters())
    return _download(request, sheets.audit_sheet(queryset), file_format, _applied(form))
