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
    "organization.unit": "Unidad",
    "organization.unitalias": "Nombre alterno de unidad",
    "organization.theme": "Línea de acción",
    "evaluation.cutoff": "Corte",
}


def action_label(action: str) -> str:
    """What an action code means, as a verb phrase (`progress.validated` → `validó …`)."""
    return ACTIONS.get(action) or MORE_ACTIONS.get(action) or action


def action_choices() -> list[tuple[str, str]]:
    """Every action the system records, labelled in Spanish and sorted by label."""
    known = {**ACTIONS, **MORE_ACTIONS}
    return sorted(((code, label.capitalize()) for code, label in known.items()), key=lambda c: c[1])


@dataclass(frozen=True)
class Timeline:
    """A commitment's story, newest first; `truncated` when older events were left out."""

    lines: list[StoryLine]
    truncated: bool


def commitment_timeline(commitment_id: int, *, limit: int = TIMELINE_LIMIT) -> Timeline:
    """The latest `limit` events of a commitment's story as readable lines (one query)."""
    events = list(
        AuditEvent.objects.filter(commitment_id=commitment_id).order_by("-occurred_at", "-id")[
            : limit + 1
        ]
    )
    return Timeline(lines=[describe(e) for e in events[:limit]], truncated=len(events) > limit)


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
    line: StoryLine
    target_type_label: str


def log_rows(events: list[AuditEvent]) -> list[LogRow]:
    """The events of one page, described."""
    return [
        LogRow(
            event=event,
            line=describe(event),
            target_type_label=TARGET_TYPES.get(event.target_type, event.target_type),
        )
        for event in events
    ]
