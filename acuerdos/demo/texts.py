"""The vocabulary of the demo agreements: what IMSS public servants write in a minuta.

An agreement text is assembled from parts — an action (verb phrase and object), a place or scope
that fits the units it binds, and a qualifier (deadline, quantity, way of reporting) — so that
tens of thousands of different, plausible texts can be written per meeting. Every theme of
`organization/data/themes.csv` has its own actions, deliverables, milestones and indicators.

Place templates may use `{n}` (a unit number), `{city}`, `{short}` (the unit's short name),
`{region}` and `{specialty}`; qualifiers may use `{due}` (the due date, long form), `{pct}` and
`{k}`. Everything here is plain data; `plan.py` draws from it with its own random generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# --- Places -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """Where an action happens, worded for who is bound: one OOAD, one UMAE, several OOAD,
    several UMAE, or OOAD and UMAE together. An empty variant means the place does not apply."""

    ooad: tuple[str, ...] = ()
    umae: tuple[str, ...] = ()
    multi_ooad: tuple[str, ...] = ()
    multi_umae: tuple[str, ...] = ()
    mixed: tuple[str, ...] = ()

    def variant(self, scope: str) -> tuple[str, ...]:
        """The templates for a scope: ooad | umae | multi_ooad | multi_umae | mixed."""
        result: tuple[str, ...] = getattr(self, scope)
        return result


PLACES: dict[str, Places] = {
    "umf": Places(
        ooad=(
            "en las Unidades de Medicina Familiar de la delegación",
            "en la Unidad de Medicina Familiar No. {n} de {city}",
            "en las Unidades de Medicina Familiar con más de diez consultorios del OOAD",
            "en las Unidades de Medicina Familiar de la zona conurbada de {city}",
            "en las Unidades de Medicina Familiar del ámbito rural del OOAD {short}",
            "en la UMF No. {n} y sus unidades auxiliares",
            "en las Unidades de Medicina Familiar de la Subdelegación {city}",
            "en la Unidad de Medicina Familiar No. {n} con turno vespertino",
        ),
        multi_ooad=(
            "en las Unidades de Medicina Familiar de los OOAD de la Región {region}",
            "en las Unidades de Medicina Familiar de mayor demanda de cada OOAD participante",
            "en el primer nivel de atención de los OOAD de la Región {region}",
            "en las UMF con población adscrita mayor a 50 mil derechohabientes de la región",
            "en las Unidades de Medicina Familiar de los OOAD participantes",
        ),
    ),
    "hospital": Places(
        ooad=(
            "en el Hospital General de Zona No. {n} de {city}",
            "en el Hospital General Regional No. {n}",
            "en los Hospitales Generales de Zona del OOAD {short}",
            "en el Hospital General de Subzona No. {n}",
            "en los hospitales de segundo nivel de la delegación",
            "en el Hospital General de Zona con Medicina Familiar No. {n}",
            "en el Hospital de Gineco Obstetricia No. {n} de {city}",
        ),
        umae=(
            "en la Unidad Médica de Alta Especialidad",
            "en las áreas de hospitalización de la UMAE",
            "en el servicio de {specialty} de la UMAE",
            "en los servicios troncales de la UMAE",
            "en el área de hospitalización de {specialty} de la UMAE",
        ),
        multi_ooad=(
            "en los Hospitales Generales de Zona de los OOAD de la Región {region}",
            "en los hospitales de segundo nivel de la Región {region}",
            "en los Hospitales Generales Regionales de los OOAD participantes",
        ),
        multi_umae=(
            "en las Unidades Médicas de Alta Especialidad de la Región {region}",
            "en los servicios de {specialty} de las UMAE de la región",
            "en las áreas de hospitalización de las UMAE participantes",
        ),
        mixed=(
            "en las unidades hospitalarias de segundo y tercer nivel de la Región {region}",
            "en los hospitales de los OOAD y las UMAE participantes",
            "en la red hospitalaria de la Región {region}",
        ),
    ),
    "urgencias": Places(
        ooad=(
            "en el servicio de Urgencias del Hospital General de Zona No. {n}",
            "en los servicios de Urgencias de los hospitales de la delegación",
            "en el área de Urgencias del Hospital General Regional No. {n} de {city}",
            "en las áreas de Atención Médica Continua de las UMF de {city}",
        ),
        umae=(
            "en el servicio de Admisión Continua de la UMAE",
            "en el área de Urgencias de la UMAE",
            "en la Admisión Continua de {specialty} de la UMAE",
        ),
        multi_ooad=(
            "en los servicios de Urgencias de los hospitales de segundo nivel de la Región "
            "{region}",
            "en los servicios de Urgencias de los OOAD participantes",
            "en los servicios de Urgencias de los hospitales generales de los OOAD participantes",
        ),
        multi_umae=(
            "en las áreas de Admisión Continua de las UMAE de la Región {region}",
            "en los servicios de Urgencias de las UMAE participantes",
        ),
        mixed=(
            "en los servicios de Urgencias y Admisión Continua de las unidades participantes",
            "en la red de Urgencias de la Región {region}",
        ),
    ),
    "quirofano": Places(
        ooad=(
            "en las salas de quirófano del Hospital General de Zona No. {n}",
            "en los quirófanos de los hospitales de segundo nivel del OOAD",
            "en la Unidad de Cirugía Ambulatoria de {city}",
            "en el servicio de {specialty} del Hospital General Regional No. {n}",
        ),
        umae=(
            "en las salas de quirófano de la UMAE",
            "en el servicio de {specialty} de la UMAE",
            "en la Unidad de Cuidados Postanestésicos de la UMAE",
        ),
        multi_ooad=(
            "en los quirófanos de los Hospitales Generales de Zona de la Región {region}",
            "en los servicios quirúrgicos de los OOAD participantes",
        ),
        multi_umae=(
            "en las salas de quirófano de las UMAE de la Región {region}",
            "en los servicios de {specialty} de las UMAE participantes",
        ),
        mixed=(
            "en los servicios quirúrgicos de segundo y tercer nivel de la Región {region}",
            "en las salas de quirófano de las unidades participantes",
        ),
    ),
    "farmacia": Places(
        ooad=(
            "en las farmacias de las Unidades de Medicina Familiar de la delegación",
            "en la farmacia del Hospital General de Zona No. {n}",
            "en el almacén delegacional de {city}",
            "en la farmacia de la UMF No. {n} de {city}",
            "en las unidades médicas de primer y segundo nivel del OOAD {short}",
            "en las farmacias de las unidades del ámbito rural del OOAD",
        ),
        umae=(
            "en la farmacia de la UMAE",
            "en el almacén de la UMAE",
            "en la farmacia de hospitalización de la UMAE",
            "en la farmacia de consulta externa de la UMAE",
        ),
        multi_ooad=(
            "en las farmacias de las unidades médicas de los OOAD de la Región {region}",
            "en los almacenes delegacionales de la Región {region}",
        ),
        multi_umae=(
            "en las farmacias de las UMAE de la Región {region}",
            "en los almacenes de las UMAE participantes",
        ),
        mixed=(
            "en las farmacias de las unidades médicas participantes de la Región {region}",
            "en la red de almacenes y farmacias de la Región {region}",
            "en las farmacias y almacenes de las unidades participantes",
        ),
    ),
    "admin": Places(
        ooad=(
            "en la Jefatura de Servicios Administrativos del OOAD",
            "en las Subdelegaciones del OOAD {short}",
            "en la Subdelegación {city}",
            "en el OOAD {short}",
            "en las unidades operativas de la delegación",
            "en las unidades médicas y administrativas del OOAD",
        ),
        umae=(
            "en la Dirección Administrativa de la UMAE",
            "en la UMAE",
            "en las áreas administrativas y de servicios de la UMAE",
        ),
        multi_ooad=(
            "en los OOAD de la Región {region}",
            "en los OOAD participantes",
            "en las Jefaturas de Servicios Administrativos de la Región {region}",
        ),
        multi_umae=(
            "en las UMAE de la Región {region}",
            "en las Direcciones Administrativas de las UMAE participantes",
        ),
        mixed=(
            "en los OOAD y las UMAE de la Región {region}",
            "en las unidades participantes de la Región {region}",
        ),
    ),
    "ceci": Places(
        ooad=(
            "en {city}",
            "en el predio asignado en {city}",
            "anexo al Hospital General de Zona No. {n}",
            "en la zona industrial de {city}",
            "ubicado en el municipio de {city}",
            "a cargo del OOAD {short}",
        ),
        multi_ooad=(
            "en cada una de las entidades de la Región {region}",
            "en cada OOAD participante",
            "a cargo de los OOAD participantes",
        ),
    ),
    "guarderias": Places(
        ooad=(
            "en las guarderías de prestación directa del OOAD {short}",
            "en la Guardería de prestación directa No. {n} de {city}",
            "en las guarderías del esquema integrador de {city}",
            "en las guarderías de la zona conurbada de {city}",
        ),
        multi_ooad=(
            "en las guarderías de prestación directa de la Región {region}",
            "en las guarderías de los OOAD participantes",
        ),
    ),
    "cobranza": Places(
        ooad=(
            "en la Subdelegación {city}",
            "en las Subdelegaciones del OOAD {short}",
            "en la Jefatura de Servicios de Afiliación y Cobranza del OOAD",
            "en las Subdelegaciones con mayor cartera en mora del OOAD",
            "en la Subdelegación {city} y sus oficinas auxiliares",
        ),
        multi_ooad=(
            "en las Subdelegaciones de los OOAD de la Región {region}",
            "en las Jefaturas de Afiliación y Cobranza de los OOAD participantes",
        ),
    ),
    "social": Places(
        ooad=(
            "en el Centro de Seguridad Social de {city}",
            "en las Unidades Deportivas del OOAD",
            "en los Centros de Seguridad Social de la delegación",
            "en el Teatro IMSS de {city}",
            "en el Centro de Seguridad Social No. {n} del OOAD {short}",
            "en los municipios de alta marginación atendidos por el OOAD",
        ),
        multi_ooad=(
            "en los Centros de Seguridad Social de la Región {region}",
            "en las Unidades Deportivas de los OOAD participantes",
            "en los Centros de Seguridad Social de los OOAD participantes",
        ),
    ),
    "city": Places(
        ooad=(
            "en {city}",
            "en la zona metropolitana de {city}",
            "en el municipio de {city}",
            "en el municipio sede de la Subdelegación {city}",
        ),
        multi_ooad=("en las entidades de la Región {region}", "en las entidades participantes"),
    ),
}

SPECIALTIES: tuple[str, ...] = (
    "Cirugía General",
    "Medicina Interna",
    "Traumatología y Ortopedia",
    "Oncología",
    "Cardiología",
    "Nefrología",
    "Neurocirugía",
    "Ginecología y Obstetricia",
    "Pediatría",
    "Terapia Intensiva",
    "Hematología",
    "Anestesiología",
    "Oftalmología",
    "Urología",
    "Imagenología",
    "Endocrinología",
    "Gastroenterología",
    "Neumología",
    "Otorrinolaringología",
    "Cirugía Plástica y Reconstructiva",
    "Angiología",
    "Reumatología",
    "Infectología",
    "Medicina Física y Rehabilitación",
)


# --- Targets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    """A measurable indicator: its name, unit of measure and plausible values.

    `baseline` is the range of starting values; the target moves from the baseline by a relative
    `change` (down when `lower_is_better`), or is drawn from `target` when the baseline is zero.
    `ceiling` caps percentages at 100; `decimals` is the precision reported.
    """

    name: str
    unit_of_measure: str
    baseline: tuple[str, str]
    lower_is_better: bool = False
    decimals: int = 0
    change: tuple[str, str] = ("0.10", "0.35")
    target: tuple[str, str] | None = None
    ceiling: Decimal | None = None


def pct(name: str, low: str, high: str, *, lower: bool = False) -> IndicatorSpec:
    """A percentage indicator (one decimal, never above 100 %)."""
    return IndicatorSpec(
        name=name,
        unit_of_measure="%",
        baseline=(low, high),
        lower_is_better=lower,
        decimals=1,
        ceiling=Decimal("100"),
    )


@dataclass(frozen=True)
class Action:
    """What is to be done (a verb phrase and its object) and where it can happen.

    `places` are keys of PLACES; `indicator` is set when the action is naturally measured by
    one; `project` marks works and procurements, which are usually followed by milestones;
    `ooad_only` excludes the UMAE (collection of contributions, for instance); `deliverables`
    are the evidence specific to this action (the theme's own fit every action of the theme).
    """

    text: str
    places: tuple[str, ...]
    indicator: IndicatorSpec | None = None
    project: bool = False
    ooad_only: bool = False
    deliverables: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeTexts:
    """The vocabulary of one línea de acción."""

    code: str
    weight: int
    actions: tuple[Action, ...]
    qualifiers: tuple[str, ...]
    deliverables: tuple[str, ...]
    milestones: tuple[str, ...]
    coordinations: tuple[str, ...] = ()
    umae_coordinations: tuple[str, ...] = ()
    ooad_only: bool = False


GENERIC_QUALIFIERS: tuple[str, ...] = (
    "",
    "",
    ", a más tardar el {due}",
    ", con fecha compromiso al {due}",
    ", con la meta de concluir antes del {due}",
    ", con reporte mensual de avance al área normativa",
    ", conforme al programa de trabajo validado por el área normativa",
    ", con seguimiento quincenal en el Cuerpo de Gobierno",
    ", priorizando las unidades con mayor rezago",
    ", en coordinación con el área normativa correspondiente",
    ", conforme a la normatividad institucional vigente",
    ", e informar los avances en la reunión regional de seguimiento",
    ", con evidencia documental en cada corte mensual",
    ", con la participación de los cuerpos de gobierno de las unidades",
    ", sin afectar la continuidad de los servicios",
)

GENERIC_DELIVERABLES: tuple[str, ...] = (
    "Informe mensual de avance firmado por el titular",
    "Informe trimestral de resultados validado por el área normativa",
    "Programa de trabajo con cronograma y responsables",
    "Minuta de seguimiento del Cuerpo de Gobierno",
)

# Themes whose milestones describe works or procurements: other actions use the generic ones.
PROJECT_MILESTONE_THEMES = frozenset({"INF", "EQU", "CECI"})

GENERIC_MILESTONES: tuple[str, ...] = (
    "Diagnóstico situacional",
    "Programa de trabajo autorizado",
    "Asignación de responsables y recursos",
    "Implementación en las unidades",
    "Primera evaluación de resultados",
    "Informe final al área normativa",
)


THEMES: dict[str, ThemeTexts] = {
    "AM": ThemeTexts(
        code="AM",
        weight=15,
        coordinations=("DPM-CUPN", "DPM-CUSN"),
        umae_coordinations=("DPM-CUMAE",),
        actions=(
            Action(
                "Reducir el diferimiento de la consulta de especialidad",
                ("hospital",),
                IndicatorSpec(
                    "Días de diferimiento para consulta de especialidad",
                    "días",
                    ("25", "60"),
                    lower_is_better=True,
                ),
            ),
            Action(
                "Abatir el rezago de cirugía programada",
                ("quirofano",),
                IndicatorSpec(
                    "Días de espera para cirugía programada",
                    "días",
                    ("30", "90"),
                    lower_is_better=True,
                ),
                deliverables=("Informe de la lista de espera quirúrgica con corte mensual",),
            ),
            Action(
                "Incrementar la productividad quirúrgica",
                ("quirofano",),
                IndicatorSpec("Cirugías por sala por día", "cirugías", ("2.0", "3.4"), decimals=1),
            ),
            Action(
                "Fortalecer el control metabólico de los pacientes con diabetes mellitus tipo 2",
                ("umf",),
                pct("Pacientes con diabetes con hemoglobina glucosilada menor a 7 %", "28", "45"),
                deliverables=("Reporte del Sistema de Información de Medicina Familiar (SIMF)",),
            ),
            Action(
                "Mejorar el control de la hipertensión arterial en la población adscrita",
                ("umf",),
                pct("Pacientes con hipertensión arterial en control", "45", "62"),
                deliverables=("Reporte del Sistema de Información de Medicina Familiar (SIMF)",),
            ),
            Action(
                "Consolidar el sistema de referencia y contrarreferencia entre niveles de atención",
                ("hospital", "umf"),
            ),
            Action(
                "Reducir la proporción de cesáreas en mujeres primigestas",
                ("hospital",),
                pct("Cesáreas en primigestas", "38", "55", lower=True),
            ),
            Action(
                "Disminuir la estancia hospitalaria prolongada",
                ("hospital",),
                IndicatorSpec(
                    "Días de estancia hospitalaria promedio",
                    "días",
                    ("5.0", "9.5"),
                    lower_is_better=True,
                    decimals=1,
                ),
                deliverables=("Reporte de egresos hospitalarios del sistema institucional",),
            ),
            Action(
                "Reforzar la prevención de infecciones asociadas a la atención de la salud",
                ("hospital",),
                IndicatorSpec(
                    "Tasa de infecciones asociadas a la atención de la salud",
                    "casos por 1,000 días-paciente",
                    ("5.0", "12.0"),
                    lower_is_better=True,
                    decimals=1,
                ),
            ),
            Action(
                "Garantizar la atención oportuna del Código Infarto",
                ("urgencias",),
                IndicatorSpec(
                    "Tiempo puerta-aguja en Código Infarto",
                    "minutos",
                    ("40", "75"),
                    lower_is_better=True,
                ),
            ),
            Action("Consolidar la operación del protocolo Código Cerebro", ("urgencias",)),
            Action(
                "Incrementar la detección oportuna de cáncer de mama mediante mastografía",
                ("umf",),
                pct("Cobertura de mastografía de tamizaje en mujeres de 40 a 69 años", "20", "38"),
                deliverables=("Reporte del Sistema de Información de Medicina Familiar (SIMF)",),
            ),
            Action("Ampliar la consulta de especialidad en el turno vespertino", ("hospital",)),
            Action(
                "Disminuir el tiempo de espera para estudios de tomografía y resonancia magnética",
                ("hospital",),
                IndicatorSpec(
                    "Días de espera para estudios de tomografía",
                    "días",
                    ("10", "40"),
                    lower_is_better=True,
                ),
            ),
            Action(
                "Realizar jornadas quirúrgicas de fin de semana para abatir la lista de espera",
                ("quirofano",),
                IndicatorSpec(
                    "Cirugías realizadas en jornadas de fin de semana", "cirugías", ("40", "150")
                ),
            ),
            Action(
                "Activar el Equipo de Respuesta Inmediata Obstétrica en todos los turnos",
                ("hospital",),
            ),
            Action(
                "Implementar la gestión centralizada de camas",
                ("hospital",),
                deliverables=("Reporte de egresos hospitalarios del sistema institucional",),
            ),
            Action(
                "Fortalecer la procuración de órganos y tejidos con fines de trasplante",
                ("hospital",),
                IndicatorSpec("Procuraciones de órganos y tejidos", "procuraciones", ("4", "20")),
            ),
            Action(
                "Reducir la lista de espera de pacientes para sesiones de hemodiálisis",
                ("hospital",),
                IndicatorSpec(
                    "Pacientes en lista de espera para hemodiálisis",
                    "pacientes",
                    ("15", "80"),
                    lower_is_better=True,
                ),
            ),
            Action(
                "Incrementar la aplicación de vacunas del esquema básico en menores de cinco años",
                ("umf",),
                pct(
                    "Cobertura de esquema básico de vacunación en menores de cinco años", "70", "88"
                ),
            ),
        ),
        qualifiers=(
            ", con un cumplimiento mínimo de {pct} % de las acciones programadas",
            ", con revisión de avances cada {k} semanas por el cuerpo de gobierno",
            ", con apego a las Guías de Práctica Clínica institucionales",
            ", con la participación de los jefes de servicio",
            ", con la supervisión de la Jefatura de Servicios de Prestaciones Médicas",
            ", dando prioridad a la población derechohabiente en situación de vulnerabilidad",
        ),
        deliverables=(
            "Reporte mensual de productividad del servicio",
            "Tablero de indicadores de atención médica con corte mensual",
            "Acta de la sesión del Comité de Calidad y Seguridad del Paciente",
        ),
        milestones=(
            "Diagnóstico situacional del servicio",
            "Programa de trabajo autorizado por la Jefatura de Prestaciones Médicas",
            "Capacitación del personal involucrado",
            "Implementación en el servicio",
            "Primera evaluación de resultados",
            "Evaluación final y ajustes al proceso",
        ),
    ),
    "TD": ThemeTexts(
        code="TD",
        weight=10,
        coordinations=("DPM-CUPN", "DPM-CUSN"),
        umae_coordinations=("DPM-CUMAE",),
        actions=(
            Action(
                "Reducir el tiempo de espera en Urgencias para la valoración inicial (triage)",
                ("urgencias",),
                IndicatorSpec(
                    "Tiempo de espera para la valoración inicial en Urgencias",
                    "minutos",
                    ("30", "120"),
                    lower_is_better=True,
                ),
                deliverables=("Reporte mensual de tiempos de espera del servicio de Urgencias",),
            ),
            Action(
                "Disminuir el tiempo de permanencia de los pacientes en Urgencias",
                ("urgencias",),
                IndicatorSpec(
                    "Horas de permanencia en Urgencias",
                    "horas",
                    ("8.0", "24.0"),
                    lower_is_better=True,
                    decimals=1,
                ),
                deliverables=("Reporte mensual de tiempos de espera del servicio de Urgencias",),
            ),
            Action(
                "Implementar el modelo de atención con calidez y trato digno al derechohabiente",
                ("umf", "hospital"),
            ),
            Action(
                "Elevar la satisfacción de los derechohabientes con la atención recibida",
                ("umf", "hospital"),
                pct("Índice de satisfacción del derechohabiente", "68", "85"),
            ),
            Action(
                "Atender en tiempo las quejas del buzón de atención al derechohabiente",
                ("admin",),
                IndicatorSpec(
                    "Días para la atención de quejas", "días", ("10", "30"), lower_is_better=True
                ),
                deliverables=(
                    "Informe de quejas atendidas del buzón de atención al derechohabiente",
                ),
            ),
            Action(
                "Garantizar el acompañamiento de un familiar en hospitalización pediátrica "
                "y obstétrica",
                ("hospital",),
            ),
            Action(
                "Habilitar módulos de orientación y atención al derechohabiente",
                ("umf", "hospital"),
            ),
            Action(
                "Reducir el tiempo de espera para la consulta de medicina familiar",
                ("umf",),
                IndicatorSpec(
                    "Minutos de espera para consulta de medicina familiar",
                    "minutos",
                    ("25", "60"),
                    lower_is_better=True,
                ),
            ),
            Action(
                "Mejorar la señalización y las salas de espera",
                ("umf", "hospital"),
                deliverables=("Informe fotográfico de las mejoras realizadas",),
            ),
            Action(
                "Capacitar al personal de contacto en atención con calidad y calidez",
                ("admin",),
                pct("Personal de contacto capacitado", "20", "50"),
                deliverables=("Listas de asistencia y constancias de capacitación",),
            ),
            Action(
                "Reducir las quejas por trato inadecuado",
                ("admin", "hospital"),
                IndicatorSpec(
                    "Quejas por trato inadecuado",
                    "quejas por 10,000 consultas",
                    ("2.0", "8.0"),
                    lower_is_better=True,
                    decimals=1,
                ),
            ),
            Action(
                "Establecer horarios fijos de informes médicos a familiares de pacientes "
                "hospitalizados",
                ("hospital",),
            ),
            Action(
                "Asegurar la entrega de la Carta de Derechos y Obligaciones al ingreso "
                "hospitalario",
                ("hospital",),
                pct("Pacientes que reciben la Carta de Derechos al ingreso", "40", "75"),
            ),
            Action(
                "Eliminar las filas de madrugada para la obtención de cita",
                ("umf",),
                IndicatorSpec(
                    "Derechohabientes formados antes de la apertura de la unidad",
                    "personas",
                    ("20", "90"),
                    lower_is_better=True,
                ),
            ),
        ),
        qualifiers=(
            ", con medición mensual mediante encuesta de salida",
            ", con la participación de la Coordinación de Atención y Orientación al "
            "Derechohabiente",
            ", con un cumplimiento mínimo de {pct} % en la supervisión mensual",
            ", con {k} recorridos de supervisión por mes del cuerpo de gobierno",
            ", dando prioridad a la población derechohabiente en situación de vulnerabilidad",
        ),
        deliverables=(
            "Resultados de la encuesta de satisfacción del derechohabiente",
            "Informe de supervisión del Cuerpo de Gobierno sobre trato digno",
        ),
        milestones=(
            "Medición basal de tiempos de espera y satisfacción",
            "Plan de mejora autorizado por el cuerpo de gobierno",
            "Capacitación del personal de contacto",
            "Adecuación de áreas de espera y señalización",
            "Medición intermedia",
            "Medición final y difusión de resultados",
        ),
    ),
    "ABA": ThemeTexts(
        code="ABA",
        weight=10,
        coordinations=("DA-CCA",),
        actions=(
            Action(
                "Garantizar el surtimiento completo de recetas",
                ("farmacia",),
                pct("Recetas surtidas al 100 %", "84", "95"),
            ),
            Action(
                "Reducir las claves de medicamento en desabasto",
                ("farmacia",),
                IndicatorSpec(
                    "Claves de medicamento en desabasto",
                    "claves",
                    ("10", "45"),
                    lower_is_better=True,
                ),
            ),
            Action(
                "Implementar la receta resurtible para pacientes con enfermedades crónicas",
                ("farmacia",),
                pct("Pacientes crónicos con receta resurtible", "18", "40"),
            ),
            Action(
                "Conciliar los inventarios físicos con el Sistema de Abasto Institucional (SAI)",
                ("farmacia",),
                deliverables=("Acta de conciliación de inventarios",),
            ),
            Action(
                "Establecer el mecanismo de redistribución de medicamentos entre unidades con "
                "sobreinventario y desabasto",
                ("farmacia",),
            ),
            Action(
                "Asegurar la cobertura de inventario de las claves de alta rotación",
                ("farmacia",),
                IndicatorSpec(
                    "Días de cobertura de inventario de claves de alta rotación",
                    "días",
                    ("8", "25"),
                ),
            ),
            Action(
                "Regularizar la entrega de material de curación a los servicios",
                ("farmacia",),
                pct("Pedidos de material de curación atendidos", "72", "90"),
            ),
            Action(
                "Reducir la caducidad de medicamentos en almacén",
                ("farmacia",),
                IndicatorSpec(
                    "Valor de medicamentos caducados",
                    "miles de pesos",
                    ("200", "1500"),
                    lower_is_better=True,
                ),
            ),
            Action(
                "Dar seguimiento puntual a las órdenes de reposición con los proveedores",
                ("farmacia",),
            ),
            Action(
                "Surtir las recetas pendientes en un plazo máximo de 24 horas",
                ("farmacia",),
                pct("Recetas pendientes surtidas en 24 horas", "50", "80"),
            ),
            Action(
                "Asegurar el abasto de medicamentos oncológicos",
                ("hospital",),
                pct("Surtimiento de claves oncológicas", "78", "94"),
            ),
            Action(
                "Garantizar el abasto de insumos para hemodiálisis y diálisis peritoneal",
                ("hospital", "farmacia"),
            ),
            Action(
                "Instalar el Comité Local de Abasto y sesionar de manera quincenal",
                ("admin",),
                deliverables=("Minuta del Comité Local de Abasto",),
            ),
        ),
        qualifiers=(
            ", manteniendo un nivel de surtimiento de recetas no menor a {pct} %",
            ", con conciliación semanal de existencias",
            ", con reporte semanal a la Coordinación de Control de Abasto",
            ", con revisión de las {k} claves de mayor demanda",
        ),
        deliverables=(
            "Reporte de surtimiento de recetas del SIAM",
            "Reporte de existencias del Sistema de Abasto Institucional (SAI)",
            "Informe de claves en desabasto y acciones de redistribución",
        ),
        milestones=(
            "Diagnóstico de claves críticas",
            "Conciliación de inventarios",
            "Programa de redistribución autorizado",
            "Regularización de órdenes de reposición",
            "Evaluación del nivel de surtimiento",
        ),
    ),
    "INF": ThemeTexts(
        code="INF",
        weight=10,
        coordinations=("DA-CII", "DA-CCSG"),
        actions=(
            Action(
                "Concluir la ampliación y remodelación del área de Urgencias",
                ("hospital",),
                project=True,
                deliverables=(
                    "Acta de entrega-recepción de la obra",
                    "Reporte fotográfico y bitácora de obra",
                    "Dictamen técnico de conclusión de los trabajos",
                ),
            ),
            Action(
                "Sustituir la impermeabilización y las instalaciones hidrosanitarias",
                ("umf", "hospital"),
                project=True,
            ),
            Action(
                "Dar seguimiento a la construcción del nuevo Hospital General de Zona",
                ("city",),
                project=True,
                ooad_only=True,
                deliverables=(
                    "Acta de entrega-recepción de la obra",
                    "Reporte fotográfico y bitácora de obra",
                    "Dictamen técnico de conclusión de los trabajos",
                ),
            ),
            Action(
                "Rehabilitar la casa de máquinas y los sistemas de aire acondicionado",
                ("hospital",),
                project=True,
            ),
            Action(
                "Atender las observaciones del dictamen de seguridad estructural",
                ("hospital", "umf"),
                project=True,
            ),
            Action(
                "Sustituir los elevadores fuera de servicio",
                ("hospital",),
                IndicatorSpec(
                    "Elevadores fuera de servicio", "elevadores", ("2", "8"), lower_is_better=True
                ),
            ),
            Action(
                "Habilitar camas censables adicionales",
                ("hospital",),
                IndicatorSpec("Camas censables en operación", "camas", ("90", "300")),
                deliverables=("Reporte de camas censables del sistema institucional",),
            ),
            Action(
                "Concluir la remodelación de las salas de quirófano", ("quirofano",), project=True
            ),
            Action(
                "Ejecutar el programa de conservación preventiva de inmuebles",
                ("hospital", "umf"),
                pct("Órdenes de mantenimiento preventivo atendidas", "50", "75"),
                deliverables=("Programa de conservación con órdenes de trabajo cerradas",),
            ),
            Action(
                "Regularizar la situación jurídica de los inmuebles",
                ("admin",),
                IndicatorSpec(
                    "Inmuebles con situación jurídica regularizada", "inmuebles", ("3", "15")
                ),
                ooad_only=True,
                deliverables=("Escrituras y constancias de regularización de los inmuebles",),
            ),
            Action(
                "Instalar sistemas fotovoltaicos para reducir el consumo de energía eléctrica",
                ("hospital", "umf"),
                project=True,
                deliverables=(
                    "Acta de entrega-recepción de la obra",
                    "Reporte fotográfico y bitácora de obra",
                    "Dictamen técnico de conclusión de los trabajos",
                ),
            ),
            Action(
                "Adecuar los accesos y sanitarios para personas con discapacidad",
                ("umf", "hospital"),
                project=True,
            ),
            Action(
                "Concluir la obra de la nueva Unidad de Medicina Familiar",
                ("city",),
                project=True,
                ooad_only=True,
                deliverables=(
                    "Acta de entrega-recepción de la obra",
                    "Reporte fotográfico y bitácora de obra",
                    "Dictamen técnico de conclusión de los trabajos",
                ),
            ),
        ),
        qualifiers=(
            ", conforme al programa de obra autorizado",
            ", con supervisión de la Coordinación de Infraestructura Inmobiliaria",
            ", con un avance no menor a {pct} % al cierre del ejercicio 2026",
            ", sin suspender la atención a los derechohabientes durante la obra",
        ),
        deliverables=(
            "Informe de avance físico-financiero",
            "Reporte fotográfico de los trabajos realizados",
            "Acta de entrega-recepción",
        ),
        milestones=(
            "Diagnóstico técnico del inmueble",
            "Proyecto ejecutivo autorizado",
            "Licitación y fallo de la obra",
            "Inicio de los trabajos",
            "Avance físico del 50 %",
            "Conclusión de los trabajos",
            "Acta de entrega-recepción",
        ),
    ),
    "PER": ThemeTexts(
        code="PER",
        weight=9,
        coordinations=("DA-UP", "DA-UOCC"),
        actions=(
            Action(
                "Cubrir las plazas vacantes de médicos especialistas",
                ("hospital",),
                IndicatorSpec(
                    "Plazas vacantes de médicos especialistas",
                    "plazas",
                    ("10", "60"),
                    lower_is_better=True,
                ),
                deliverables=("Reporte de plazas ocupadas y vacantes del sistema de nómina",),
            ),
            Action(
                "Completar la plantilla de enfermería",
                ("hospital", "umf"),
                pct("Cobertura de la plantilla de enfermería", "80", "92"),
                deliverables=("Reporte de plazas ocupadas y vacantes del sistema de nómina",),
            ),
            Action(
                "Contratar médicos familiares para el turno vespertino",
                ("umf",),
                IndicatorSpec(
                    "Consultorios de medicina familiar sin médico asignado",
                    "consultorios",
                    ("5", "25"),
                    lower_is_better=True,
                ),
                deliverables=("Reporte de plazas ocupadas y vacantes del sistema de nómina",),
            ),
            Action(
                "Reducir el ausentismo no programado del personal",
                ("admin",),
                pct("Ausentismo no programado", "5", "12", lower=True),
                deliverables=("Reporte de ausentismo del sistema de nómina",),
            ),
            Action(
                "Capacitar al personal de contacto en reanimación cardiopulmonar básica",
                ("hospital", "umf"),
                pct("Personal capacitado en reanimación cardiopulmonar", "25", "60"),
                deliverables=("Listas de asistencia y constancias de capacitación",),
            ),
            Action(
                "Reorganizar los roles de guardia para reducir el tiempo extraordinario",
                ("admin",),
                IndicatorSpec(
                    "Horas de tiempo extraordinario pagadas al mes",
                    "horas",
                    ("3000", "12000"),
                    lower_is_better=True,
                ),
            ),
            Action(
                "Incorporar a los médicos residentes egresados a plazas de especialista",
                ("hospital",),
            ),
            Action(
                "Regularizar la contratación del personal eventual en plazas de base",
                ("admin",),
            ),
            Action(
                "Aplicar el programa de incentivos para especialistas en zonas de difícil "
                "cobertura",
                ("hospital",),
                ooad_only=True,
            ),
            Action(
                "Actualizar las plantillas autorizadas y las descripciones de puestos",
                ("admin",),
            ),
            Action(
                "Implementar el programa de formación de médicos especialistas",
                ("hospital",),
            ),
        ),
        qualifiers=(
            ", conforme a la bolsa de trabajo institucional",
            ", con la validación de la Unidad de Personal",
            ", priorizando los turnos nocturno y de fin de semana",
            ", con un cumplimiento mínimo de {pct} % al primer corte trimestral",
        ),
        deliverables=(
            "Informe de movimientos de personal",
            "Plantilla autorizada actualizada",
        ),
        milestones=(
            "Diagnóstico de plantilla y vacantes",
            "Autorización de plazas por la Unidad de Personal",
            "Publicación de la convocatoria",
            "Selección y contratación",
            "Incorporación del personal a los servicios",
        ),
    ),
    "EQU": ThemeTexts(
        code="EQU",
        weight=9,
        coordinations=("DA-CAE", "DA-CABCS"),
        actions=(
            Action(
                "Sustituir los equipos de rayos X con más de diez años de uso",
                ("hospital", "umf"),
                project=True,
                deliverables=(
                    "Acta de instalación y puesta en marcha",
                    "Constancias de capacitación de los usuarios del equipo",
                ),
            ),
            Action(
                "Poner en operación el tomógrafo asignado",
                ("hospital",),
                project=True,
                deliverables=(
                    "Acta de instalación y puesta en marcha",
                    "Constancias de capacitación de los usuarios del equipo",
                ),
            ),
            Action(
                "Reducir el número de equipos médicos fuera de servicio",
                ("hospital",),
                IndicatorSpec(
                    "Equipos médicos fuera de servicio",
                    "equipos",
                    ("10", "60"),
                    lower_is_better=True,
                ),
                deliverables=("Reporte de órdenes de servicio de mantenimiento",),
            ),
            Action(
                "Garantizar el mantenimiento preventivo de los equipos de hemodiálisis",
                ("hospital",),
                pct("Equipos con mantenimiento preventivo al día", "50", "80"),
                deliverables=("Reporte de órdenes de servicio de mantenimiento",),
            ),
            Action(
                "Equipar los consultorios de medicina familiar con electrocardiógrafo y glucómetro",
                ("umf",),
                pct("Consultorios equipados", "40", "75"),
            ),
            Action(
                "Sustituir las camas hospitalarias con daño estructural por camas eléctricas",
                ("hospital",),
                IndicatorSpec(
                    "Camas hospitalarias sustituidas",
                    "camas",
                    ("0", "0"),
                    target=("20", "80"),
                ),
            ),
            Action(
                "Instalar los equipos de ultrasonido para el primer nivel de atención",
                ("umf",),
                project=True,
                deliverables=(
                    "Acta de instalación y puesta en marcha",
                    "Constancias de capacitación de los usuarios del equipo",
                ),
            ),
            Action(
                "Contratar el servicio integral de mantenimiento a equipo médico",
                ("admin",),
                project=True,
            ),
            Action("Renovar el parque de ambulancias de traslado", ("admin",), project=True),
            Action(
                "Reponer el instrumental quirúrgico",
                ("quirofano",),
            ),
            Action(
                "Dar de baja y desincorporar el equipo médico obsoleto",
                ("admin", "hospital"),
                IndicatorSpec(
                    "Equipos obsoletos pendientes de baja",
                    "equipos",
                    ("20", "120"),
                    lower_is_better=True,
                ),
                deliverables=("Actas de baja y desincorporación de bienes",),
            ),
            Action(
                "Poner en operación el equipo de resonancia magnética",
                ("hospital",),
                project=True,
                deliverables=(
                    "Acta de instalación y puesta en marcha",
                    "Constancias de capacitación de los usuarios del equipo",
                ),
            ),
        ),
        qualifiers=(
            ", conforme al Programa Anual de Adquisiciones",
            ", con la capacitación de los usuarios por parte del proveedor",
            ", en un plazo no mayor a {k} meses",
            ", verificando la instalación con el área de Conservación",
        ),
        deliverables=(
            "Inventario de equipo médico actualizado",
            "Acta de entrega-recepción",
        ),
        milestones=(
            "Validación de la necesidad y especificaciones técnicas",
            "Procedimiento de adquisición concluido",
            "Entrega del equipo en la unidad",
            "Instalación y pruebas de funcionamiento",
            "Capacitación de usuarios",
            "Puesta en operación",
        ),
    ),
    "DIG": ThemeTexts(
        code="DIG",
        weight=9,
        coordinations=("DIDT-CSDISA",),
        actions=(
            Action(
                "Implementar el expediente clínico electrónico",
                ("umf", "hospital"),
                pct("Consultorios con expediente clínico electrónico en uso", "40", "80"),
                deliverables=("Reporte de uso del expediente clínico electrónico",),
            ),
            Action(
                "Incrementar el uso de la cita médica digital en la App IMSS Digital",
                ("umf",),
                pct("Citas de medicina familiar agendadas por medios digitales", "15", "40"),
                deliverables=("Reporte de la App IMSS Digital con corte mensual",),
            ),
            Action(
                "Emitir de forma electrónica las incapacidades temporales para el trabajo",
                ("umf", "hospital"),
                pct("Incapacidades emitidas de forma electrónica", "60", "90"),
            ),
            Action(
                "Implementar la receta electrónica",
                ("farmacia", "umf"),
                pct("Recetas emitidas electrónicamente", "50", "85"),
            ),
            Action(
                "Renovar la infraestructura de red y telecomunicaciones",
                ("umf", "hospital"),
                project=True,
                deliverables=("Informe de conectividad de las unidades",),
            ),
            Action(
                "Implementar la teleconsulta de especialidad entre segundo y tercer nivel",
                ("hospital",),
                IndicatorSpec(
                    "Teleconsultas de especialidad otorgadas", "teleconsultas", ("50", "300")
                ),
            ),
            Action(
                "Migrar los sistemas de información hospitalaria a la plataforma institucional",
                ("hospital",),
                project=True,
            ),
            Action(
                "Sustituir los equipos de cómputo con más de cinco años de antigüedad",
                ("admin",),
                IndicatorSpec(
                    "Equipos de cómputo obsoletos en operación",
                    "equipos",
                    ("80", "400"),
                    lower_is_better=True,
                ),
                deliverables=("Inventario de equipo de cómputo actualizado",),
            ),
            Action(
                "Capacitar al personal de salud en el uso del expediente clínico electrónico",
                ("umf", "hospital"),
                pct("Personal de salud capacitado en el expediente electrónico", "30", "70"),
            ),
            Action(
                "Integrar los resultados de laboratorio e imagenología al expediente clínico "
                "electrónico",
                ("hospital",),
                project=True,
            ),
            Action("Implementar el tablero digital de gestión de camas", ("hospital",)),
            Action(
                "Habilitar la conectividad de internet de banda ancha",
                ("umf",),
                project=True,
                ooad_only=True,
            ),
        ),
        qualifiers=(
            ", con el acompañamiento técnico de la Coordinación de Servicios Digitales",
            ", hasta alcanzar {pct} % de las unidades programadas",
            ", con soporte técnico en sitio durante las primeras {k} semanas",
            ", conforme a los lineamientos de seguridad de la información institucionales",
        ),
        deliverables=(
            "Acta de puesta en operación",
            "Reporte de avance validado por la Coordinación de Servicios Digitales",
        ),
        milestones=(
            "Diagnóstico de infraestructura tecnológica",
            "Instalación de equipo y conectividad",
            "Configuración del sistema",
            "Capacitación de usuarios",
            "Arranque en operación",
            "Estabilización y cierre",
        ),
    ),
    "SF": ThemeTexts(
        code="SF",
        weight=9,
        coordinations=("DF-CPIP",),
        actions=(
            Action(
                "Incrementar la recaudación de cuotas obrero-patronales",
                ("cobranza",),
                IndicatorSpec(
                    "Recaudación mensual de cuotas obrero-patronales",
                    "millones de pesos",
                    ("300", "2500"),
                    change=("0.03", "0.10"),
                ),
                ooad_only=True,
                deliverables=(
                    "Reporte de recaudación del sistema institucional con corte mensual",
                ),
            ),
            Action(
                "Recuperar la cartera en mora de patrones omisos",
                ("cobranza",),
                pct("Cartera en mora recuperada", "15", "35"),
                ooad_only=True,
                deliverables=("Informe de cartera recuperada",),
            ),
            Action(
                "Reducir el gasto de operación en servicios subrogados",
                ("admin", "hospital"),
                IndicatorSpec(
                    "Gasto mensual en servicios subrogados",
                    "millones de pesos",
                    ("10.0", "80.0"),
                    lower_is_better=True,
                    decimals=1,
                ),
            ),
            Action(
                "Ejercer el presupuesto autorizado conforme al calendario",
                ("admin",),
                pct("Presupuesto ejercido conforme a calendario", "70", "88"),
                deliverables=("Estado del ejercicio presupuestal",),
            ),
            Action(
                "Recuperar los adeudos por la atención a personas no derechohabientes",
                ("admin", "hospital"),
                IndicatorSpec(
                    "Monto recuperado por atención a no derechohabientes",
                    "miles de pesos",
                    ("100", "900"),
                ),
            ),
            Action(
                "Reducir el consumo de energía eléctrica y agua",
                ("hospital",),
                IndicatorSpec(
                    "Consumo mensual de energía eléctrica",
                    "MWh",
                    ("150", "900"),
                    lower_is_better=True,
                    change=("0.05", "0.15"),
                ),
                deliverables=("Reporte de consumo de energía eléctrica y agua",),
            ),
            Action(
                "Intensificar los actos de fiscalización a patrones con omisiones",
                ("cobranza",),
                IndicatorSpec("Actos de fiscalización concluidos", "actos", ("30", "150")),
                ooad_only=True,
                deliverables=("Informe de actos de fiscalización concluidos",),
            ),
            Action(
                "Depurar los pasivos y las cuentas por pagar a proveedores",
                ("admin",),
            ),
            Action(
                "Reducir los días de incapacidad mediante la dictaminación oportuna",
                ("umf",),
                IndicatorSpec(
                    "Días de incapacidad promedio por caso",
                    "días",
                    ("20", "45"),
                    lower_is_better=True,
                ),
            ),
            Action(
                "Incorporar al régimen obligatorio a personas trabajadoras del hogar "
                "y de plataformas digitales",
                ("cobranza",),
                IndicatorSpec("Personas trabajadoras incorporadas", "personas", ("300", "1500")),
                ooad_only=True,
                deliverables=("Reporte de afiliación del sistema institucional",),
            ),
            Action(
                "Concluir la conciliación contable de las cuentas de balance",
                ("admin",),
                deliverables=("Conciliación contable firmada por el titular de Finanzas",),
            ),
        ),
        qualifiers=(
            ", con respecto al mismo periodo de 2025",
            ", con seguimiento mensual de la Jefatura de Servicios de Finanzas",
            ", conforme a las metas del Programa Institucional",
            ", con una meta de cumplimiento de {pct} %",
        ),
        deliverables=(
            "Informe financiero mensual validado por la Jefatura de Servicios de Finanzas",
            "Reporte de resultados con corte mensual",
        ),
        milestones=(
            "Diagnóstico financiero",
            "Programa de acciones autorizado",
            "Ejecución de las acciones del primer trimestre",
            "Conciliación de resultados",
            "Informe de cierre al área normativa",
        ),
    ),
    "PS": ThemeTexts(
        code="PS",
        weight=7,
        ooad_only=True,
        coordinations=("DPES-CBS",),
        actions=(
            Action(
                "Incrementar la inscripción a cursos y talleres de bienestar social",
                ("social",),
                IndicatorSpec(
                    "Personas inscritas en cursos y talleres", "personas", ("800", "3000")
                ),
            ),
            Action("Reactivar las instalaciones deportivas", ("social",), project=True),
            Action(
                "Implementar el programa de envejecimiento activo para personas jubiladas "
                "y pensionadas",
                ("social",),
                IndicatorSpec("Personas mayores participantes", "personas", ("200", "900")),
            ),
            Action("Ampliar la oferta de talleres de cultura física y deporte", ("social",)),
            Action(
                "Fortalecer con las empresas afiliadas el programa de Entornos Laborales Seguros "
                "y Saludables (ELSSA)",
                ("cobranza", "social"),
                IndicatorSpec("Empresas incorporadas a ELSSA", "empresas", ("20", "80")),
                deliverables=("Padrón de empresas incorporadas a ELSSA",),
            ),
            Action(
                "Impulsar el programa de prevención de adicciones y salud mental en jóvenes",
                ("social",),
            ),
            Action(
                "Llevar a cabo Jornadas de Bienestar en colonias de alta marginación",
                ("social",),
                IndicatorSpec("Jornadas de bienestar realizadas", "jornadas", ("4", "12")),
                deliverables=("Reporte fotográfico de las jornadas",),
            ),
            Action("Integrar el padrón único de usuarios de los servicios sociales", ("social",)),
            Action(
                "Incrementar la capacitación para el trabajo con valor curricular",
                ("social",),
                IndicatorSpec(
                    "Constancias de capacitación emitidas", "constancias", ("200", "800")
                ),
                deliverables=("Listas de asistencia y constancias emitidas",),
            ),
            Action(
                "Rehabilitar los espacios culturales y los auditorios",
                ("social",),
                project=True,
            ),
        ),
        qualifiers=(
            ", en coordinación con los gobiernos municipales",
            ", con difusión en las Unidades de Medicina Familiar",
            ", con al menos {k} actividades por mes",
            ", dirigido a la población derechohabiente y no derechohabiente",
            ", dando prioridad a la población derechohabiente en situación de vulnerabilidad",
        ),
        deliverables=(
            "Informe de actividades de los Centros de Seguridad Social",
            "Padrón de participantes",
        ),
        milestones=(
            "Diagnóstico de la oferta de servicios",
            "Programa anual de actividades autorizado",
            "Difusión e inscripción",
            "Ejecución de actividades",
            "Evaluación de resultados",
        ),
    ),
    "CECI": ThemeTexts(
        code="CECI",
        weight=6,
        ooad_only=True,
        coordinations=("DPES-UACI",),
        actions=(
            Action(
                "Concluir la obra civil del CECI",
                ("ceci",),
                project=True,
                deliverables=(
                    "Acta de entrega-recepción de la obra del CECI",
                    "Reporte fotográfico del avance de obra",
                ),
            ),
            Action(
                "Regularizar la donación del predio para la construcción del CECI",
                ("city",),
                project=True,
                deliverables=("Escritura o acuerdo de donación del predio",),
            ),
            Action(
                "Obtener las licencias de construcción y el dictamen de protección civil del CECI",
                ("ceci",),
                project=True,
                deliverables=("Licencia de construcción y dictamen de protección civil",),
            ),
            Action("Equipar y amueblar las salas del CECI", ("ceci",), project=True),
            Action(
                "Contratar y capacitar al personal educativo y de cuidado del CECI",
                ("ceci",),
                pct("Plantilla del CECI cubierta", "10", "50"),
            ),
            Action(
                "Iniciar la operación del CECI",
                ("ceci",),
                IndicatorSpec(
                    "Niñas y niños inscritos en el CECI",
                    "niñas y niños",
                    ("0", "0"),
                    target=("120", "320"),
                ),
                deliverables=("Padrón de niñas y niños inscritos",),
            ),
            Action(
                "Incrementar la ocupación de los lugares disponibles",
                ("guarderias",),
                pct("Ocupación de guarderías", "70", "88"),
                deliverables=("Informe de ocupación de guarderías",),
            ),
            Action(
                "Difundir entre las personas trabajadoras aseguradas la oferta de lugares del CECI",
                ("ceci",),
                IndicatorSpec("Solicitudes de inscripción recibidas", "solicitudes", ("50", "200")),
            ),
            Action(
                "Validar con la Unidad de Atención y Cuidado Infantil el proyecto ejecutivo "
                "del CECI",
                ("ceci",),
                project=True,
            ),
            Action(
                "Ampliar al turno vespertino el horario de atención del CECI",
                ("ceci",),
            ),
        ),
        qualifiers=(
            ", conforme al programa de obra autorizado",
            ", para iniciar operaciones en el ciclo escolar 2026-2027",
            ", con capacidad para atender a {k}0 niñas y niños por turno",
            ", con supervisión de la Unidad de Atención y Cuidado Infantil",
        ),
        deliverables=(
            "Informe de avance validado por la Unidad de Atención y Cuidado Infantil",
            "Reporte fotográfico de las acciones realizadas",
        ),
        milestones=(
            "Regularización del predio",
            "Proyecto ejecutivo validado por la UACI",
            "Licencia de construcción y dictamen de protección civil",
            "Contratación de la obra",
            "Conclusión de la obra civil",
            "Equipamiento y mobiliario de salas",
            "Inicio de operación del CECI",
        ),
    ),
    "SNTSS": ThemeTexts(
        code="SNTSS",
        weight=6,
        coordinations=("DA-UP",),
        actions=(
            Action(
                "Instalar el grupo local de trabajo IMSS–SNTSS sobre temas prioritarios",
                ("admin",),
                deliverables=("Acta de instalación del grupo local de trabajo",),
            ),
            Action(
                "Atender las solicitudes de cambio de adscripción y permuta del personal de base",
                ("admin",),
                IndicatorSpec(
                    "Solicitudes de cambio de adscripción pendientes",
                    "solicitudes",
                    ("20", "120"),
                    lower_is_better=True,
                ),
            ),
            Action(
                "Entregar la ropa y el calzado de trabajo del ejercicio 2026",
                ("admin",),
                pct("Trabajadores con ropa y calzado entregados", "30", "70"),
            ),
            Action(
                "Sesionar la Comisión Mixta de Seguridad e Higiene y atender sus recomendaciones",
                ("admin", "hospital"),
                deliverables=("Acta de la Comisión Mixta de Seguridad e Higiene",),
            ),
            Action(
                "Cubrir las plazas de base vacantes conforme a la bolsa de trabajo bilateral",
                ("admin",),
                IndicatorSpec(
                    "Plazas de base vacantes", "plazas", ("20", "150"), lower_is_better=True
                ),
            ),
            Action(
                "Concluir el programa de capacitación bilateral IMSS–SNTSS",
                ("admin",),
                pct("Trabajadores capacitados en el programa bilateral", "20", "60"),
            ),
            Action(
                "Dar cumplimiento a los acuerdos de la mesa bilateral sobre condiciones de trabajo",
                ("admin",),
            ),
            Action(
                "Regularizar el pago de prestaciones contractuales pendientes",
                ("admin",),
            ),
            Action(
                "Mejorar las áreas de descanso y los comedores del personal",
                ("hospital", "umf"),
                project=True,
            ),
        ),
        qualifiers=(
            ", con la participación de la representación sindical local",
            ", conforme al Contrato Colectivo de Trabajo vigente",
            ", con sesiones bilaterales cada {k} semanas",
            ", con minuta firmada por ambas representaciones",
        ),
        deliverables=(
            "Minuta bilateral IMSS–SNTSS firmada",
            "Informe de atención de los acuerdos bilaterales",
        ),
        milestones=(
            "Instalación de la mesa bilateral",
            "Diagnóstico conjunto de pendientes",
            "Programa de atención acordado",
            "Seguimiento bilateral intermedio",
            "Cierre de pendientes y minuta final",
        ),
    ),
}
