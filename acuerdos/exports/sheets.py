"""What each export writes: its Spanish columns and a generator of rows over a scoped queryset.

Rows are plain values streamed from one query (`.values().iterator()`, 2,000 at a time), with
what the row needs besides — statuses of the evaluation, co-responsible units, milestone
counts — read once per list and kept by id, so that 100,000 commitments stream in a few
seconds and bounded memory (`bench/imports.py`).
Dates stay dates, figures stay numbers (percentages rounded half up to one decimal only here,
PRODUCT.md §3.7), and a row whose commitment has a status is filled with its semáforo colour.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet

from acuerdos.audit.models import AuditEvent
from acuerdos.audit.selectors import TARGET_TYPES, action_label
from acuerdos.commitments.models import Commitment, Priority, TargetKind
from acuerdos.commitments.selectors import AgreementFilters
from acuerdos.core.exports import Column
from acuerdos.evaluation.rules import STATUS_LABELS, GroupFigures, Status
from acuerdos.evaluation.selectors import Basis, Evaluated
from acuerdos.exports import selectors
from acuerdos.progress.models import ProgressReport, ReportState
from acuerdos.progress.selectors import report_percent, shown_percent

NOT_STARTED = "Aún no inicia"
NOT_EVALUATED = "Sin evaluar"
_CODE_OF_LABEL = {label: status.value for status, label in STATUS_LABELS.items()}


@dataclass
class Sheet:
    """One export: the sheet (and file) name, the columns, the rows, how to count them, and
    how to find a row's status for its semáforo fill."""

    name: str
    slug: str
    columns: list[Column]
    rows: Iterable[Sequence[Any]]
    count: Callable[[], int]
    status: Callable[[Sequence[Any]], str | None] | None = None


def _pct(value: Fraction | None) -> Decimal | None:
    """A percentage figure as exported: rounded half up to one decimal; n/a stays empty."""
    if value is None:
        return None
    return shown_percent(value.numerator, value.denominator)


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _yes(value: bool) -> str:
    return "Sí" if value else "No"


def _as_of(basis: Basis) -> str:
    return f"{basis.as_of:%d/%m/%Y}"


def _status_of(index: int) -> Callable[[Sequence[Any]], str | None]:
    def status(row: Sequence[Any]) -> str | None:
        return _CODE_OF_LABEL.get(row[index]) if index < len(row) else None

    return status


# --- Agreements --------------------------------------------------------------------------------


def agreements_sheet(user: Any, filters: AgreementFilters, basis: Basis) -> Sheet:
    """Acuerdos: one row per agreement of the list, with the roll-up of the commitments of it
    that the person may see (counts per status and the three levels) at the basis date."""
    queryset = selectors.agreements(user, filters)
    day = _as_of(basis)
    columns = [
        Column("Folio"),
        Column("Reunión"),
        Column("Región"),
        Column("Acuerdo", width=60),
        Column("Entregable", width=40),
        Column("Línea de acción"),
        Column("Área normativa que valida"),
        Column("Prioridad"),
        Column("Compromisos", kind="integer"),
        Column("Unidades responsables", width=40),
        Column("Próxima fecha compromiso", kind="date"),
        Column(f"En tiempo al {day}", kind="integer"),
        Column("En riesgo", kind="integer"),
        Column("Vencidos", kind="integer"),
        Column("Cumplidos", kind="integer"),
        Column("Cancelados", kind="integer"),
        Column("Avance promedio (%)", kind="percent"),
        Column("Nivel de cumplimiento (%)", kind="percent"),
        Column("Oportunidad del reporte (%)", kind="percent"),
    ]

    def rows() -> Iterator[list[Any]]:
        figures = selectors.agreement_figures(user, queryset, basis)
        for agreement in selectors.agreement_values(queryset):
            yield _agreement_row(agreement, figures.get(agreement["pk"]))

    return Sheet(
        name="Acuerdos",
        slug="acuerdos",
        columns=columns,
        rows=rows(),
        count=queryset.count,
    )


PRIORITY_LABELS = {value: str(label) for value, label in Priority.choices}


def _agreement_row(agreement: dict[str, Any], figures: GroupFigures | None) -> list[Any]:
    counts = figures.counts if figures else {}
    return [
        agreement["folio"],
        agreement["meeting__code"],
        agreement["meeting__region__short_name"],
        agreement["text"],
        agreement["deliverable"],
        agreement["theme__name"],
        agreement["validating_area__short_name"],
        PRIORITY_LABELS.get(agreement["priority"], agreement["priority"]),
        agreement["commitment_count"],
        ", ".join(agreement["units"]),
        agreement["next_due"],
        counts.get(Status.ON_TRACK, 0),
        counts.get(Status.AT_RISK, 0),
        counts.get(Status.OVERDUE, 0),
        counts.get(Status.FULFILLED, 0),
        counts.get(Status.CANCELLED, 0),
        _pct(figures.average_progress) if figures else None,
        _pct(figures.compliance_level) if figures else None,
        _pct(figures.timeliness) if figures else None,
    ]


# --- Commitments -------------------------------------------------------------------------------


def _commitment_columns(basis: Basis, *, relation: bool = False) -> list[Column]:
    columns = [
        Column("Folio"),
        Column("Acuerdo", width=60),
        Column("Reunión"),
        Column("Región"),
        Column("Línea de acción"),
        Column("Área normativa que valida"),
        Column("Clave de la unidad"),
        Column("Unidad responsable"),
        Column("Corresponsables", width=30),
        Column("Fecha de inicio", kind="date"),
        Column("Fecha compromiso original", kind="date"),
        Column("Fecha compromiso vigente", kind="date"),
        Column("Tipo de meta"),
        Column("Meta o entregable", width=40),
        Column("Peso", kind="number"),
        Column(f"Estado al {_as_of(basis)}"),
        Column("Avance validado (%)", kind="percent"),
        Column("Avance esperado (%)", kind="percent"),
        Column("Días de atraso", kind="integer"),
        Column("Sin reporte en 30 días"),
        Column("Cancelado el", kind="date"),
    ]
    if relation:
        columns.append(Column("Relación de su unidad"))
    return columns


STATUS_COLUMN = 15


TARGET_LABELS = {value: str(label) for value, label in TargetKind.choices}
STATUS_TEXT = {status.value: label for status, label in STATUS_LABELS.items()}


def _target_text(row: dict[str, Any]) -> str:
    kind = row["target_kind"]
    deliverable = row["agreement__deliverable"]
    if kind == TargetKind.INDICATOR:
        text = (
            f"{row['indicator_name']}: de {_plain(row['baseline'])} a "
            f"{_plain(row['target_value'])} {row['unit_of_measure']}"
        )
        return text.strip()
    if kind == TargetKind.MILESTONES:
        count = int(row["milestone_count"])
        text = f"{count} {'hito' if count == 1 else 'hitos'}"
        return f"{text} · {deliverable}" if deliverable else text
    return deliverable or "Porcentaje de avance (0 a 100)"


def _commitment_row(row: dict[str, Any], evaluated: Evaluated | None, basis: Basis) -> list[Any]:
    if evaluated is not None:
        status = STATUS_TEXT[evaluated.status]
    else:
        status = NOT_STARTED if row["start_date"] > basis.as_of else NOT_EVALUATED
    return [
        row["agreement__folio"],
        row["agreement__text"],
        row["agreement__meeting__code"],
        row["agreement__meeting__region__short_name"],
        row["agreement__theme__name"],
        row["agreement__validating_area__short_name"],
        row["responsible_unit__code"],
        row["responsible_unit__short_name"],
        ", ".join(row["co_units"]),
        row["start_date"],
        row["due_date"],
        row["current_due_date"] or row["due_date"],
        TARGET_LABELS.get(row["target_kind"], row["target_kind"]),
        _target_text(row),
        row["weight"],
        status,
        evaluated.progress if evaluated else None,
        evaluated.expected if evaluated else None,
        evaluated.overdue_days if evaluated else None,
        _yes(evaluated.stale) if evaluated else "",
        row["cancelled_on"],
    ]


def _evaluated_rows(
    queryset: QuerySet[Commitment], basis: Basis, extra: Sequence[Any] = ()
) -> Iterator[list[Any]]:
    for row, evaluated in selectors.commitment_values(queryset, basis):
        yield [*_commitment_row(row, evaluated, basis), *extra]


def commitments_sheet(
    user: Any, filters: AgreementFilters, basis: Basis, *, status: str = ""
) -> Sheet:
    """Compromisos: one row per commitment under the list's filters (today's semáforo `status`
    included), with its status, validated and expected progress at the basis date."""
    queryset = selectors.commitments(user, filters, status=status, basis=basis)
    return Sheet(
        name="Compromisos",
        slug="compromisos",
        columns=_commitment_columns(basis),
        rows=_evaluated_rows(queryset, basis),
        count=queryset.count,
        status=_status_of(STATUS_COLUMN),
    )


def my_commitments_sheet(user: Any, basis: Basis) -> Sheet:
    """Mis compromisos: those of the user's units, then those where a unit of theirs is
    co-responsible (the last column says which)."""
    parts = selectors.my_commitments(user)

    def rows() -> Iterator[list[Any]]:
        for relation, queryset in parts:
            yield from _evaluated_rows(queryset, basis, extra=[relation])

    return Sheet(
        name="Mis compromisos",
        slug="mis-compromisos",
        columns=_commitment_columns(basis, relation=True),
        rows=rows(),
        count=lambda: sum(queryset.count() for _, queryset in parts),
        status=_status_of(STATUS_COLUMN),
    )


# --- Progress reports --------------------------------------------------------------------------

STATE_LABELS = {state.value: str(state.label) for state in ReportState}


def reports_sheet(user: Any, filters: AgreementFilters) -> Sheet:
    """Reportes de avance: the sent reports of the commitments under the list's filters."""
    queryset = selectors.reports(user, filters)
    columns = [
        Column("Folio"),
        Column("Clave de la unidad"),
        Column("Unidad responsable"),
        Column("Fecha del avance", kind="date"),
        Column("Estado del reporte"),
        Column("Avance (%)", kind="percent"),
        Column("Valor del indicador", kind="number"),
        Column("Hitos cumplidos", width=30),
        Column("Narrativa", width=60),
        Column("Enviado por"),
        Column("Enviado el", kind="date"),
        Column("Revisó"),
        Column("Validado el", kind="date"),
        Column("Observaciones", width=40),
        Column("Evidencias", kind="integer"),
        Column("Importado"),
    ]

    def rows() -> Iterator[list[Any]]:
        for report in selectors.report_values(queryset):
            yield _report_row(report)

    return Sheet(
        name="Reportes de avance",
        slug="reportes-de-avance",
        columns=columns,
        rows=rows(),
        count=queryset.count,
    )


def _person(row: dict[str, Any], prefix: str) -> str:
    return str(row[f"{prefix}__full_name"] or row[f"{prefix}__email"] or "")


def _report_row(row: dict[str, Any]) -> list[Any]:
    return [
        row["commitment__agreement__folio"],
        row["commitment__responsible_unit__code"],
        row["commitment__responsible_unit__short_name"],
        row["as_of"],
        STATE_LABELS.get(row["state"], row["state"]),
        shown_percent(row["progress_num"], row["progress_den"]),
        row["indicator_value"],
        "; ".join(row["milestones"]),
        row["narrative"],
        _person(row, "author"),
        row["submitted_on"],
        _person(row, "reviewed_by"),
        row["validated_on"],
        row["review_comment"],
        row["evidence_count"],
        _yes(row["imported"]),
    ]


def review_queue_sheet(queryset: QuerySet[ProgressReport], today: dt.date) -> Sheet:
    """Por validar: the submitted reports the person decides on, the longest waiting first."""
    columns = [
        Column("Folio"),
        Column("Acuerdo", width=60),
        Column("Unidad responsable"),
        Column("Línea de acción"),
        Column("Área normativa que valida"),
        Column("Reunión"),
        Column("Fecha del avance", kind="date"),
        Column("Avance (%)", kind="percent"),
        Column("Valor del indicador", kind="number"),
        Column("Enviado el", kind="date"),
        Column("Días en espera", kind="integer"),
        Column("Enviado por"),
        Column("Evidencias", kind="integer"),
        Column("Atiende observaciones"),
    ]

    def rows() -> Iterator[list[Any]]:
        for report in queryset.iterator(chunk_size=selectors.CHUNK):
            agreement = report.commitment.agreement
            yield [
                agreement.folio,
                agreement.text,
                report.commitment.responsible_unit.short_name,
                agreement.theme.name,
                agreement.validating_area.short_name,
                agreement.meeting.code,
                report.as_of,
                report_percent(report),
                report.indicator_value,
                report.submitted_on,
                selectors.waiting_days(report.submitted_on, today),
                str(report.author) if report.author_id else "",
                getattr(report, "evidence_count", None),
                _yes(report.answers_id is not None),
            ]

    return Sheet(
        name="Por validar",
        slug="por-validar",
        columns=columns,
        rows=rows(),
        count=queryset.count,
    )


# --- Audit log ---------------------------------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def audit_sheet(queryset: QuerySet[AuditEvent]) -> Sheet:
    """Bitácora: every event of the filtered log, newest first, with its changes and context."""
    columns = [
        Column("Fecha y hora", kind="datetime"),
        Column("Persona"),
        Column("Acción", width=30),
        Column("Código de la acción"),
        Column("Tipo de objeto"),
        Column("Objeto", width=30),
        Column("Id del objeto"),
        Column("Compromiso", kind="integer"),
        Column("Origen"),
        Column("Id de solicitud"),
        Column("Cambios", width=60),
        Column("Contexto", width=40),
    ]

    def rows() -> Iterator[list[Any]]:
        for event in queryset.iterator(chunk_size=selectors.CHUNK):
            yield [
                event.occurred_at,
                event.actor_label or "sistema",
                action_label(event.action),
                event.action,
                TARGET_TYPES.get(event.target_type, event.target_type),
                event.target_label,
                event.target_id,
                event.commitment_id,
                event.source,
                event.request_id,
                _json(event.changes),
                _json(event.context),
            ]

    return Sheet(
        name="Bitácora", slug="bitacora", columns=columns, rows=rows(), count=queryset.count
    )
