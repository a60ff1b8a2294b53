"""The Bitácora page: every audit event, filtered and paginated.

Who reads it: the Coordinación central and Consulta (`acuerdos.view_all`). PRODUCT.md §1 gives
Consulta (Dirección General, OIC, auditors) read access to everything, and the audit trail is
precisely what the OIC audits; validators and units see the story of each of their commitments on
its own page instead. Everyone else gets 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from acuerdos.audit import selectors
from acuerdos.audit.forms import AuditFilterForm
from acuerdos.core.htmx import render_page_or_partial
from acuerdos.core.pagination import paginate


@require_GET
@login_required
@permission_required("acuerdos.view_all", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    """Bitácora: filters (validated form) and a paginated list, newest first."""
    form = AuditFilterForm(request.GET or None)
    page = paginate(request, selectors.audit_events(form.to_filters()))
    rows = selectors.log_rows(list(page.object_list))
    return render_page_or_partial(
        request, "audit/audit_log.html", {"form": form, "page": page, "rows": rows}
    )
