"""Writes on agreements and commitments. Every write is audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from acuerdos.audit import services as audit
from acuerdos.commitments.models import (
    Agreement,
    Commitment,
    ExtensionRequest,
    ExtensionStatus,
    Milestone,
    Priority,
    TargetKind,
)
from acuerdos.commitments.policies import can_cancel, can_decide_extension, can_report
from acuerdos.core.dates import today
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.meetings.models import Meeting
from acuerdos.notifications.services import area_validators, coordinators, notify, unit_people
from acuerdos.organization.models import Theme, Unit


def folio_prefix(meeting: Meeting) -> str:
    """`RR8-CEN-2026-`: the series of folios of a meeting (its code and year)."""
    return f"{meeting.code}-{meeting.start_date.year}-"


def folio_format(meeting: Meeting, number: int, *, width: int = 4) -> str:
    """The folio of the n-th agreement of a meeting: `RR8-CEN-2026-0001`."""
    return f"{folio_prefix(meeting)}{number:0{width}d}"


def folio_next(meeting: Meeting) -> str:
    """The next free folio in the meeting's series (proposed to the coordinator, editable)."""
    prefix = folio_prefix(meeting)
    numbers = [
        int(folio[len(prefix) :])
        for folio in Agreement.objects.filter(folio__startswith=prefix).values_list(
            "folio", flat=True
        )
        if folio[len(prefix) :].isdigit()
    ]
    return folio_format(meeting, max(numbers, default=0) + 1)


@dataclass
class MilestoneSpec:
    """A milestone to create: name, scheduled date, weight."""

    name: str
    due_date: dt.date
    weight: Decimal = Decimal("1")


@dataclass
class CommitmentSpec:
    """One responsible unit's commitment within a new agreement."""

    responsible_unit: Unit
    due_date: dt.date
    start_date: dt.date | None = None
    co_responsible_units: Sequence[Unit] = ()
    weight: Decimal = Decimal("1")
    target_kind: str = TargetKind.PERCENT
    indicator_name: str = ""
    unit_of_measure: str = ""
    baseline: Decimal | None = None
    target_value: Decimal | None = None
    milestones: Sequence[MilestoneSpec] = field(default_factory=list)


def commitment_build(agreement: Agreement, spec: CommitmentSpec) -> Commitment:
    """An unsaved, validated commitment (start date defaults to the meeting's last day)."""
    commitment = Commitment(
        agreement=agreement,
        responsible_unit=spec.responsible_unit,
        start_date=spec.start_date or agreement.meeting.end_date,
        due_date=spec.due_date,
        current_due_date=spec.due_date,
        weight=spec.weight,
        target_kind=spec.target_kind,
        indicator_name=spec.indicator_name,
        unit_of_measure=spec.unit_of_measure,
        baseline=spec.baseline,
        target_value=spec.target_value,
    )
    commitment.full_clean(exclude=["agreement"], validate_unique=False)
    return commitment


@transaction.atomic
def agreement_create(
    *,
    meeting: Meeting,
    folio: str,
    text: str,
    theme: Theme,
    commitments: Sequence[CommitmentSpec],
    deliverable: str = "",
    validating_area: Unit | None = None,
    priority: str = Priority.MEDIUM,
    actor: Any = None,
    source: str = "web",
) -> Agreement:
    """Create an agreement and one commitment per responsible unit, audited.

    The validating area defaults to the theme's lead area (PRODUCT.md §2).
    """
    agreement = Agreement(
        meeting=meeting,
        folio=folio.strip(),
        text=text.strip(),
        deliverable=deliverable.strip(),
        theme=theme,
        validating_area=validating_area or theme.lead_area,
        priority=priority,
    )
    agreement.full_clean()
    agreement.save()
    audit.record(
        actor=actor,
        action="agreement.created",
        target=agreement,
        changes={
            "folio": [None, agreement.folio],
            "text": [None, agreement.text],
            "theme": [None, theme.code],
            "validating_area": [None, agreement.validating_area.code],
        },
        source=source,
    )
    for spec in commitments:
        commitment = commitment_build(agreement, spec)
        commitment.save()
        if spec.co_responsible_units:
            commitment.co_responsible_units.set(spec.co_responsible_units)
        milestones = [
            Milestone(
                commitment=commitment,
                name=m.name,
                due_date=m.due_date,
                weight=m.weight,
                order=index,
            )
            for index, m in enumerate(spec.milestones, start=1)
        ]
        for milestone in milestones:
            milestone.full_clean()
        Milestone.objects.bulk_create(milestones)
        audit.record(
            actor=actor,
            action="commitment.created",
            target=commitment,
            commitment_id=commitment.pk,
            changes={
                "responsible_unit": [None, spec.responsible_unit.code],
                "due_date": [None, commitment.due_date],
                "target_kind": [None, commitment.target_kind],
            },
            source=source,
        )
    return agreement


def due_date_in_force(commitment: Commitment, on: dt.date) -> dt.date:
    """PRODUCT.md §3.3: the original due date, replaced by the latest extension approved on or
    before `on`."""
    latest = (
        commitment.extension_requests.filter(status=ExtensionStatus.APPROVED, decided_on__lte=on)
        .order_by("-decided_on", "-created_at")
        .values_list("new_due_date", flat=True)
        .first()
    )
    return latest or commitment.due_date


def _locked_commitment(commitment: Commitment, expected_version: int | None) -> Commitment:
    current = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(
            "Otra persona cambió este compromiso mientras usted lo tenía abierto. "
            "No se guardó nada; revise los datos actuales y vuelva a intentarlo."
        )
    return current


@transaction.atomic
def extension_request(
    *, commitment: Commitment, actor: Any, new_due_date: dt.date, justification: str
) -> ExtensionRequest:
    """The unit asks to move the due date (Solicitar reprogramación)."""
    if not can_report(actor, responsible_unit_id=commitment.responsible_unit_id):
        raise PermissionDenied("Sólo el titular o el enlace de la unidad responsable la solicita.")
    current = _locked_commitment(commitment, None)
    if current.is_cancelled:
        raise DomainError("El compromiso está cancelado.")
    if current.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise ConflictError("Ya hay una solicitud de reprogramación pendiente de resolver.")
    in_force = due_date_in_force(current, today())
    if new_due_date == in_force:
        raise DomainError("La nueva fecha compromiso debe ser distinta de la vigente.")
    if new_due_date < current.start_date:
        raise DomainError(
            "La nueva fecha compromiso no puede ser anterior al inicio del compromiso."
        )
    if not justification.strip():
        raise DomainError("Escriba la justificación de la reprogramación.")
    request = ExtensionRequest(
        commitment=current,
        requested_by=actor,
        previous_due_date=in_force,
        new_due_date=new_due_date,
        justification=justification.strip(),
    )
    request.full_clean()
    request.save()
    audit.record(
        actor=actor,
        action="commitment.extension_requested",
        target=request,
        commitment_id=current.pk,
        changes={"due_date": [in_force, new_due_date]},
        context={"justification": request.justification},
    )
    deciders = list(coordinators())
    if settings.ACUERDOS.get("EXTENSIONS_DECIDED_BY_AREA"):
        deciders += list(area_validators(current.agreement.validating_area_id))
    notify(
        recipients=deciders,
        kind="commitment.extension_requested",
        title=f"Solicitud de reprogramación: {current}",
        body=request.justification[:300],
        url=current.get_absolute_url(),
        commitment_id=current.pk,
        exclude=actor,
    )
    return request


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, actor: Any, approve: bool, comment: str = ""
) -> ExtensionRequest:
    """Approve or deny a pending extension; an approved one is the due date from today on."""
    current = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    commitment = _locked_commitment(current.commitment, None)
    if not can_decide_extension(actor, validating_area_id=commitment.agreement.validating_area_id):
        raise PermissionDenied("Sólo la coordinación central resuelve las reprogramaciones.")
    if current.status != ExtensionStatus.PENDING:
        raise ConflictError(f"La solicitud ya fue resuelta: está «{current.get_status_display()}».")
    if not approve and not comment.strip():
        raise DomainError("Escriba el motivo por el que se niega la reprogramación.")
    current.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.DENIED
    current.decided_by = actor
    current.decided_on = today()
    current.decision_comment = comment.strip()
    current.full_clean()
    current.save()
    commitment.version += 1
    if approve:
        commitment.current_due_date = current.new_due_date
    commitment.save(update_fields=["version", "current_due_date", "updated_at"])
    action = "commitment.extended" if approve else "commitment.extension_denied"
    audit.record(
        actor=actor,
        action=action,
        target=current,
        commitment_id=commitment.pk,
        changes={"due_date": [current.previous_due_date, current.new_due_date]}
        if approve
        else {"status": [ExtensionStatus.PENDING, ExtensionStatus.DENIED]},
        context={"comment": current.decision_comment},
    )
    verdict = "aprobó" if approve else "negó"
    notify(
        recipients=unit_people(commitment.responsible_unit_id),
        kind=action,
        title=f"Se {verdict} la reprogramación de {commitment}",
        body=current.decision_comment,
        url=commitment.get_absolute_url(),
        commitment_id=commitment.pk,
        exclude=actor,
    )
    return current


@transaction.atomic
def commitment_cancel(
    *, commitment: Commitment, actor: Any, reason: str, expected_version: int | None = None
) -> Commitment:
    """Cancel a commitment with a reason: it leaves every denominator from today on."""
    if not can_cancel(actor):
        raise PermissionDenied("Sólo la coordinación central cancela compromisos.")
    current = _locked_commitment(commitment, expected_version)
    if current.is_cancelled:
        raise ConflictError("El compromiso ya estaba cancelado.")
    if not reason.strip():
        raise DomainError("Escriba el motivo de la cancelación.")
    current.cancelled_on = today()
    current.cancelled_by = actor
    current.cancellation_reason = reason.strip()
    current.version += 1
    current.full_clean()
    current.save()
    audit.record(
        actor=actor,
        action="commitment.cancelled",
        target=current,
        commitment_id=current.pk,
        changes={"cancelled_on": [None, current.cancelled_on]},
        context={"reason": current.cancellation_reason},
    )
    notify(
        recipients=unit_people(current.responsible_unit_id),
        kind="commitment.cancelled",
        title=f"Se canceló el compromiso {current}",
        body=current.cancellation_reason,
        url=current.get_absolute_url(),
        commitment_id=current.pk,
        exclude=actor,
    )
    return current
