"""The open data of the transparency portal: its columns and their data dictionary.

One definition serves the dictionary page, the CSV headers and types, and the JSON metadata,
so that what a column is said to mean and what is written in it never drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from acuerdos.core.exports import Column, ColumnKind
from acuerdos.evaluation.rules import STATUS_LABELS, STATUS_ORDER
from acuerdos.organization.models import UnitKind

LICENCE = "Datos abiertos"
LICENCE_TEXT = (
    "Datos abiertos: de libre uso, reutilización y redistribución, con la única condición de "
    "citar la fuente (IMSS, Dirección de Operación y Evaluación, sistema Acuerdos)."
)
SOURCE = "IMSS · Dirección de Operación y Evaluación · sistema Acuerdos"

TYPE_LABELS: dict[ColumnKind, str] = {
    "text": "texto",
    "integer": "entero",
    "number": "número decimal",
    "percent": "porcentaje (0 a 100, un decimal)",
    "date": "fecha (AAAA-MM-DD)",
    "datetime": "fecha y hora",
}
BOOLEAN = "booleano (Sí / No; vacío si no aplica)"


@dataclass(frozen=True)
class Field:
    """One column of an open-data file: its name, type, meaning and allowed values."""

    name: str
    kind: ColumnKind
    meaning: str
    allowed: str = ""
    boolean: bool = False

    @property
    def type_label(self) -> str:
        return BOOLEAN if self.boolean else TYPE_LABELS[self.kind]

    def as_dict(self) -> dict[str, str]:
        return {
            "nombre": self.name,
            "tipo": self.type_label,
            "descripcion": self.meaning,
            "valores_permitidos": self.allowed,
        }


STATUS_CODES = ", ".join(f"{s.value} ({STATUS_LABELS[s]})" for s in STATUS_ORDER)
STATUS_NAMES = ", ".join(STATUS_LABELS[s] for s in STATUS_ORDER)
UNIT_KINDS = ", ".join(
    str(label) for value, label in UnitKind.choices if value in ("ooad", "umae", "working_group")
)
PERCENT_RANGE = "0.0 a 100.0"
REGION_NAMES = "Región Norte, Región Occidente, Región Sureste, Región Centro"
REGION_CODES = "REG-NORTE, REG-OCCIDENTE, REG-SURESTE, REG-CENTRO"

COMMITMENT_FIELDS: tuple[Field, ...] = (
    Field("corte", "date", "Fecha del corte cerrado al que corresponden las cifras."),
    Field(
        "folio",
        "text",
        "Folio del acuerdo, único en todo el sistema.",
        "Texto como RR8-CEN-2026-0001",
    ),
    Field("reunion_clave", "text", "Clave de la reunión en que se firmó el acuerdo."),
    Field("reunion", "text", "Nombre de la reunión en que se firmó el acuerdo."),
    Field("region_clave", "text", "Clave de la región de la reunión.", REGION_CODES),
    Field("region", "text", "Región de la reunión.", REGION_NAMES),
    Field("unidad_clave", "text", "Clave de la unidad responsable del compromiso."),
    Field("unidad", "text", "Nombre oficial de la unidad responsable (una institución)."),
    Field("unidad_tipo", "text", "Tipo de la unidad responsable.", UNIT_KINDS),
    Field("linea_accion_clave", "text", "Clave de la línea de acción (tema) del acuerdo."),
    Field("linea_accion", "text", "Línea de acción (tema) del acuerdo."),
    Field("area_normativa_clave", "text", "Clave del área normativa que valida el avance."),
    Field("area_normativa", "text", "Área normativa que valida el avance."),
    Field(
        "fecha_compromiso",
        "date",
        "Fecha compromiso vigente al corte: la original o la última reprogramación aprobada.",
    ),
    Field("peso", "number", "Peso del compromiso en el avance promedio (1 por omisión).", "> 0"),
    Field(
        "avance",
        "percent",
        "Avance validado al corte (solo cuentan los reportes validados a esa fecha).",
        PERCENT_RANGE,
    ),
    Field(
        "avance_esperado",
        "percent",
        "Avance esperado al corte según el tiempo transcurrido entre el inicio y la fecha "
        "compromiso.",
        PERCENT_RANGE,
    ),
    Field("estado_clave", "text", "Estado del compromiso al corte (clave).", STATUS_CODES),
    Field("estado", "text", "Estado del compromiso al corte (semáforo).", STATUS_NAMES),
    Field(
        "cumplido_a_tiempo",
        "text",
        "Para un compromiso cumplido: si se cumplió a más tardar en su fecha compromiso.",
        "Sí, No o vacío (no cumplido)",
        boolean=True,
    ),
    Field(
        "sin_reporte_reciente",
        "text",
        "Para un compromiso abierto: si no tuvo reporte de avance enviado en los 30 días "
        "previos al corte.",
        "Sí, No o vacío (cumplido o cancelado)",
        boolean=True,
    ),
    Field("dias_atraso", "integer", "Días transcurridos desde la fecha compromiso.", "0 o más"),
)

UNIT_FIELDS: tuple[Field, ...] = (
    Field("corte", "date", "Fecha del corte cerrado al que corresponden las cifras."),
    Field("unidad_clave", "text", "Clave de la unidad responsable."),
    Field("unidad", "text", "Nombre oficial de la unidad responsable (una institución)."),
    Field("unidad_tipo", "text", "Tipo de la unidad responsable.", UNIT_KINDS),
    Field("region", "text", "Región de la unidad.", REGION_NAMES),
    Field(
        "compromisos",
        "integer",
        "Compromisos vigentes (iniciados al corte y no cancelados).",
        "0 o más",
    ),
    Field("en_tiempo", "integer", "Compromisos en tiempo (verde).", "0 o más"),
    Field("en_riesgo", "integer", "Compromisos en riesgo (amarillo).", "0 o más"),
    Field("vencidos", "integer", "Compromisos vencidos (rojo).", "0 o más"),
    Field("cumplidos", "integer", "Compromisos cumplidos (azul).", "0 o más"),
    Field(
        "cancelados",
        "integer",
        "Compromisos cancelados (gris), fuera de todos los cálculos.",
        "0 o más",
    ),
    Field(
        "nivel_cumplimiento",
        "percent",
        "Cumplidos entre los exigibles (vencidos o ya cumplidos). Vacío si no hay exigibles.",
        f"{PERCENT_RANGE} o vacío",
    ),
    Field(
        "avance_promedio",
        "percent",
        "Promedio del avance validado, ponderado por el peso de cada compromiso.",
        f"{PERCENT_RANGE} o vacío",
    ),
    Field(
        "oportunidad_reporte",
        "percent",
        "Compromisos abiertos con un reporte enviado en los 30 días previos al corte. Vacío si "
        "no hay compromisos abiertos.",
        f"{PERCENT_RANGE} o vacío",
    ),
    Field(
        "dias_atraso_acumulados",
        "integer",
        "Suma de los días de atraso de los compromisos vencidos.",
        "0 o más",
    ),
)


def columns(fields: Sequence[Field]) -> list[Column]:
    """The CSV columns of a file (headers are the field names, machine-friendly)."""
    return [Column(header=f.name, kind=f.kind) for f in fields]


def as_cells(fields: Sequence[Field], rows: Iterable[Mapping[str, Any]]) -> Iterator[list[Any]]:
    """Rows as lists of cells in the fields' order (for the CSV writer)."""
    names = [f.name for f in fields]
    for row in rows:
        yield [row[name] for name in names]


def dictionary(fields: Sequence[Field]) -> list[dict[str, str]]:
    return [f.as_dict() for f in fields]
