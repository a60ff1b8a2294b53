"""Writes of follow-up reviews: one decision per meeting and agreement, applied through the
services that own each effect, all in one transaction with its audit rows.

- *continúa*: only the decision is recorded;
- *prórroga otorgada*: each open commitment gets an extension request made at the meeting and
  approved at once through `commitments.services.extension_decide`, so the history keeps every
  due date and the evaluation reads the new one from today on;
- *cancelado*: `commitments.services.commitment_cancel` for each commitment not yet cancelled,
  with the meeting's reason;
- *declarado cumplido*: the evidence presented at the meeting (checked by content like every
  evidence upload) and, for each open commitment, a progress report at 100 % as of today,
  validated by the coordinator on behalf of the meeting. It counts under PRODUCT.md §3 like any
  validated report: fulfilled from today on, on time or late against its due date in force.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from acuerdos.audit import services as audit
from acuerdos.commitments.models import (
    Agreement,
    Commitment,
    ExtensionStatus,
    TargetKind,
)
from acuerdos.commitments.services import (
    commitment_cancel,
    due_date_in_force,
    extension_decide,
    extension_request,
)
from acuerdos.core import uploads as evidence_files
from acuerdos.core.dates import long_date, today
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.followup.models import DecisionKind, ReviewDecision
from acuerdos.meetings.models import Meeting, MeetingKind
from acuerdos.notifications.services import notify, unit_people
from acuerdos.organization.scope import scope_for
from acuerdos.progress.inputs import refresh_inputs, set_fraction
from acuerdos.progress.models import Evidence, ProgressReport, ReportState
from acuerdos.progress.services import Upload

EFFECTFUL = (DecisionKind.EXTENDED, DecisionKind.CANCELLED, DecisionKind.FULFILLED)


def _snapshot(decision: ReviewDecision) -> dict[str, Any]:
    return {
        "kind": decision.kind,
        "note": decision.note,
        "new_due_date": decision.new_due_date,
        "evidence": decision.evidence_id,
    }


def _check_can_review(actor: Any, meeting: Meeting, agreement: Agreement) -> None:
    if not scope_for(actor).is_coordinator:
        raise PermissionDenied("Sólo la Coordinación central registra las revisiones.")
    if meeting.kind != MeetingKind.FOLLOW_UP:
        raise DomainError("Sólo en una reunión de seguimiento se revisan acuerdos.")
    if agreement.meeting.region_id != meeting.region_id:
        raise DomainError(
            f"El acuerdo {agreement.folio} no es de la región {meeting.region.short_name}."
        )


def _open_commitments(agreement: Agreement) -> list[Commitment]:
    """Commitments neither cancelled nor complete today (from the cached evaluation inputs)."""
    return list(
        agreement.commitments.select_related("responsible_unit")
        .filter(cancelled_on__isnull=True, current_progress_num__lt=F("current_progress_den") * 100)
        .order_by("pk")
    )


def _extend(
    *, decision: ReviewDecision, commitments: list[Commitment], actor: Any, note: str
) -> None:
    new_due_date = decision.new_due_date
    assert new_due_date is not None
    reason = note or f"Prórroga otorgada en la reunión {decision.meeting.code}."
    extended = 0
    for commitment in commitments:
        current = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if current.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
            raise ConflictError(
                f"El compromiso {commitment} tiene una solicitud de reprogramación pendiente: "
                "resuélvala en su página antes de registrar la prórroga."
            )
        if new_due_date < current.start_date:
            raise DomainError(
                f"La nueva fecha compromiso es anterior al inicio de {commitment} "
                f"({long_date(current.start_date)})."
            )
        in_force = due_date_in_force(current, today())
        if in_force == new_due_date:
            continue
        # Requested at the meeting, on the unit's behalf, and approved there: the same request
        # row the unit's own request would leave, so the due-date history stays in one place.
        request = extension_request(
            commitment=current,
            actor=actor,
            new_due_date=new_due_date,
            justification=reason,
            on_behalf=True,
            context={"review": decision.pk, "meeting": decision.meeting.code},
        )
        extension_decide(request=request, actor=actor, approve=True, comment=reason)
        extended += 1
    if not extended:
        raise DomainError(
            "Ningún compromiso abierto del acuerdo cambia de fecha con esa prórroga: "
            "escriba una fecha distinta de la vigente."
        )


def _cancel(
    *, decision: ReviewDecision, commitments: list[Commitment], actor: Any, reason: str
) -> None:
    for commitment in commitments:
        commitment_cancel(commitment=commitment, actor=actor, reason=reason)


def _fulfil(
    *,
    decision: ReviewDecision,
    commitments: list[Commitment],
    actor: Any,
    note: str,
    upload: Upload,
) -> Evidence:
    """A validated 100 % report per commitment, sharing the one evidence file of the meeting."""
    day = today()
    for commitment in commitments:
        if commitment.start_date > day:
            raise DomainError(
                f"El compromiso {commitment} inicia el {long_date(commitment.start_date)}: "
                "no puede declararse cumplido antes de iniciar."
            )
    checked = evidence_files.check_upload(upload.stream, upload.name)
    stored = evidence_files.store(checked)
    first: Evidence | None = None
    try:
        with transaction.atomic():
            now = timezone.now()
            comment = f"Declarado cumplido en la reunión {decision.meeting.code}."
            for commitment in commitments:
                report = ProgressReport(
                    commitment=commitment,
                    author=actor,
                    as_of=day,
                    state=ReportState.VALIDATED,
                    percent=Decimal("100")
                    if commitment.target_kind == TargetKind.PERCENT
                    else None,
                    indicator_value=commitment.target_value
                    if commitment.target_kind == TargetKind.INDICATOR
                    else None,
                    narrative=note,
                    submitted_on=day,
                    submitted_at=now,
                    reviewed_by=actor,
                    reviewed_at=now,
                    validated_on=day,
                    review_comment=comment,
                )
                report.full_clean()
                report.save()
                if commitment.target_kind == TargetKind.MILESTONES:
                    report.milestones_done.set(list(commitment.milestones.all()))
                set_fraction(report, commitment)
                evidence = Evidence.objects.create(
                    report=report,
                    file=stored,
                    original_name=checked.original_name,
                    size=checked.size,
                    sha256=checked.sha256,
                    content_type=checked.content_type,
                    uploaded_by=actor,
                )
                first = first or evidence
                audit.record(
                    actor=actor,
                    action="progress.validated",
                    target=report,
                    commitment_id=commitment.pk,
                    changes={
                        "state": [None, ReportState.VALIDATED],
                        "as_of": [None, day],
                        "progress": [None, "100"],
                    },
                    context={
                        "review": decision.pk,
                        "meeting": decision.meeting.code,
                        "evidence": [
                            {
                                "name": checked.original_name,
                                "sha256": checked.sha256,
                                "size": checked.size,
                            }
                        ],
                    },
                )
                notify(
                    recipients=unit_people(commitment.responsible_unit_id),
                    kind="progress.validated",
                    title=f"Se declaró cumplido {commitment} en {decision.meeting.code}",
                    body=note[:300],
                    url=commitment.get_absolute_url(),
                    commitment_id=commitment.pk,
                    exclude=actor,
                )
            refresh_inputs([c.pk for c in commitments])
    except BaseException:
        evidence_files.discard(stored)
        raise
    assert first is not None
    return first


@transaction.atomic
def review_record(
    *,
    meeting: Meeting,
    agreement: Agreement,
    kind: str,
    actor: Any,
    note: str = "",
    new_due_date: dt.date | None = None,
    evidence: Upload | None = None,
    expected_version: int | None = None,
) -> ReviewDecision:
    """Record (or correct) what a follow-up meeting decided about one agreement of its region.

    The first decision applies its effect; recording the same decision again changes only its
    note (and nothing at all when the note is the same). A "continúa" may later become any other
    decision; a decision that already extended, cancelled or fulfilled commitments cannot be
    turned into another one — those changes are undone on the commitment pages, with history.
    """
    _check_can_review(actor, meeting, agreement)
    if kind not in DecisionKind.values:
        raise DomainError("Elija una decisión de la lista.")
    note = note.strip()
    if kind == DecisionKind.EXTENDED and new_due_date is None:
        raise DomainError("Escriba la nueva fecha compromiso de la prórroga.")
    if kind == DecisionKind.CANCELLED and not note:
        raise DomainError("Escriba el motivo de la cancelación.")
    if kind == DecisionKind.FULFILLED and not note:
        raise DomainError("Describa cómo se cumplió el acuerdo.")

    decision = (
        ReviewDecision.objects.select_for_update()
        .filter(meeting=meeting, agreement=agreement)
        .first()
    )
    if (
        decision is not None
        and expected_version is not None
        and (decision.version != expected_version)
    ):
        raise ConflictError(
            "Otra persona cambió esta decisión mientras usted la tenía abierta: ahora es "
            f"«{decision.get_kind_display()}». No se guardó nada; revise y vuelva a intentarlo."
        )
    apply_effect = decision is None or (
        decision.kind == DecisionKind.CONTINUES and kind != DecisionKind.CONTINUES
    )
    if decision is not None and decision.kind != kind and not apply_effect:
        raise DomainError(
            f"Este acuerdo ya quedó «{decision.get_kind_display()}» en esta reunión y se "
            "aplicaron sus cambios; aquí sólo puede corregir la nota."
        )
    before = _snapshot(decision) if decision is not None else {}
    if decision is None:
        decision = ReviewDecision(meeting=meeting, agreement=agreement, decided_by=actor)
    elif not apply_effect:
        if decision.note == note:
            return decision  # the same decision again: nothing to write
        decision.note = note
    if apply_effect:
        decision.kind = kind
        decision.note = note
        decision.new_due_date = new_due_date if kind == DecisionKind.EXTENDED else None
        if kind == DecisionKind.FULFILLED and evidence is None:
            raise DomainError("Adjunte la evidencia con la que se declara cumplido.")
    decision.decided_by = actor
    decision.decided_at = timezone.now()
    if decision.pk is not None:
        decision.version += 1
    decision.full_clean()
    decision.save()

    if apply_effect and kind in EFFECTFUL:
        commitments = (
            list(agreement.commitments.filter(cancelled_on__isnull=True).order_by("pk"))
            if kind == DecisionKind.CANCELLED
            else _open_commitments(agreement)
        )
        if not commitments:
            raise DomainError(
                f"El acuerdo {agreement.folio} ya no tiene compromisos abiertos: "
                "regístrelo como «Continúa» con una nota."
            )
        if kind == DecisionKind.EXTENDED:
            _extend(decision=decision, commitments=commitments, actor=actor, note=note)
        elif kind == DecisionKind.CANCELLED:
            _cancel(decision=decision, commitments=commitments, actor=actor, reason=note)
        else:
            assert evidence is not None
            decision.evidence = _fulfil(
                decision=decision, commitments=commitments, actor=actor, note=note, upload=evidence
            )
            decision.save(update_fields=["evidence", "updated_at"])

    audit.record(
        actor=actor,
        action="review.recorded" if not before else "review.updated",
        target=decision,
        changes=audit.diff(before, _snapshot(decision)),
        context={"meeting": meeting.code, "folio": agreement.folio},
    )
    return decision
