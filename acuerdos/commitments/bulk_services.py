"""Bulk actions on a selection of commitments (the coordinator's "Compromisos" list).

Four actions, each all-or-nothing in one transaction and audited per commitment:

- `reassign`: another responsible unit (`commitment.reassigned`);
- `due_date`: a new fecha compromiso (`commitment.due_date_changed` or `commitment.extended`, see
  `commitments_bulk_apply`);
- `area`: another validating normative area — it lives on the agreement, so the agreements of
  the selected commitments change, and with them every commitment of those agreements
  (`agreement.validating_area_changed`, one event per commitment of those agreements);
- `cancel`: through `services.commitment_cancel`, one reason for all (`commitment.cancelled`).

The screen first shows the plan (`commitments_bulk_plan`: what changes, what stays, what is
refused and why); applying re-plans under row locks and refuses everything if any row is refused
or if someone changed a commitment (or, for the area, an agreement) since the plan was shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse

from acuerdos.audit import services as audit
from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import Agreement, Commitment, ExtensionRequest, ExtensionStatus
from acuerdos.commitments.services import commitment_cancel
from acuerdos.core.dates import today
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.notifications.services import Message, area_validators, notify_many, unit_people
from acuerdos.organization.models import NORMATIVE_KINDS, RESPONSIBLE_KINDS, Unit
from acuerdos.organization.scope import scope_for
from acuerdos.progress.inputs import refresh_inputs

REASSIGN, DUE_DATE, AREA, CANCEL = "reassign", "due_date", "area", "cancel"
CANCELLED_NOTE = "Está cancelado: no cambia."
ACTIONS = (REASSIGN, DUE_DATE, AREA, CANCEL)


@dataclass(frozen=True)
class SelectedItem:
    """A commitment as the person saw it: its id and the versions of it and its agreement."""

    commitment_id: int
    version: int
    agreement_version: int

    @property
    def token(self) -> str:
        return f"{self.commitment_id}:{self.version}:{self.agreement_version}"


def items_encode(items: Sequence[SelectedItem]) -> str:
    """The selection as one hidden field (`id:version:agreement_version,…`)."""
    return ",".join(item.token for item in items)


def items_decode(value: str) -> list[SelectedItem]:
    """The selection back from its hidden field; anything malformed is refused."""
    items: list[SelectedItem] = []
    for token in filter(None, (value or "").split(",")):
        parts = token.split(":")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise DomainError("La selección no es válida; vuelva a la lista y elija de nuevo.")
        items.append(SelectedItem(int(parts[0]), int(parts[1]), int(parts[2])))
    if len({item.commitment_id for item in items}) != len(items):
        raise DomainError("La selección no es válida; vuelva a la lista y elija de nuevo.")
    return items


def items_of(commitments: QuerySet[Commitment]) -> list[SelectedItem]:
    """The selection of these commitments as they are now (one query)."""
    return [
        SelectedItem(pk, version, agreement_version)
        for pk, version, agreement_version in commitments.order_by(
            "agreement__folio", "responsible_unit__short_name", "pk"
        ).values_list("pk", "version", "agreement__version")
    ]


@dataclass(frozen=True)
class BulkParams:
    """What the action sets: the new unit, date or area, and the reason (always required)."""

    action: str
    reason: str
    unit: Unit | None = None
    due_date: dt.date | None = None
    area: Unit | None = None


@dataclass
class PlannedRow:
    """One selected commitment in the plan: its value before and after, or why it is refused.

    `unchanged` rows (already at the value asked, or cancelled: a cancelled commitment keeps
    its unit and dates as they were) are left alone and not counted as changed; `note` says why.
    For the due date, `as_extension` says the change is recorded as an extension granted by the
    coordination rather than as a correction of the original date.
    """

    commitment: Commitment
    before: str
    after: str
    error: str = ""
    unchanged: bool = False
    note: str = ""
    as_extension: bool = False


@dataclass
class BulkPlan:
    """The plan of a bulk action over a selection, as the confirmation screen shows it."""

    params: BulkParams
    rows: list[PlannedRow]
    # For the area: the agreements that change and their commitments outside the selection.
    agreements: list[Agreement] = field(default_factory=list)
    unselected_commitments: int = 0
    # For the area: reports waiting for validation that move to the new area's queue.
    pending_validations: int = 0

    @property
    def errors(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.error]

    @property
    def changing(self) -> list[PlannedRow]:
        return [row for row in self.rows if not row.error and not row.unchanged]

    @property
    def unchanged(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.unchanged and not row.error]

    @property
    def extensions(self) -> int:
        return sum(1 for row in self.changing if row.as_extension)


def _require_coordinator(actor: Any) -> None:
    if not scope_for(actor).is_coordinator:
        raise PermissionDenied("Solo la Coordinación central aplica cambios masivos.")


def _selected(items: Sequence[SelectedItem], *, lock: bool) -> list[Commitment]:
    ids = [item.commitment_id for item in items]
    queryset = Commitment.objects.filter(pk__in=ids).select_related(
        "agreement__validating_area", "agreement__meeting", "responsible_unit"
    )
    if lock:
        # Row locks on PostgreSQL (`of=("self",)` leaves the joined catalog rows alone);
        # SQLite's IMMEDIATE transactions already hold the write lock.
        queryset = queryset.select_for_update(of=("self",))
    found = {c.pk: c for c in queryset}
    if len(found) != len(ids):
        raise ConflictError(
            "Algún compromiso de la selección ya no existe. No se guardó nada; "
            "vuelva a la lista y elija de nuevo."
        )
    return [found[pk] for pk in ids]


def _check_versions(
    items: Sequence[SelectedItem], commitments: Sequence[Commitment], action: str
) -> None:
    for item, commitment in zip(items, commitments, strict=True):
        stale = (
            commitment.agreement.version != item.agreement_version
            if action == AREA
            else commitment.version != item.version
        )
        if stale:
            raise ConflictError(
                f"Otra persona cambió {commitment} mientras usted revisaba los cambios. "
                "No se guardó nada; revise la lista actualizada y vuelva a intentarlo."
            )


def _fmt(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def _plan_reassign(rows: list[PlannedRow], unit: Unit) -> None:
    commitments = [row.commitment for row in rows]
    agreement_ids = {c.agreement_id for c in commitments}
    taken = set(
        Commitment.objects.filter(agreement_id__in=agreement_ids, responsible_unit=unit)
        .exclude(pk__in=[c.pk for c in commitments])
        .values_list("agreement_id", flat=True)
    )
    co_responsible = set(
        Commitment.co_responsible_units.through.objects.filter(
            commitment_id__in=[c.pk for c in commitments], unit=unit
        ).values_list("commitment_id", flat=True)
    )
    moving_per_agreement: dict[int, int] = {}
    for row in rows:
        c = row.commitment
        if c.responsible_unit_id != unit.pk and not c.is_cancelled:
            moving_per_agreement[c.agreement_id] = moving_per_agreement.get(c.agreement_id, 0) + 1
    # Another selected commitment of the same agreement already belongs to the unit and stays.
    staying = {
        row.commitment.agreement_id for row in rows if row.commitment.responsible_unit_id == unit.pk
    }
    for row in rows:
        c = row.commitment
        row.before = c.responsible_unit.short_name
        row.after = unit.short_name
        if c.is_cancelled:
            row.unchanged, row.note = True, CANCELLED_NOTE
        elif c.responsible_unit_id == unit.pk:
            row.unchanged = True
        elif c.agreement_id in taken or c.agreement_id in staying:
            row.error = (
                f"{unit.short_name} ya tiene un compromiso en el acuerdo {c.agreement.folio}."
            )
        elif moving_per_agreement.get(c.agreement_id, 0) > 1:
            row.error = (
                f"Se eligió más de un compromiso del acuerdo {c.agreement.folio}: "
                "una unidad tiene un solo compromiso por acuerdo."
            )
        elif c.pk in co_responsible:
            row.error = f"{unit.short_name} es corresponsable de este compromiso."


def _plan_due_date(rows: list[PlannedRow], due_date: dt.date) -> None:
    on = today()
    ids = [row.commitment.pk for row in rows]
    extension_ids = set(
        ExtensionRequest.objects.filter(
            commitment_id__in=ids, status=ExtensionStatus.APPROVED, decided_on__lte=on
        ).values_list("commitment_id", flat=True)
    )
    pending_ids = set(
        ExtensionRequest.objects.filter(
            commitment_id__in=ids, status=ExtensionStatus.PENDING
        ).values_list("commitment_id", flat=True)
    )
    # Validated progress read through the reverse relation (`reports`, defined by `progress`)
    # without importing that app, which sits above this one.
    validated_ids = set(
        Commitment.objects.filter(pk__in=ids, reports__state="validated")
        .order_by()
        .values_list("pk", flat=True)
        .distinct()
    )
    for row in rows:
        c = row.commitment
        in_force = c.current_due_date or c.due_date
        row.before = _fmt(in_force)
        row.after = _fmt(due_date)
        row.as_extension = c.pk in extension_ids or c.pk in validated_ids
        if c.is_cancelled:
            row.unchanged, row.note = True, CANCELLED_NOTE
        elif c.pk in pending_ids:
            row.error = "Tiene una reprogramación pendiente: resuélvala primero."
        elif due_date < c.start_date:
            row.error = f"La fecha es anterior a su inicio ({_fmt(c.start_date)})."
        elif due_date == in_force:
            row.unchanged = True


def _plan_area(plan: BulkPlan, area: Unit) -> None:
    agreements: dict[int, Agreement] = {}
    for row in plan.rows:
        c = row.commitment
        row.before = c.agreement.validating_area.short_name
        row.after = area.short_name
        if c.agreement.validating_area_id == area.pk:
            row.unchanged = True
        else:
            agreements[c.agreement_id] = c.agreement
    plan.agreements = sorted(agreements.values(), key=lambda a: a.folio)
    selected = {row.commitment.pk for row in plan.rows}
    plan.unselected_commitments = (
        Commitment.objects.filter(agreement_id__in=list(agreements))
        .exclude(pk__in=selected)
        .count()
    )
    plan.pending_validations = sum(pending_validations(list(agreements)).values())


def _plan_cancel(rows: list[PlannedRow]) -> None:
    for row in rows:
        c = row.commitment
        row.before = "Cancelado" if c.is_cancelled else "Vigente"
        row.after = "Cancelado"
        if c.is_cancelled:
            row.unchanged, row.note = True, "Ya estaba cancelado."


def _plan(commitments: list[Commitment], params: BulkParams) -> BulkPlan:
    if params.action not in ACTIONS:
        raise DomainError("Elija una acción de la lista.")
    if not params.reason.strip():
        raise DomainError("Escriba el motivo del cambio.")
    plan = BulkPlan(
        params=params, rows=[PlannedRow(commitment=c, before="", after="") for c in commitments]
    )
    if params.action == REASSIGN:
        if params.unit is None or params.unit.kind not in RESPONSIBLE_KINDS:
            raise DomainError("Elija la nueva unidad responsable.")
        _plan_reassign(plan.rows, params.unit)
    elif params.action == DUE_DATE:
        if params.due_date is None:
            raise DomainError("Escriba la nueva fecha compromiso.")
        _plan_due_date(plan.rows, params.due_date)
    elif params.action == AREA:
        if params.area is None or params.area.kind not in NORMATIVE_KINDS:
            raise DomainError("Elija la nueva área normativa que valida.")
        _plan_area(plan, params.area)
    else:
        _plan_cancel(plan.rows)
    return plan


def commitments_bulk_plan(
    *, items: Sequence[SelectedItem], params: BulkParams, actor: Any
) -> BulkPlan:
    """What a bulk action would do to each selected commitment, without writing anything."""
    _require_coordinator(actor)
    if not items:
        raise DomainError("Elija al menos un compromiso.")
    return _plan(_selected(items, lock=False), params)


@dataclass(frozen=True)
class BulkResult:
    """How many commitments changed (and, for the area, how many agreements)."""

    changed: int
    unchanged: int
    agreements: int = 0
    extensions: int = 0


@transaction.atomic
def commitments_bulk_apply(
    *, items: Sequence[SelectedItem], params: BulkParams, actor: Any
) -> BulkResult:
    """Apply a bulk action to the selected commitments: all of them or none.

    The selection carries the versions the person saw; if any commitment (for the area: any
    agreement) changed since, nothing is written (`ConflictError`). If any row is refused (see
    `commitments_bulk_plan`), nothing is written (`DomainError`). Each changed commitment gets
    its own audit event, written with `record_many` in this transaction.

    Due dates (PRODUCT.md §3.3: the due date in force is the original one, replaced by the
    latest extension approved on or before the date). A commitment with no approved extension
    and no validated progress gets its *original* due date corrected
    (`commitment.due_date_changed`): nothing has been measured against the old date yet, and
    the history keeps it in the audit event. A commitment that already has an approved
    extension or validated progress gets an *extension granted by the coordination* instead (an
    approved `ExtensionRequest` decided today, `commitment.extended`, the reason as its
    justification): correcting the original date there would be silently overridden by the
    extension, or would rewrite how past dates are evaluated, while an extension keeps every
    earlier date in force for the days it was in force. A commitment with a pending extension
    request is refused (decide the request first). The cached today-inputs
    (`current_due_date`, the column `progress.inputs.refresh_inputs` maintains) are set in the
    same write, as `extension_decide` does, since this app sits below `progress`.
    """
    _require_coordinator(actor)
    if not items:
        raise DomainError("Elija al menos un compromiso.")
    commitments = _selected(items, lock=True)
    _check_versions(items, commitments, params.action)
    plan = _plan(commitments, params)
    if plan.errors:
        raise DomainError(
            f"{len(plan.errors)} de los compromisos elegidos no admiten el cambio. "
            "No se guardó nada."
        )
    reason = params.reason.strip()
    changing = plan.changing
    if params.action == CANCEL:
        for row in changing:
            commitment_cancel(
                commitment=row.commitment,
                actor=actor,
                reason=reason,
                expected_version=row.commitment.version,
            )
        return BulkResult(changed=len(changing), unchanged=len(plan.unchanged))
    if params.action == AREA:
        return _apply_area(plan, actor, reason)
    events: list[AuditEvent] = []
    notices: list[_Notice] = []
    extended: list[int] = []
    for row in changing:
        c = row.commitment
        if params.action == REASSIGN:
            assert params.unit is not None
            before_unit = c.responsible_unit
            c.responsible_unit = params.unit
            c.version += 1
            c.full_clean(validate_unique=False)
            c.save(update_fields=["responsible_unit", "version", "updated_at"])
            events.append(
                audit.build(
                    actor=actor,
                    action="commitment.reassigned",
                    target=c,
                    commitment_id=c.pk,
                    changes={"responsible_unit": [before_unit.code, params.unit.code]},
                    context={"reason": reason, "bulk": True},
                    label=f"{c.agreement.folio} · {params.unit.short_name}",
                )
            )
            title = f"Se asignó a {params.unit.short_name} el compromiso {c.agreement.folio}"
            notices.append(_unit_notice(params.unit.pk, c, "commitment.reassigned", title, reason))
            title = f"El compromiso {c.agreement.folio} pasó a {params.unit.short_name}"
            notices.append(_unit_notice(before_unit.pk, c, "commitment.reassigned", title, reason))
        else:
            assert params.due_date is not None
            events.append(_change_due_date(row, params.due_date, reason, actor))
            if row.as_extension:
                extended.append(c.pk)
            title = f"Nueva fecha compromiso de {c.agreement.folio}: {_fmt(params.due_date)}"
            kind = "commitment.extended" if row.as_extension else "commitment.due_date_changed"
            notices.append(_unit_notice(c.responsible_unit_id, c, kind, title, reason))
    refresh_inputs(extended)  # the extensions' periods (today's column is set above)
    audit.record_many(events)
    _send(notices, actor)
    return BulkResult(
        changed=len(changing), unchanged=len(plan.unchanged), extensions=plan.extensions
    )


UNIT, AREA_VALIDATORS = "unit", "area"


@dataclass(frozen=True)
class _Notice:
    """One notification for the people of an audience: `("unit", id)` is a unit's heads and
    liaisons, `("area", id)` the validators of a normative area (or of an area above it).
    Whoever also belongs to `unless` is left out: nothing changed for them."""

    audience: tuple[str, int]
    kind: str
    title: str
    body: str
    url: str
    commitment_id: int | None = None
    unless: tuple[str, int] | None = None


def _unit_notice(unit_id: int, commitment: Commitment, kind: str, title: str, body: str) -> _Notice:
    return _Notice((UNIT, unit_id), kind, title, body, commitment.get_absolute_url(), commitment.pk)


def _send(notices: Sequence[_Notice], actor: Any) -> None:
    """Tell each notice's audience, in the same transaction: people read once per audience, and
    one insert for all the notifications."""
    people: dict[tuple[str, int], list[Any]] = {}

    def of(audience: tuple[str, int]) -> list[Any]:
        if audience not in people:
            kind, pk = audience
            found = unit_people(pk) if kind == UNIT else area_validators(pk)
            people[audience] = list(found)
        return people[audience]

    messages: list[Message] = []
    for notice in notices:
        recipients = of(notice.audience)
        if notice.unless is not None:
            staying = {user.pk for user in of(notice.unless)}
            recipients = [user for user in recipients if user.pk not in staying]
        messages.append(
            Message(
                recipients, notice.kind, notice.title, notice.body, notice.url, notice.commitment_id
            )
        )
    notify_many(messages=messages, exclude=actor)


def _change_due_date(row: PlannedRow, new_date: dt.date, reason: str, actor: Any) -> AuditEvent:
    c = row.commitment
    label = f"{c.agreement.folio} · {c.responsible_unit.short_name}"
    in_force = c.current_due_date or c.due_date
    if row.as_extension:
        extension = ExtensionRequest(
            commitment=c,
            requested_by=actor,
            previous_due_date=in_force,
            new_due_date=new_date,
            justification=reason,
            status=ExtensionStatus.APPROVED,
            decided_by=actor,
            decided_on=today(),
            decision_comment="Reprogramación otorgada por la Coordinación central (cambio masivo).",
        )
        extension.full_clean()
        extension.save()
        c.current_due_date = new_date
        c.version += 1
        c.save(update_fields=["current_due_date", "version", "updated_at"])
        return audit.build(
            actor=actor,
            action="commitment.extended",
            target=extension,
            commitment_id=c.pk,
            changes={"due_date": [in_force, new_date]},
            context={"comment": reason, "bulk": True},
            label=label,
        )
    before = c.due_date
    c.due_date = new_date
    c.current_due_date = new_date
    c.version += 1
    c.full_clean(validate_unique=False)
    c.save(update_fields=["due_date", "current_due_date", "version", "updated_at"])
    return audit.build(
        actor=actor,
        action="commitment.due_date_changed",
        target=c,
        commitment_id=c.pk,
        changes={"due_date": [before, new_date]},
        context={"reason": reason, "bulk": True},
        label=label,
    )


def _apply_area(plan: BulkPlan, actor: Any, reason: str) -> BulkResult:
    area = plan.params.area
    assert area is not None
    events: list[AuditEvent] = []
    agreements = {
        a.pk: a
        for a in Agreement.objects.select_for_update(of=("self",))
        .select_related("validating_area")
        .filter(pk__in=[a.pk for a in plan.agreements])
    }
    waiting = pending_validations(list(agreements))
    commitments_by_agreement: dict[int, list[tuple[int, str]]] = {}
    for pk, agreement_id, unit_name in (
        Commitment.objects.filter(agreement_id__in=list(agreements))
        .order_by("pk")
        .values_list("pk", "agreement_id", "responsible_unit__short_name")
    ):
        commitments_by_agreement.setdefault(agreement_id, []).append((pk, unit_name))
    notices: list[_Notice] = []
    for agreement in agreements.values():
        before = agreement.validating_area
        notices += _area_notices(agreement, before, area, reason, waiting.get(agreement.pk, 0))
        agreement.validating_area = area
        agreement.version += 1
        agreement.full_clean(validate_unique=False)
        agreement.save(update_fields=["validating_area", "version", "updated_at"])
        for commitment_id, unit_name in commitments_by_agreement.get(agreement.pk, []):
            events.append(
                audit.build(
                    actor=actor,
                    action="agreement.validating_area_changed",
                    target=agreement,
                    commitment_id=commitment_id,
                    changes={"validating_area": [before.code, area.code]},
                    context={"reason": reason, "bulk": True},
                    label=f"{agreement.folio} · {unit_name}",
                )
            )
    audit.record_many(events)
    notices += [
        _unit_notice(
            c.responsible_unit_id,
            c,
            "agreement.validating_area_changed",
            f"El acuerdo {c.agreement.folio} lo valida ahora {area.short_name}",
            reason,
        )
        for c in Commitment.objects.filter(agreement_id__in=list(agreements))
        .select_related("agreement")
        .order_by("pk")
    ]
    _send(notices, actor)
    return BulkResult(
        changed=len(events), unchanged=len(plan.unchanged), agreements=len(agreements)
    )


def pending_validations(agreement_ids: Sequence[int]) -> dict[int, int]:
    """Reports waiting for validation ("Por validar") per agreement, in one query. Read through
    the reverse relation (`reports`, defined by `progress`) without importing that app; the queue
    follows the agreement's validating area, so these move with it."""
    return dict(
        Commitment.objects.filter(agreement_id__in=list(agreement_ids), reports__state="submitted")
        .order_by()
        .values("agreement_id")
        .annotate(n=Count("reports"))
        .values_list("agreement_id", "n")
    )


def _reports(n: int) -> str:
    return "1 reporte por validar" if n == 1 else f"{n} reportes por validar"


def _area_notices(
    agreement: Agreement, before: Unit, area: Unit, reason: str, waiting: int
) -> list[_Notice]:
    """What the validators hear when an agreement moves from `before` to `area`: the new area's,
    always (with the `waiting` reports that reach their queue); the old area's, when reports
    waiting for validation leave their queue. Validators who see both areas gain or lose nothing
    and are left out."""
    kind = "agreement.validating_area_changed"
    change = (
        f"La Coordinación central cambió el área normativa que valida el acuerdo "
        f"{agreement.folio} de {before.short_name} a {area.short_name}."
    )
    new_area = (AREA_VALIDATORS, area.pk)
    old_area = (AREA_VALIDATORS, before.pk)
    if not waiting:
        title = f"Su área valida ahora el acuerdo {agreement.folio}"
        body = f"{change} Motivo: {reason}"
        url = agreement.get_absolute_url()
        return [_Notice(new_area, kind, title, body, url, None, old_area)]
    queue = reverse("progress:review_queue")
    arrived = "llegó a" if waiting == 1 else "llegaron a"
    left = "salió de" if waiting == 1 else "salieron de"
    return [
        _Notice(
            new_area,
            kind,
            f"{_reports(waiting)} del acuerdo {agreement.folio} {arrived} su bandeja",
            f"{change} Los encontrará en «Por validar». Motivo: {reason}",
            queue,
            None,
            old_area,
        ),
        _Notice(
            old_area,
            kind,
            f"{_reports(waiting)} del acuerdo {agreement.folio} {left} su bandeja",
            f"{change} Ahora los valida {area.short_name}. Motivo: {reason}",
            queue,
            None,
            new_area,
        ),
    ]
