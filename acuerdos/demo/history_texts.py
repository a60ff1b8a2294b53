"""The vocabulary of the demo progress history: what enlaces write in a reporte de avance, what
validators answer, why dates move and why commitments are cancelled.

A narrative is assembled from parts — an activity of the period, a sentence with the reported
value, a next step and, for commitments that lag, an obstacle — so that every report reads like
the ones units send today by e-mail. Everything here is plain data; `history.py` draws from it.

Templates may use `{date}` (the report's as-of date, long form), `{due}`, `{new_due}`,
`{month}` (a month name) and `{deliverable}` (the agreement's deliverable, lower-cased).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """A kind of evidence file: its file-name stem, its title and whether it is a PDF or a
    photograph (PNG)."""

    slug: str
    title: str
    kind: str = "pdf"


@dataclass(frozen=True)
class ThemeHistory:
    """What the reports of one línea de acción talk about."""

    activities: tuple[str, ...]
    next_steps: tuple[str, ...]
    obstacles: tuple[str, ...]
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class Observation:
    """A validator's observation when returning a report, the document that answers it (None:
    the answer only corrects the report) and the target kinds it fits (empty: any)."""

    text: str
    remedy: Document | None = None
    kinds: tuple[str, ...] = ()


GENERIC_DOCUMENTS: tuple[Document, ...] = (
    Document("informe_mensual_avance", "Informe mensual de avance"),
    Document("oficio_remision_avance", "Oficio de remisión del reporte de avance"),
    Document("minuta_cuerpo_gobierno", "Minuta de la sesión del Cuerpo de Gobierno"),
    Document("programa_trabajo_actualizado", "Programa de trabajo actualizado"),
)

THEMES: dict[str, ThemeHistory] = {
    "AM": ThemeHistory(
        activities=(
            "Se realizaron jornadas quirúrgicas de fin de semana para abatir la lista de espera",
            "Se amplió el horario de consulta externa en el turno vespertino",
            "Se reasignaron consultorios para la atención de la demanda de especialidad",
            "Se revisó la agenda de citas con los jefes de servicio y se depuraron duplicados",
            "Se llevó a cabo la sesión mensual del Comité de Calidad y Seguridad del Paciente",
            "Se capacitó al personal médico en las Guías de Práctica Clínica aplicables",
            "Se dio seguimiento a los pacientes referidos con el sistema de referencia y "
            "contrarreferencia",
            "Se conciliaron los registros del servicio con el sistema institucional de egresos",
        ),
        next_steps=(
            "En el siguiente periodo se evaluará la productividad por servicio",
            "Se programará una nueva jornada quirúrgica el próximo mes",
            "Se presentarán los resultados al Cuerpo de Gobierno de la unidad",
            "Se dará seguimiento semanal a la lista de espera con los jefes de servicio",
        ),
        obstacles=(
            "la falta de médicos especialistas en el turno vespertino",
            "el cierre temporal de una sala de quirófano por mantenimiento",
            "el incremento de la demanda por la temporada de enfermedades respiratorias",
            "la rotación de residentes en los servicios troncales",
        ),
        documents=(
            Document("reporte_productividad_servicio", "Reporte de productividad del servicio"),
            Document("tablero_indicadores_atencion", "Tablero de indicadores de atención médica"),
            Document("acta_comite_calidad", "Acta del Comité de Calidad y Seguridad del Paciente"),
            Document("lista_espera_quirurgica", "Informe de la lista de espera quirúrgica"),
            Document("foto_jornada_quirurgica", "Jornada quirúrgica de fin de semana", "png"),
        ),
    ),
    "TD": ThemeHistory(
        activities=(
            "Se instalaron módulos de orientación al derechohabiente en las salas de espera",
            "Se atendieron las quejas del buzón y se dio respuesta a cada derechohabiente",
            "Se aplicó la encuesta de satisfacción en consulta externa y hospitalización",
            "Se impartió el curso de atención con calidez al personal de contacto",
            "Se rehabilitaron las salas de espera del servicio de Urgencias",
            "Se implementó el triage con tiempos de espera visibles para los familiares",
            "Se reforzó la señalización de las áreas de atención al público",
        ),
        next_steps=(
            "El próximo mes se aplicará de nuevo la encuesta de satisfacción",
            "Se dará seguimiento a las quejas pendientes de respuesta",
            "Se extenderá el modelo a las unidades restantes",
            "Se presentarán los resultados de la encuesta al Cuerpo de Gobierno",
        ),
        obstacles=(
            "la rotación del personal de contacto capacitado",
            "el retraso en la entrega de mobiliario para las salas de espera",
            "la saturación del servicio de Urgencias en fines de semana",
        ),
        documents=(
            Document("informe_quejas_buzon", "Informe de quejas atendidas del buzón"),
            Document(
                "resultados_encuesta_satisfaccion", "Resultados de la encuesta de satisfacción"
            ),
            Document("listas_asistencia_capacitacion", "Listas de asistencia a la capacitación"),
            Document("foto_sala_espera", "Sala de espera rehabilitada", "png"),
            Document("foto_modulo_orientacion", "Módulo de orientación al derechohabiente", "png"),
        ),
    ),
    "ABA": ThemeHistory(
        activities=(
            "Se concilió el inventario de medicamentos con el Sistema de Abasto Institucional",
            "Se redistribuyeron claves con existencia excedente entre las unidades",
            "Se regularizaron las órdenes de reposición de las claves de mayor demanda",
            "Se revisaron diariamente las claves en desabasto con la farmacia de la unidad",
            "Se dio seguimiento con los proveedores a las entregas pendientes",
            "Se validó el consumo promedio mensual para el cálculo de necesidades",
        ),
        next_steps=(
            "Se mantendrá la conciliación semanal de existencias",
            "Se dará seguimiento a las entregas comprometidas por los proveedores",
            "Se revisará el nivel de surtimiento de recetas al cierre del mes",
        ),
        obstacles=(
            "el incumplimiento de entregas por parte de los proveedores",
            "el desabasto nacional de algunas claves del cuadro básico",
            "el retraso en la distribución desde el almacén delegacional",
        ),
        documents=(
            Document("reporte_surtimiento_recetas", "Reporte de surtimiento de recetas"),
            Document("reporte_existencias_sai", "Reporte de existencias del SAI"),
            Document("informe_claves_desabasto", "Informe de claves en desabasto"),
            Document("foto_almacen_farmacia", "Almacén de la farmacia de la unidad", "png"),
        ),
    ),
    "INF": ThemeHistory(
        activities=(
            "Se concluyó la demolición y limpieza del área a intervenir",
            "Se realizaron los trabajos de cimentación y estructura conforme al programa de obra",
            "Se llevaron a cabo las instalaciones eléctricas e hidrosanitarias",
            "Se aplicaron los acabados en las áreas de hospitalización",
            "Se realizó la visita de supervisión de obra con la residencia",
            "Se integró el expediente técnico de la obra",
            "Se concluyó el proceso de licitación y se firmó el contrato de obra",
            "Se sustituyeron los equipos de aire acondicionado de las áreas críticas",
        ),
        next_steps=(
            "El siguiente mes se concluirán las instalaciones especiales",
            "Se programará la entrega-recepción de la obra con la residencia",
            "Se solicitará la visita de verificación de la Coordinación de Infraestructura",
            "Continuarán los trabajos de acabados y limpieza final",
        ),
        obstacles=(
            "el retraso del contratista en el suministro de materiales",
            "las lluvias atípicas de la temporada, que detuvieron los trabajos exteriores",
            "la falta de suficiencia presupuestal para el convenio modificatorio",
            "la declaración de desierta de la primera licitación",
        ),
        documents=(
            Document("acta_entrega_recepcion", "Acta de entrega-recepción"),
            Document("bitacora_obra", "Bitácora de obra"),
            Document("reporte_avance_fisico_financiero", "Reporte de avance físico-financiero"),
            Document("foto_obra_avance", "Avance de obra", "png"),
            Document("foto_fachada_unidad", "Fachada de la unidad intervenida", "png"),
        ),
    ),
    "PER": ThemeHistory(
        activities=(
            "Se publicaron las plazas vacantes en la bolsa de trabajo institucional",
            "Se realizaron las entrevistas y la integración de expedientes de los candidatos",
            "Se contrataron médicos especialistas para cubrir el turno vespertino",
            "Se impartió el programa de capacitación al personal de nuevo ingreso",
            "Se concilió la plantilla autorizada con la ocupada",
            "Se cubrieron las suplencias por vacaciones y licencias del periodo",
        ),
        next_steps=(
            "Se dará seguimiento a las plazas que siguen vacantes",
            "Se programará una nueva convocatoria de contratación",
            "Se evaluará la cobertura de turnos al cierre del mes",
        ),
        obstacles=(
            "la falta de candidatos para plazas de médico especialista en la zona",
            "el tiempo de autorización de las plazas por el nivel central",
            "la rotación del personal contratado en plazas de difícil cobertura",
        ),
        documents=(
            Document("reporte_plantilla_ocupada", "Reporte de plantilla ocupada"),
            Document("constancias_capacitacion", "Constancias de capacitación"),
            Document("relacion_contrataciones", "Relación de contrataciones del periodo"),
        ),
    ),
    "EQU": ThemeHistory(
        activities=(
            "Se recibió e instaló el equipo médico adquirido",
            "Se capacitó al personal usuario en la operación del equipo",
            "Se formalizó el contrato de mantenimiento preventivo y correctivo",
            "Se realizaron las pruebas de funcionamiento con el proveedor",
            "Se dio de alta el equipo en el inventario de activo fijo",
            "Se concluyó el estudio de mercado y la investigación de precios",
        ),
        next_steps=(
            "Se programará la puesta en operación del equipo",
            "Se dará seguimiento a la entrega de los equipos pendientes",
            "Se integrará el expediente de la adquisición",
        ),
        obstacles=(
            "el retraso del proveedor en la entrega del equipo",
            "la falta de adecuaciones eléctricas en el área de instalación",
            "la reprogramación del procedimiento de adquisición",
        ),
        documents=(
            Document("acta_entrega_recepcion_equipo", "Acta de entrega-recepción del equipo"),
            Document("constancia_capacitacion_usuarios", "Constancia de capacitación a usuarios"),
            Document("alta_activo_fijo", "Alta del equipo en el inventario de activo fijo"),
            Document("foto_equipo_instalado", "Equipo instalado en el servicio", "png"),
        ),
    ),
    "DIG": ThemeHistory(
        activities=(
            "Se habilitó la cita digital en las unidades participantes",
            "Se capacitó al personal en el uso del expediente clínico electrónico",
            "Se instalaron equipos de cómputo y se actualizó la red de datos",
            "Se difundió entre los derechohabientes el uso de la aplicación IMSS Digital",
            "Se migraron los registros del sistema anterior a la nueva plataforma",
            "Se realizaron pruebas de conectividad en los consultorios",
        ),
        next_steps=(
            "Se extenderá la herramienta a las unidades restantes",
            "Se dará seguimiento a las incidencias reportadas a la mesa de ayuda",
            "Se medirá el uso de la cita digital al cierre del mes",
        ),
        obstacles=(
            "la falta de conectividad en las unidades del ámbito rural",
            "el retraso en la entrega de equipos de cómputo",
            "las incidencias de la plataforma durante su estabilización",
        ),
        documents=(
            Document("reporte_uso_plataforma", "Reporte de uso de la plataforma"),
            Document(
                "reporte_incidencias_mesa_ayuda", "Reporte de incidencias de la mesa de ayuda"
            ),
            Document("captura_pantalla_sistema", "Captura de pantalla del sistema", "png"),
        ),
    ),
    "SF": ThemeHistory(
        activities=(
            "Se realizaron acciones de cobranza a los patrones con adeudos",
            "Se notificaron los requerimientos de pago del periodo",
            "Se conciliaron los ingresos con la Tesorería",
            "Se revisó el ejercicio del presupuesto autorizado por partida",
            "Se depuraron los créditos fiscales incobrables",
            "Se realizaron visitas domiciliarias de verificación",
        ),
        next_steps=(
            "Se dará seguimiento a los convenios de pago vigentes",
            "Se programarán nuevas diligencias de cobro",
            "Se presentará el informe de ingresos al cierre del mes",
        ),
        obstacles=(
            "el número de patrones no localizados en los domicilios registrados",
            "la interposición de medios de defensa por parte de los patrones",
            "la falta de personal notificador en la subdelegación",
        ),
        documents=(
            Document("reporte_recaudacion", "Reporte de recaudación"),
            Document("informe_ejercicio_presupuestal", "Informe del ejercicio presupuestal"),
            Document("relacion_creditos_cobrados", "Relación de créditos cobrados"),
        ),
    ),
    "PS": ThemeHistory(
        activities=(
            "Se impartieron los cursos y talleres del programa de bienestar social",
            "Se realizaron jornadas de promoción de la salud en la comunidad",
            "Se rehabilitaron espacios del centro de seguridad social",
            "Se inscribieron derechohabientes en las actividades deportivas y culturales",
            "Se realizó la feria de la salud con la participación de las unidades médicas",
        ),
        next_steps=(
            "Se ampliará la oferta de cursos para el próximo periodo",
            "Se dará seguimiento a la asistencia de los participantes",
            "Se presentará el informe de actividades al área normativa",
        ),
        obstacles=(
            "la baja inscripción en los cursos del turno matutino",
            "el retraso en los trabajos de rehabilitación del centro",
        ),
        documents=(
            Document("informe_actividades_centro", "Informe de actividades del centro"),
            Document("listas_asistencia_talleres", "Listas de asistencia a los talleres"),
            Document("foto_taller_bienestar", "Taller del programa de bienestar", "png"),
        ),
    ),
    "CECI": ThemeHistory(
        activities=(
            "Se concluyó la adecuación de las salas de atención infantil",
            "Se capacitó al personal educativo en protección civil",
            "Se realizó el simulacro de evacuación con el personal y los menores",
            "Se atendieron las observaciones de la visita de supervisión",
            "Se actualizó el programa interno de protección civil",
        ),
        next_steps=(
            "Se programará la siguiente visita de supervisión",
            "Se dará seguimiento a las inscripciones de la lista de espera",
        ),
        obstacles=(
            "el retraso en la validación del programa interno de protección civil",
            "la falta de personal educativo para la apertura de salas",
        ),
        documents=(
            Document("acta_simulacro", "Acta del simulacro de evacuación"),
            Document("programa_proteccion_civil", "Programa interno de protección civil"),
            Document("foto_sala_ceci", "Sala de atención del CECI", "png"),
        ),
    ),
    "SNTSS": ThemeHistory(
        activities=(
            "Se celebró la sesión del Grupo Local de Trabajo IMSS–SNTSS",
            "Se atendieron los planteamientos de la representación sindical",
            "Se revisaron las condiciones de trabajo en los servicios señalados",
            "Se integraron las comisiones mixtas de seguridad e higiene",
        ),
        next_steps=(
            "Se dará seguimiento a los acuerdos en la próxima sesión del grupo",
            "Se presentará el avance a la representación sindical",
        ),
        obstacles=(
            "la reprogramación de la sesión del grupo de trabajo",
            "la falta de quórum en la comisión mixta",
        ),
        documents=(
            Document("minuta_grupo_trabajo", "Minuta del Grupo Local de Trabajo IMSS–SNTSS"),
            Document("acta_comision_mixta", "Acta de la comisión mixta"),
        ),
    ),
}

# --- What a report says about its value -----------------------------------------------------

PERCENT_SENTENCES: tuple[str, ...] = (
    "Con corte al {date} el avance es de {value} %.",
    "Al {date} se registra un avance de {value} % respecto de lo programado.",
    "El avance acumulado al {date} es de {value} %.",
)
INDICATOR_SENTENCES: tuple[str, ...] = (
    "Al {date} el indicador «{name}» se ubica en {value} {unit} (línea base {baseline}, "
    "meta {target}).",
    "El indicador «{name}» registró {value} {unit} con corte al {date}; la meta es {target}.",
)
MILESTONE_DONE_SENTENCES: tuple[str, ...] = (
    "En el periodo se concluyó el hito «{milestone}»; suman {done} de {total} hitos cumplidos.",
    "Se cumplió el hito «{milestone}» ({done} de {total} hitos).",
)
MILESTONE_PENDING_SENTENCES: tuple[str, ...] = (
    "Continúan los trabajos del hito «{milestone}»; suman {done} de {total} hitos cumplidos.",
    "No se concluyeron hitos en el periodo; el siguiente es «{milestone}».",
)
MILESTONE_FIRST_SENTENCES: tuple[str, ...] = (
    "Continúan los trabajos del primer hito, «{milestone}».",
    "Aún no se concluye ningún hito; el primero es «{milestone}».",
)
FINAL_SENTENCES: tuple[str, ...] = (
    "Con este reporte se da por cumplido el compromiso; se adjunta {deliverable}.",
    "Se concluye el compromiso y se anexa {deliverable} como evidencia.",
    "Queda atendido el compromiso; se remite {deliverable}.",
)
OBSTACLE_SENTENCES: tuple[str, ...] = (
    "El avance se ha visto afectado por {obstacle}.",
    "Persiste el rezago a causa de {obstacle}.",
    "No se alcanzó lo programado por {obstacle}.",
)
ANSWER_OPENINGS: tuple[str, ...] = (
    "Se atienden las observaciones del área normativa.",
    "En atención a las observaciones, se remite de nuevo el reporte con la evidencia completa.",
    "Se solventan las observaciones formuladas al reporte anterior.",
)

# --- What validators answer ---------------------------------------------------------------

OBSERVATIONS: tuple[Observation, ...] = (
    Observation(
        "Falta el acta de entrega-recepción firmada por las partes.",
        Document("acta_entrega_recepcion_firmada", "Acta de entrega-recepción firmada"),
    ),
    Observation("La evidencia no corresponde al periodo reportado; adjunte la del mes."),
    Observation(
        "El porcentaje reportado no coincide con el programa de trabajo; corrija el cálculo.",
        kinds=("percent",),
    ),
    Observation(
        "La cifra del indicador no coincide con el reporte del sistema institucional; "
        "verifique el cálculo.",
        kinds=("indicator",),
    ),
    Observation(
        "El hito reportado como concluido no cuenta con evidencia de cierre.",
        Document("evidencia_cierre_hito", "Evidencia de cierre del hito"),
        kinds=("milestones",),
    ),
    Observation(
        "La minuta no está firmada por el titular; remita la versión firmada.",
        Document("minuta_firmada_titular", "Minuta firmada por el titular"),
    ),
    Observation("El archivo adjunto es ilegible; envíe un documento escaneado con mejor calidad."),
    Observation(
        "No se adjuntó el reporte del sistema institucional que soporte la cifra.",
        Document("reporte_sistema_institucional", "Reporte del sistema institucional"),
    ),
    Observation("La descripción del avance no indica qué unidades participaron; complétela."),
    Observation(
        "Falta la relación de unidades con su avance individual.",
        Document("relacion_avance_por_unidad", "Relación de avance por unidad"),
    ),
    Observation(
        "Adjunte la evidencia fotográfica de los trabajos realizados.",
        Document("evidencia_fotografica", "Evidencia fotográfica de los trabajos", "png"),
    ),
    Observation(
        "El oficio no tiene número ni fecha; remita el oficio formal de la unidad.",
        Document("oficio_formal_unidad", "Oficio formal de la unidad"),
    ),
)
REJECTION_REASONS: tuple[str, ...] = (
    "El reporte duplica el avance del periodo anterior sin información nueva.",
    "La evidencia corresponde a otro compromiso de la unidad.",
    "El reporte se envió sobre el compromiso equivocado; repórtelo en el que corresponde.",
    "El avance reportado no está soportado por ninguna evidencia verificable.",
)
VALIDATION_REMARKS: tuple[str, ...] = (
    "Sin observaciones.",
    "Se valida el avance reportado.",
    "Evidencia suficiente.",
)

# --- Reprogramaciones, cancellations --------------------------------------------------------

EXTENSION_JUSTIFICATIONS: tuple[str, ...] = (
    "Se solicita reprogramar la fecha compromiso al {new_due} debido a {obstacle}.",
    "Por {obstacle}, no será posible concluir al {due}; se propone como nueva fecha el {new_due}.",
    "Derivado de {obstacle}, se requiere ampliar el plazo al {new_due} para concluir con "
    "{deliverable}.",
)
LATE_EXTENSION_JUSTIFICATIONS: tuple[str, ...] = (
    "El compromiso venció el {due}; por {obstacle} se solicita como nueva fecha el {new_due}.",
    "Se solicita de manera extemporánea reprogramar al {new_due}, debido a {obstacle}.",
)
APPROVAL_COMMENTS: tuple[str, ...] = (
    "",
    "",
    "Se autoriza por única ocasión.",
    "Se autoriza; no habrá una nueva prórroga.",
    "Procede conforme a la justificación presentada.",
)
LATE_DENIAL = "La solicitud se presentó después de la fecha compromiso."
DENIAL_COMMENTS: tuple[str, ...] = (
    "La justificación no acredita causas ajenas a la unidad.",
    "El compromiso es prioritario y no admite prórroga; concluya con los recursos disponibles.",
    "No se anexó el programa de trabajo con la nueva fecha propuesta.",
)
CANCELLATION_REASONS: tuple[str, ...] = (
    "El compromiso quedó sin materia al reasignarse el proyecto a otra unidad.",
    "Se atiende con un acuerdo nacional de la Dirección normativa; se cancela para no "
    "duplicar el seguimiento.",
    "La obra fue reprogramada al ejercicio 2027 por falta de suficiencia presupuestal.",
    "El compromiso se fusionó con otro acuerdo de la misma reunión.",
    "Cambió la normatividad que dio origen al compromiso.",
)

# --- Comment threads (enlace ↔ área normativa) ----------------------------------------------

# Each thread is a sequence of (speaker, text); the speaker is `unit` (the enlace or the titular)
# or `area` (the validator or the coordination).
THREADS_AFTER_RETURN: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        (
            "unit",
            "¿El acta debe venir firmada también por el proveedor o basta con la firma del "
            "titular?",
        ),
        ("area", "Debe venir firmada por ambas partes y con sello de la unidad."),
        ("unit", "Entendido, la enviaremos firmada en el nuevo reporte."),
    ),
    (
        ("unit", "Adjuntamos la evidencia del mes; ¿es suficiente con el reporte del sistema?"),
        ("area", "Sí, siempre que el reporte tenga la fecha de corte del periodo reportado."),
    ),
    (
        (
            "area",
            "Les recordamos que las observaciones deben atenderse en un plazo de cinco días "
            "hábiles.",
        ),
        ("unit", "Enterados; hoy se remite el reporte corregido."),
    ),
)
THREADS_GENERAL: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("area", "¿Podrían precisar cuántas unidades ya aplican la estrategia?"),
        (
            "unit",
            "A la fecha son todas las unidades programadas; en el siguiente reporte se "
            "anexa la relación.",
        ),
    ),
    (
        (
            "unit",
            "Informamos que {obstacle_cap} podría retrasar el cumplimiento; lo "
            "reportaremos en el siguiente corte.",
        ),
        (
            "area",
            "Gracias por el aviso. Si se prevé no cumplir al {due}, soliciten la "
            "reprogramación con tiempo.",
        ),
    ),
    (
        ("area", "Favor de confirmar que {deliverable} quedará listo para el {due}."),
        ("unit", "Confirmamos; se encuentra en revisión del titular."),
    ),
    (
        ("unit", "Compartimos que el Cuerpo de Gobierno aprobó el programa de trabajo."),
        ("area", "Enterados. Anexen la minuta en el próximo reporte."),
    ),
)
THREADS_OVERDUE: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        (
            "area",
            "El compromiso venció el {due} y no tenemos reporte reciente; favor de "
            "informar el avance.",
        ),
        ("unit", "Se concluyen los trabajos pendientes; en este mes enviaremos el reporte."),
    ),
    (
        (
            "area",
            "Favor de indicar la fecha estimada de cumplimiento; el compromiso está "
            "vencido desde el {due}.",
        ),
        ("unit", "Estimamos concluir en {month}; persiste {obstacle}."),
        ("area", "Consideren solicitar la reprogramación con la justificación correspondiente."),
    ),
)
THREADS_BEFORE_CANCELLATION: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        (
            "unit",
            "Solicitamos valorar la cancelación del compromiso: ya no es posible "
            "atenderlo en los términos acordados.",
        ),
        ("area", "Se turna la solicitud a la Coordinación para su valoración."),
    ),
)
