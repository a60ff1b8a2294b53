"""Compromisos: the filtered list of commitments and, for the Coordinación central, bulk actions
on a selection of it (reassign the unit, set the due date, change the validating area, cancel).

Thin views: selection → parameters → plan (what will change, shown for confirmation) → apply.
Writes go through `bulk_services`; the list reads `exports.selectors.commitments` — the
commitments export's own rows: `selectors.commitment_list` narrowed by today's semáforo through
the evaluation selectors (`with_status`: the dashboards' SQL) — an upward read that, as
`docs/architecture.md` says, only views make.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from acuerdos.commitments.bulk_forms import (
    ACTION_LABELS,
    BulkParamsForm,
    BulkSelectionForm,
    CommitmentFilterForm,
)
from acuerdos.commitments.bulk_services import (
    AREA,
    DUE_DATE,
    BulkPlan,
    BulkResult,
    SelectedItem,
    commitments_bulk_apply,
    commitments_bulk_plan,
    items_decode,
    items_encode,
    items_of,
)
from acuerdos.commitments.models import Commitment
from acuerdos.core.dates import today
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.core.htmx import render_page_or_partial
from acuerdos.core.pagination import paginate
from acuerdos.evaluation.selectors import basis_for, evaluate
from acuerdos.exports import selectors as export_selectors
from acuerdos.organization.scope import scope_for

NOT_STARTED = export_selectors.NOT_STARTED
SHOWN_ROWS = 200


def bulk_max() -> int:
    """The largest selection one bulk action takes (`ACUERDOS["BULK_MAX"]`, 2,000 by default)."""
    return int(getattr(settings, "ACUERDOS", {}).get("BULK_MAX", 2000))


def _statuses(commitments: list[Commitment]) -> dict[int, tuple[str, Any]]:
    """Status and shown progress today of the listed commitments, in one query."""
    if not commitments:
        return {}
    visible = Commitment.objects.filter(pk__in=[c.pk for c in commitments])
    evaluated = evaluate(visible, basis_for(as_of=today()))
    return {pk: (row.status, row.progress) for pk, row in evaluated.items()}


def _filtered(user: Any, query: QueryDict) -> tuple[CommitmentFilterForm, QuerySet[Commitment]]:
    """The list's rows: the same function as the commitments export (`exports.selectors`), so
    that a download holds exactly what the filtered list shows."""
    form = CommitmentFilterForm(query or None, user=user)
    queryset = export_selectors.commitments(
        user, form.to_filters(), status=form.status_value, basis=basis_for(as_of=today())
    )
    return form, queryset.select_related(
        "agreement__meeting__region",
        "agreement__theme",
        "agreement__validating_area",
        "responsible_unit",
    )


def _filters_query(query: QueryDict) -> str:
    """The list's filters as a query string (page numbers and empty values left out)."""
    kept = query.copy()
    kept.pop("page", None)
    for key in [k for k, values in kept.lists() if not any(values)]:
        kept.pop(key)
    return kept.urlencode()


def _list_url(filters: str) -> str:
    base = reverse("commitments:commitment_list")
    normalized = _filters_query(QueryDict(filters))
    return f"{base}?{normalized}" if normalized else base


@require_GET
@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    """Compromisos: every commitment the user may see, filtered, with today's semáforo; for
    coordinators, checkboxes and the bulk actions."""
    form, queryset = _filtered(request.user, request.GET)
    page = paginate(request, queryset)
    page.object_list = rows = list(page.object_list)
    statuses = _statuses(rows)
    for commitment in rows:
        status, progress = statuses.get(commitment.pk, (NOT_STARTED, None))
        setattr(commitment, "status_today", status)  # noqa: B010
        setattr(commitment, "progress_today", progress)  # noqa: B010
    can_bulk = scope_for(request.user).is_coordinator
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "can_bulk": can_bulk,
        "filters_query": _filters_query(request.GET),
    }
    if can_bulk:
        context["bulk_form"] = BulkSelectionForm()
    return render_page_or_partial(request, "commitments/bulk/commitment_list.html", context)


def _require_bulk(request: HttpRequest) -> None:
    if not scope_for(request.user).is_coordinator:
        raise PermissionDenied(_("Solo la Coordinación central aplica cambios masivos."))


def _render_prepare(
    request: HttpRequest,
    form: BulkParamsForm,
    items: list[SelectedItem],
    *,
    plan: BulkPlan | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    """The parameters page: the selection, the action's value and reason, and (once they are
    valid) the plan of what will change with the button that applies it."""
    action = str(form.data.get("action") if form.is_bound else form.initial.get("action"))
    filters = str(form.data.get("filters") if form.is_bound else form.initial.get("filters"))
    ids = [item.commitment_id for item in items]
    selected = list(
        Commitment.objects.filter(pk__in=ids)
        .select_related("agreement__validating_area", "responsible_unit")
        .order_by("agreement__folio", "responsible_unit__short_name", "pk")[:SHOWN_ROWS]
    )
    context = {
        "form": form,
        "action": action,
        "action_label": ACTION_LABELS.get(action, ""),
        "count": len(items),
        "selected": selected,
        "more": max(len(items) - SHOWN_ROWS, 0),
        "plan": plan,
        "problem": problem,
        "shown_rows": SHOWN_ROWS,
        "back_url": _list_url(filters if filters != "None" else ""),
        "is_area": action == AREA,
        "is_due_date": action == DUE_DATE,
    }
    return render(request, "commitments/bulk/prepare.html", context, status=status)


def _from_list(request: HttpRequest) -> HttpResponse:
    """Step 1 → 2: resolve the selection (ticked rows, or every row of the filters) into the
    commitments and the versions seen, then ask for the action's value and reason."""
    selection = BulkSelectionForm(request.POST)
    filters = str(request.POST.get("filters", ""))
    if not selection.is_valid():
        for errors in selection.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_list_url(filters))
    if selection.cleaned_data["select_all"]:
        _form, queryset = _filtered(request.user, QueryDict(filters))
    else:
        queryset = Commitment.objects.visible_to(request.user).filter(
            pk__in=selection.cleaned_data["ids"]
        )
    items = items_of(queryset)
    if not items:
        messages.error(request, _("Ningún compromiso de la selección está disponible."))
        return redirect(_list_url(filters))
    if len(items) > bulk_max():
        messages.error(
            request,
            _(
                "Se eligieron %(n)s compromisos; un cambio masivo admite como máximo %(max)s. "
                "Acote la lista con los filtros."
            )
            % {"n": len(items), "max": bulk_max()},
        )
        return redirect(_list_url(filters))
    form = BulkParamsForm(
        initial={
            "action": selection.cleaned_data["action"],
            "items": items_encode(items),
            "filters": filters,
        }
    )
    return _render_prepare(request, form, items)


@require_POST
@login_required
def bulk_prepare(request: HttpRequest) -> HttpResponse:
    """Cambio masivo: from the list (selection + action) to the parameters; with the
    parameters, the plan of what will change, for confirmation. Nothing is written here."""
    _require_bulk(request)
    if "items" not in request.POST:
        return _from_list(request)
    form = BulkParamsForm(request.POST)
    try:
        items = items_decode(str(request.POST.get("items", "")))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_list_url(str(request.POST.get("filters", ""))))
    if not items:
        messages.error(request, _("Elija al menos un compromiso."))
        return redirect(_list_url(str(request.POST.get("filters", ""))))
    if not form.is_valid():
        return _render_prepare(request, form, items, status=400)
    try:
        plan = commitments_bulk_plan(items=items, params=form.to_params(), actor=request.user)
    except DomainError as error:
        status = 409 if isinstance(error, ConflictError) else 400
        return _render_prepare(request, form, items, problem=error.message, status=status)
    return _render_prepare(request, form, items, plan=plan)


def _result_message(action: str, result: BulkResult) -> str:
    if action == AREA:
        return ngettext(
            "Se cambió el área normativa que valida de %(agreements)s acuerdo: "
            "%(n)s compromisos cambiaron.",
            "Se cambió el área normativa que valida de %(agreements)s acuerdos: "
            "%(n)s compromisos cambiaron.",
            result.agreements,
        ) % {"agreements": result.agreements, "n": result.changed}
    message = ngettext(
        "Se cambió %(n)s compromiso.", "Se cambiaron %(n)s compromisos.", result.changed
    ) % {"n": result.changed}
    if result.extensions:
        message += " " + ngettext(
            "En %(n)s se registró como reprogramación otorgada.",
            "En %(n)s se registró como reprogramación otorgada.",
            result.extensions,
        ) % {"n": result.extensions}
    if result.unchanged:
        message += " " + ngettext(
            "%(n)s no cambió (ya tenía ese valor o está cancelado).",
            "%(n)s no cambiaron (ya tenían ese valor o están cancelados).",
            result.unchanged,
        ) % {"n": result.unchanged}
    return message


@require_POST
@login_required
def bulk_apply(request: HttpRequest) -> HttpResponse:
    """Apply the confirmed plan: all or nothing; back to the list with how many changed."""
    _require_bulk(request)
    form = BulkParamsForm(request.POST)
    try:
        items = items_decode(str(request.POST.get("items", "")))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_list_url(str(request.POST.get("filters", ""))))
    if not items:
        return redirect(_list_url(str(request.POST.get("filters", ""))))
    if not form.is_valid():
        return _render_prepare(request, form, items, status=400)
    params = form.to_params()
    try:
        result = commitments_bulk_apply(items=items, params=params, actor=request.user)
    except DomainError as error:
        status = 400
        if isinstance(error, ConflictError):
            # Show the plan again with the versions as they are now: a second look, a second
            # confirmation, and nothing was written meanwhile.
            status = 409
            items = items_of(
                Commitment.objects.visible_to(request.user).filter(
                    pk__in=[item.commitment_id for item in items]
                )
            )
            data = request.POST.copy()
            data["items"] = items_encode(items)
            form = BulkParamsForm(data)
            form.is_valid()
        plan = None
        if items:
            try:
                plan = commitments_bulk_plan(items=items, params=params, actor=request.user)
            except DomainError:
                plan = None
        return _render_prepare(
            request, form, items, plan=plan, problem=error.message, status=status
        )
    messages.success(request, _result_message(params.action, result))
    return redirect(_list_url(form.cleaned_data.get("filters") or ""))
