"""Reads of the audit trail: a commitment's timeline and the filtered log of the Bitácora page.

The audit app imports no domain app: filters arrive as plain values (`AuditFilters`), built by
`audit.forms.AuditFilterForm` from whitelisted, typed fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from acuerdos.audit.models import AuditEvent
from acuerdos.audit.story import ACTIONS, StoryLine, describe

TIMELINE_LIMIT = 100

# Actions that story.ACTIONS does not name (imports, catalogs, cut-offs).
MORE_ACTIONS = {
    "agreement.imported": "importó el acuerdo",
    "commitment.imported": "importó el compromiso",
    "cutoff.created": "programó el corte",
    "cutoff.closed": "cerró el corte",
    "round.created": "registró la ronda",
    "unit.created": "registró la unidad",
    "unit.updated": "modificó la unidad",
    "unitalias.created": "registró un nombre alterno de unidad",
    "region.created": "registró la región",
    "theme.created": "registró la línea de acción",
    "theme.updated": "modificó la línea de acción",
    "cutoff.removed": "quitó el corte del calendario",
    "round.updated": "modificó la ronda",
    "commitment.reassigned": "reasignó el compromiso a otra unidad",
    "commitment.due_date_changed": "corrigió la fecha compromiso",
    "agreement.validating_area_changed": "cambió el área que valida",
    "review.recorded": "registró la decisión de seguimiento",
    "review.updated": "corrigió la decisión de seguimiento",
    "minuta.downloaded": "descargó la minuta",
    "export.downloaded": "descargó una lista",
    "report.generated": "generó el informe",
    "report.pack_generated": "generó la carpeta de seguimiento",
    "report.delivered": "entregó el informe",
    "report.downloaded": "descargó el informe",
    "email.retried": "reintentó el envío de un correo",
    "notification_preference.updated": "cambió sus preferencias de notificación",
    "user.invited": "envió la invitación",
    "user.updated": "corrigió el nombre",
    "user.email_changed": "cambió el correo de acceso",
    "user.invitation_resent": "reenvió la invitación",
    "user.deactivated": "desactivó la cuenta",
    "user.reactivated": "reactivó la cuenta",
    "user.password_set": "eligió su contraseña",
    "user.password_reset_requested": "pidió restablecer su contraseña",
    "membership.ended": "retiró un rol",
    "api_token.created": "creó un token de API",
    "api_token.revoked": "revocó un token de API",
    "two_factor.enabled": "activó el segundo factor de autenticación",
    "two_factor.disabled": "quitó el segundo factor de autenticación",
    "two_factor.verified": "confirmó su identidad con el segundo factor",
    "two_factor.failed": "escribió un código de verificación incorrecto",
    "two_factor.locked": "bloqueó temporalmente el segundo factor por códigos incorrectos",
    "two_factor.recovery_used": "entró con un código de recuperación",
    "two_factor.recovery_regenerated": "generó nuevos códigos de recuperación",
    "two_factor.reset": "restableció el segundo factor de la persona",
}

TARGET_TYPES = {
    "commitments.agreement": "Acuerdo",
    "commitments.commitment": "Compromiso",
    "commitments.extensionrequest": "Reprogramación",
    "progress.progressreport": "Reporte de avance",
    "progress.evidence": "Evidencia",
    "progress.comment": "Comentario",
    "meetings.meeting": "Reunión",
    "meetings.round": "Ronda",
    "organization.user": "Persona",
    "organization.membership": "Rol asignado",
    "organization.apitoken": "Token de API",
    "organization.unit": "Unidad",
    "organization.unitalias": "Nombre alterno de unidad",
    "organization.theme": "Línea de acción",
    "organization.region": "Región",
    "evaluation.cutoff": "Corte",
    "notifications.outgoingemail": "Correo",
    "notifications.notificationpreference": "Preferencia de notificación",
    "followup.reviewdecision": "Decisión de seguimiento",
    "reporting.report": "Informe",
}


def action_label(action: str) -> str:
    """What an action code means, as a verb phrase (`progress.validated` → `validó …`)."""
    return ACTIONS.get(action) or MORE_ACTIONS.get(action) or action


def action_choices() -> list[tuple[str, str]]:
    """Every action the system records, labelled in Spanish and sorted by label."""
    known = {**ACTIONS, **MORE_ACTIONS}
    return sorted(((code, label.capitalize()) for code, label in known.items()), key=lambda c: c[1])


# Field names that story.FIELDS does not translate (catalogs, meetings, people).
MORE_FIELDS = {
    "lead_area": "área líder",
    "order": "orden",
    "code": "clave",
    "short_name": "nombre corto",
    "kind": "tipo",
    "region": "región",
    "parent": "unidad superior",
    "is_active": "vigente",
    "alias": "nombre alterno",
    "unit": "unidad",
    "role": "rol",
    "email": "correo",
    "full_name": "nombre",
    "start_date": "fecha de inicio",
    "end_date": "fecha de término",
    "deliverable": "entregable",
    "priority": "prioridad",
    "weight": "peso",
    "date": "fecha",
    "current_due_date": "fecha compromiso vigente",
}


@dataclass(frozen=True)
class Change:
    """One changed value as read: `old` is "—" when the value was set for the first time."""

    field: str
    old: str
    new: str

    @property
    def is_new(self) -> bool:
        return self.old == "—"


@dataclass(frozen=True)
class Entry:
    """One audit event as a person reads it: who, what, when, old → new, and what about."""

    occurred_at: dt.datetime
    actor: str
    verb: str
    changes: list[Change]
    note: str
    action: str
    target_type: str
    target_id: str
    target_label: str

    @property
    def target_type_label(self) -> str:
        return TARGET_TYPES.get(self.target_type, self.target_type)

    @property
    def report_id(self) -> int | None:
        """The progress report the event is about, for a link to its page."""
        if self.target_type == "progress.progressreport" and self.target_id.isdigit():
            return int(self.target_id)
        return None


def entry(event: AuditEvent) -> Entry:
    """The readable form of one event (story.describe, plus the names it does not know, and
    without the fields whose shown value did not change, such as "—" → "—")."""
    line: StoryLine = describe(event)
    return Entry(
        occurred_at=line.occurred_at,
        actor=line.actor,
        verb=action_label(event.action),
        changes=[
            Change(MORE_FIELDS.get(name, name), old, new)
            for name, old, new in line.changes
            if old != new
        ],
        note=line.note,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        target_label=event.target_label,
    )


@dataclass(frozen=True)
class Timeline:
    """A commitment's story, newest first; `truncated` when older events were left out."""

    entries: list[Entry]
    truncated: bool


def commitment_timeline(commitment_id: int, *, limit: int = TIMELINE_LIMIT) -> Timeline:
    """The latest `limit` events of a commitment's story as readable entries (one query)."""
    events = list(
        AuditEvent.objects.filter(commitment_id=commitment_id).order_by("-occurred_at", "-id")[
            : limit + 1
        ]
    )
    return Timeline(entries=[entry(e) for e in events[:limit]], truncated=len(events) > limit)


@dataclass(frozen=True)
class AuditFilters:
    """The validated filters of the Bitácora page."""

    action: str = ""
    user: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    target_type: str = ""
    text: str = ""
    commitment_id: int | None = None


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight of a Mexico City calendar day, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The audit events matching the filters, newest first (indexed by time; no joins unless the
    person is searched by e-mail)."""
    queryset = AuditEvent.objects.all()
    if filters.action:
        queryset = queryset.filter(action=filters.action)
    if filters.target_type:
        queryset = queryset.filter(target_type=filters.target_type)
    if filters.commitment_id is not None:
        queryset = queryset.filter(commitment_id=filters.commitment_id)
    if filters.date_from is not None:
        queryset = queryset.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        queryset = queryset.filter(
            occurred_at__lt=_start_of(filters.date_to + dt.timedelta(days=1))
        )
    if filters.user:
        queryset = queryset.filter(
            Q(actor_label__icontains=filters.user) | Q(actor__email__icontains=filters.user)
        )
    if filters.text:
        queryset = queryset.filter(target_label__icontains=filters.text)
    return queryset.order_by("-occurred_at", "-id")


@dataclass(frozen=True)
class LogRow:
    """One event of the Bitácora page with its readable form."""

    event: AuditEvent
    entry: Entry


def log_rows(events: list[AuditEvent]) -> list[LogRow]:
    """The events of one page, described."""
    return [LogRow(event=event, entry=entry(event)) for event in events]
