"""The import screen of the Coordinación central: upload → preview → confirm, for the agreements
of a meeting and for the progress history (PRODUCT.md §4.2, issue 6).

1. *Cargar*: the file (≤ 20 MB) is read and kept on the server (`imports.staging`: private
   directory, keyed by person + kind + meeting + SHA-256, expiring) and the browser is sent to
   the preview of that file.
2. *Vista previa*: the import services plan the file — nothing is written — and the page shows
   the summary, what would be created, what is already registered, every error by sheet, row
   and column, and the unknown unit names with one-click "Agregar como alias de …" buttons.
3. *Importar*: only offered with zero errors. The staged file is read back and hashed again,
   planned again and written in one transaction by the same services; the page shows what was
   written. A plan that changed since the preview is shown again instead of written.

Everyone but coordinators gets 403 on every step (the services refuse them too).
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from acuerdos.commitments.import_forms import (
    AgreementUploadForm,
    AliasForm,
    ConfirmForm,
    ProgressUploadForm,
    alias_choice_rows,
)
from acuerdos.commitments.imports import (
    AgreementImportPlan,
    FileRefused,
    ImportFile,
    agreements_import_apply,
    agreements_import_plan,
    template_build,
    unit_alias_add,
)
from acuerdos.commitments.imports.staging import (
    StagedFile,
    StagedFileMissing,
    StagedKind,
    staged_discard,
    staged_load,
    staged_save,
)
from acuerdos.commitments.imports.template import TemplateKind
from acuerdos.commitments.models import Agreement
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.core.exports import XLSX_CONTENT_TYPE
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import User
from acuerdos.progress.imports import (
    ProgressImportPlan,
    progress_import_apply,
    progress_import_plan,
)

MANAGE = "acuerdos.manage"
SHOWN_ROWS = 200
TEMPLATE_NAMES = {
    "agreements": "plantilla-importacion-acuerdos.xlsx",
    "progress": "plantilla-importacion-avances.xlsx",
}

Plan = AgreementImportPlan | ProgressImportPlan


def _user(request: HttpRequest) -> User:
    """The signed-in person (every view here requires login)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _start_page(
    request: HttpRequest,
    *,
    agreement_form: AgreementUploadForm | None = None,
    progress_form: ProgressUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "imports/start.html",
        {
            "agreement_form": agreement_form or AgreementUploadForm(),
            "progress_form": progress_form or ProgressUploadForm(),
        },
        status=status,
    )


@require_GET
@login_required
@permission_required(MANAGE, raise_exception=True)
def import_start(request: HttpRequest) -> HttpResponse:
    """Importar: the two upload forms and the templates."""
    return _start_page(request)


def _stage(
    request: HttpRequest,
    form: AgreementUploadForm | ProgressUploadForm,
    kind: StagedKind,
    meeting: Meeting | None,
) -> StagedFile | None:
    """Read the upload (never more than the limit) and keep it; a refusal becomes a form error."""
    upload = form.cleaned_data["file"]
    try:
        file = ImportFile.from_stream(upload, upload.name or "archivo")
    except FileRefused as refused:
        form.add_error("file", refused.message)
        return None
    return staged_save(
        user=request.user, kind=kind, meeting_id=meeting.pk if meeting else None, file=file
    )


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def agreements_upload(request: HttpRequest) -> HttpResponse:
    """Cargar acuerdos: keep the file and show its preview."""
    form = AgreementUploadForm(request.POST, request.FILES)
    if form.is_valid():
        meeting: Meeting = form.cleaned_data["meeting"]
        staged = _stage(request, form, "agreements", meeting)
        if staged is not None:
            return redirect("imports:agreements_preview", meeting.pk, staged.sha256)
    return _start_page(request, agreement_form=form, status=400)


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def progress_upload(request: HttpRequest) -> HttpResponse:
    """Cargar historial de avances: keep the file and show its preview."""
    form = ProgressUploadForm(request.POST, request.FILES)
    if form.is_valid():
        staged = _stage(request, form, "progress", None)
        if staged is not None:
            return redirect("imports:progress_preview", staged.sha256)
    return _start_page(request, progress_form=form, status=400)


def _meeting(pk: int) -> Meeting:
    meeting = Meeting.objects.select_related("region").filter(pk=pk).first()
    if meeting is None:
        raise Http404("Reunión no encontrada")
    return meeting


def _expired(request: HttpRequest, missing: StagedFileMissing) -> HttpResponse:
    return render(request, "imports/expired.html", {"message": missing.message}, status=410)


def _preview_urls(kind: StagedKind, meeting: Meeting | None, sha256: str) -> dict[str, str]:
    if kind == "agreements":
        assert meeting is not None
        args: list[Any] = [meeting.pk, sha256]
        return {
            "preview_url": reverse("imports:agreements_preview", args=args),
            "confirm_url": reverse("imports:agreements_confirm", args=args),
        }
    return {
        "preview_url": reverse("imports:progress_preview", args=[sha256]),
        "confirm_url": reverse("imports:progress_confirm", args=[sha256]),
    }


def _preview_page(
    request: HttpRequest,
    *,
    staged: StagedFile,
    plan: Plan,
    meeting: Meeting | None = None,
    status: int = 200,
    conflict: str = "",
) -> HttpResponse:
    """The preview: summary, what would be created / is registered / conflicts, every error,
    the unknown units with their alias buttons, and the confirmation when there is no error."""
    to_create = plan.to_create
    context: dict[str, Any] = {
        "kind": staged.kind,
        "staged": staged,
        "plan": plan,
        "meeting": meeting,
        "conflict": conflict,
        "to_create": to_create[:SHOWN_ROWS],
        "to_create_count": len(to_create),
        "unchanged_count": len(plan.unchanged),
        "shown_rows": SHOWN_ROWS,
        "errors_by_table": _by_table(plan),
        "unknown_rows": alias_choice_rows(plan.unknown_units),
        "alias_form": AliasForm(),
        "confirm_form": ConfirmForm(
            initial={
                "expected_create": len(to_create),
                "expected_unchanged": len(plan.unchanged),
            }
        ),
        **_preview_urls(staged.kind, meeting, staged.sha256),
    }
    if isinstance(plan, AgreementImportPlan):
        context["conflicts"] = plan.conflicts
        context["unchanged"] = plan.unchanged[:SHOWN_ROWS]
    return render(request, "imports/preview.html", context, status=status)


def _by_table(plan: Plan) -> list[tuple[str, list[Any]]]:
    """Errors grouped by sheet (or table of the minuta), in the order found."""
    groups: dict[str, list[Any]] = {}
    for issue in plan.errors:
        groups.setdefault(issue.table, []).append(issue)
    return list(groups.items())


@require_GET
@login_required
@permission_required(MANAGE, raise_exception=True)
def agreements_preview(request: HttpRequest, meeting_pk: int, sha256: str) -> HttpResponse:
    """Vista previa of an agreements file for a meeting (writes nothing)."""
    meeting = _meeting(meeting_pk)
    try:
        staged = staged_load(
            user=request.user, kind="agreements", meeting_id=meeting.pk, sha256=sha256
        )
    except StagedFileMissing as missing:
        return _expired(request, missing)
    plan = agreements_import_plan(file=staged.file, meeting=meeting)
    return _preview_page(request, staged=staged, plan=plan, meeting=meeting)


@require_GET
@login_required
@permission_required(MANAGE, raise_exception=True)
def progress_preview(request: HttpRequest, sha256: str) -> HttpResponse:
    """Vista previa of a progress history file (writes nothing)."""
    try:
        staged = staged_load(user=request.user, kind="progress", meeting_id=None, sha256=sha256)
    except StagedFileMissing as missing:
        return _expired(request, missing)
    plan = progress_import_plan(file=staged.file)
    return _preview_page(request, staged=staged, plan=plan)


def _changed_since_preview(request: HttpRequest, plan: Plan) -> str:
    """Why the plan may not be written as confirmed (errors, or it changed since the preview)."""
    if plan.errors:
        return _("El archivo tiene errores: no se importó nada. Corríjalos y cárguelo de nuevo.")
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _("La confirmación no corresponde a una vista previa. No se importó nada.")
    expected = (form.cleaned_data["expected_create"], form.cleaned_data["expected_unchanged"])
    if expected != (len(plan.to_create), len(plan.unchanged)):
        return _(
            "Lo registrado cambió desde que vio la vista previa (otra persona importó o registró "
            "datos). No se importó nada: revise la vista previa actualizada y confirme de nuevo."
        )
    return ""


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def agreements_confirm(request: HttpRequest, meeting_pk: int, sha256: str) -> HttpResponse:
    """Importar: write exactly the previewed file (hash checked), or show why not."""
    meeting = _meeting(meeting_pk)
    try:
        staged = staged_load(
            user=request.user, kind="agreements", meeting_id=meeting.pk, sha256=sha256
        )
    except StagedFileMissing as missing:
        return _expired(request, missing)
    plan = agreements_import_plan(file=staged.file, meeting=meeting)
    refused = _changed_since_preview(request, plan)
    if not refused:
        try:
            agreements_import_apply(plan=plan, actor=request.user)
        except DomainError as error:
            # Someone imported some of these folios meanwhile: show the plan as it is now.
            refused = error.message
            plan = agreements_import_plan(file=staged.file, meeting=meeting)
    if refused:
        return _preview_page(
            request, staged=staged, plan=plan, meeting=meeting, status=409, conflict=refused
        )
    staged_discard(user=request.user, kind="agreements", meeting_id=meeting.pk, sha256=sha256)
    created = list(
        Agreement.objects.filter(
            meeting=meeting, folio__in=[a.folio for a in plan.to_create[:SHOWN_ROWS]]
        )
        .select_related("theme")
        .order_by("folio")
    )
    return render(
        request,
        "imports/done.html",
        {
            "kind": "agreements",
            "plan": plan,
            "meeting": meeting,
            "staged": staged,
            "created": created,
            "to_create_count": len(plan.to_create),
            "shown_rows": SHOWN_ROWS,
        },
    )


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def progress_confirm(request: HttpRequest, sha256: str) -> HttpResponse:
    """Importar: write exactly the previewed progress file (hash checked), or show why not."""
    try:
        staged = staged_load(user=request.user, kind="progress", meeting_id=None, sha256=sha256)
    except StagedFileMissing as missing:
        return _expired(request, missing)
    plan = progress_import_plan(file=staged.file)
    refused = _changed_since_preview(request, plan)
    if not refused:
        try:
            progress_import_apply(plan=plan, actor=_user(request))
        except DomainError as error:
            refused = error.message
            plan = progress_import_plan(file=staged.file)
    if refused:
        return _preview_page(request, staged=staged, plan=plan, status=409, conflict=refused)
    staged_discard(user=request.user, kind="progress", meeting_id=None, sha256=sha256)
    return render(
        request,
        "imports/done.html",
        {
            "kind": "progress",
            "plan": plan,
            "staged": staged,
            "created_reports": plan.to_create[:SHOWN_ROWS],
            "to_create_count": len(plan.to_create),
            "shown_rows": SHOWN_ROWS,
        },
    )


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def alias_add(request: HttpRequest) -> HttpResponse:
    """Agregar como alias de …: register the unknown name (audited) and preview the file again."""
    form = AliasForm(request.POST)
    if not form.is_valid():
        if form.has_error("kind") or form.has_error("sha256") or form.has_error("meeting"):
            return HttpResponseBadRequest(_("Solicitud incompleta: vuelva a la vista previa."))
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        unit = form.cleaned_data["unit"]
        alias = form.cleaned_data["alias"]
        try:
            unit_alias_add(unit=unit, alias=alias, actor=request.user)
        except (ConflictError, DomainError) as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("«%(alias)s» quedó registrado como alias de %(unit)s. Vista previa actualizada.")
                % {"alias": " ".join(alias.split()), "unit": unit.short_name},
            )
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    if data.get("kind") == "agreements":
        if not data.get("meeting"):
            return HttpResponseBadRequest(_("Solicitud incompleta: vuelva a la vista previa."))
        target = reverse("imports:agreements_preview", args=[data["meeting"], data["sha256"]])
    else:
        target = reverse("imports:progress_preview", args=[data["sha256"]])
    return redirect(f"{target}#nombres-no-reconocidos")


@require_GET
@login_required
@permission_required(MANAGE, raise_exception=True)
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    """The XLSX import template (canonical columns, instructions, drop-down lists)."""
    template_kind: TemplateKind = "agreements" if kind == "acuerdos" else "progress"
    buffer = io.BytesIO()
    template_build(buffer, kind=template_kind)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=TEMPLATE_NAMES[template_kind])
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
