"""Importing the progress history kept in spreadsheets since the meetings (issue 6).

Same two steps and guarantees as the agreements import (acuerdos.commitments.imports):
`progress_import_plan(file=…)` previews — what would be created, what already exists, every
error by row and column —, `progress_import_apply(plan=…, actor=…)` writes a clean plan in one
transaction, and `progress_import(file=…, actor=…, dry_run=…)` does both.

A report is identified by folio + unit + as-of date: importing the same file twice changes
nothing, and a report that exists for that key with other values is refused as a conflict.
Imported reports are marked `imported=True`, authored by the importing user, audited as
`progress.imported` and notify nobody. Their dates follow PRODUCT.md §3.6: submitted on the
file's submission date, else their as-of date; validated (when imported as validated) on the
file's validation date, else their submission date.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from acuerdos.commitments.imports.bulk import EventWriter, insert_rows
from acuerdos.commitments.imports.files import FileRefused, ImportFile, detect_kind
from acuerdos.commitments.imports.headers import PROGRESS_FIELDS, find_header
from acuerdos.commitments.imports.issues import ImportIssue, UnknownName
from acuerdos.commitments.imports.readers import read_tables
from acuerdos.commitments.imports.tables import Issues, RowView, data_rows, missing_columns
from acuerdos.commitments.imports.units import UnitMatcher, match_key
from acuerdos.commitments.imports.values import (
    ValueProblem,
    fits,
    is_blank,
    parse_date,
    parse_decimal,
    quantize,
)
from acuerdos.commitments.models import Agreement, Commitment, Milestone, TargetKind
from acuerdos.core.dates import today
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.core.exports import Column, ColumnKind, write_xlsx
from acuerdos.core.text import normalize
from acuerdos.notifications.services import coordinators
from acuerdos.organization.models import User
from acuerdos.organization.scope import scope_for
from acuerdos.progress.inputs import refresh_inputs, report_fraction
from acuerdos.progress.models import ProgressReport, ReportState

SOURCE = "import"
BATCH_SIZE = 500
MISSING_REVIEW_COMMENT = "Observaciones no registradas en el archivo importado."

Status = Literal["create", "unchanged", "conflict"]

_STATES: dict[str, ReportState] = {
    "enviado": ReportState.SUBMITTED,
    "enviada": ReportState.SUBMITTED,
    "submitted": ReportState.SUBMITTED,
    "por validar": ReportState.SUBMITTED,
    "en revision": ReportState.SUBMITTED,
    "pendiente": ReportState.SUBMITTED,
    "validado": ReportState.VALIDATED,
    "validada": ReportState.VALIDATED,
    "validated": ReportState.VALIDATED,
    "aprobado": ReportState.VALIDATED,
    "devuelto": ReportState.RETURNED,
    "devuelta": ReportState.RETURNED,
    "observado": ReportState.RETURNED,
    "con observaciones": ReportState.RETURNED,
    "returned": ReportState.RETURNED,
    "rechazado": ReportState.REJECTED,
    "rechazada": ReportState.REJECTED,
    "rejected": ReportState.REJECTED,
}
_LIVE_STATES = (ReportState.SUBMITTED, ReportState.VALIDATED)
_MILESTONE_SPLIT = re.compile(r"[;\n|]")
_HINT = "Use la plantilla de avances o agregue la columna con ese encabezado."


def _day(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"


def _noon(day: dt.date) -> dt.datetime:
    """A calendar date as a moment (midday in Mexico City) for the `*_at` fields."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@dataclass
class PlannedReport:
    """A progress report of the file, resolved to its commitment, and what the import would
    do with it (`create`, `unchanged` or `conflict`)."""

    commitment: Commitment
    as_of: dt.date
    state: ReportState
    submitted_on: dt.date
    validated_on: dt.date | None = None
    reviewed_on: dt.date | None = None
    reviewed_by: User | None = None
    percent: Decimal | None = None
    indicator_value: Decimal | None = None
    milestone_ids: list[int] = field(default_factory=list)
    # The exact progress (PRODUCT.md §3.2) as the progress services store it.
    progress: tuple[int, int] = (0, 1)
    narrative: str = ""
    review_comment: str = ""
    row: int = 0
    table: str = ""
    status: Status = "create"
    existing_id: int | None = None
    answers: PlannedReport | None = None

    @property
    def folio(self) -> str:
        return self.commitment.agreement.folio


@dataclass
class ProgressImportPlan:
    """The preview of a progress history import."""

    file_name: str
    file_sha256: str
    file_kind: str = ""
    reports: list[PlannedReport] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    unknown_units: list[UnknownName] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_create(self) -> list[PlannedReport]:
        return [r for r in self.reports if r.status == "create"]

    @property
    def unchanged(self) -> list[PlannedReport]:
        return [r for r in self.reports if r.status == "unchanged"]

    def summary(self) -> str:
        """One Spanish sentence for the command line and the top of the preview."""
        if self.errors:
            count = len(self.errors)
            noun = "error" if count == 1 else "errores"
            return (
                f"No se importó nada: {count} {noun} en «{self.file_name}». Corríjalos y vuelva "
                "a importar el archivo completo."
            )
        created = len(self.to_create)
        if created == 0 and self.unchanged:
            sentence = (
                f"Sin cambios: los {len(self.unchanged)} reportes del archivo ya estaban "
                "registrados"
            )
        else:
            verb = "Se importaron" if self.applied else "Se importarían"
            sentence = f"{verb} {created} {'reporte' if created == 1 else 'reportes'} de avance"
            if self.unchanged:
                sentence += f"; {len(self.unchanged)} ya estaban registrados sin cambios"
        if not self.applied and created:
            sentence += " (vista previa: no se guardó nada)"
        return sentence + "."


# What planning and writing read of a commitment (the rest is never touched).
_COMMITMENT_FIELDS = (
    "agreement",
    "responsible_unit",
    "target_kind",
    "indicator_name",
    "baseline",
    "target_value",
    "start_date",
    "cancelled_on",
)


class _Planner:
    def __init__(self, file: ImportFile) -> None:
        self.file = file
        self.issues = Issues()
        self.units = UnitMatcher()
        self.unknown: dict[str, UnknownName] = {}
        self.reports: list[PlannedReport] = []
        self.groups: dict[tuple[int, dt.date], list[PlannedReport]] = {}
        # Folio → its commitments (agreement and unit attached), and each milestones-kind
        # commitment's milestones: read once, as plain lists, for the whole file.
        self.agreements: dict[str, list[Commitment]] = {}
        self.milestones: dict[int, list[Milestone]] = {}
        self.users: dict[str, User | None] = {}
        self.today = today()

    def load_agreements(self, folios: Sequence[str]) -> None:
        unique = sorted(set(folios))
        for start in range(0, len(unique), BATCH_SIZE):
            chunk = unique[start : start + BATCH_SIZE]
            for folio in Agreement.objects.filter(folio__in=chunk).values_list("folio", flat=True):
                self.agreements[folio] = []
            for commitment in (
                Commitment.objects.filter(agreement__folio__in=chunk)
                .select_related("agreement")
                .only(*_COMMITMENT_FIELDS, "agreement__folio")
                .order_by("agreement_id", "id")  # as agreement.commitments.all()
            ):
                # The units come from the matcher's catalog (loaded once), not one per row.
                unit = self.units.units.get(commitment.responsible_unit_id)
                if unit is not None:
                    commitment.responsible_unit = unit
                self.agreements[commitment.agreement.folio].append(commitment)
        staged = [
            c.pk
            for commitments in self.agreements.values()
            for c in commitments
            if c.target_kind == TargetKind.MILESTONES
        ]
        for start in range(0, len(staged), BATCH_SIZE):
            for milestone in Milestone.objects.filter(
                commitment_id__in=staged[start : start + BATCH_SIZE]
            ).order_by("commitment_id", "order", "due_date"):
                self.milestones.setdefault(milestone.commitment_id, []).append(milestone)

    def user(self, email: str) -> User | None:
        key = email.strip().lower()
        if key not in self.users:
            self.users[key] = User.objects.filter(email__iexact=key).first()
        return self.users[key]

    def date(self, view: RowView, key: str) -> dt.date | None:
        value = view.value(key)
        if is_blank(value):
            return None
        try:
            day = parse_date(value)
        except ValueProblem as problem:
            view.error(key, problem.message)
            return None
        if day > self.today:
            view.error(key, f"La fecha {_day(day)} es posterior a hoy ({_day(self.today)}).")
            return None
        return day

    def commitment(self, view: RowView) -> Commitment | None:
        folio = " ".join(view.text("folio").split())
        if not folio:
            view.error("folio", "Falta el folio del acuerdo.")
            return None
        commitments = self.agreements.get(folio)
        if commitments is None:
            view.error(
                "folio",
                f"No existe el acuerdo con folio «{folio}»: importe primero los acuerdos o "
                "revise el folio (debe ser el folio completo, p. ej. RR8-CEN-2026-0001).",
            )
            return None
        names = ", ".join(c.responsible_unit.short_name for c in commitments)
        shown = view.text("unit")
        if not shown:
            if len(commitments) == 1:
                return commitments[0]
            view.error(
                "unit" if view.has("unit") else "folio",
                f"Indique la unidad: el acuerdo {folio} tiene {len(commitments)} unidades "
                f"responsables ({names}).",
            )
            return None
        found = self.units.match(shown)
        for piece in found.unknown:
            view.error("unit", self.units.unknown_message(piece))
            entry = self.unknown.setdefault(
                match_key(piece),
                UnknownName(text=piece, suggestions=self.units.suggestions(piece), places=[]),
            )
            entry.places.append(f"fila {view.number}")
        if found.unknown:
            return None
        if len(found.units) != 1:
            view.error("unit", "Escriba una sola unidad por renglón.")
            return None
        unit = found.units[0]
        commitment = next((c for c in commitments if c.responsible_unit_id == unit.pk), None)
        if commitment is None:
            view.error(
                "unit",
                f"{unit.short_name} no tiene compromiso en el acuerdo {folio}; sus unidades "
                f"responsables son: {names}.",
            )
        return commitment

    def value(self, view: RowView, commitment: Commitment, planned: PlannedReport) -> None:
        kind = commitment.target_kind
        if kind == TargetKind.PERCENT:
            raw = view.value("percent")
            if is_blank(raw):
                view.error(
                    "percent" if view.has("percent") else "folio",
                    f"Falta el porcentaje de avance (de 0 a 100): el compromiso {commitment} "
                    "tiene meta de porcentaje.",
                )
                return
            try:
                number = parse_decimal(raw)
            except ValueProblem as problem:
                view.error("percent", f"{problem.message} Escriba un porcentaje de 0 a 100.")
                return
            if not Decimal(0) <= number <= Decimal(100):
                view.error(
                    "percent",
                    f"El porcentaje de avance ({view.text('percent')}) debe estar entre 0 y 100.",
                )
                return
            planned.percent = quantize(number, 2)
        elif kind == TargetKind.INDICATOR:
            raw = view.value("indicator_value")
            if is_blank(raw):
                view.error(
                    "indicator_value" if view.has("indicator_value") else "folio",
                    f"Falta el valor del indicador «{commitment.indicator_name}»: el compromiso "
                    f"{commitment} tiene meta de indicador.",
                )
                return
            try:
                number = parse_decimal(raw)
            except ValueProblem as problem:
                view.error("indicator_value", problem.message)
                return
            if not fits(number, max_digits=16, decimal_places=4):
                view.error("indicator_value", "El número es demasiado grande.")
                return
            planned.indicator_value = quantize(number, 4)
        else:
            milestones = {normalize(m.name): m for m in self.milestones.get(commitment.pk, [])}
            for piece in _MILESTONE_SPLIT.split(view.text("milestones_done")):
                name = piece.strip(" -•")
                if not name:
                    continue
                milestone = milestones.get(normalize(name))
                if milestone is None:
                    valid = "; ".join(m.name for m in self.milestones.get(commitment.pk, []))
                    view.error(
                        "milestones_done" if view.has("milestones_done") else "folio",
                        f"«{name}» no es un hito de {commitment}; sus hitos son: {valid}. "
                        "Separe los hitos con «;».",
                    )
                    continue
                if milestone.pk not in planned.milestone_ids:
                    planned.milestone_ids.append(milestone.pk)

    def read_row(self, view: RowView) -> None:
        commitment = self.commitment(view)
        as_of = self.date(view, "as_of")
        if as_of is None and not view.failed:
            view.error("as_of", "Falta la fecha del avance: escríbala como 30/06/2026.")
        state_text = normalize(view.text("state"))
        state = _STATES.get(state_text) if state_text else ReportState.VALIDATED
        if state is None:
            view.error(
                "state",
                f"Estado «{view.text('state')}» no reconocido: escriba Enviado, Validado, "
                "Devuelto o Rechazado (o déjelo vacío para Validado).",
            )
        submitted = self.date(view, "submitted_on") if view.has("submitted_on") else None
        reviewed = self.date(view, "validated_on") if view.has("validated_on") else None
        validator: User | None = None
        email = view.text("validator")
        if email:
            validator = self.user(email)
            if validator is None:
                view.error(
                    "validator",
                    f"No hay ninguna persona registrada con el correo «{email}»: corríjalo o "
                    "deje la celda vacía.",
                )
        if commitment is None or as_of is None or state is None:
            return
        if as_of < commitment.start_date:
            view.error(
                "as_of",
                f"La fecha del avance ({_day(as_of)}) es anterior al inicio del compromiso "
                f"({_day(commitment.start_date)}).",
            )
        if commitment.cancelled_on is not None and as_of > commitment.cancelled_on:
            view.error(
                "as_of",
                f"El compromiso se canceló el {_day(commitment.cancelled_on)}: no recibe avances "
                "posteriores.",
            )
        submitted_on = submitted or as_of
        if submitted_on < as_of:
            view.error(
                "submitted_on",
                f"La fecha de envío ({_day(submitted_on)}) es anterior a la fecha del avance "
                f"({_day(as_of)}).",
            )
        if state == ReportState.SUBMITTED and reviewed is not None:
            view.error(
                "validated_on",
                "Un reporte «Enviado» todavía no se revisa: deje vacía la fecha de validación o "
                "cambie el estado.",
            )
        reviewed_on = (reviewed or submitted_on) if state != ReportState.SUBMITTED else None
        if reviewed_on is not None and reviewed_on < submitted_on:
            view.error(
                "validated_on",
                f"La fecha de validación ({_day(reviewed_on)}) es anterior a la fecha de envío "
                f"({_day(submitted_on)}).",
            )
        planned = PlannedReport(
            commitment=commitment,
            as_of=as_of,
            state=state,
            submitted_on=submitted_on,
            validated_on=reviewed_on if state == ReportState.VALIDATED else None,
            reviewed_on=reviewed_on,
            reviewed_by=validator,
            narrative=view.text("narrative"),
            review_comment=view.text("review_comment"),
            row=view.number,
            table=view.table.label,
        )
        if state in (ReportState.RETURNED, ReportState.REJECTED) and not planned.review_comment:
            planned.review_comment = MISSING_REVIEW_COMMENT
        self.value(view, commitment, planned)
        planned.progress = report_fraction(
            target_kind=commitment.target_kind,
            percent=planned.percent,
            indicator_value=planned.indicator_value,
            baseline=commitment.baseline,
            target_value=commitment.target_value,
            milestone_weights=[(m.pk, m.weight) for m in self.milestones.get(commitment.pk, [])],
            milestones_done=planned.milestone_ids,
        )
        # Several reports may share a commitment and an as-of date (returned, then answered
        # with the same date), but only one of them can still be in force.
        group = self.groups.setdefault((commitment.pk, as_of), [])
        live = next((r for r in group if r.state in _LIVE_STATES), None)
        if live is not None and state in _LIVE_STATES:
            view.error(
                "as_of",
                f"Repetido: la fila {live.row} ya trae un avance enviado o validado de "
                f"{commitment} al {_day(as_of)}. Para una misma fecha sólo puede haber uno; los "
                "demás deben ser devueltos o rechazados.",
            )
            return
        if view.failed:
            return
        group.append(planned)
        self.reports.append(planned)

    def compare(self) -> None:
        by_key: dict[tuple[int, dt.date], list[_SavedReport]] = {}
        by_id: dict[int, _SavedReport] = {}
        ids = sorted({r.commitment.pk for r in self.reports})
        for start in range(0, len(ids), BATCH_SIZE):
            for values in (
                ProgressReport.objects.filter(commitment_id__in=ids[start : start + BATCH_SIZE])
                .exclude(state=ReportState.DRAFT)
                .order_by("commitment_id", "-as_of", "-created_at")  # as the model orders
                .values_list(
                    "pk",
                    "state",
                    "percent",
                    "indicator_value",
                    "narrative",
                    "commitment_id",
                    "as_of",
                )
            ):
                pk, state, percent, value, narrative, commitment_id, as_of = values
                saved = _SavedReport(pk, state, percent, value, narrative)
                by_id[pk] = saved
                by_key.setdefault((commitment_id, as_of), []).append(saved)
        through: Any = ProgressReport.milestones_done.through
        report_ids = list(by_id)
        for start in range(0, len(report_ids), BATCH_SIZE):
            for report_id, milestone_id in through.objects.filter(
                progressreport_id__in=report_ids[start : start + BATCH_SIZE]
            ).values_list("progressreport_id", "milestone_id"):
                by_id[report_id].milestone_ids.append(milestone_id)
        for key, group in self.groups.items():
            unused = list(by_key.get(key, []))
            unmatched: list[PlannedReport] = []
            for planned in group:
                same = next((r for r in unused if _same(planned, r)), None)
                if same is None:
                    unmatched.append(planned)
                    continue
                planned.status = "unchanged"
                planned.existing_id = same.pk
                unused.remove(same)
            if not unmatched or not unused:
                continue
            for planned in unmatched:
                planned.status = "conflict"
            planned, current = unmatched[0], unused[0]
            self.issues.error(
                f"Ya existe un reporte de {planned.commitment} al {_day(planned.as_of)} con "
                f"otros datos (en el sistema: «{ReportState(current.state).label}», "
                f"{_value_text(current)}). Esta versión no modifica reportes: quite la fila o "
                "déjela igual a lo registrado.",
                row=planned.row,
                column="",
                table=planned.table,
            )

    def link_answers(self) -> None:
        """A report that follows a returned one of the same commitment (by as-of date, then
        submission date, then row) answers its observations, as `report_submit(answers=…)`
        records it; so the returned report does not look pending after the import."""
        by_commitment: dict[int, list[PlannedReport]] = {}
        for planned in self.reports:
            by_commitment.setdefault(planned.commitment.pk, []).append(planned)
        for items in by_commitment.values():
            items.sort(key=lambda r: (r.as_of, r.submitted_on, r.table, r.row))
            for previous, current in itertools.pairwise(items):
                if previous.state == ReportState.RETURNED:
                    current.answers = previous


@dataclass
class _SavedReport:
    """A sent report already in the database, as plain values."""

    pk: int
    state: str
    percent: Decimal | None
    indicator_value: Decimal | None
    narrative: str
    milestone_ids: list[int] = field(default_factory=list)


def _value_text(report: _SavedReport) -> str:
    if report.percent is not None:
        return f"{report.percent.normalize():f} %"
    if report.indicator_value is not None:
        return f"valor {report.indicator_value.normalize():f}"
    return f"{len(report.milestone_ids)} hitos cumplidos"


def _same(planned: PlannedReport, report: _SavedReport) -> bool:
    return (
        report.state == planned.state
        and report.percent == planned.percent
        and report.indicator_value == planned.indicator_value
        and sorted(report.milestone_ids) == sorted(planned.milestone_ids)
        and report.narrative.strip() == planned.narrative
    )


def progress_import_plan(*, file: ImportFile) -> ProgressImportPlan:
    """Read a progress history file and say what importing it would do. Writes nothing."""
    plan = ProgressImportPlan(file_name=file.name, file_sha256=file.sha256)
    try:
        plan.file_kind = detect_kind(file)
        tables = read_tables(file)
    except FileRefused as refused:
        plan.errors.append(ImportIssue(message=refused.message))
        return plan
    planner = _Planner(file)
    found = []
    for table in tables:
        header = find_header(
            [row.cells for row in table.rows],
            PROGRESS_FIELDS,
            numbers=[row.number for row in table.rows],
        )
        if header is not None and header.has("as_of") and header.score >= 3:
            found.append((table, header))
    if not found:
        plan.errors.append(
            ImportIssue(
                message=(
                    "No se encontró la fila de encabezados de los avances en las primeras 20 "
                    "filas. El archivo debe tener al menos las columnas Folio, Unidad, Fecha de "
                    "avance y Porcentaje de avance o Valor del indicador (descargue la "
                    "plantilla de avances)."
                )
            )
        )
        return plan
    views: list[RowView] = []
    for table, header in found:
        if missing_columns(table, header, PROGRESS_FIELDS, planner.issues, hint=_HINT):
            continue
        for key, label in header.labels.items():
            plan.columns.setdefault(key, label)
        if header.ignored:
            names = ", ".join(f"«{name}»" for name in header.ignored)
            planner.issues.warn(
                f"Se ignoraron columnas que no se importan: {names}.",
                row=header.number,
                table=table.label,
            )
        views.extend(data_rows(table, header, PROGRESS_FIELDS, planner.issues))
    planner.load_agreements([" ".join(v.text("folio").split()) for v in views])
    for view in views:
        planner.read_row(view)
    if not planner.issues.errors:
        planner.compare()
        planner.link_answers()
    if not planner.reports and not planner.issues.errors:
        planner.issues.error("El archivo no tiene avances: debajo de los encabezados no hay datos.")
    plan.reports = planner.reports
    plan.errors = planner.issues.errors
    plan.warnings = planner.issues.warnings
    plan.unknown_units = sorted(planner.unknown.values(), key=lambda u: normalize(u.text))
    return plan


def _snapshot(planned: PlannedReport) -> dict[str, Any]:
    return {
        "state": [None, planned.state],
        "as_of": [None, planned.as_of],
        "percent": [None, planned.percent],
        "indicator_value": [None, planned.indicator_value],
        "milestones_done": [None, sorted(planned.milestone_ids)],
        "narrative": [None, planned.narrative],
        "submitted_on": [None, planned.submitted_on],
        "validated_on": [None, planned.validated_on],
        "review_comment": [None, planned.review_comment],
    }


def _label(planned: PlannedReport, states: dict[str, str]) -> str:
    """As `str(report)` reads, without following foreign keys."""
    commitment = planned.commitment
    return (
        f"{commitment.agreement.folio} · {commitment.responsible_unit.short_name} · "
        f"{planned.as_of:%d/%m/%Y} · {states[planned.state]}"
    )


def _events(
    plan: ProgressImportPlan, writer: EventWriter, written: Sequence[tuple[PlannedReport, int]]
) -> Iterator[dict[str, Any]]:
    """One `progress.imported` event per report written, as `audit.build()` fills it."""
    states = {state.value: str(state.label) for state in ReportState}
    for planned, pk in written:
        row = f"fila {planned.row}"
        yield writer.event(
            action="progress.imported",
            target=ProgressReport,
            target_id=pk,
            label=_label(planned, states),
            commitment_id=planned.commitment.pk,
            changes=_snapshot(planned),
            context={
                "file": plan.file_name,
                "sha256": plan.file_sha256,
                "row": f"{planned.table}, {row}" if planned.table else row.capitalize(),
                "validator": planned.reviewed_by.email if planned.reviewed_by else None,
            },
        )


def _report_row(planned: PlannedReport, author_id: int) -> dict[str, Any]:
    num, den = planned.progress
    return {
        "commitment_id": planned.commitment.pk,
        "as_of": planned.as_of,
        "state": ReportState(planned.state).value,
        "percent": planned.percent,
        "indicator_value": planned.indicator_value,
        "narrative": planned.narrative,
        "author_id": author_id,
        "submitted_on": planned.submitted_on,
        "submitted_at": _noon(planned.submitted_on),
        "reviewed_by_id": planned.reviewed_by.pk if planned.reviewed_by else None,
        "reviewed_at": _noon(planned.reviewed_on) if planned.reviewed_on else None,
        "validated_on": planned.validated_on,
        "review_comment": planned.review_comment,
        "imported": True,
        "progress_num": num,
        "progress_den": den,
    }


_SIMULTANEOUS = (
    "No se pudo guardar la importación por un cambio simultáneo. No se guardó nada: "
    "vuelva a cargar el archivo."
)


def _write(plan: ProgressImportPlan, actor: User) -> None:
    """The reports (one bulk INSERT, or COPY on PostgreSQL), their milestones done, the
    answers they give, their audit events and their commitments' inputs."""
    to_create = plan.to_create
    since = ProgressReport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    insert_rows(ProgressReport, (_report_row(planned, actor.pk) for planned in to_create))
    # Ids only grow and the rows went in in order: the new reports of this author, by id, are
    # this file's rows in order. Checked, so that a simultaneous import cannot mix them up.
    new = list(
        ProgressReport.objects.filter(pk__gt=since, author_id=actor.pk, imported=True)
        .order_by("pk")
        .values_list("pk", "commitment_id", "as_of")
    )
    if [(c, a) for _, c, a in new] != [(p.commitment.pk, p.as_of) for p in to_create]:
        raise ConflictError(_SIMULTANEOUS)
    written = [(planned, pk) for planned, (pk, _, _) in zip(to_create, new, strict=True)]
    through: Any = ProgressReport.milestones_done.through
    insert_rows(
        through,
        (
            {"progressreport_id": pk, "milestone_id": milestone_id}
            for planned, pk in written
            for milestone_id in planned.milestone_ids
        ),
    )
    ids = {id(planned): pk for planned, pk in written}
    answers = [
        (ids.get(id(planned.answers), planned.answers.existing_id), pk)
        for planned, pk in written
        if planned.answers is not None
    ]
    if answers:
        table = connection.ops.quote_name(ProgressReport._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET answers_id = %s WHERE id = %s",  # noqa: S608
                answers,
            )
    writer = EventWriter(actor=actor, source=SOURCE)
    writer.write(_events(plan, writer, written))
    refresh_inputs({planned.commitment.pk for planned in to_create})


@transaction.atomic
def progress_import_apply(*, plan: ProgressImportPlan, actor: User) -> ProgressImportPlan:
    """Write a plan without errors in one transaction: the reports (imported, authored by
    `actor`) with their exact progress, their milestones done, one `progress.imported` audit
    event each, and the refreshed evaluation inputs of their commitments. No notifications are
    sent.

    Written in bulk (see `commitments.imports.bulk`): the values were validated while
    planning and the database's constraints still apply, so a 10,000-row history takes
    seconds."""
    if actor is None or not getattr(actor, "pk", None):
        raise DomainError("Los reportes importados necesitan un autor: la persona que importa.")
    if not scope_for(actor).is_coordinator:
        raise PermissionDenied("Sólo la coordinación central importa el historial de avances.")
    if plan.errors:
        raise DomainError(plan.summary())
    if plan.applied:
        raise ConflictError("Esta importación ya se aplicó.")
    try:
        with transaction.atomic():
            _write(plan, actor)
    except IntegrityError as exc:
        raise ConflictError(_SIMULTANEOUS) from exc
    plan.applied = True
    return plan


def progress_import(*, file: ImportFile, actor: User, dry_run: bool = False) -> ProgressImportPlan:
    """Plan a progress history import and, unless it is a dry run or has errors, apply it."""
    plan = progress_import_plan(file=file)
    if dry_run or plan.errors:
        return plan
    return progress_import_apply(plan=plan, actor=actor)


def default_import_user() -> User | None:
    """Who the command line imports as when no `--user` is given: the first active
    coordinator (by id)."""
    return coordinators().order_by("pk").first()


# --- Export in the import's own columns (round trip) ------------------------------------------

_STATE_LABELS = {
    ReportState.SUBMITTED: "Enviado",
    ReportState.VALIDATED: "Validado",
    ReportState.RETURNED: "Devuelto",
    ReportState.REJECTED: "Rechazado",
}
_PROGRESS_KINDS: dict[str, ColumnKind] = {
    "as_of": "date",
    "submitted_on": "date",
    "validated_on": "date",
    "percent": "number",
    "indicator_value": "number",
}
PROGRESS_COLUMNS = [
    Column(f.label, kind=_PROGRESS_KINDS.get(f.key, "text")) for f in PROGRESS_FIELDS
]


def _plain(value: Decimal | None) -> Decimal | None:
    return value.normalize() if value is not None else None


def progress_rows(reports: QuerySet[ProgressReport]) -> Iterator[list[Any]]:
    """One row per sent report (drafts are not history), in the order of PROGRESS_FIELDS,
    so that an export re-imports as the same reports."""
    queryset = (
        reports.exclude(state=ReportState.DRAFT)
        .select_related("commitment__agreement", "commitment__responsible_unit", "reviewed_by")
        .prefetch_related("milestones_done")
        .order_by("commitment__agreement__folio", "commitment_id", "as_of", "pk")
    )
    for report in queryset.iterator(chunk_size=2_000):
        reviewed = report.validated_on or (
            timezone.localdate(report.reviewed_at) if report.reviewed_at else None
        )
        values: dict[str, Any] = {
            "folio": report.commitment.agreement.folio,
            "unit": report.commitment.responsible_unit.short_name,
            "as_of": report.as_of,
            "percent": _plain(report.percent),
            "indicator_value": _plain(report.indicator_value),
            "milestones_done": "; ".join(sorted(m.name for m in report.milestones_done.all())),
            "narrative": report.narrative,
            "state": _STATE_LABELS[ReportState(report.state)],
            "submitted_on": report.submitted_on,
            "validated_on": reviewed,
            "validator": report.reviewed_by.email if report.reviewed_by else "",
            "review_comment": report.review_comment,
        }
        yield [values[field.key] for field in PROGRESS_FIELDS]


def progress_export(target: str | Path, reports: QuerySet[ProgressReport]) -> None:
    """An XLSX «Avances» sheet of these reports (scoped by the caller), re-importable."""
    write_xlsx(PROGRESS_COLUMNS, progress_rows(reports), target, sheet_name="Avances")
