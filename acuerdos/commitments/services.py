"""Writes on agreements and commitments. Every write is audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
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
from acuerdos.commitments.policies import (
    can_cancel,
    can_decide_extension,
    can_manage_agreements,
    can_report,
)
from acuerdos.core.dates import today
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.meetings.models import Meeting
from acuerdos.notifications.services import area_validators, coordinators, notify, unit_people
from acuerdos.organization.models import Theme, Unit

# Deliberate upward calls (see docs/architecture.md): a change of a commitment's target or dates
# changes what its progress reports are worth and its cached evaluation inputs, and both must be
# rewritten in the same transaction as the change itself.
from acuerdos.progress.inputs import refresh_inputs, set_fraction
from acuerdos.progress.models import ProgressReport, ReportState


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
    """A milestone to create (or, with `pk`, an existing one to keep): name, date, weight."""

    name: str
    due_date: dt.date
    weight: Decimal = Decimal("1")
    pk: int | None = None


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


def milestones_problem(target_kind: str, milestones: Sequence[MilestoneSpec]) -> str:
    """Why a target's milestones are wrong ("" when they are right): a milestones target needs
    at least one milestone (progress is done weight ÷ total weight, PRODUCT.md §3.2), each with
    a positive weight and its own name; the other kinds carry none."""
    if target_kind != TargetKind.MILESTONES:
        return "Solo las metas por hitos llevan hitos." if milestones else ""
    if not milestones:
        return "Una meta por hitos necesita al menos un hito."
    names = [m.name.strip().casefold() for m in milestones]
    if len(set(names)) != len(names):
        return "Cada hito necesita un nombre distinto."
    if any(m.weight <= 0 for m in milestones):
        return "El peso de cada hito debe ser mayor que cero."
    return ""


def _commitment_create(
    agreement: Agreement, spec: CommitmentSpec, *, actor: Any, source: str | None
) -> Commitment:
    """Save one commitment of an agreement with its co-responsible units and milestones,
    audited as `commitment.created`."""
    problem = milestones_problem(spec.target_kind, spec.milestones)
    if problem:
        raise ValidationError({"milestones": problem})
    commitment = commitment_build(agreement, spec)
    commitment.save()
    if spec.co_responsible_units:
        commitment.co_responsible_units.set(spec.co_responsible_units)
    milestones = [
        Milestone(
            commitment=commitment,
            name=m.name.strip(),
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
    source: str | None = None,
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
        _commitment_create(agreement, spec, actor=actor, source=source)
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
    *,
    commitment: Commitment,
    actor: Any,
    new_due_date: dt.date,
    justification: str,
    on_behalf: bool = False,
    context: dict[str, Any] | None = None,
) -> ExtensionRequest:
    """The unit asks to move the due date (Solicitar reprogramación).

    `on_behalf`: someone who decides extensions asks for the unit — at a follow-up meeting,
    where it is granted at once — so nobody is notified to decide it; `context` is kept in the
    audit event (e.g. the review and meeting that asked).
    """
    if on_behalf:
        allowed = can_decide_extension(
            actor, validating_area_id=commitment.agreement.validating_area_id
        )
    else:
        allowed = can_report(actor, responsible_unit_id=commitment.responsible_unit_id)
    if not allowed:
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
        context={"justification": request.justification, **(context or {})},
    )
    if on_behalf:
        return request
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
    commitment.save(update_fields=["version", "updated_at"])
    if approve:
        refresh_inputs([commitment.pk])  # the due date in force from today on, and its period
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


class ReasonRequired(DomainError):
    """The change touches a commitment with validated progress: the reason must be written."""


def _agreement_values(agreement: Agreement) -> dict[str, Any]:
    return {
        "folio": agreement.folio,
        "text": agreement.text,
        "deliverable": agreement.deliverable,
        "theme": agreement.theme.code,
        "validating_area": agreement.validating_area.code,
        "priority": agreement.priority,
    }


STALE_AGREEMENT = (
    "Otra persona cambió este acuerdo mientras usted lo tenía abierto. No se guardó nada; "
    "revise los datos actuales y vuelva a intentarlo."
)


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    actor: Any,
    expected_version: int | None,
    folio: str,
    text: str,
    theme: Theme,
    validating_area: Unit,
    priority: str,
    deliverable: str = "",
) -> Agreement:
    """Correct an agreement (folio, text, deliverable, theme, validating area, priority).

    Its commitments, reports and history stay as they are; the change is audited as a field
    diff. A form read before someone else's change is refused (`expected_version`).
    """
    if not can_manage_agreements(actor):
        raise PermissionDenied("Solo la Coordinación central modifica acuerdos.")
    current = (
        Agreement.objects.select_for_update()
        .select_related("theme", "validating_area")
        .get(pk=agreement.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(STALE_AGREEMENT)
    before = _agreement_values(current)
    current.folio = folio.strip()
    current.text = text.strip()
    current.deliverable = deliverable.strip()
    current.theme = theme
    current.validating_area = validating_area
    current.priority = priority
    changes = audit.diff(before, _agreement_values(current))
    if not changes:
        return current
    current.version += 1
    current.full_clean()
    current.save()
    audit.record(actor=actor, action="agreement.updated", target=current, changes=changes)
    return current


def _milestone_label(milestone: Milestone | MilestoneSpec) -> str:
    return f"{milestone.name} · {milestone.due_date:%d/%m/%Y} · {milestone.weight.normalize():f}"


def _commitment_values(commitment: Commitment, milestones: Sequence[Milestone]) -> dict[str, Any]:
    return {
        "start_date": commitment.start_date,
        "due_date": commitment.due_date,
        "weight": commitment.weight,
        "target_kind": commitment.target_kind,
        "indicator_name": commitment.indicator_name,
        "unit_of_measure": commitment.unit_of_measure,
        "baseline": commitment.baseline,
        "target_value": commitment.target_value,
        "co_responsible_units": sorted(u.code for u in commitment.co_responsible_units.all()),
        "milestones": [_milestone_label(m) for m in milestones],
    }


def _reported_milestone_ids(commitment: Commitment) -> set[int]:
    through = ProgressReport.milestones_done.through
    return set(
        through.objects.filter(progressreport__commitment=commitment).values_list(
            "milestone_id", flat=True
        )
    )


def _milestones_replace(commitment: Commitment, specs: Sequence[MilestoneSpec]) -> list[Milestone]:
    """Bring the commitment's milestones to `specs`: rows with a `pk` are updated, the others
    created, the missing ones removed — unless a report already counted them as done."""
    existing = {m.pk: m for m in commitment.milestones.all()}
    unknown = [s.pk for s in specs if s.pk is not None and s.pk not in existing]
    if unknown:
        raise ConflictError(
            "Uno de los hitos ya no existe: otra persona cambió los hitos. Recargue la página."
        )
    kept = {s.pk for s in specs if s.pk is not None}
    removed = [m for pk, m in existing.items() if pk not in kept]
    reported = _reported_milestone_ids(commitment) if removed else set()
    for milestone in removed:
        if milestone.pk in reported:
            raise DomainError(
                f"El hito «{milestone.name}» ya figura como cumplido en un reporte de avance: "
                "no se puede quitar (corrija su nombre, fecha o peso en su lugar)."
            )
    Milestone.objects.filter(pk__in=[m.pk for m in removed]).delete()
    # Names are unique per commitment: park the kept ones under temporary names first, so that
    # swapping two names in one edit does not collide.
    for pk in kept:
        Milestone.objects.filter(pk=pk).update(name=f"~{pk}~")
    result: list[Milestone] = []
    for order, spec in enumerate(specs, start=1):
        milestone = existing[spec.pk] if spec.pk is not None else Milestone(commitment=commitment)
        milestone.name = spec.name.strip()
        milestone.due_date = spec.due_date
        milestone.weight = spec.weight
        milestone.order = order
        milestone.full_clean()
        milestone.save()
        result.append(milestone)
    return result


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    actor: Any,
    expected_version: int | None,
    spec: CommitmentSpec,
    reason: str = "",
) -> Commitment:
    """Change a commitment's dates, weight, target, co-responsible units and milestones.

    Its reports, evidence and extensions are kept. When it already has validated progress the
    change needs a reason (`ReasonRequired`), recorded with the field diff in the audit. A
    change of target kind is refused once progress was reported (those reports would lose their
    meaning). Reports' exact progress and the cached evaluation inputs are recomputed in the
    same transaction.
    """
    if not can_manage_agreements(actor):
        raise PermissionDenied("Solo la Coordinación central modifica compromisos.")
    current = _locked_commitment(commitment, expected_version)
    if current.is_cancelled:
        raise DomainError("El compromiso está cancelado: ya no se modifica.")
    if spec.responsible_unit.pk != current.responsible_unit_id:
        raise DomainError("La unidad responsable no se cambia aquí.")
    problem = milestones_problem(spec.target_kind, spec.milestones)
    if problem:
        raise DomainError(problem)
    if any(u.pk == current.responsible_unit_id for u in spec.co_responsible_units):
        raise DomainError("La unidad responsable no puede ser también corresponsable.")
    old_milestones = list(current.milestones.all())
    before = _commitment_values(current, old_milestones)
    reports = ProgressReport.objects.filter(commitment=current)
    if spec.target_kind != current.target_kind and reports.exists():
        raise DomainError(
            "El compromiso ya tiene reportes de avance: no se puede cambiar el tipo de meta. "
            "Corrija la meta dentro del mismo tipo, o cancele el compromiso y registre otro."
        )
    current.start_date = spec.start_date or current.start_date
    current.due_date = spec.due_date
    current.weight = spec.weight
    current.target_kind = spec.target_kind
    indicator = spec.target_kind == TargetKind.INDICATOR
    current.indicator_name = spec.indicator_name.strip() if indicator else ""
    current.unit_of_measure = spec.unit_of_measure.strip() if indicator else ""
    current.baseline = spec.baseline if indicator else None
    current.target_value = spec.target_value if indicator else None
    after = {
        **_commitment_values(current, []),
        "co_responsible_units": sorted(u.code for u in spec.co_responsible_units),
        "milestones": [_milestone_label(m) for m in spec.milestones],
    }
    changes = audit.diff(before, after)
    if not changes:
        return current
    if reports.filter(state=ReportState.VALIDATED).exists() and not reason.strip():
        raise ReasonRequired(
            "Este compromiso ya tiene avance validado: escriba el motivo del cambio."
        )
    current.version += 1
    current.current_due_date = due_date_in_force(current, today())
    current.full_clean(exclude=["agreement", "responsible_unit"], validate_unique=False)
    current.save()
    if "co_responsible_units" in changes:
        current.co_responsible_units.set(spec.co_responsible_units)
    if "milestones" in changes:
        _milestones_replace(current, spec.milestones)
    if changes.keys() & {"target_kind", "baseline", "target_value", "milestones"}:
        # What each report is worth depends on the target: recompute their exact progress.
        for report in reports:
            set_fraction(report, current)
    refresh_inputs([current.pk])
    audit.record(
        actor=actor,
        action="commitment.updated",
        target=current,
        commitment_id=current.pk,
        changes=changes,
        context={"reason": reason.strip()} if reason.strip() else {},
    )
    notify(
        recipients=unit_people(current.responsible_unit_id),
        kind="commitment.updated",
        title=f"Se modificó el compromiso {current}",
        body=reason.strip()[:300],
        url=current.get_absolute_url(),
        commitment_id=current.pk,
        exclude=actor,
    )
    return current


@transaction.atomic
def commitment_add(*, agreement: Agreement, actor: Any, spec: CommitmentSpec) -> Commitment:
    """Add another responsible unit's commitment to an existing agreement, audited."""
    if not can_manage_agreements(actor):
        raise PermissionDenied("Solo la Coordinación central agrega compromisos.")
    if agreement.commitments.filter(responsible_unit=spec.responsible_unit).exists():
        raise DomainError("La unidad ya tiene un compromiso en este acuerdo.")
    if spec.responsible_unit in spec.co_responsible_units:
        raise DomainError("La unidad responsable no puede ser también corresponsable.")
    commitment = _commitment_create(agreement, spec, actor=actor, source=None)
    notify(
        recipients=unit_people(spec.responsible_unit.pk),
        kind="commitment.created",
        title=f"Nuevo compromiso para su unidad: {commitment}",
        body=agreement.text[:300],
        url=commitment.get_absolute_url(),
        commitment_id=commitment.pk,
        exclude=actor,
    )
    return commitment
