"""Pages of meetings: the scoped list, one meeting with its agreements, commitments per unit and
their semáforo, and the coordinator's forms for rounds and meetings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from acuerdos.audit import services as audit
from acuerdos.core.errors import DomainError
from acuerdos.core.pagination import paginate
from acuerdos.meetings import selectors
from acuerdos.meetings.forms import MeetingForm, RoundForm
from acuerdos.meetings.minuta import MinutaUpload
from acuerdos.meetings.models import Meeting, MeetingKind, Round
from acuerdos.meetings.permissions import access_meeting, access_round, require_coordinator
from acuerdos.meetings.services import meeting_save, round_save


@require_GET
@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Reuniones the user may see, newest first."""
    page = paginate(request, selectors.meeting_list(request.user))
    return render(request, "meetings/meeting_list.html", {"page": page})


@require_GET
@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting: data, semáforo, agreements, commitments per unit, participants and, for a
    follow-up meeting, what it reviewed and decided."""
    from acuerdos.followup.selectors import meeting_decisions

    meeting = access_meeting(request.user, pk)
    detail = selectors.meeting_detail(request.user, meeting)
    evaluation = selectors.meeting_evaluation(request.user, meeting)
    agreements = Paginator(evaluation.agreements, 25).get_page(request.GET.get("page"))
    decisions = (
        meeting_decisions(request.user, meeting) if meeting.kind == MeetingKind.FOLLOW_UP else []
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "detail": detail,
            "evaluation": evaluation,
            "agreements": agreements,
            "decisions": decisions,
        },
    )


@require_GET
@login_required
def minuta_download(request: HttpRequest, pk: int) -> FileResponse:
    """The meeting's minuta, for whoever sees the meeting: as an attachment, audited."""
    meeting = access_meeting(request.user, pk)
    if not meeting.minuta:
        raise Http404("La reunión no tiene minuta.")
    extension = meeting.minuta.name.rsplit(".", 1)[-1].lower()
    with transaction.atomic():
        audit.record(actor=request.user, action="minuta.downloaded", target=meeting)
    response = FileResponse(
        meeting.minuta.open("rb"),
        as_attachment=True,
        filename=f"minuta-{meeting.code}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _meeting_form_page(
    request: HttpRequest, form: MeetingForm, meeting: Meeting | None
) -> HttpResponse:
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


def _save_meeting(
    request: HttpRequest, form: MeetingForm, meeting: Meeting | None
) -> Meeting | None:
    """Run the service with the form's values; a refusal goes back to the form, field by field."""
    data = form.cleaned_data
    upload = data.get("minuta")
    try:
        saved, _created = meeting_save(
            code=data["code"],
            name=data["name"],
            region=data["region"],
            kind=data["kind"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            venue=data.get("venue") or "",
            participants=form.chosen_units(),
            is_demo=meeting.is_demo if meeting is not None else False,
            actor=request.user,
            meeting=meeting,
            round_=data.get("round"),
            minuta=MinutaUpload(stream=upload, name=upload.name or "") if upload else None,
        )
    except DomainError as error:
        form.add_error("minuta", error.message)  # the service refuses only the minuta file
        return None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                target = field if field in form.fields else None
                for item in errors:
                    form.add_error(target, item)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return None
    return saved


@require_http_methods(["GET", "POST"])
@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    """Nueva reunión (coordinators)."""
    require_coordinator(request.user)
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES)
        if form.is_valid():
            saved = _save_meeting(request, form, None)
            if saved is not None:
                messages.success(
                    request, _("Se registró la reunión %(code)s.") % {"code": saved.code}
                )
                return redirect(saved)
    else:
        form = MeetingForm(initial={"round": Round.objects.order_by("-year", "-number").first()})
    return _meeting_form_page(request, form, None)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Editar reunión (coordinators)."""
    meeting = access_meeting(request.user, pk, for_write=True)
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES, instance=meeting)
        if form.is_valid():
            saved = _save_meeting(request, form, meeting)
            if saved is not None:
                messages.success(
                    request, _("Se guardaron los cambios de %(code)s.") % {"code": saved.code}
                )
                return redirect(saved)
    else:
        form = MeetingForm(instance=meeting)
    return _meeting_form_page(request, form, meeting)


@require_GET
@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """Rondas with their meetings (coordinators manage them here)."""
    require_coordinator(request.user)
    return render(request, "meetings/round_list.html", {"rounds": selectors.round_list()})


def _round_form(request: HttpRequest, round_: Round | None) -> HttpResponse:
    if request.method == "POST":
        form = RoundForm(request.POST, instance=round_)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = round_save(
                    name=data["name"],
                    number=data.get("number"),
                    year=data["year"],
                    actor=request.user,
                    round_=round_,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request, _("Se guardó la ronda «%(name)s».") % {"name": saved.name}
                )
                return redirect("meetings:round_list")
    else:
        form = RoundForm(instance=round_)
    return render(request, "meetings/round_form.html", {"form": form, "round": round_})


@require_http_methods(["GET", "POST"])
@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    """Nueva ronda (coordinators)."""
    require_coordinator(request.user)
    return _round_form(request, None)


@require_http_methods(["GET", "POST"])
@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Editar ronda (coordinators)."""
    round_ = access_round(request.user, pk, for_write=True)
    return _round_form(request, round_)
