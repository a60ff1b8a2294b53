"""Pages of the evaluation: the dashboards (Inicio and its drill-down) and the cut-off calendar.

Thin views: access → "as of" form → `boards` (reads) or services (writes) → render. Every figure
comes from `selectors.figures_by` through `boards`, scoped to the user.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from acuerdos.commitments.selectors import dashboard_summary
from acuerdos.core.dates import long_date, today
from acuerdos.core.errors import DomainError
from acuerdos.evaluation import boards, cutoffs, services
from acuerdos.evaluation.forms import AsOfForm, CutOffDateForm
from acuerdos.evaluation.permissions import (
    access_cutoff,
    access_region,
    access_unit,
    check_calendar_access,
)
from acuerdos.organization.scope import scope_for


def _as_of(request: HttpRequest) -> dict[str, Any]:
    """The "as of" form and what every dashboard page needs from it: the basis of the
    figures, the query that keeps it in drill-down links, the closed cut-offs (trend)."""
    closed = boards.closed_cutoffs()
    form = AsOfForm(request.GET or None, cutoffs=closed)
    return {"form": form, "basis": form.basis(), "query": form.query, "closed": closed}


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Inicio: the compliance board of the user's scope (their unit first for heads and
    liaisons), with the next due commitments."""
    context = _as_of(request)
    context["summary"] = dashboard_summary(request.user, today())
    context["today"] = today()
    if scope_for(request.user).roles:
        context["board"] = boards.home_board(request.user, context["basis"], context["closed"])
    return render(request, "evaluation/home.html", context)


@require_GET
@login_required
def board_region(request: HttpRequest, code: str) -> HttpResponse:
    """A region: its figures, its units (drill-down), its themes and trend."""
    region = access_region(request.user, code)
    context = _as_of(request)
    context["region"] = region
    context["board"] = boards.region_board(
        request.user, region, context["basis"], context["closed"]
    )
    return render(request, "evaluation/region.html", context)


@require_GET
@login_required
def board_unit(request: HttpRequest, code: str) -> HttpResponse:
    """A unit: its figures, what it reported that awaits validation (apart), its agreements."""
    unit = access_unit(request.user, code)
    context = _as_of(request)
    context["unit"] = unit
    context["board"] = boards.unit_board(request.user, unit, context["basis"], context["closed"])
    return render(request, "evaluation/unit.html", context)


@require_GET
@login_required
def board_themes(request: HttpRequest) -> HttpResponse:
    """Figures by línea de acción."""
    context = _as_of(request)
    context["board"] = boards.group_board(request.user, "theme", context["basis"])
    return render(request, "evaluation/themes.html", context)


@require_GET
@login_required
def board_areas(request: HttpRequest) -> HttpResponse:
    """Figures by validating normative area."""
    context = _as_of(request)
    context["board"] = boards.group_board(request.user, "area", context["basis"])
    return render(request, "evaluation/areas.html", context)


# --- Cut-off calendar -------------------------------------------------------------------------


def _calendar_page(request: HttpRequest, form: CutOffDateForm, status: int = 200) -> HttpResponse:
    context = {
        "calendar": cutoffs.cutoff_calendar(today()),
        "add_form": form,
        "can_edit": scope_for(request.user).is_coordinator,
    }
    return render(request, "evaluation/cutoff_list.html", context, status=status)


@require_GET
@login_required
def cutoff_list(request: HttpRequest) -> HttpResponse:
    """Cortes: the calendar (coordinators and viewers; only coordinators change it)."""
    check_calendar_access(request.user)
    return _calendar_page(request, CutOffDateForm())


@require_POST
@login_required
def cutoff_add(request: HttpRequest) -> HttpResponse:
    """Add an open cut-off date to the calendar."""
    check_calendar_access(request.user, for_write=True)
    form = CutOffDateForm(request.POST)
    if not form.is_valid():
        return _calendar_page(request, form, status=400)
    date: dt.date = form.cleaned_data["date"]
    services.cutoff_get_or_create(date=date, actor=request.user)
    messages.success(request, _("Se agregó el corte al %(date)s.") % {"date": long_date(date)})
    return redirect("evaluation:cutoffs")


@require_POST
@login_required
def cutoff_add_monthly(request: HttpRequest) -> HttpResponse:
    """Add the missing monthly cut-offs up to the current month."""
    check_calendar_access(request.user, for_write=True)
    added = cutoffs.cutoff_add_monthly(today=today(), actor=request.user)
    if added:
        messages.success(
            request,
            _("Se agregaron %(n)d cortes mensuales al calendario.") % {"n": len(added)},
        )
    else:
        messages.info(request, _("El calendario mensual ya estaba completo."))
    return redirect("evaluation:cutoffs")


@require_http_methods(["GET", "POST"])
@login_required
def cutoff_close(request: HttpRequest, date: dt.date) -> HttpResponse:
    """Close a cut-off: GET asks for confirmation, POST freezes the snapshot (idempotent)."""
    cutoff = access_cutoff(request.user, date, for_write=True)
    if request.method == "GET":
        return render(request, "evaluation/cutoff_close.html", {"cutoff": cutoff, "today": today()})
    try:
        closed, closed_now = services.cutoff_close(date=cutoff.date, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("evaluation:cutoffs")
    if closed_now:
        messages.success(
            request,
            _("Corte al %(date)s cerrado: %(rows)s compromisos congelados.")
            % {"date": long_date(closed.date), "rows": f"{closed.snapshot_rows:,}"},
        )
    else:
        messages.info(
            request,
            _("El corte al %(date)s ya estaba cerrado; no se cambió nada.")
            % {"date": long_date(closed.date)},
        )
    return redirect("evaluation:cutoffs")


@require_POST
@login_required
def cutoff_remove(request: HttpRequest, date: dt.date) -> HttpResponse:
    """Take an open cut-off out of the calendar (a closed one is immutable)."""
    cutoff = access_cutoff(request.user, date, for_write=True)
    try:
        cutoffs.cutoff_remove(cutoff=cutoff, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Se quitó el corte al %(date)s.") % {"date": long_date(cutoff.date)}
        )
    return redirect("evaluation:cutoffs")
