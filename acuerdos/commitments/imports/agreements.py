"""Importing the agreements of a meeting from its spreadsheet or minuta (PRODUCT.md §4.2).

Two steps, so that a screen can show a preview before anything is written:

- `agreements_import_plan(file=…, meeting=…)` reads the file and returns an
  `AgreementImportPlan`: what would be created, what already exists unchanged, and every error
  and warning by row and column. It writes nothing.
- `agreements_import_apply(plan=…, actor=…)` writes a plan without errors in one transaction:
  bulk inserts of agreements, commitments, co-responsible units and milestones, and one audit
  event per agreement (`agreement.imported`) and per commitment (`commitment.imported`).

`agreements_import(file=…, meeting=…, actor=…, dry_run=…)` does both (what the command and
the screen's "confirm" call). Re-importing a file changes nothing: an agreement whose folio
exists with the same content is "sin cambios". An existing folio with different content is
refused as a conflict in this version (editing agreements is a later capability): the whole
import is refused and the differences are listed, so that the person fixes the file or the
agreement. Only what the file says is compared: a file without «Prioridad» does not conflict
with a priority set in the system.

How rows become agreements: rows with the same folio are one agreement (one commitment per
unit, so an export of commitments re-imports), and they must repeat the same agreement text;
a row without folio and text under an agreement continues it (a merge lost in CSV); a folio
that is a bare number (`7`) takes the meeting's series (`RR8-CEN-2026-0007`); several units
in the «Responsable» cell give one commitment each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from acuerdos.commitments.imports.bulk import EventWriter, insert_rows
from acuerdos.commitments.imports.files import FileRefused, ImportFile, detect_kind
from acuerdos.commitments.imports.headers import (
    AGREEMENT_FIELDS,
    MILESTONE_FIELDS,
    HeaderMatch,
    find_header,
)
from acuerdos.commitments.imports.issues import ImportIssue, UnknownName
from acuerdos.commitments.imports.readers import Table, read_tables
from acuerdos.commitments.imports.tables import Issues, RowView, data_rows, missing_columns
from acuerdos.commitments.imports.themes import ThemeMatcher
from acuerdos.commitments.imports.units import UnitMatcher, match_key
from acuerdos.commitments.imports.values import (
    ValueProblem,
    fits,
    is_blank,
    looks_numeric,
    parse_date,
    parse_decimal,
    quantize,
)
from acuerdos.commitments.models import Agreement, Commitment, Milestone, Priority, TargetKind
from acuerdos.commitments.services import folio_format
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.core.text import normalize
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import NORMATIVE_KINDS, Theme, Unit
from acuerdos.organization.scope import scope_for

SOURCE = "import"
BATCH_SIZE = 500
FOLIO_MAX = Agreement._meta.get_field("folio").max_length or 40
INDICATOR_MAX = Commitment._meta.get_field("indicator_name").max_length or 300
UNIT_OF_MEASURE_MAX = Commitment._meta.get_field("unit_of_measure").max_length or 80
MILESTONE_NAME_MAX = Milestone._meta.get_field("name").max_length or 300

Status = Literal["create", "unchanged", "conflict"]

_PRIORITIES = {
    "alta": Priority.HIGH,
    "a": Priority.HIGH,
    "media": Priority.MEDIUM,
    "m": Priority.MEDIUM,
    "normal": Priority.MEDIUM,
    "baja": Priority.LOW,
    "b": Priority.LOW,
}
_HINT = "Use la plantilla de importación o agregue la columna con ese encabezado."


def _day(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"


@dataclass
class PlannedMilestone:
    """A milestone read from the milestones sheet."""

    name: str
    due_date: dt.date
    weight: Decimal
    row: int
    table: str


@dataclass
class PlannedCommitment:
    """One responsible unit's commitment, as the file describes it."""

    unit: Unit
    due_date: dt.date
    start_date: dt.date
    co_units: list[Unit] = field(default_factory=list)
    weight: Decimal = Decimal("1")
    target_kind: str = TargetKind.PERCENT
    indicator_name: str = ""
    unit_of_measure: str = ""
    baseline: Decimal | None = None
    target_value: Decimal | None = None
    milestones: list[PlannedMilestone] = field(default_factory=list)
    row: int = 0
    table: str = ""


@dataclass
class PlannedAgreement:
    """An agreement of the file: its commitments, the rows it came from, and what the import
    would do with it (`create`, `unchanged` or `conflict`, with the differences)."""

    folio: str
    text: str
    theme: Theme
    validating_area: Unit
    deliverable: str = ""
    priority: str = Priority.MEDIUM
    commitments: list[PlannedCommitment] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    table: str = ""
    status: Status = "create"
    differences: list[str] = field(default_factory=list)
    existing_id: int | None = None

    @property
    def location(self) -> str:
        rows = ", ".join(str(r) for r in self.rows[:5]) + ("…" if len(self.rows) > 5 else "")
        label = "fila" if len(self.rows) == 1 else "filas"
        return f"{self.table}, {label} {rows}" if self.table else f"{label.capitalize()} {rows}"


@dataclass
class AgreementImportPlan:
    """The preview of an agreements import (see the module docstring)."""

    meeting: Meeting
    file_name: str
    file_sha256: str
    file_kind: str = ""
    agreements: list[PlannedAgreement] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    unknown_units: list[UnknownName] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_create(self) -> list[PlannedAgreement]:
        return [a for a in self.agreements if a.status == "create"]

    @property
    def unchanged(self) -> list[PlannedAgreement]:
        return [a for a in self.agreements if a.status == "unchanged"]

    @property
    def conflicts(self) -> list[PlannedAgreement]:
        return [a for a in self.agreements if a.status == "conflict"]

    @property
    def commitments_to_create(self) -> int:
        return sum(len(a.commitments) for a in self.to_create)

    @property
    def milestones_to_create(self) -> int:
        return sum(len(c.milestones) for a in self.to_create for c in a.commitments)

    def summary(self) -> str:
        """One Spanish sentence for the command line and the top of the preview."""
        if self.errors:
            count = len(self.errors)
            noun = "error" if count == 1 else "errores"
            return (
                f"No se importó nada: {count} {noun} en «{self.file_name}». Corríjalos y vuelva "
                "a importar el archivo completo."
            )
        created, commitments = len(self.to_create), self.commitments_to_create
        if created == 0 and self.unchanged:
            count = len(self.unchanged)
            return (
                f"Sin cambios: {'el acuerdo' if count == 1 else f'los {count} acuerdos'} del "
                f"archivo ya {'estaba registrado' if count == 1 else 'estaban registrados'} en "
                f"la reunión {self.meeting.code}."
            )
        verb = "Se importaron" if self.applied else "Se importarían"
        sentence = (
            f"{verb} {created} {'acuerdo' if created == 1 else 'acuerdos'} con {commitments} "
            f"{'compromiso' if commitments == 1 else 'compromisos'}"
        )
        if self.milestones_to_create:
            sentence += f" y {self.milestones_to_create} hitos"
        sentence += f" en la reunión {self.meeting.code}"
        if self.unchanged:
            sentence += f"; {len(self.unchanged)} ya estaban registrados sin cambios"
        if not self.applied:
            sentence += " (vista previa: no se guardó nada)"
        return sentence + "."


# --- Reading the rows --------------------------------------------------------------------------


@dataclass
class _RowData:
    view: RowView
    folio: str
    text: str = ""
    deliverable: str = ""
    theme: Theme | None = None
    validating_area: Unit | None = None
    priority: str = Priority.MEDIUM
    units: list[Unit] = field(default_factory=list)
    co_units: list[Unit] = field(default_factory=list)
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    weight: Decimal = Decimal("1")
    target_kind: str = TargetKind.PERCENT
    indicator_name: str = ""
    unit_of_measure: str = ""
    baseline: Decimal | None = None
    target_value: Decimal | None = None


@dataclass
class _SavedCommitment:
    pk: int
    agreement_id: int
    unit_id: int
    start_date: dt.date
    due_date: dt.date
    weight: Decimal
    target_kind: str
    indicator_name: str
    unit_of_measure: str
    baseline: Decimal | None
    target_value: Decimal | None
    co_units: set[int] = field(default_factory=set)
    milestones: set[tuple[str, dt.date, Decimal]] = field(default_factory=set)


@dataclass
class _Saved:
    """An agreement already in the database, as plain values."""

    pk: int
    folio: str
    meeting_id: int
    meeting_code: str
    text: str
    deliverable: str
    theme_id: int
    validating_area_id: int
    priority: str
    commitments: dict[int, _SavedCommitment] = field(default_factory=dict)


class _Planner:
    def __init__(self, file: ImportFile, meeting: Meeting) -> None:
        self.file = file
        self.meeting = meeting
        self.issues = Issues()
        self.units = UnitMatcher(meeting=meeting)
        self.areas = UnitMatcher(kinds=NORMATIVE_KINDS)
        self.themes = ThemeMatcher()
        self.unknown: dict[str, UnknownName] = {}
        self.agreements: dict[str, PlannedAgreement] = {}
        self.first_row: dict[str, _RowData] = {}
        self.present: set[str] = set()
        self.has_milestone_table = False
        self.participants = set(meeting.participants.values_list("pk", flat=True))
        self.columns: dict[str, str] = {}
        self.last_folio = ""
        self.unit_names: dict[int, str] = {}
        self.theme_names: dict[int, str] = {}

    # -- cells ------------------------------------------------------------------------------

    def folio(self, view: RowView) -> str:
        value = view.value("folio")
        shown = view.text("folio")
        if is_blank(value):
            return ""
        if shown.isdigit() or (isinstance(value, float) and value.is_integer()):
            return folio_format(self.meeting, int(shown))
        return " ".join(shown.split())

    def date(self, view: RowView, key: str, *, required: bool) -> dt.date | None:
        value = view.value(key)
        if is_blank(value):
            if required:
                view.error(key, "Falta la fecha: escríbala como 30/06/2026.")
            return None
        try:
            return parse_date(value)
        except ValueProblem as problem:
            view.error(key, problem.message)
            return None

    def unit_list(self, view: RowView, key: str) -> list[Unit]:
        shown = view.text(key)
        if not shown:
            return []
        found = self.units.match(shown)
        for piece in found.unknown:
            view.error(key, self.units.unknown_message(piece))
            entry = self.unknown.setdefault(
                match_key(piece),
                UnknownName(text=piece, suggestions=self.units.suggestions(piece), places=[]),
            )
            place = f"{view.table.label + ', ' if view.table.label else ''}fila {view.number}"
            if place not in entry.places:
                entry.places.append(place)
        return found.units

    def positive(self, view: RowView, key: str, *, what: str) -> Decimal:
        value = view.value(key)
        if is_blank(value):
            return Decimal("1")
        try:
            number = parse_decimal(value)
        except ValueProblem as problem:
            view.error(key, f"{problem.message} El {what} debe ser un número mayor que cero.")
            return Decimal("1")
        if number <= 0 or not fits(number, max_digits=7, decimal_places=2):
            view.error(key, f"El {what} debe ser un número mayor que cero y menor que 100 000.")
            return Decimal("1")
        return quantize(number, 2)

    # -- rows -------------------------------------------------------------------------------

    def read_row(self, view: RowView) -> _RowData | None:
        folio = self.folio(view)
        if not folio and not view.text("text") and self.last_folio:
            # A row without folio nor text under an agreement continues it (a merged cell that
            # lost its merge when saved as CSV, or a minuta that leaves the cells blank).
            folio = self.last_folio
        self.last_folio = folio
        data = _RowData(view=view, folio=folio)
        previous = self.first_row.get(folio) if folio else None
        if not folio:
            view.error(
                "folio",
                "Falta el folio. Cada acuerdo necesita un folio estable (p. ej. "
                f"{folio_format(self.meeting, 1)} o sólo su número) para que reimportar el "
                "archivo no lo duplique.",
            )
        elif len(folio) > FOLIO_MAX:
            view.error("folio", f"El folio tiene más de {FOLIO_MAX} caracteres.")

        data.text = view.text("text")
        if not data.text:
            if previous is not None:
                data.text = previous.text
            else:
                view.error("text", "Falta el texto del acuerdo: escriba qué se acordó.")

        theme_text = view.text("theme")
        if theme_text:
            data.theme = self.themes.match(theme_text)
            if data.theme is None:
                view.error("theme", self.themes.unknown_message(theme_text))
        elif previous is not None:
            data.theme = previous.theme
        else:
            view.error("theme", "Falta la línea de acción. " + self.themes.choices_hint())

        if view.has("validating_area") and view.text("validating_area"):
            shown = view.text("validating_area")
            areas = self.areas.match(shown)
            if areas.unknown or len(areas.units) != 1:
                if len(areas.units) > 1 and not areas.unknown:
                    view.error(
                        "validating_area",
                        f"Escriba una sola área normativa (se reconocieron "
                        f"{', '.join(u.short_name for u in areas.units)}).",
                    )
                else:
                    view.error(
                        "validating_area",
                        self.areas.unknown_message(shown, what="el área normativa"),
                    )
            else:
                data.validating_area = areas.units[0]
        elif previous is not None:
            data.validating_area = previous.validating_area
        elif data.theme is not None:
            data.validating_area = data.theme.lead_area

        if view.has("priority") and view.text("priority"):
            priority = _PRIORITIES.get(normalize(view.text("priority")).split(" ")[0])
            if priority is None:
                view.error("priority", "La prioridad debe ser Alta, Media o Baja.")
            else:
                data.priority = priority
        elif previous is not None:
            data.priority = previous.priority

        data.units = self.unit_list(view, "responsible")
        if not view.text("responsible"):
            view.error(
                "responsible",
                "Falta la unidad responsable: escriba una o varias unidades (clave o nombre).",
            )
        data.co_units = self.unit_list(view, "co_responsible") if view.has("co_responsible") else []
        if self.participants:
            for unit in data.units:
                if unit.pk not in self.participants:
                    view.warn(
                        "responsible",
                        f"{unit.short_name} no está registrada como participante de la reunión "
                        f"{self.meeting.code}.",
                    )

        data.start_date = (
            self.date(view, "start_date", required=False) if view.has("start_date") else None
        )
        data.due_date = self.date(view, "due_date", required=True)
        self.check_dates(view, data)
        data.weight = (
            self.positive(view, "weight", what="peso") if view.has("weight") else Decimal("1")
        )
        self.read_target(view, data, previous)
        return data

    def check_dates(self, view: RowView, data: _RowData) -> None:
        meeting = self.meeting
        if data.start_date is not None and data.start_date < meeting.start_date:
            view.error(
                "start_date",
                f"La fecha de inicio ({_day(data.start_date)}) es anterior al inicio de la "
                f"reunión ({_day(meeting.start_date)}).",
            )
            return
        if data.due_date is None:
            return
        start = data.start_date or meeting.end_date
        if data.due_date < start:
            if data.start_date is not None:
                reason = f"a la fecha de inicio ({_day(start)})"
            elif data.due_date < meeting.start_date:
                reason = f"al inicio de la reunión ({_day(meeting.start_date)})"
            else:
                reason = f"al término de la reunión ({_day(meeting.end_date)})"
            view.error(
                "due_date",
                f"La fecha compromiso ({_day(data.due_date)}) es anterior {reason}: escriba "
                "una fecha posterior o revise el año.",
            )

    def read_target(self, view: RowView, data: _RowData, previous: _RowData | None) -> None:
        goal, baseline = view.value("goal"), view.value("baseline")
        deliverable = view.text("deliverable")
        if looks_numeric(goal) and looks_numeric(baseline):
            data.target_kind = TargetKind.INDICATOR
            data.baseline = parse_decimal(baseline)
            data.target_value = parse_decimal(goal)
            for key, number in (("baseline", data.baseline), ("goal", data.target_value)):
                if not fits(number, max_digits=16, decimal_places=4):
                    view.error(key, "El número es demasiado grande (máximo 12 cifras enteras).")
            data.baseline = quantize(data.baseline, 4)
            data.target_value = quantize(data.target_value, 4)
            if data.baseline == data.target_value:
                view.error(
                    "goal",
                    f"La meta ({view.text('goal')}) es igual a la línea base: una meta de "
                    "indicador debe ser distinta (mayor si se busca aumentar, menor si se busca "
                    "reducir).",
                )
            data.indicator_name = view.text("indicator")
            data.unit_of_measure = view.text("unit_of_measure")
            if not data.indicator_name:
                view.error(
                    "indicator" if view.has("indicator") else "goal",
                    "Falta el nombre del indicador: una fila con Línea base y Meta numéricas "
                    "es una meta de indicador.",
                )
            elif len(data.indicator_name) > INDICATOR_MAX:
                view.error("indicator", f"El indicador tiene más de {INDICATOR_MAX} caracteres.")
            if len(data.unit_of_measure) > UNIT_OF_MEASURE_MAX:
                view.error(
                    "unit_of_measure",
                    f"La unidad de medida tiene más de {UNIT_OF_MEASURE_MAX} caracteres.",
                )
            data.deliverable = deliverable
        else:
            if looks_numeric(baseline) and not is_blank(goal):
                view.warn(
                    "baseline",
                    "Se ignoró la línea base porque la meta no es un número: el compromiso "
                    "será de porcentaje de avance.",
                )
            data.deliverable = deliverable or view.text("goal")
        if not data.deliverable and previous is not None:
            data.deliverable = previous.deliverable

    # -- grouping ---------------------------------------------------------------------------

    def add(self, data: _RowData) -> None:
        view = data.view
        if data.folio:
            self.first_row.setdefault(data.folio, data)
        if view.failed or data.theme is None or data.validating_area is None:
            return
        if data.due_date is None:
            return
        planned = self.agreements.get(data.folio)
        if planned is None:
            planned = PlannedAgreement(
                folio=data.folio,
                text=data.text,
                theme=data.theme,
                validating_area=data.validating_area,
                deliverable=data.deliverable,
                priority=data.priority,
                table=view.table.label,
            )
            self.agreements[data.folio] = planned
        else:
            first = self.first_row[data.folio]
            for key, label, mine, theirs in (
                ("text", "otro texto", data.text, planned.text),
                ("theme", "otra línea de acción", data.theme.pk, planned.theme.pk),
                (
                    "validating_area",
                    "otra área normativa",
                    data.validating_area.pk,
                    planned.validating_area.pk,
                ),
                ("priority", "otra prioridad", data.priority, planned.priority),
                ("deliverable", "otro entregable", data.deliverable, planned.deliverable),
            ):
                if mine != theirs:
                    view.error(
                        key if view.has(key) or key != "deliverable" else "folio",
                        f"El folio {data.folio} ya aparece en la fila {first.view.number} con "
                        f"{label}: un folio repetido debe repetir el mismo acuerdo (una fila por "
                        "unidad responsable). Si son acuerdos distintos, dé a cada uno su folio.",
                    )
                    return
        taken = {c.unit.pk: c for c in planned.commitments}
        for unit in data.units:
            if unit.pk in taken:
                view.error(
                    "responsible",
                    f"{unit.short_name} aparece dos veces en el acuerdo {data.folio} (filas "
                    f"{taken[unit.pk].row} y {view.number}): cada unidad tiene un solo "
                    "compromiso por acuerdo.",
                )
                continue
            commitment = PlannedCommitment(
                unit=unit,
                due_date=data.due_date,
                start_date=data.start_date or self.meeting.end_date,
                co_units=[u for u in data.co_units if u.pk != unit.pk],
                weight=data.weight,
                target_kind=data.target_kind,
                indicator_name=data.indicator_name,
                unit_of_measure=data.unit_of_measure,
                baseline=data.baseline,
                target_value=data.target_value,
                row=view.number,
                table=view.table.label,
            )
            planned.commitments.append(commitment)
            taken[unit.pk] = commitment
        if view.number not in planned.rows:
            planned.rows.append(view.number)

    # -- tables -----------------------------------------------------------------------------

    def classify(
        self, tables: Sequence[Table]
    ) -> tuple[list[tuple[Table, HeaderMatch]], list[tuple[Table, HeaderMatch]]]:
        agreement_tables: list[tuple[Table, HeaderMatch]] = []
        milestone_tables: list[tuple[Table, HeaderMatch]] = []
        for table in tables:
            cells = [row.cells for row in table.rows]
            numbers = [row.number for row in table.rows]
            as_agreements = find_header(cells, AGREEMENT_FIELDS, numbers=numbers)
            as_milestones = find_header(cells, MILESTONE_FIELDS, numbers=numbers)
            if (
                as_milestones is not None
                and as_milestones.has("milestone")
                and as_milestones.score >= 3
                and (as_agreements is None or as_milestones.score >= as_agreements.score)
            ):
                milestone_tables.append((table, as_milestones))
            elif as_agreements is not None and as_agreements.score >= 3:
                agreement_tables.append((table, as_agreements))
        return agreement_tables, milestone_tables

    def read_agreements(self, table: Table, header: HeaderMatch) -> None:
        if missing_columns(table, header, AGREEMENT_FIELDS, self.issues, hint=_HINT):
            return
        for key, label in header.labels.items():
            self.columns.setdefault(key, label)
        self.present |= set(header.columns)
        for shown in header.repeated:
            self.issues.warn(
                f"La columna «{shown}» repite un dato de otra columna y se ignoró.",
                row=header.number,
                table=table.label,
            )
        if header.ignored:
            names = ", ".join(f"«{name}»" for name in header.ignored)
            self.issues.warn(
                f"Se ignoraron columnas que no se importan: {names}.",
                row=header.number,
                table=table.label,
            )
        self.last_folio = ""
        for view in data_rows(table, header, AGREEMENT_FIELDS, self.issues):
            data = self.read_row(view)
            if data is not None:
                self.add(data)

    def read_milestones(self, table: Table, header: HeaderMatch) -> None:
        if missing_columns(table, header, MILESTONE_FIELDS, self.issues, hint=_HINT):
            return
        self.has_milestone_table = True
        for view in data_rows(table, header, MILESTONE_FIELDS, self.issues):
            folio = self.folio(view)
            name = " ".join(view.text("milestone").split())
            if not folio:
                view.error("folio", "Falta el folio del acuerdo al que pertenece el hito.")
            if not name:
                view.error("milestone", "Falta el nombre del hito.")
            elif len(name) > MILESTONE_NAME_MAX:
                view.error("milestone", f"El hito tiene más de {MILESTONE_NAME_MAX} caracteres.")
            due = self.date(view, "date", required=True)
            weight = (
                self.positive(view, "weight", what="peso del hito")
                if view.has("weight")
                else Decimal("1")
            )
            units = self.unit_list(view, "unit") if view.has("unit") else []
            if view.failed or due is None:
                continue
            planned = self.agreements.get(folio)
            if planned is None:
                if folio not in self.first_row:
                    view.error(
                        "folio",
                        f"El folio {folio} no está en la hoja de acuerdos: el hito debe "
                        "pertenecer a un acuerdo del mismo archivo.",
                    )
                continue
            by_unit = {c.unit.pk: c for c in planned.commitments}
            targets = (
                [by_unit[u.pk] for u in units if u.pk in by_unit]
                if units
                else list(by_unit.values())
            )
            for unit in units:
                if unit.pk not in by_unit:
                    view.error(
                        "unit",
                        f"{unit.short_name} no es responsable del acuerdo {folio}; sus unidades "
                        f"son: {', '.join(c.unit.short_name for c in planned.commitments)}.",
                    )
            for commitment in targets:
                if commitment.target_kind == TargetKind.INDICATOR:
                    view.error(
                        "milestone",
                        f"El compromiso de {commitment.unit.short_name} en {folio} tiene meta de "
                        "indicador (Línea base y Meta numéricas) y no puede llevar hitos.",
                    )
                    continue
                if any(normalize(m.name) == normalize(name) for m in commitment.milestones):
                    view.error(
                        "milestone",
                        f"El compromiso de {commitment.unit.short_name} en {folio} ya tiene el "
                        f"hito «{name}».",
                    )
                    continue
                if due < commitment.start_date:
                    view.error(
                        "date",
                        f"La fecha del hito ({_day(due)}) es anterior al inicio del compromiso "
                        f"({_day(commitment.start_date)}).",
                    )
                    continue
                if due > commitment.due_date:
                    view.warn(
                        "date",
                        f"La fecha del hito ({_day(due)}) es posterior a la fecha compromiso "
                        f"de {commitment.unit.short_name} ({_day(commitment.due_date)}).",
                    )
                commitment.milestones.append(
                    PlannedMilestone(
                        name=name,
                        due_date=due,
                        weight=weight,
                        row=view.number,
                        table=view.table.label,
                    )
                )
                commitment.target_kind = TargetKind.MILESTONES

    # -- against the database ---------------------------------------------------------------

    def saved(self, folios: Sequence[str]) -> dict[str, _Saved]:
        """What the database holds for these folios, read as plain values (a 10,000-row
        re-import compares without building model instances)."""
        saved: dict[str, _Saved] = {}
        by_id: dict[int, _Saved] = {}
        for start in range(0, len(folios), BATCH_SIZE):
            for row in Agreement.objects.filter(
                folio__in=folios[start : start + BATCH_SIZE]
            ).values_list(
                "pk",
                "folio",
                "meeting_id",
                "meeting__code",
                "text",
                "deliverable",
                "theme_id",
                "validating_area_id",
                "priority",
            ):
                item = _Saved(*row)
                saved[item.folio] = item
                by_id[item.pk] = item
        agreement_ids = list(by_id)
        commitments: dict[int, _SavedCommitment] = {}
        for start in range(0, len(agreement_ids), BATCH_SIZE):
            for values in Commitment.objects.filter(
                agreement_id__in=agreement_ids[start : start + BATCH_SIZE]
            ).values_list(
                "pk",
                "agreement_id",
                "responsible_unit_id",
                "start_date",
                "due_date",
                "weight",
                "target_kind",
                "indicator_name",
                "unit_of_measure",
                "baseline",
                "target_value",
            ):
                commitment = _SavedCommitment(*values)
                commitments[commitment.pk] = commitment
                by_id[commitment.agreement_id].commitments[commitment.unit_id] = commitment
        commitment_ids = list(commitments)
        through: Any = Commitment.co_responsible_units.through
        for start in range(0, len(commitment_ids), BATCH_SIZE):
            chunk = commitment_ids[start : start + BATCH_SIZE]
            for commitment_id, unit_id in through.objects.filter(
                commitment_id__in=chunk
            ).values_list("commitment_id", "unit_id"):
                commitments[commitment_id].co_units.add(unit_id)
            for commitment_id, name, due, weight in Milestone.objects.filter(
                commitment_id__in=chunk
            ).values_list("commitment_id", "name", "due_date", "weight"):
                commitments[commitment_id].milestones.add((name, due, weight))
        return saved

    def compare(self) -> None:
        existing = self.saved(list(self.agreements))
        if existing:
            self.unit_names = dict(Unit.objects.values_list("pk", "short_name"))
            self.theme_names = dict(Theme.objects.values_list("pk", "name"))
        for folio, planned in self.agreements.items():
            current = existing.get(folio)
            if current is None:
                continue
            planned.existing_id = current.pk
            if current.meeting_id != self.meeting.pk:
                planned.differences = [f"el folio ya pertenece a la reunión {current.meeting_code}"]
            else:
                planned.differences = list(self.differences(planned, current))
            planned.status = "conflict" if planned.differences else "unchanged"
            if planned.differences:
                self.issues.error(
                    f"El acuerdo {folio} ya existe con otro contenido ("
                    + "; ".join(planned.differences[:6])
                    + ("; …" if len(planned.differences) > 6 else "")
                    + "). Esta versión no modifica acuerdos existentes: deje el archivo igual "
                    "a lo registrado o quite esa fila; para cambiar el acuerdo, edítelo en el "
                    "sistema.",
                    row=planned.rows[0] if planned.rows else None,
                    column=self.columns.get("folio", "Folio"),
                    table=planned.table,
                )

    def differences(self, planned: PlannedAgreement, current: _Saved) -> Iterator[str]:
        present = self.present
        names = self.unit_names
        if planned.text != current.text:
            yield "texto del acuerdo distinto"
        if planned.theme.pk != current.theme_id:
            yield (
                f"línea de acción: {self.theme_names.get(current.theme_id)} en el sistema, "
                f"{planned.theme} en el archivo"
            )
        if (
            "validating_area" in present
            and planned.validating_area.pk != current.validating_area_id
        ):
            yield (
                f"área normativa: {names.get(current.validating_area_id)} en el sistema, "
                f"{planned.validating_area.short_name} en el archivo"
            )
        if "priority" in present and planned.priority != current.priority:
            yield f"prioridad: {Priority(current.priority).label} en el sistema"
        if ({"deliverable", "goal"} & present) and planned.deliverable != current.deliverable:
            yield "entregable distinto"
        mine = {c.unit.pk: c for c in planned.commitments}
        theirs = current.commitments
        missing = [names.get(k, str(k)) for k in theirs if k not in mine]
        extra = [c.unit.short_name for k, c in mine.items() if k not in theirs]
        if missing:
            yield f"en el sistema también responde {', '.join(missing)}"
        if extra:
            yield f"en el archivo se agrega {', '.join(extra)}"
        for unit_id, commitment in mine.items():
            saved = theirs.get(unit_id)
            if saved is None:
                continue
            who = commitment.unit.short_name
            if commitment.due_date != saved.due_date:
                yield (
                    f"fecha compromiso de {who}: {_day(saved.due_date)} en el sistema, "
                    f"{_day(commitment.due_date)} en el archivo"
                )
            if "start_date" in present and commitment.start_date != saved.start_date:
                yield f"fecha de inicio de {who}: {_day(saved.start_date)} en el sistema"
            if "weight" in present and commitment.weight != saved.weight:
                yield f"peso de {who}: {saved.weight} en el sistema"
            if "co_responsible" in present and {u.pk for u in commitment.co_units} != (
                saved.co_units
            ):
                yield f"corresponsables de {who} distintos"
            expected_kind = commitment.target_kind
            if not self.has_milestone_table and saved.target_kind == TargetKind.MILESTONES:
                expected_kind = TargetKind.MILESTONES  # the file does not speak of milestones
            if expected_kind != saved.target_kind:
                label = TargetKind(saved.target_kind).label
                yield f"tipo de meta de {who}: {label} en el sistema"
            elif saved.target_kind == TargetKind.INDICATOR and (
                commitment.baseline != saved.baseline
                or commitment.target_value != saved.target_value
                or commitment.indicator_name != saved.indicator_name
                or commitment.unit_of_measure != saved.unit_of_measure
            ):
                yield f"indicador de {who} distinto (línea base, meta, nombre o unidad de medida)"
            elif saved.target_kind == TargetKind.MILESTONES and self.has_milestone_table:
                planned_milestones = {(m.name, m.due_date, m.weight) for m in commitment.milestones}
                if saved.milestones != planned_milestones:
                    yield f"hitos de {who} distintos"

    def unknown_list(self) -> list[UnknownName]:
        return sorted(self.unknown.values(), key=lambda item: normalize(item.text))


def agreements_import_plan(*, file: ImportFile, meeting: Meeting) -> AgreementImportPlan:
    """Read a file of agreements for a meeting and say what importing it would do.

    Writes nothing. The plan lists the agreements to create and those unchanged, every error
    (by table, row and column, in Spanish, saying what to fix), warnings (skipped rows, ignored
    columns) and the unit names not recognised with the closest known names.
    """
    plan = AgreementImportPlan(meeting=meeting, file_name=file.name, file_sha256=file.sha256)
    try:
        plan.file_kind = detect_kind(file)
        tables = read_tables(file)
    except FileRefused as refused:
        plan.errors.append(ImportIssue(message=refused.message))
        return plan
    planner = _Planner(file, meeting)
    agreement_tables, milestone_tables = planner.classify(tables)
    if not agreement_tables:
        plan.errors.append(
            ImportIssue(
                message=(
                    "No se encontró la fila de encabezados de los acuerdos en las primeras "
                    "20 filas. El archivo debe tener al menos las columnas Folio, Acuerdo, "
                    "Responsable, Línea de acción y Fecha compromiso (descargue la plantilla)."
                )
            )
        )
        return plan
    for table, header in agreement_tables:
        planner.read_agreements(table, header)
    for table, header in milestone_tables:
        planner.read_milestones(table, header)
    if not planner.issues.errors:
        planner.compare()
    if not planner.agreements and not planner.issues.errors:
        planner.issues.error(
            "El archivo no tiene acuerdos: debajo de los encabezados no hay filas con datos."
        )
    plan.agreements = list(planner.agreements.values())
    plan.errors = planner.issues.errors
    plan.warnings = planner.issues.warnings
    plan.unknown_units = planner.unknown_list()
    plan.columns = planner.columns
    return plan


# --- Writing -----------------------------------------------------------------------------------


def _events(
    plan: AgreementImportPlan,
    writer: EventWriter,
    agreements: Sequence[tuple[PlannedAgreement, int]],
    commitments: Sequence[tuple[PlannedAgreement, PlannedCommitment, int]],
) -> Iterator[dict[str, Any]]:
    """`agreement.imported` and `commitment.imported` for what was just written."""
    file_context = {"file": plan.file_name, "sha256": plan.file_sha256}
    for planned, pk in agreements:
        yield writer.event(
            action="agreement.imported",
            target=Agreement,
            target_id=pk,
            label=planned.folio,
            changes={
                "folio": [None, planned.folio],
                "text": [None, planned.text],
                "theme": [None, planned.theme.code],
                "validating_area": [None, planned.validating_area.code],
                "priority": [None, planned.priority],
            },
            context={**file_context, "rows": planned.location},
        )
    for planned, pc, pk in commitments:
        changes: dict[str, Any] = {
            "responsible_unit": [None, pc.unit.code],
            "start_date": [None, pc.start_date],
            "due_date": [None, pc.due_date],
            "target_kind": [None, pc.target_kind],
        }
        if pc.co_units:
            changes["co_responsible_units"] = [None, [u.code for u in pc.co_units]]
        if pc.target_kind == TargetKind.INDICATOR:
            changes["baseline"] = [None, pc.baseline]
            changes["target_value"] = [None, pc.target_value]
        if pc.milestones:
            changes["milestones"] = [None, [m.name for m in pc.milestones]]
        row = f"fila {pc.row}"
        yield writer.event(
            action="commitment.imported",
            target=Commitment,
            target_id=pk,
            # As str(commitment) reads.
            label=f"{planned.folio} · {pc.unit.short_name}",
            commitment_id=pk,
            changes=changes,
            context={**file_context, "row": f"{pc.table}, {row}" if pc.table else row.capitalize()},
        )


def _new_ids(model: type[Agreement] | type[Commitment], since: int, *fields: str) -> Any:
    """`fields` and the id of the rows written after `since` (the largest id before this
    import wrote): ids only grow, so the import's rows are among them (and only they carry
    its folios)."""
    return model.objects.filter(pk__gt=since).order_by().values_list(*fields, "pk")


def _largest_id(model: type[Agreement] | type[Commitment]) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _write(plan: AgreementImportPlan, writer: EventWriter) -> None:
    """Every new agreement with its commitments, co-responsible units, milestones and audit
    events: one bulk INSERT (or COPY) per table and one query for each table's new ids."""
    to_create = plan.to_create
    since = _largest_id(Agreement)
    insert_rows(
        Agreement,
        (
            {
                "meeting_id": plan.meeting.pk,
                "folio": planned.folio,
                "text": planned.text,
                "deliverable": planned.deliverable,
                "theme_id": planned.theme.pk,
                "validating_area_id": planned.validating_area.pk,
                "priority": planned.priority,
            }
            for planned in to_create
        ),
    )
    folios = {planned.folio for planned in to_create}
    agreement_ids = {
        folio: pk for folio, pk in _new_ids(Agreement, since, "folio") if folio in folios
    }
    since = _largest_id(Commitment)
    insert_rows(
        Commitment,
        (
            {
                "agreement_id": agreement_ids[planned.folio],
                "responsible_unit_id": pc.unit.pk,
                "start_date": pc.start_date,
                "due_date": pc.due_date,
                "current_due_date": pc.due_date,
                "weight": pc.weight,
                "target_kind": pc.target_kind,
                "indicator_name": pc.indicator_name,
                "unit_of_measure": pc.unit_of_measure,
                "baseline": pc.baseline,
                "target_value": pc.target_value,
            }
            for planned in to_create
            for pc in planned.commitments
        ),
    )
    commitment_ids = {
        (agreement_id, unit_id): pk
        for agreement_id, unit_id, pk in _new_ids(
            Commitment, since, "agreement_id", "responsible_unit_id"
        )
    }
    written = [
        (planned, pc, commitment_ids[(agreement_ids[planned.folio], pc.unit.pk)])
        for planned in to_create
        for pc in planned.commitments
    ]
    through: Any = Commitment.co_responsible_units.through
    insert_rows(
        through,
        (
            {"commitment_id": pk, "unit_id": unit.pk}
            for _, pc, pk in written
            for unit in pc.co_units
        ),
    )
    insert_rows(
        Milestone,
        (
            {
                "commitment_id": pk,
                "name": m.name,
                "due_date": m.due_date,
                "weight": m.weight,
                "order": order,
            }
            for _, pc, pk in written
            for order, m in enumerate(pc.milestones, start=1)
        ),
    )
    writer.write(_events(plan, writer, [(p, agreement_ids[p.folio]) for p in to_create], written))


@transaction.atomic
def agreements_import_apply(*, plan: AgreementImportPlan, actor: Any = None) -> AgreementImportPlan:
    """Write a plan without errors: every new agreement with its commitments, co-responsible
    units and milestones, and their audit events, in one transaction (all or nothing).

    Bulk inserts keep a 10,000-row file within seconds; the values were validated while
    planning. If someone else created one of the folios since the plan was made, nothing is
    written and a ConflictError says so. `actor` is the importing coordinator (None from the
    command line).
    """
    if actor is not None and not scope_for(actor).is_coordinator:
        raise PermissionDenied("Sólo la coordinación central importa acuerdos.")
    if plan.errors:
        raise DomainError(plan.summary())
    if plan.applied:
        raise ConflictError("Esta importación ya se aplicó.")
    to_create = plan.to_create
    folios = [p.folio for p in to_create]
    for start in range(0, len(folios), BATCH_SIZE):
        taken = list(
            Agreement.objects.filter(folio__in=folios[start : start + BATCH_SIZE]).values_list(
                "folio", flat=True
            )[:5]
        )
        if taken:
            raise ConflictError(
                f"Mientras revisaba la vista previa se registraron los folios {', '.join(taken)}. "
                "No se guardó nada: vuelva a cargar el archivo para ver la vista previa actual."
            )
    writer = EventWriter(actor=actor, source=SOURCE)
    try:
        with transaction.atomic():
            _write(plan, writer)
    except IntegrityError as exc:
        raise ConflictError(
            "Otra importación registró alguno de estos acuerdos al mismo tiempo. No se guardó "
            "nada: vuelva a cargar el archivo para ver la vista previa actual."
        ) from exc
    plan.applied = True
    return plan


def agreements_import(
    *, file: ImportFile, meeting: Meeting, actor: Any = None, dry_run: bool = False
) -> AgreementImportPlan:
    """Plan the import of a file and, unless it is a dry run or has errors, apply it.

    What `manage.py import_agreements` and the screen's "Importar" button call; the returned
    plan says what was done (`applied`) or why nothing was (`errors`).
    """
    plan = agreements_import_plan(file=file, meeting=meeting)
    if dry_run or plan.errors:
        return plan
    return agreements_import_apply(plan=plan, actor=actor)
