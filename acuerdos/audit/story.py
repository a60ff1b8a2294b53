"""Audit events told as a story: one readable Spanish line per event, with old → new values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from acuerdos.audit.models import AuditEvent

ACTIONS = {
    "agreement.created": "registró el acuerdo",
    "agreement.updated": "modificó el acuerdo",
    "commitment.created": "registró el compromiso",
    "commitment.updated": "modificó el compromiso",
    "commitment.cancelled": "canceló el compromiso",
    "commitment.extension_requested": "solicitó una reprogramación",
    "commitment.extended": "aprobó la reprogramación",
    "commitment.extension_denied": "negó la reprogramación",
    "progress.drafted": "guardó un borrador de avance",
    "progress.draft_updated": "actualizó un borrador de avance",
    "progress.submitted": "envió un reporte de avance",
    "progress.validated": "validó el reporte de avance",
    "progress.returned": "devolvió el reporte con observaciones",
    "progress.rejected": "rechazó el reporte de avance",
    "progress.imported": "importó un reporte de avance",
    "evidence.downloaded": "descargó una evidencia",
    "comment.created": "comentó",
    "meeting.created": "registró la reunión",
    "meeting.updated": "modificó la reunión",
    "meeting.participants_changed": "cambió las unidades participantes",
    "user.created": "dio de alta a la persona",
    "membership.granted": "asignó un rol",
}

FIELDS = {
    "state": "estado",
    "as_of": "fecha del avance",
    "percent": "porcentaje",
    "indicator_value": "valor del indicador",
    "milestones_done": "hitos cumplidos",
    "narrative": "descripción",
    "review_comment": "observaciones",
    "due_date": "fecha compromiso",
    "cancelled_on": "fecha de cancelación",
    "responsible_unit": "unidad responsable",
    "target_kind": "tipo de meta",
    "text": "texto",
    "folio": "folio",
    "theme": "línea de acción",
    "validating_area": "área que valida",
    "status": "estado",
    "venue": "sede",
    "name": "nombre",
    "deliverable": "entregable",
    "priority": "prioridad",
    "weight": "peso",
    "start_date": "fecha de inicio",
    "indicator_name": "indicador",
    "unit_of_measure": "unidad de medida",
    "baseline": "línea base",
    "target_value": "meta",
    "co_responsible_units": "unidades corresponsables",
    "milestones": "hitos",
    "current_due_date": "fecha compromiso vigente",
    "decision": "decisión",
    "note": "nota",
    "reason": "motivo",
}

VALUES = {
    "draft": "borrador",
    "submitted": "enviado",
    "validated": "validado",
    "returned": "observado",
    "rejected": "rechazado",
    "pending": "pendiente",
    "approved": "aprobada",
    "denied": "negada",
    "percent": "porcentaje",
    "indicator": "indicador",
    "milestones": "hitos",
}


@dataclass(frozen=True)
class StoryLine:
    """One event as a person reads it."""

    occurred_at: dt.datetime
    actor: str
    verb: str
    changes: list[tuple[str, str, str]]
    note: str
    action: str


def _value(raw: Any) -> str:
    if raw is None or raw == "" or raw == []:
        return "—"
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw).strftime("%d/%m/%Y")
        except ValueError:
            return VALUES.get(raw, raw if len(raw) <= 120 else raw[:117] + "…")
    if isinstance(raw, list):
        return ", ".join(_value(v) for v in raw)
    return str(raw)


def describe(event: AuditEvent) -> StoryLine:
    """The readable form of one audit event."""
    changes = [
        (FIELDS.get(field, field), _value(old), _value(new))
        for field, (old, new) in sorted(event.changes.items())
        if field not in ("narrative",) or old
    ]
    context = event.context or {}
    note = str(
        context.get("reason") or context.get("comment") or context.get("justification") or ""
    )
    return StoryLine(
        occurred_at=event.occurred_at,
        actor=event.actor_label or "sistema",
        verb=ACTIONS.get(event.action, event.action),
        changes=changes,
        note=note,
        action=event.action,
    )


def commitment_story(commitment_id: int, *, limit: int = 200) -> list[StoryLine]:
    """The history of one commitment, oldest first, in one query."""
    events = AuditEvent.objects.filter(commitment_id=commitment_id).order_by("occurred_at", "id")[
        :limit
    ]
    return [describe(e) for e in events]
