"""Progress pages: Reportar avance (new, draft, answering observations), the report page with
the validator's decision, Por validar, comments, and scoped, audited evidence downloads.

Thin views: access (404 outside scope) → permission (403 for an action the user may not take on
an object they can see) → form → service → redirect or render. A ConflictError (someone else
acted first) answers 409 with the page and a Spanish alert saying what changed.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from acuerdos.commitments.models import Commitment
from acuerdos.commitments.permissions import access_commitment
from acuerdos.commitments.policies import can_comment, can_report, can_validate
from acuerdos.commitments.views import commitment_page
from acuerdos.core.dates import today
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.core.htmx import render_page_or_partial
from acuerdos.core.pagination import paginate
from acuerdos.notifications import selectors as notification_selectors
from acuerdos.notifications.services import mark_read
from acuerdos.progress import selectors, services
from acuerdos.progress.forms import (
    REJECT,
    RETURN,
    VALIDATE,
    CommentForm,
    QueueFilterForm,
    ReportForm,
    ReviewForm,
    max_evidence_bytes,
    size_label,
)
from acuerdos.progress.models import ProgressReport, ReportState
from acuerdos.progress.permissions import access_evidence, access_report

AUTOSAVE_CLEAR = "acuerdos_autosave_clear"


def autosave_key(user: Any, commitment: Commitment) -> str:
    """The browser-storage key under which static/js/autosave.js keeps a report being written:
    per person and commitment, so that a shared computer never shows one person's text to
    another."""
    return f"acuerdos:avance:{user.pk}:{commitment.pk}"


def _require_reporter(user: Any, commitment: Commitment) -> None:
    if not can_report(user, responsible_unit_id=commitment.responsible_unit_id):
        raise PermissionDenied(_("Solo el titular o el enlace de la unidad responsable reporta."))


def _evidence_error(message: str) -> bool:
    """Whether a service refusal is about the files (shown under the file box) — the form has
    already checked every other field the way the service does."""
    return message.startswith("No se aceptó") or "evidencia" in message


def _answers_for(
    request: HttpRequest, commitment: Commitment, raw: object
) -> ProgressReport | None:
    """The returned report being answered, named by `answers=`; 404 if the user cannot see it
    or it belongs to another commitment."""
    if raw in (None, ""):
        return None
    try:
        pk = int(str(raw))
    except ValueError:
        return None
    report = access_report(request.user, pk)
    if report.commitment_id != commitment.pk:
        raise Http404("Reporte no encontrado")
    return report


def _render_form(
    request: HttpRequest,
    *,
    commitment: Commitment,
    form: ReportForm,
    report: ProgressReport | None,
    answers: ProgressReport | None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "progress/report_form.html",
        {
            "commitment": commitment,
            "form": form,
            "report": report,
            "answers": answers,
            "conflict": conflict,
            "autosave_key": autosave_key(request.user, commitment),
            "existing_evidence": list(report.evidence.all()) if report else [],
            "max_bytes": max_evidence_bytes(),
            "max_size": size_label(max_evidence_bytes()),
            "latest_percent": selectors.shown_percent(
                commitment.current_progress_num, commitment.current_progress_den
            ),
        },
        status=status,
    )


def _save(
    request: HttpRequest,
    *,
    commitment: Commitment,
    form: ReportForm,
    report: ProgressReport | None,
    answers: ProgressReport | None,
) -> HttpResponse:
    """Run the service the pressed button asks for; redirect on success, else the form again
    with everything typed (files excepted: browsers never send them twice)."""
    service = services.report_submit if form.submitting else services.report_save_draft
    try:
        saved = service(
            commitment=commitment,
            actor=request.user,
            data=form.to_input(),
            uploads=form.uploads(),
            report=report,
            answers=answers,
            expected_version=form.cleaned_data.get("expected_version") if report else None,
        )
    except ConflictError as error:
        if report is not None:
            report.refresh_from_db()
            if report.state != ReportState.DRAFT:
                messages.error(request, error.message)
                return redirect(report.get_absolute_url())
            # The typed values stay; the current version lets a deliberate retry through.
            data = request.POST.copy()
            data["expected_version"] = str(report.version)
            form = ReportForm(
                data, request.FILES, commitment=commitment, has_evidence=report.evidence.exists()
            )
            form.is_valid()
        return _render_form(
            request,
            commitment=commitment,
            form=form,
            report=report,
            answers=answers,
            conflict=error.message,
            status=409,
        )
    except DomainError as error:
        form.add_error("evidence" if _evidence_error(error.message) else None, error.message)
        return _render_form(
            request, commitment=commitment, form=form, report=report, answers=answers
        )
    if form.submitting:
        messages.success(
            request,
            _(
                "Se envió el reporte a validación de %(area)s. Recibirá una notificación cuando "
                "lo revisen."
            )
            % {"area": commitment.agreement.validating_area.short_name},
        )
    else:
        messages.success(
            request,
            _("Se guardó el borrador. Solo su unidad lo ve hasta que lo envíe a validación."),
        )
    request.session[AUTOSAVE_CLEAR] = autosave_key(request.user, commitment)
    return redirect(saved.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Reportar avance on a commitment; `answers=<id>` answers the observations of a returned
    report (the form opens filled with that report's values)."""
    commitment = access_commitment(request.user, pk)
    _require_reporter(request.user, commitment)
    if commitment.is_cancelled:
        messages.error(request, _("El compromiso está cancelado: ya no recibe reportes de avance."))
        return redirect(commitment.get_absolute_url())
    source = request.POST if request.method == "POST" else request.GET
    answers = _answers_for(request, commitment, source.get("answers"))
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, commitment=commitment)
        if form.is_valid():
            return _save(request, commitment=commitment, form=form, report=None, answers=answers)
        return _render_form(request, commitment=commitment, form=form, report=None, answers=answers)
    if answers is not None:
        if answers.state != ReportState.RETURNED:
            messages.info(request, _("Ese reporte no tiene observaciones por atender."))
            return redirect(answers.get_absolute_url())
        answer = answers.answered_by.order_by("-created_at").first()
        if answer is not None and answer.state != ReportState.DRAFT:
            messages.info(request, _("Esas observaciones ya se atendieron con otro reporte."))
            return redirect(answer.get_absolute_url())
        if answer is not None:
            messages.info(
                request,
                _("Ya tiene un borrador que atiende estas observaciones: continúe con él."),
            )
            return redirect(reverse("progress:report_edit", args=[answer.pk]))
    initial: dict[str, Any] = {"as_of": today()}
    if answers is not None:
        initial |= {
            "answers": answers.pk,
            "percent": answers.percent,
            "indicator_value": answers.indicator_value,
            "narrative": answers.narrative,
            "milestones": list(answers.milestones_done.values_list("pk", flat=True)),
        }
    else:
        initial["milestones"] = selectors.latest_milestone_set(commitment)
    form = ReportForm(initial=initial, commitment=commitment)
    return _render_form(request, commitment=commitment, form=form, report=None, answers=answers)


@require_http_methods(["GET", "POST"])
@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft report (its unit only) and save it again or send it to validation."""
    report = access_report(request.user, pk)
    commitment = report.commitment
    _require_reporter(request.user, commitment)
    if report.state != ReportState.DRAFT:
        messages.info(
            request,
            _("Este reporte ya está «%(state)s»: solo los borradores se editan.")
            % {"state": report.get_state_display()},
        )
        return redirect(report.get_absolute_url())
    has_evidence = report.evidence.exists()
    answers = report.answers
    if request.method == "POST":
        form = ReportForm(
            request.POST, request.FILES, commitment=commitment, has_evidence=has_evidence
        )
        if form.is_valid():
            return _save(request, commitment=commitment, form=form, report=report, answers=answers)
    else:
        form = ReportForm(
            initial={
                "as_of": report.as_of,
                "percent": report.percent,
                "indicator_value": report.indicator_value,
                "narrative": report.narrative,
                "milestones": list(report.milestones_done.values_list("pk", flat=True)),
                "expected_version": report.version,
            },
            commitment=commitment,
            has_evidence=has_evidence,
        )
    return _render_form(request, commitment=commitment, form=form, report=report, answers=answers)


def _report_page(
    request: HttpRequest,
    report: ProgressReport,
    *,
    review_form: ReviewForm | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    detail = selectors.report_detail(request.user, report)
    return render(
        request,
        "progress/report_detail.html",
        {
            "report": report,
            "commitment": report.commitment,
            "detail": detail,
            "review_form": review_form or ReviewForm(initial={"expected_version": report.version}),
            "conflict": conflict,
            "autosave_clear": request.session.pop(AUTOSAVE_CLEAR, ""),
        },
        status=status,
    )


@require_GET
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report: values, narrative, evidence, state, observations, the reports it answers or
    that answer it, and — for the validating area — Validar, Devolver, Rechazar."""
    report = access_report(request.user, pk)
    seen = notification_selectors.unread_ids_for(request.user, report.get_absolute_url())
    if seen:
        mark_read(user=request.user, notification_ids=seen)  # type: ignore[arg-type]
    return _report_page(request, report)


class _Review(Protocol):
    def __call__(
        self, *, report: ProgressReport, actor: Any, comment: str, expected_version: int | None
    ) -> ProgressReport: ...


_DECISIONS: dict[str, tuple[_Review, StrOrPromise]] = {
    VALIDATE: (
        services.report_validate,
        gettext_lazy("Se validó el reporte de avance; ya cuenta."),
    ),
    RETURN: (
        services.report_return,
        gettext_lazy("Se devolvió el reporte con observaciones; la unidad recibió un aviso."),
    ),
    REJECT: (
        services.report_reject,
        gettext_lazy("Se rechazó el reporte; la unidad recibió el motivo."),
    ),
}


@require_POST
@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Validar, Devolver (observations required) or Rechazar (reason required)."""
    report = access_report(request.user, pk)
    area_id = report.commitment.agreement.validating_area_id
    if not can_validate(request.user, validating_area_id=area_id):
        raise PermissionDenied(_("Solo el área normativa que valida o la coordinación revisan."))
    form = ReviewForm(request.POST)
    if form.is_valid():
        service, done = _DECISIONS[form.cleaned_data["decision"]]
        try:
            service(
                report=report,
                actor=request.user,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except ConflictError as error:
            report = access_report(request.user, pk)
            return _report_page(request, report, conflict=error.message, status=409)
        except DomainError as error:
            form.add_error("comment", error.message)
        else:
            messages.success(request, str(done))
            return redirect(reverse("progress:review_queue"))
    return _report_page(request, report, review_form=form)


@require_GET
@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Por validar: the submitted reports of the user's area (all, for coordinators), the
    longest waiting first, with filters."""
    if not request.user.has_perm("acuerdos.validate"):
        raise PermissionDenied(_("Por validar es para las áreas normativas y la coordinación."))
    form = QueueFilterForm(request.GET or None, user=request.user)
    page = paginate(request, selectors.review_queue(request.user, form.to_filters()))
    return render_page_or_partial(
        request, "progress/review_queue.html", {"form": form, "page": page, "today": today()}
    )


@require_POST
@login_required
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a comment in the commitment's thread (everyone involved; not Consulta)."""
    commitment = access_commitment(request.user, pk)
    if not can_comment(
        request.user,
        responsible_unit_id=commitment.responsible_unit_id,
        validating_area_id=commitment.agreement.validating_area_id,
    ):
        raise PermissionDenied(_("Su rol es de consulta: no puede comentar."))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                commitment=commitment, actor=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error("text", error.message)
        else:
            messages.success(request, _("Se publicó su comentario."))
            return redirect(f"{commitment.get_absolute_url()}#comentarios")
    return commitment_page(request, commitment, comment_form=form)


@require_GET
@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Download an evidence file as an attachment; every download is audited."""
    evidence = access_evidence(request.user, pk)
    services.evidence_downloaded(evidence=evidence, actor=request.user)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
