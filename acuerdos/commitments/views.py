"""Pages of agreements and commitments.

Thin views: access → validate → selector → render. Lists start from `visible_to(user)` (in the
selectors); single objects come through `permissions.access_*`, which answer 404 outside scope.
The home page (Inicio) is the compliance board of `acuerdos.evaluation.views`; it still reads
`selectors.dashboard_summary` for the next due commitments.

The commitment page is the one place where the layers meet: it shows the commitment with its
progress reports, comments and audit story. Those reads come from `progress.selectors` and
`audit.selectors`; only this presentation layer looks upward, never the models or services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from acuerdos.audit.selectors import commitment_timeline
from acuerdos.commitments import selectors
from acuerdos.commitments import services as commitment_services
from acuerdos.commitments.forms import (
    APPROVE,
    AgreementCreateForm,
    AgreementEditForm,
    AgreementFilterForm,
    CancelForm,
    CommitmentAddForm,
    CommitmentEditForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    MeetingPickForm,
)
from acuerdos.commitments.models import Commitment, ExtensionStatus
from acuerdos.commitments.permissions import access_agreement, access_commitment
from acuerdos.commitments.policies import (
    can_cancel,
    can_decide_extension,
    can_manage_agreements,
    can_report,
)
from acuerdos.core.dates import today
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.core.htmx import render_page_or_partial
from acuerdos.core.pagination import paginate
from acuerdos.notifications import selectors as notification_selectors
from acuerdos.notifications.services import mark_read
from acuerdos.organization.models import Theme
from acuerdos.organization.scope import scope_for
from acuerdos.progress import selectors as progress_selectors
from acuerdos.progress.forms import CommentForm


class _Versioned(Protocol):
    version: int

    def refresh_from_db(self) -> None: ...


_FormT = TypeVar("_FormT", bound=forms.Form)


def _stale_form(
    request: HttpRequest,
    error: ConflictError,
    instance: _Versioned,
    rebuild: Callable[[QueryDict], _FormT],
) -> tuple[_FormT, str, int]:
    """Someone saved the object after this form was read (optimistic version check): the form
    comes back with what was typed and the Spanish message of the conflict, answered 409. Its
    hidden `expected_version` is moved to the current version, so a deliberate retry goes through
    and a second stale retry is refused again."""
    instance.refresh_from_db()
    typed = request.POST.copy()
    typed["expected_version"] = str(instance.version)
    return rebuild(typed), error.message, 409


@require_GET
@login_required
def my_commitments(request: HttpRequest) -> HttpResponse:
    """Mis compromisos: the commitments of the user's units, then those where a unit of theirs
    is co-responsible (read-only). Each list has its own page number."""
    scope = scope_for(request.user)
    context: dict[str, object] = {"has_units": scope.is_unit_member}
    if scope.is_unit_member:
        own_page = paginate(request, selectors.my_commitments(request.user))
        own_page.object_list = list(own_page.object_list)
        # One query for the page: which rows have observations waiting for an answer.
        returned = progress_selectors.returned_to_answer(c.pk for c in own_page.object_list)
        for commitment in own_page.object_list:
            setattr(commitment, "returned_report", returned.get(commitment.pk))  # noqa: B010
        context["own_page"] = own_page
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


def commitment_page(
    request: HttpRequest,
    commitment: Commitment,
    *,
    status: int = 200,
    conflict: str = "",
    **bound_forms: forms.Form,
) -> HttpResponse:
    """Render the commitment page; the forms passed in (bound, with their errors) replace the
    empty ones, so that an action refused by validation comes back with what was typed."""
    user = request.user
    detail = selectors.commitment_detail(user, commitment)
    progress = progress_selectors.commitment_progress(user, commitment)
    context: dict[str, Any] = {
        "commitment": commitment,
        "detail": detail,
        "progress": progress,
        "timeline": commitment_timeline(commitment.pk),
        "conflict": conflict,
    }
    if progress.can_request_extension:
        context["extension_form"] = ExtensionRequestForm(
            start_date=commitment.start_date, in_force=progress.due_date_in_force
        )
    if progress.can_decide_extension and progress.pending_extension is not None:
        context["decision_form"] = ExtensionDecisionForm(
            initial={"extension": progress.pending_extension.pk}
        )
    if progress.can_comment:
        context["comment_form"] = CommentForm()
    context.update(bound_forms)
    return render(request, "commitments/commitment_detail.html", context, status=status)


@require_GET
@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One commitment: agreement, unit, dates, target, progress (validated and waiting apart),
    reports, due-date history, comments and the audit story, with the actions the user may take."""
    commitment = access_commitment(request.user, pk)
    seen = notification_selectors.unread_ids_for(request.user, commitment.get_absolute_url())
    if seen:
        mark_read(user=request.user, notification_ids=seen)  # type: ignore[arg-type]
    return commitment_page(request, commitment)


@require_POST
@login_required
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Solicitar reprogramación (head or liaison of the responsible unit)."""
    commitment = access_commitment(request.user, pk)
    if not can_report(request.user, responsible_unit_id=commitment.responsible_unit_id):
        raise PermissionDenied(_("Solo el titular o el enlace de la unidad la solicita."))
    in_force = commitment_services.due_date_in_force(commitment, today())
    form = ExtensionRequestForm(request.POST, start_date=commitment.start_date, in_force=in_force)
    if form.is_valid():
        try:
            commitment_services.extension_request(
                commitment=commitment,
                actor=request.user,
                new_due_date=form.cleaned_data["new_due_date"],
                justification=form.cleaned_data["justification"],
            )
        except ConflictError as error:
            return commitment_page(request, commitment, status=409, conflict=error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Se envió la solicitud de reprogramación. Se le avisará cuando se resuelva."),
            )
            return redirect(f"{commitment.get_absolute_url()}#reprogramacion")
    return commitment_page(request, commitment, extension_form=form)


@require_POST
@login_required
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Aprobar or Negar the commitment's pending extension (coordinators; the validating area
    too when `EXTENSIONS_DECIDED_BY_AREA`)."""
    commitment = access_commitment(request.user, pk)
    area_id = commitment.agreement.validating_area_id
    if not can_decide_extension(request.user, validating_area_id=area_id):
        raise PermissionDenied(_("Su rol no resuelve reprogramaciones."))
    form = ExtensionDecisionForm(request.POST)
    if form.is_valid():
        pending = commitment.extension_requests.filter(status=ExtensionStatus.PENDING).first()
        if pending is None or pending.pk != form.cleaned_data["extension"]:
            return commitment_page(
                request,
                commitment,
                status=409,
                conflict=_(
                    "La solicitud de reprogramación que usted veía ya fue resuelta por otra "
                    "persona o reemplazada. No se cambió nada; revise el historial de fechas."
                ),
            )
        approve = form.cleaned_data["decision"] == APPROVE
        try:
            commitment_services.extension_decide(
                request=pending,
                actor=request.user,
                approve=approve,
                comment=form.cleaned_data["comment"],
            )
        except ConflictError as error:
            return commitment_page(request, commitment, status=409, conflict=error.message)
        except DomainError as error:
            form.add_error("comment", error.message)
        else:
            messages.success(
                request,
                _("Se aprobó la reprogramación: la nueva fecha compromiso rige desde hoy.")
                if approve
                else _("Se negó la reprogramación; la unidad recibirá el motivo."),
            )
            return redirect(f"{commitment.get_absolute_url()}#reprogramacion")
    return commitment_page(request, commitment, decision_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def commitment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancelar: a confirmation page with the reason (coordinators only)."""
    commitment = access_commitment(request.user, pk)
    if not can_cancel(request.user):
        raise PermissionDenied(_("Solo la Coordinación central cancela compromisos."))
    if commitment.is_cancelled:
        messages.info(request, _("Este compromiso ya estaba cancelado."))
        return redirect(commitment.get_absolute_url())
    conflict = ""
    status = 200
    if request.method == "POST":
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                commitment_services.commitment_cancel(
                    commitment=commitment,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except ConflictError as error:
                form, conflict, status = _stale_form(request, error, commitment, CancelForm)
                if commitment.is_cancelled:
                    messages.warning(request, error.message)
                    return redirect(commitment.get_absolute_url())
            except DomainError as error:
                form.add_error("reason", error.message)
            else:
                messages.success(
                    request,
                    _("Se canceló el compromiso. Deja de contar en las cifras desde hoy."),
                )
                return redirect(commitment.get_absolute_url())
    else:
        form = CancelForm(initial={"expected_version": commitment.version})
    return render(
        request,
        "commitments/commitment_cancel.html",
        {"commitment": commitment, "form": form, "conflict": conflict},
        status=status,
    )


# --- Creating and editing agreements and commitments (coordinators) ---------------------------


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_agreements(request.user):
        raise PermissionDenied(_("Solo la Coordinación central registra y modifica acuerdos."))


def _meeting_from_query(request: HttpRequest) -> tuple[MeetingPickForm, Any]:
    """The meeting named by `?reunion=<pk>` (validated against the meetings the user sees)."""
    pick = MeetingPickForm(request.GET if "reunion" in request.GET else None, user=request.user)
    meeting = pick.cleaned_data["reunion"] if pick.is_bound and pick.is_valid() else None
    return pick, meeting


@require_http_methods(["GET", "POST"])
@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    """Nuevo acuerdo: first the meeting (`?reunion=<pk>`, which the meeting page links to), then
    the agreement with its folio proposed in the meeting's series and one commitment per
    responsible unit, all with the same dates and target."""
    _require_manager(request)
    pick, meeting = _meeting_from_query(request)
    if meeting is None:
        return render(
            request,
            "commitments/agreement_new_meeting.html",
            {"pick": pick},
            status=400 if pick.is_bound else 200,
        )
    status = 200
    if request.method == "POST":
        form = AgreementCreateForm(request.POST, meeting=meeting)
        if form.is_valid():
            data = form.cleaned_data
            try:
                agreement = commitment_services.agreement_create(
                    meeting=meeting,
                    folio=data["folio"],
                    text=data["text"],
                    deliverable=data["deliverable"],
                    theme=data["theme"],
                    validating_area=form.area(),
                    priority=data["priority"],
                    commitments=[form.spec_for(unit) for unit in data["units"]],
                    actor=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                count = len(data["units"])
                messages.success(
                    request,
                    _("Se registró el acuerdo %(folio)s con %(n)s compromiso(s).")
                    % {"folio": agreement.folio, "n": count},
                )
                return redirect(agreement.get_absolute_url())
        status = 400
    else:
        form = AgreementCreateForm(
            meeting=meeting, initial={"folio": commitment_services.folio_next(meeting)}
        )
    return render(
        request,
        "commitments/agreement_form.html",
        {"form": form, "meeting": meeting, "creating": True},
        status=status,
    )


@require_GET
@login_required
def agreement_folio_check(request: HttpRequest) -> HttpResponse:
    """htmx, as the folio is typed: is it free? (`?folio=…&acuerdo=<pk being edited>`)."""
    _require_manager(request)
    folio = request.GET.get("folio", "").strip()[:40]
    exclude = request.GET.get("acuerdo", "")
    taken = bool(folio) and selectors.folio_taken(
        folio, exclude_pk=int(exclude) if exclude.isdigit() else None
    )
    return render(request, "commitments/_folio_check.html", {"folio": folio, "taken": taken})


@require_GET
@login_required
def agreement_theme_area(request: HttpRequest) -> HttpResponse:
    """htmx, when the theme changes: the validating-area field set to the theme's lead area."""
    _require_manager(request)
    form = AgreementEditForm(initial={})
    theme_id = request.GET.get("theme", "")
    theme = (
        Theme.objects.filter(is_active=True, pk=int(theme_id)).first()
        if theme_id.isdigit()
        else None
    )
    if theme is not None:
        form.initial["validating_area"] = theme.lead_area_id
    return render(request, "commitments/_area_field.html", {"form": form, "theme": theme})


@require_http_methods(["GET", "POST"])
@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Editar acuerdo: folio, text, deliverable, theme, area and priority (version-checked)."""
    agreement = access_agreement(request.user, pk, for_write=True)
    conflict, status = "", 200
    if request.method == "POST":
        form = AgreementEditForm(request.POST, agreement_pk=agreement.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                commitment_services.agreement_update(
                    agreement=agreement,
                    actor=request.user,
                    expected_version=data["expected_version"],
                    folio=data["folio"],
                    text=data["text"],
                    deliverable=data["deliverable"],
                    theme=data["theme"],
                    validating_area=form.area(),
                    priority=data["priority"],
                )
            except ConflictError as error:
                form, conflict, status = _stale_form(
                    request,
                    error,
                    agreement,
                    lambda typed: AgreementEditForm(typed, agreement_pk=agreement.pk),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
                status = 400
            else:
                messages.success(request, _("Se guardaron los cambios del acuerdo."))
                return redirect(agreement.get_absolute_url())
        else:
            status = 400
    else:
        form = AgreementEditForm(
            agreement_pk=agreement.pk,
            initial={
                "folio": agreement.folio,
                "text": agreement.text,
                "deliverable": agreement.deliverable,
                "theme": agreement.theme_id,
                "validating_area": agreement.validating_area_id,
                "priority": agreement.priority,
                "expected_version": agreement.version,
            },
        )
    return render(
        request,
        "commitments/agreement_form.html",
        {"form": form, "meeting": agreement.meeting, "agreement": agreement, "conflict": conflict},
        status=status,
    )


def _commitment_initial(commitment: Commitment, co_ids: list[int]) -> dict[str, Any]:
    return {
        "start_date": commitment.start_date,
        "due_date": commitment.due_date,
        "weight": commitment.weight.normalize(),
        "target_kind": commitment.target_kind,
        "indicator_name": commitment.indicator_name,
        "unit_of_measure": commitment.unit_of_measure,
        "baseline": commitment.baseline.normalize() if commitment.baseline is not None else None,
        "target_value": (
            commitment.target_value.normalize() if commitment.target_value is not None else None
        ),
        "co_responsible_units": co_ids,
        "expected_version": commitment.version,
    }


@require_http_methods(["GET", "POST"])
@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Editar compromiso: dates, weight, target, co-responsible units and milestones, with a
    required reason once progress was validated; reports and extensions are kept."""
    commitment = access_commitment(request.user, pk)
    _require_manager(request)
    if commitment.is_cancelled:
        messages.info(request, _("Este compromiso está cancelado: ya no se modifica."))
        return redirect(commitment.get_absolute_url())
    state = selectors.commitment_edit_state(commitment)
    conflict, status = "", 200
    options: dict[str, Any] = {
        "commitment": commitment,
        "reason_required": state.has_validated_progress,
        "reported_milestone_ids": state.reported_milestone_ids,
        "kind_locked": state.has_reports,
    }
    if request.method == "POST":
        form = CommitmentEditForm(request.POST, **options)
        if form.is_valid():
            data = form.cleaned_data
            try:
                commitment_services.commitment_update(
                    commitment=commitment,
                    actor=request.user,
                    expected_version=data["expected_version"],
                    spec=form.spec_for(commitment.responsible_unit),
                    reason=data["reason"],
                )
            except commitment_services.ReasonRequired as error:
                form.add_error("reason", error.message)
                status = 400
            except ConflictError as error:
                form, conflict, status = _stale_form(
                    request, error, commitment, lambda typed: CommitmentEditForm(typed, **options)
                )
            except (DomainError, ValidationError) as error:
                text = error.message if isinstance(error, DomainError) else error.messages
                for message in [text] if isinstance(text, str) else text:
                    form.add_error(None, message)
                status = 400
            else:
                messages.success(request, _("Se guardaron los cambios del compromiso."))
                return redirect(commitment.get_absolute_url())
        else:
            status = 400
    else:
        form = CommitmentEditForm(
            initial=_commitment_initial(commitment, state.co_responsible_ids),
            milestones=state.milestones,
            **options,
        )
    return render(
        request,
        "commitments/commitment_form.html",
        {
            "form": form,
            "commitment": commitment,
            "agreement": commitment.agreement,
            "state": state,
            "conflict": conflict,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Agregar compromiso: another responsible unit for an existing agreement."""
    agreement = access_agreement(request.user, pk, for_write=True)
    status = 200
    if request.method == "POST":
        form = CommitmentAddForm(request.POST, agreement=agreement)
        if form.is_valid():
            unit = form.cleaned_data["responsible_unit"]
            try:
                commitment = commitment_services.commitment_add(
                    agreement=agreement, actor=request.user, spec=form.spec_for(unit)
                )
            except (DomainError, ValidationError) as error:
                text = error.message if isinstance(error, DomainError) else error.messages
                for message in [text] if isinstance(text, str) else text:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Se agregó el compromiso de %(unit)s.") % {"unit": unit.short_name},
                )
                return redirect(commitment.get_absolute_url())
        status = 400
    else:
        form = CommitmentAddForm(agreement=agreement)
    return render(
        request,
        "commitments/commitment_form.html",
        {"form": form, "agreement": agreement, "adding": True},
        status=status,
    )
