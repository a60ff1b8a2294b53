"""Writes on progress: reporting, validating, returning, rejecting, evidence and comments.

Every service runs in one transaction, checks the actor's permission on the object (the views
check it too), refuses a stale write with a ConflictError, writes its AuditEvent and notifies
the other side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from acuerdos.audit import services as audit
from acuerdos.commitments.models import Commitment, TargetKind
from acuerdos.commitments.policies import can_comment, can_report, can_validate
from acuerdos.core import uploads as evidence_files
from acuerdos.core.dates import long_date, today
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.notifications.services import area_validators, notify, unit_people
from acuerdos.progress.inputs import refresh_inputs, set_fraction
from acuerdos.progress.models import Comment, Evidence, ProgressReport, ReportState


@dataclass
class ReportInput:
    """What the unit reports: the as-of date, the value for the target kind, the narrative."""

    as_of: dt.date
    percent: Decimal | None = None
    indicator_value: Decimal | None = None
    milestone_ids: Sequence[int] = field(default_factory=tuple)
    narrative: str = ""


@dataclass
class Upload:
    """An uploaded file as the service sees it: a readable stream and the name it came with."""

    stream: IO[bytes]
    name: str


def _report_snapshot(report: ProgressReport) -> dict[str, Any]:
    return {
        "state": report.state,
        "as_of": report.as_of,
        "percent": report.percent,
        "indicator_value": report.indicator_value,
        "milestones_done": sorted(m.pk for m in report.milestones_done.all()) if report.pk else [],
        "narrative": report.narrative,
        "review_comment": report.review_comment,
    }


def _check_input(commitment: Commitment, data: ReportInput, *, submitting: bool) -> None:
    """Refuse a report that does not fit its commitment, with a message that says what to fix."""
    if data.as_of > today():
        raise DomainError("La fecha del avance no puede ser posterior a hoy.")
    if data.as_of < commitment.start_date:
        raise DomainError(
            "La fecha del avance no puede ser anterior al inicio del compromiso "
            f"({date_format(commitment.start_date, 'SHORT_DATE_FORMAT')})."
        )
    kind = commitment.target_kind
    if kind == TargetKind.PERCENT:
        if data.percent is None and submitting:
            raise DomainError("Indique el porcentaje de avance (de 0 a 100).")
        if data.percent is not None and not Decimal("0") <= data.percent <= Decimal("100"):
            raise DomainError("El porcentaje de avance debe estar entre 0 y 100.")
    elif kind == TargetKind.INDICATOR:
        if data.indicator_value is None and submitting:
            raise DomainError(
                f"Indique el valor del indicador «{commitment.indicator_name or 'indicador'}»."
            )
    elif kind == TargetKind.MILESTONES:
        valid = set(commitment.milestones.values_list("pk", flat=True))
        if not set(data.milestone_ids) <= valid:
            raise DomainError("Alguno de los hitos marcados no pertenece a este compromiso.")
    if submitting and not data.narrative.strip():
        raise DomainError("Describa el avance: qué se hizo y qué falta.")


def _locked(report: ProgressReport, expected_version: int | None) -> ProgressReport:
    # The commitment before the report, the order every write takes (progress.inputs locks the
    # commitment to rewrite its inputs): two writers never wait on each other in a circle.
    list(Commitment.objects.select_for_update().filter(pk=report.commitment_id).values_list("pk"))
    current = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and current.version != expected_version:
        who = current.reviewed_by or current.author
        raise ConflictError(
            "Otra persona cambió este reporte mientras usted lo tenía abierto: ahora está "
            f"«{current.get_state_display()}» (última acción de {who}). "
            "Sus cambios no se guardaron; revise el estado actual y vuelva a intentarlo."
        )
    return current


def _apply(report: ProgressReport, commitment: Commitment, data: ReportInput) -> None:
    report.as_of = data.as_of
    report.narrative = data.narrative.strip()
    report.percent = data.percent if commitment.target_kind == TargetKind.PERCENT else None
    report.indicator_value = (
        data.indicator_value if commitment.target_kind == TargetKind.INDICATOR else None
    )


def _check_answers(commitment: Commitment, answers: ProgressReport | None) -> None:
    if answers is None:
        return
    if answers.commitment_id != commitment.pk or answers.state != ReportState.RETURNED:
        raise DomainError(
            "Sólo se pueden atender observaciones de un reporte devuelto de este compromiso."
        )
    if answers.answered_by.exclude(state=ReportState.DRAFT).exists():
        raise ConflictError("Esas observaciones ya fueron atendidas con otro reporte.")


def _save_report(
    *,
    commitment: Commitment,
    actor: Any,
    data: ReportInput,
    uploads: Sequence[Upload],
    report: ProgressReport | None,
    answers: ProgressReport | None,
    expected_version: int | None,
    submit: bool,
) -> ProgressReport:
    if not can_report(actor, responsible_unit_id=commitment.responsible_unit_id):
        raise PermissionDenied(
            "Sólo el titular o el enlace de la unidad responsable reporta avance."
        )
    if commitment.is_cancelled:
        raise DomainError("El compromiso está cancelado: ya no recibe reportes de avance.")
    _check_input(commitment, data, submitting=submit)
    _check_answers(commitment, answers)
    checked = [evidence_files.check_upload(u.stream, u.name) for u in uploads]
    if submit and not checked and (report is None or not report.evidence.exists()):
        raise DomainError("Adjunte al menos un archivo de evidencia.")

    stored: list[str] = []
    try:
        with transaction.atomic():
            if report is None:
                report = ProgressReport(commitment=commitment, author=actor, answers=answers)
                before: dict[str, Any] = {}
                created = True
            else:
                report = _locked(report, expected_version)
                if report.state != ReportState.DRAFT or report.commitment_id != commitment.pk:
                    raise ConflictError(
                        f"Este reporte ya está «{report.get_state_display()}»; "
                        "no se puede modificar."
                    )
                before = _report_snapshot(report)
                created = False
                report.version += 1
                if answers is not None:
                    report.answers = answers
            _apply(report, commitment, data)
            if submit:
                report.state = ReportState.SUBMITTED
                report.submitted_on = today()
                report.submitted_at = timezone.now()
            report.full_clean()
            report.save()
            if commitment.target_kind == TargetKind.MILESTONES:
                report.milestones_done.set(list(data.milestone_ids))
            set_fraction(report, commitment)
            for item in checked:
                name = evidence_files.store(item)
                stored.append(name)
                Evidence.objects.create(
                    report=report,
                    file=name,
                    original_name=item.original_name,
                    size=item.size,
                    sha256=item.sha256,
                    content_type=item.content_type,
                    uploaded_by=actor,
                )
            after = _report_snapshot(report)
            if submit:
                action = "progress.submitted"
            else:
                action = "progress.drafted" if created else "progress.draft_updated"
            audit.record(
                actor=actor,
                action=action,
                target=report,
                commitment_id=commitment.pk,
                changes=audit.diff(before, after),
                context={
                    "evidence": [
                        {"name": c.original_name, "sha256": c.sha256, "size": c.size}
                        for c in checked
                    ],
                    "answers": answers.pk if answers else None,
                },
            )
            if submit:
                refresh_inputs([commitment.pk])
                notify(
                    recipients=area_validators(commitment.agreement.validating_area_id),
                    kind="progress.submitted",
                    title=f"Avance por validar: {commitment}",
                    body=f"{actor} reportó avance con fecha al {long_date(data.as_of)}.",
                    url=report.get_absolute_url(),
                    commitment_id=commitment.pk,
                    exclude=actor,
                )
    except BaseException:
        for name in stored:
            evidence_files.discard(name)
        raise
    return report


def report_save_draft(
    *,
    commitment: Commitment,
    actor: Any,
    data: ReportInput,
    uploads: Sequence[Upload] = (),
    report: ProgressReport | None = None,
    answers: ProgressReport | None = None,
    expected_version: int | None = None,
) -> ProgressReport:
    """Save (or update) a draft report: nothing counts or is notified until it is submitted."""
    return _save_report(
        commitment=commitment,
        actor=actor,
        data=data,
        uploads=uploads,
        report=report,
        answers=answers,
        expected_version=expected_version,
        submit=False,
    )


def report_submit(
    *,
    commitment: Commitment,
    actor: Any,
    data: ReportInput,
    uploads: Sequence[Upload] = (),
    report: ProgressReport | None = None,
    answers: ProgressReport | None = None,
    expected_version: int | None = None,
) -> ProgressReport:
    """Submit a progress report with its evidence to the validating area (a new one, or a draft)."""
    return _save_report(
        commitment=commitment,
        actor=actor,
        data=data,
        uploads=uploads,
        report=report,
        answers=answers,
        expected_version=expected_version,
        submit=True,
    )


_REVIEW = {
    ReportState.VALIDATED: ("progress.validated", "validó"),
    ReportState.RETURNED: ("progress.returned", "devolvió con observaciones"),
    ReportState.REJECTED: ("progress.rejected", "rechazó"),
}


@transaction.atomic
def _review(
    *,
    report: ProgressReport,
    actor: Any,
    new_state: ReportState,
    comment: str,
    expected_version: int | None,
) -> ProgressReport:
    current = _locked(report, expected_version)
    commitment = current.commitment
    if not can_validate(actor, validating_area_id=commitment.agreement.validating_area_id):
        raise PermissionDenied(
            "Sólo el área normativa que valida o la coordinación revisan este avance."
        )
    if current.state != ReportState.SUBMITTED:
        who = current.reviewed_by or current.author
        raise ConflictError(
            f"Este reporte ya no está por validar: está «{current.get_state_display()}» "
            f"(última acción de {who}). No se cambió nada."
        )
    if new_state != ReportState.VALIDATED and not comment.strip():
        raise DomainError(
            "Escriba las observaciones para la unidad."
            if new_state == ReportState.RETURNED
            else "Escriba el motivo del rechazo."
        )
    before = _report_snapshot(current)
    current.state = new_state
    current.reviewed_by = actor
    current.reviewed_at = timezone.now()
    current.validated_on = today() if new_state == ReportState.VALIDATED else None
    current.review_comment = comment.strip()
    current.version += 1
    current.full_clean()
    current.save()
    refresh_inputs([commitment.pk])
    action, verb = _REVIEW[new_state]
    audit.record(
        actor=actor,
        action=action,
        target=current,
        commitment_id=commitment.pk,
        changes=audit.diff(before, _report_snapshot(current)),
    )
    notify(
        recipients=unit_people(commitment.responsible_unit_id),
        kind=action,
        title=f"{actor} {verb} su avance de {commitment}",
        body=comment.strip(),
        url=current.get_absolute_url(),
        commitment_id=commitment.pk,
        exclude=actor,
    )
    return current


def report_validate(
    *, report: ProgressReport, actor: Any, expected_version: int | None = None, comment: str = ""
) -> ProgressReport:
    """The validating area accepts the report: from its validation date on, it counts."""
    return _review(
        report=report,
        actor=actor,
        new_state=ReportState.VALIDATED,
        comment=comment,
        expected_version=expected_version,
    )


def report_return(
    *, report: ProgressReport, actor: Any, comment: str, expected_version: int | None = None
) -> ProgressReport:
    """Return the report with observations; the unit answers with a new report."""
    return _review(
        report=report,
        actor=actor,
        new_state=ReportState.RETURNED,
        comment=comment,
        expected_version=expected_version,
    )


def report_reject(
    *, report: ProgressReport, actor: Any, comment: str, expected_version: int | None = None
) -> ProgressReport:
    """Reject the report, with the reason."""
    return _review(
        report=report,
        actor=actor,
        new_state=ReportState.REJECTED,
        comment=comment,
        expected_version=expected_version,
    )


@transaction.atomic
def evidence_downloaded(*, evidence: Evidence, actor: Any) -> None:
    """Record that someone downloaded an evidence file (downloads are audited)."""
    audit.record(
        actor=actor,
        action="evidence.downloaded",
        target=evidence,
        commitment_id=evidence.report.commitment_id,
        context={"sha256": evidence.sha256, "name": evidence.original_name},
    )


@transaction.atomic
def comment_add(*, commitment: Commitment, actor: Any, text: str) -> Comment:
    """Add a comment to the commitment's thread and tell the other side."""
    area_id = commitment.agreement.validating_area_id
    if not can_comment(
        actor, responsible_unit_id=commitment.responsible_unit_id, validating_area_id=area_id
    ):
        raise PermissionDenied("Su rol es de consulta: no puede comentar.")
    if not text.strip():
        raise DomainError("Escriba el comentario.")
    comment = Comment(commitment=commitment, author=actor, text=text.strip())
    comment.full_clean()
    comment.save()
    audit.record(
        actor=actor,
        action="comment.created",
        target=comment,
        commitment_id=commitment.pk,
        changes={"text": [None, comment.text]},
    )
    from_unit = can_report(actor, responsible_unit_id=commitment.responsible_unit_id)
    notify(
        recipients=area_validators(area_id)
        if from_unit
        else unit_people(commitment.responsible_unit_id),
        kind="comment.created",
        title=f"Nuevo comentario en {commitment}",
        body=comment.text[:300],
        url=commitment.get_absolute_url(),
        commitment_id=commitment.pk,
        exclude=actor,
    )
    return comment
