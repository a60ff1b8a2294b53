"""The review screen of a follow-up meeting: the region's open agreements, overdue first, each
with a small form that records the decision (htmx swaps just that agreement; without JavaScript
the whole page reloads)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from acuerdos.core.errors import DomainError
from acuerdos.core.htmx import is_htmx
from acuerdos.followup import selectors
from acuerdos.followup.forms import DecisionForm
from acuerdos.followup.models import ReviewDecision
from acuerdos.followup.permissions import access_review, access_review_agreement
from acuerdos.followup.services import review_record
from acuerdos.meetings.models import Meeting
from acuerdos.progress.services import Upload

PER_PAGE = 50  # a region has hundreds of agreements: the most overdue come first


def _initial(decision: ReviewDecision | None) -> dict[str, object]:
    if decision is None:
        return {}
    return {"kind": decision.kind, "note": decision.note, "new_due_date": decision.new_due_date}


def _render_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    bound: DecisionForm | None = None,
    bound_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    agenda = selectors.review_agenda(request.user, meeting)
    page = Paginator(agenda.items, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (
            item,
            bound
            if item.agreement.pk == bound_pk and bound is not None
            else DecisionForm(initial=_initial(item.decision), prefix=f"a{item.agreement.pk}"),
        )
        for item in page.object_list
    ]
    return render(
        request,
        "followup/review.html",
        {"meeting": meeting, "agenda": agenda, "rows": rows, "page": page},
        status=status,
    )


@require_GET
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Revisión de acuerdos: the coordinator steps through the region's open agreements."""
    meeting = access_review(request.user, pk)
    return _render_page(request, meeting)


@require_POST
@login_required
def decide(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    """Record (or correct) the decision about one agreement."""
    meeting = access_review(request.user, pk)
    agreement = access_review_agreement(request.user, meeting, agreement_pk)
    form = DecisionForm(request.POST, request.FILES, prefix=f"a{agreement.pk}")
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        upload = data.get("evidence")
        try:
            review_record(
                meeting=meeting,
                agreement=agreement,
                kind=data["kind"],
                actor=request.user,
                note=data.get("note") or "",
                new_due_date=data.get("new_due_date"),
                evidence=Upload(stream=upload, name=upload.name or "") if upload else None,
            )
            saved = True
        except DomainError as error:
            form.add_error(None, error.message)
    if is_htmx(request):
        item = selectors.agenda_item(request.user, meeting, agreement)
        if saved:
            form = DecisionForm(initial=_initial(item.decision), prefix=f"a{agreement.pk}")
        return render(
            request,
            "followup/_review_item.html",
            {
                "meeting": meeting,
                "item": item,
                "form": form,
                "just_saved": saved,
                "oob_decided": ReviewDecision.objects.filter(meeting=meeting).count(),
            },
        )
    if saved:
        messages.success(
            request,
            _("Se registró la decisión sobre el acuerdo %(folio)s.") % {"folio": agreement.folio},
        )
        return redirect("followup:review", pk=meeting.pk)
    return _render_page(request, meeting, bound=form, bound_pk=agreement.pk)
