"""Pages of agreements and commitments, and the home page.

Thin views: access → validate → selector → render. Lists start from `visible_to(user)` (in the
selectors); single objects come through `permissions.access_*`, which answer 404 outside scope.

The home page lives here because it summarises agreements, commitments and meetings, and
`commitments` is the highest app of the dependency chain so far; the evaluation issue will give
it the compliance board.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from acuerdos.commitments import selectors
from acuerdos.commitments.forms import AgreementFilterForm
from acuerdos.commitments.permissions import access_agreement, access_commitment
from acuerdos.core.dates import today
from acuerdos.core.htmx import render_page_or_partial
from acuerdos.core.pagination import paginate
from acuerdos.organization.scope import scope_for


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Inicio: scoped counts, the next due commitments, and what the evaluation will add."""
    summary = selectors.dashboard_summary(request.user, today())
    return render(
        request,
        "commitments/dashboard.html",
        {"summary": summary, "today": today()},
    )


@require_GET
@login_required
def my_commitments(request: HttpRequest) -> HttpResponse:
    """Mis compromisos: the commitments of the user's units, then those where a unit of theirs
    is co-responsible (read-only). Each list has its own page number."""
    scope = scope_for(request.user)
    context: dict[str, object] = {"has_units": scope.is_unit_member}
    if scope.is_unit_member:
        context["own_page"] = paginate(request, selectors.my_commitments(request.user))
        context["co_page"] = paginate(
            request, selectors.co_responsible_commitments(request.user), param="co_page"
        )
    return render(request, "commitments/my_commitments.html", context)


@require_GET
@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    """Acuerdos: filters (validated form) and a paginated, scoped list; htmx gets the results
    fragment only, a plain GET the whole page."""
    form = AgreementFilterForm(request.GET or None, user=request.user)
    filters = form.to_filters()
    page = paginate(request, selectors.agreement_list(request.user, filters))
    return render_page_or_partial(
        request, "commitments/agreement_list.html", {"form": form, "page": page}
    )


@require_GET
@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One agreement with all its commitments (see `selectors.agreement_detail`)."""
    agreement = access_agreement(request.user, pk)
    detail = selectors.agreement_detail(request.user, agreement)
    return render(
        request,
        "commitments/agreement_detail.html",
        {"agreement": agreement, "detail": detail},
    )


@require_GET
@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One commitment: agreement, unit, dates, target, milestones, co-responsible units."""
    commitment = access_commitment(request.user, pk)
    detail = selectors.commitment_detail(request.user, commitment)
    return render(
        request,
        "commitments/commitment_detail.html",
        {"commitment": commitment, "detail": detail},
    )
