"""The columns people put in their spreadsheets, and finding the header row among title rows.

Header names are compared after folding accents, case, punctuation and parentheses
(`Unidad(es) responsable(s)` → `unidad responsable`, `Núm.` → `num`), against the synonyms of
each field. The header row is the one, among the first rows, that matches the most fields.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from acuerdos.commitments.imports.values import CellValue, text
from acuerdos.core.text import normalize

HEADER_SCAN_ROWS = 20
MIN_HEADER_FIELDS = 2

_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def header_key(value: str) -> str:
    """`Fecha compromiso (dd/mm/aaaa)` → `fecha compromiso`; `% de avance` → `porcentaje de
    avance`; `No.` → `no`."""
    folded = normalize(value).replace("%", " porcentaje ").replace("º", "").replace("°", "")
    folded = _PARENTHESES.sub(" ", folded)
    return _NOT_WORD.sub(" ", folded).strip()


@dataclass(frozen=True)
class Field:
    """A column an importer understands: its key, its canonical Spanish header, synonyms."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False
    help: str = ""

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(header_key(s) for s in (self.label, *self.synonyms))


_FOLIO = (
    "No.",
    "Núm.",
    "Número",
    "N°",
    "Nro.",
    "No. de acuerdo",
    "Número de acuerdo",
    "Núm. de acuerdo",
    "Folio del acuerdo",
    "Clave del acuerdo",
    "Clave",
    "Id",
)

AGREEMENT_FIELDS: tuple[Field, ...] = (
    Field(
        "folio",
        "Folio",
        _FOLIO,
        required=True,
        help="Clave única del acuerdo, p. ej. RR8-CEN-2026-0001. Un número solo (1, 2, 3…) "
        "se completa con la serie de la reunión (1 → RR8-CEN-2026-0001).",
    ),
    Field(
        "text",
        "Acuerdo",
        (
            "Descripción",
            "Compromiso",
            "Descripción del acuerdo",
            "Texto del acuerdo",
            "Acuerdos",
            "Descripción del compromiso",
            "Texto",
            "Compromisos",
        ),
        required=True,
        help="Lo que se acordó, en una o varias oraciones.",
    ),
    Field(
        "deliverable",
        "Entregable",
        ("Entregables", "Producto", "Producto entregable", "Evidencia esperada"),
        help="Lo que se entregará para darlo por cumplido.",
    ),
    Field(
        "theme",
        "Línea de acción",
        (
            "Tema",
            "Eje",
            "Eje temático",
            "Líneas de acción",
            "Línea de acción / Tema",
            "Tema / Línea de acción",
        ),
        required=True,
        help="Clave o nombre de la línea de acción (hoja «Listas»).",
    ),
    Field(
        "validating_area",
        "Área normativa",
        (
            "Valida",
            "Área que valida",
            "Área normativa que valida",
            "Área validadora",
            "Normativa",
            "Área normativa responsable",
        ),
        help="Si se deja vacía, valida el área líder de la línea de acción.",
    ),
    Field(
        "responsible",
        "Responsable",
        (
            "Área responsable",
            "Unidad responsable",
            "Responsables",
            "Unidades responsables",
            "Áreas responsables",
            "OOAD / UMAE",
            "OOAD o UMAE",
            "Unidad",
            "Unidades",
            "OOAD",
            "UMAE",
            "Unidad operativa",
            "Responsable del cumplimiento",
        ),
        required=True,
        help="Una o varias unidades (clave, nombre o nombre corto) separadas por coma, "
        "punto y coma, diagonal o «y»: se crea un compromiso por unidad. También "
        "«Todas las OOAD de la región».",
    ),
    Field(
        "co_responsible",
        "Corresponsables",
        (
            "Corresponsable",
            "Co-responsable",
            "Co-responsables",
            "Unidades corresponsables",
            "Áreas corresponsables",
            "Área corresponsable",
        ),
        help="Unidades que apoyan (no reportan); mismas reglas que Responsable.",
    ),
    Field(
        "start_date",
        "Fecha de inicio",
        ("Inicio", "Fecha inicio"),
        help="Si se deja vacía, el último día de la reunión.",
    ),
    Field(
        "due_date",
        "Fecha compromiso",
        (
            "Fecha límite",
            "Fecha de cumplimiento",
            "Fecha de compromiso",
            "Fecha",
            "Fecha de entrega",
            "Plazo",
            "Fecha límite de cumplimiento",
            "Fecha de término",
            "Fecha compromiso original",
        ),
        required=True,
        help="30/06/2026, 2026-06-30 o 30 de junio de 2026.",
    ),
    Field(
        "goal",
        "Meta",
        ("Meta numérica", "Valor meta", "Meta (valor)"),
        help="Número (con Línea base) para una meta de indicador; texto para un "
        "porcentaje de avance.",
    ),
    Field(
        "baseline",
        "Línea base",
        ("Línea de base", "Valor base", "Valor inicial"),
        help="Número de partida del indicador.",
    ),
    Field(
        "indicator",
        "Indicador",
        ("Nombre del indicador",),
        help="Obligatorio cuando Línea base y Meta son números.",
    ),
    Field(
        "unit_of_measure",
        "Unidad de medida",
        ("UM", "U. de M.", "Unidad medida"),
        help="p. ej. días, porcentaje, consultas.",
    ),
    Field("weight", "Peso", ("Ponderación",), help="Número mayor que cero; 1 si se deja vacío."),
    Field("priority", "Prioridad", (), help="Alta, Media o Baja; Media si se deja vacía."),
)

MILESTONE_FIELDS: tuple[Field, ...] = (
    Field("folio", "Folio", _FOLIO, required=True, help="Folio del acuerdo."),
    Field(
        "unit",
        "Unidad",
        ("Responsable", "Unidad responsable", "Área responsable", "OOAD", "UMAE", "OOAD / UMAE"),
        help="Unidad del compromiso; vacía: el hito aplica a todas las unidades del acuerdo.",
    ),
    Field(
        "milestone",
        "Hito",
        ("Hitos", "Nombre del hito", "Actividad", "Etapa"),
        required=True,
        help="Nombre del hito.",
    ),
    Field(
        "date",
        "Fecha",
        ("Fecha programada", "Fecha compromiso", "Fecha del hito", "Fecha límite"),
        required=True,
        help="Fecha programada del hito.",
    ),
    Field("weight", "Peso", ("Ponderación",), help="Número mayor que cero; 1 si se deja vacío."),
)

PROGRESS_FIELDS: tuple[Field, ...] = (
    Field("folio", "Folio", _FOLIO, required=True, help="Folio del acuerdo."),
    Field(
        "unit",
        "Unidad",
        ("Responsable", "Unidad responsable", "Área responsable", "OOAD / UMAE", "OOAD", "UMAE"),
        help="Unidad responsable del compromiso; puede quedar vacía si el acuerdo tiene "
        "una sola unidad.",
    ),
    Field(
        "as_of",
        "Fecha de avance",
        (
            "Avance al",
            "Fecha del avance",
            "Fecha de corte",
            "Corte",
            "Con fecha al",
            "Avance con fecha al",
            "Fecha",
            "Fecha de reporte",
            "Fecha del reporte",
        ),
        required=True,
        help="Fecha a la que corresponde el avance.",
    ),
    Field(
        "percent",
        "Porcentaje de avance",
        ("Porcentaje", "% de avance", "Avance", "Avance (%)", "Avance porcentual", "% avance"),
        help="De 0 a 100, para compromisos con meta de porcentaje.",
    ),
    Field(
        "indicator_value",
        "Valor del indicador",
        ("Valor", "Valor alcanzado", "Valor reportado", "Indicador"),
        help="Para compromisos con meta de indicador.",
    ),
    Field(
        "milestones_done",
        "Hitos cumplidos",
        ("Hitos", "Hitos concluidos"),
        help="Nombres de los hitos cumplidos separados por «;», para metas por hitos.",
    ),
    Field(
        "narrative",
        "Narrativa",
        (
            "Descripción del avance",
            "Descripción",
            "Avance cualitativo",
            "Acciones realizadas",
            "Avance descriptivo",
            "Comentarios",
        ),
        help="Qué se hizo y qué falta.",
    ),
    Field(
        "state",
        "Estado",
        ("Estatus", "Situación", "Estado del reporte"),
        help="Enviado, Validado, Devuelto o Rechazado; Validado si se deja vacío.",
    ),
    Field(
        "submitted_on",
        "Fecha de envío",
        ("Enviado el", "Fecha envío", "Enviado"),
        help="Si se deja vacía, la fecha de avance.",
    ),
    Field(
        "validated_on",
        "Fecha de validación",
        ("Validado el", "Fecha de revisión", "Fecha validación", "Revisado el"),
        help="Si se deja vacía, la fecha de envío.",
    ),
    Field(
        "validator",
        "Validador",
        ("Validado por", "Correo del validador", "Revisor", "Revisado por"),
        help="Correo institucional de quien validó (opcional).",
    ),
    Field(
        "review_comment",
        "Observaciones",
        ("Motivo", "Observaciones del validador", "Comentario del validador"),
        help="Observaciones de un reporte devuelto o motivo de un rechazo.",
    ),
)


@dataclass
class HeaderMatch:
    """Where the header row is and which column holds each field."""

    index: int
    number: int
    columns: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return len(self.columns)

    def has(self, key: str) -> bool:
        return key in self.columns


def _lookup(fields: Sequence[Field]) -> dict[str, str]:
    table: dict[str, str] = {}
    for item in fields:
        for key in sorted(item.keys):
            table.setdefault(key, item.key)
    return table


@functools.lru_cache(maxsize=8)
def _lookup_for(fields: tuple[Field, ...]) -> dict[str, str]:
    return _lookup(fields)


def match_row(cells: Sequence[CellValue], fields: Sequence[Field]) -> HeaderMatch:
    """Map the cells of one row to fields (the first column of a field wins)."""
    lookup = _lookup_for(tuple(fields))
    match = HeaderMatch(index=0, number=0)
    for column, cell in enumerate(cells):
        shown = text(cell)
        if not shown or (isinstance(cell, int | float) and not isinstance(cell, bool)):
            continue
        key = lookup.get(header_key(shown))
        if key is None:
            match.ignored.append(shown)
        elif key in match.columns:
            match.repeated.append(shown)
        else:
            match.columns[key] = column
            match.labels[key] = shown.replace("\n", " ")
    return match


def find_header(
    rows: Sequence[Sequence[CellValue]],
    fields: Sequence[Field],
    *,
    numbers: Sequence[int] | None = None,
    scan: int = HEADER_SCAN_ROWS,
) -> HeaderMatch | None:
    """The row among the first `scan` that matches the most fields (at least two), or None."""
    best: HeaderMatch | None = None
    for index, cells in enumerate(rows[:scan]):
        match = match_row(cells, fields)
        if match.score >= MIN_HEADER_FIELDS and (best is None or match.score > best.score):
            match.index = index
            match.number = numbers[index] if numbers is not None else index + 1
            best = match
    return best


def best_score_any(rows: Iterable[Sequence[CellValue]]) -> int:
    """The best header score of these rows for any importer (to sniff a CSV separator)."""
    materialised = list(rows)
    return max(
        (
            m.score
            for fields in (AGREEMENT_FIELDS, MILESTONE_FIELDS, PROGRESS_FIELDS)
            if (m := find_header(materialised, fields)) is not None
        ),
        default=0,
    )
