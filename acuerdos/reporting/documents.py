"""Rendering an informe: the HTML of its PDF (template + print CSS, drawn by WeasyPrint) and
its XLSX (XlsxWriter). Pure functions of a `ReportContent`; storing is done by the services.

The charts are `acuerdos.evaluation.charts`, the same SVG code as the dashboards, and every
number is written as the dashboards write it (`percent_text`, `count_text`).
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone

from acuerdos.core.dates import long_date
from acuerdos.core.exports import neutralise
from acuerdos.evaluation.charts import (
    count_text,
    level_gauge,
    month_label,
    percent_text,
    semaforo_bar,
    trend_lines,
)
from acuerdos.evaluation.rules import (
    SEMAFORO,
    STATUS_LABELS,
    STATUS_ORDER,
    Status,
    level_colour,
    shown,
)
from acuerdos.reporting.models import Audience
from acuerdos.reporting.selectors import CommitmentLine, ReportContent

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "reporting" / "print.css"
LIST_LIMIT = {Audience.UNIT: 10_000, Audience.AREA: 40, Audience.REGION: 40, Audience.NATION: 30}
"""How many overdue / at-risk rows the PDF lists per audience (the XLSX lists them all)."""
TOC_FROM_ROWS = 60
STATUS_PLURAL = {
    Status.ON_TRACK: "Compromisos en tiempo",
    Status.AT_RISK: "Compromisos en riesgo",
    Status.OVERDUE: "Compromisos vencidos",
    Status.FULFILLED: "Compromisos cumplidos",
    Status.CANCELLED: "Compromisos cancelados",
}
TITLES = {
    Audience.UNIT: "Informe de cumplimiento de la unidad",
    Audience.AREA: "Informe del área normativa",
    Audience.REGION: "Informe regional de cumplimiento",
    Audience.NATION: "Resumen ejecutivo nacional",
}
KICKERS = {
    Audience.UNIT: "Informe periódico · Unidad responsable",
    Audience.AREA: "Informe periódico · Área normativa",
    Audience.REGION: "Informe periódico · Región",
    Audience.NATION: "Informe periódico · Nacional",
}
BREAKDOWN_HEAD = {
    Audience.UNIT: "Línea de acción",
    Audience.AREA: "Unidad responsable",
    Audience.REGION: "Unidad responsable",
    Audience.NATION: "Región",
}
DEFINITIONS = (
    "Nivel de cumplimiento: compromisos cumplidos entre los vencidos o cumplidos a la fecha. "
    "Avance promedio: avance validado ponderado por el peso de cada compromiso. Oportunidad del "
    "reporte: compromisos abiertos con un reporte enviado en los últimos 30 días. "
    "Verde ≥ 90 %, amarillo ≥ 70 %, rojo debajo; n/a cuando no hay compromisos que evaluar."
)


def short_date(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"


def _clip(text: str, limit: int = 150) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _level_cell(value: Any) -> tuple[str, str]:
    return percent_text(value), f"lvl-{level_colour(value)}"


def _line_row(line: CommitmentLine) -> dict[str, str]:
    return {
        "folio": line.folio,
        "unit": line.unit_name,
        "text": _clip(line.agreement, 120),
        "due": short_date(line.due_date),
        "days": count_text(line.overdue_days),
        "progress": percent_text(line.progress),
        "expected": percent_text(line.expected),
    }


def html_context(content: ReportContent) -> dict[str, Any]:
    """What the template shows, every number already written as people read it."""
    kind = Audience(content.audience.kind)
    figures = content.overall.figures if content.overall else None
    chart_prefix = f"{kind.value}-{content.audience.key or 0}"
    levels = [
        (
            "Nivel de cumplimiento",
            figures.compliance_level if figures else None,
            "Cumplidos ÷ vencidos o cumplidos",
        ),
        ("Avance promedio", figures.average_progress if figures else None, "Ponderado por peso"),
        (
            "Oportunidad del reporte",
            figures.timeliness if figures else None,
            "Reportes en los últimos 30 días",
        ),
    ]
    counts = figures.counts if figures else dict.fromkeys(STATUS_ORDER, 0)
    limit = LIST_LIMIT[kind]
    overdue, at_risk = content.overdue, content.at_risk
    sections = [
        ("resumen", "Resumen de cumplimiento"),
        ("tendencia", "Tendencia en los cortes cerrados"),
    ]
    if content.breakdown:
        sections.append(("desglose", content.breakdown_title))
    sections += [
        ("vencidos", "Compromisos vencidos"),
        ("riesgo", "Compromisos en riesgo"),
        ("validaciones", "Validaciones pendientes"),
        ("reprogramaciones", "Reprogramaciones otorgadas en el periodo"),
    ]
    long_doc = (
        len(overdue[:limit])
        + len(at_risk[:limit])
        + len(content.breakdown)
        + len(content.extensions)
        >= TOC_FROM_ROWS
    )
    period = (
        f"Del {long_date(content.previous_cutoff + dt.timedelta(days=1))} al "
        f"{long_date(content.cutoff.date)}."
        if content.previous_cutoff
        else f"Hasta el {long_date(content.cutoff.date)} (primer corte cerrado)."
    )
    pending = content.pending
    return {
        "doc": {
            "title": TITLES[kind],
            "kicker": KICKERS[kind],
            "audience_name": content.audience.name
            if kind == Audience.NATION
            else f"{content.audience.name} ({content.audience.code})",
            "cutoff_label": f"con corte al {long_date(content.cutoff.date)}",
            "meta": (
                f"{count_text(figures.total if figures else 0)} compromisos evaluados · cifras del "
                f"corte cerrado, que no cambian con reportes posteriores."
            ),
            "toc": long_doc,
            "sections": sections,
            "levels": [
                {
                    "label": label,
                    "svg": level_gauge(value, chart_id=f"{chart_prefix}-g{i}", label=label),
                    "hint": hint,
                }
                for i, (label, value, hint) in enumerate(levels)
            ],
            "counts": [
                {"colour": SEMAFORO[s], "n": count_text(counts[s]), "label": STATUS_LABELS[s]}
                for s in STATUS_ORDER
            ],
            "bar": semaforo_bar(
                counts, chart_id=f"{chart_prefix}-bar", title="Compromisos por estado", compact=True
            ),
            "facts": [
                {"n": count_text(pending), "label": "reportes por validar"},
                {
                    "n": count_text(len(content.extensions)),
                    "label": "reprogramaciones en el periodo",
                },
                {
                    "n": count_text(figures.overdue_days_max if figures else 0),
                    "label": "días de atraso máximo",
                },
            ],
            "ficha": [
                ("Compromisos evaluados", count_text(figures.total if figures else 0)),
                ("Nivel de cumplimiento", percent_text(levels[0][1])),
                ("Avance promedio", percent_text(levels[1][1])),
                ("Oportunidad del reporte", percent_text(levels[2][1])),
                *((STATUS_PLURAL[s], count_text(counts[s])) for s in STATUS_ORDER),
            ],
            "definitions": DEFINITIONS,
            "trend_svg": trend_lines(
                content.trend, chart_id=f"{chart_prefix}-trend", title="Tendencia de los niveles"
            ),
            "trend_rows": [
                (
                    month_label(p.date),
                    percent_text(p.compliance),
                    percent_text(p.progress),
                    percent_text(p.timeliness),
                )
                for p in content.trend
            ],
            "breakdown_title": content.breakdown_title,
            "breakdown_head": BREAKDOWN_HEAD[kind],
            "breakdown": [
                {
                    "name": row.short_name or row.name,
                    "counts": [count_text(row.figures.total)]
                    + [count_text(row.figures.counts[s]) for s in STATUS_ORDER],
                    "levels": [
                        _level_cell(row.figures.compliance_level),
                        _level_cell(row.figures.average_progress),
                        _level_cell(row.figures.timeliness),
                    ],
                }
                for row in content.breakdown
            ],
            "overdue": [_line_row(line) for line in overdue[:limit]],
            "overdue_more": _more(len(overdue), limit),
            "at_risk": [_line_row(line) for line in at_risk[:limit]],
            "at_risk_more": _more(len(at_risk), limit),
            "pending_text": (
                f"{count_text(pending)} reportes de avance enviados por las unidades estaban "
                f"pendientes de validar al corte. No se suman a las cifras validadas."
                if pending != 1
                else "1 reporte de avance enviado por la unidad estaba pendiente de validar al "
                "corte. No se suma a las cifras validadas."
            ),
            "period_text": period,
            "extensions": [
                {
                    "folio": e.folio,
                    "unit": e.unit_name,
                    "previous": short_date(e.previous_due_date),
                    "new": short_date(e.new_due_date),
                    "decided": short_date(e.decided_on),
                }
                for e in content.extensions[-limit:]
            ],
            "extensions_more": _more(len(content.extensions), limit, latest=True),
            "footer": (
                "Documento generado por el sistema Acuerdos con las cifras congeladas del corte "
                f"al {long_date(content.cutoff.date)}. Generado el "
                f"{timezone.localtime():%d/%m/%Y a las %H:%M} h."
            ),
        }
    }


def _more(total: int, limit: int, *, latest: bool = False) -> str:
    if total <= limit:
        return ""
    which = "los últimos" if latest else "los primeros"
    return (
        f"Se muestran {which} {count_text(limit)} de {count_text(total)}; "
        "la lista completa está en el archivo XLSX de este informe."
    )


def render_html(content: ReportContent) -> str:
    return get_template("reporting/report.html").render(html_context(content))


@cache
def _weasy() -> tuple[Any, Any]:
    """One font configuration and one parsed print stylesheet per process (parsing them for
    every report would cost as much as a small report)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return fonts, CSS(filename=str(PRINT_CSS), font_config=fonts)


def render_pdf(html: str) -> bytes:
    """The PDF of the HTML with the print stylesheet."""
    from weasyprint import HTML

    fonts, css = _weasy()
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[css], font_config=fonts
    )
    return pdf


# --- XLSX -------------------------------------------------------------------------------------

LINE_COLUMNS = (
    ("Folio", 18),
    ("Acuerdo", 60),
    ("Clave unidad", 12),
    ("Unidad responsable", 30),
    ("Región", 12),
    ("Línea de acción", 24),
    ("Área que valida", 12),
    ("Fecha de inicio", 12),
    ("Fecha compromiso vigente", 14),
    ("Avance validado (%)", 12),
    ("Avance esperado (%)", 12),
    ("Estado", 12),
    ("Semáforo", 10),
    ("Días de atraso", 10),
    ("Sin reporte reciente", 10),
    ("Peso", 8),
)


def _percent(value: Any) -> float | None:
    rounded = shown(value)
    return None if rounded is None else float(rounded)


def render_xlsx(content: ReportContent) -> bytes:
    """The same figures as the PDF plus every commitment row, frozen header, autofilter, dates
    as dates."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties(
        {
            "title": f"{TITLES[Audience(content.audience.kind)]} · {content.audience.name}",
            "company": "Instituto Mexicano del Seguro Social",
            "created": dt.datetime(
                content.cutoff.date.year, content.cutoff.date.month, content.cutoff.date.day
            ),
        }
    )
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14, "font_color": "#10312B"})
    head = book.add_format(
        {
            "bold": True,
            "font_color": "#FFFFFF",
            "bg_color": "#10312B",
            "text_wrap": True,
            "valign": "bottom",
        }
    )
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    pct = book.add_format({"num_format": "0.0"})
    integer = book.add_format({"num_format": "#,##0"})
    figures = content.overall.figures if content.overall else None

    summary = book.add_worksheet("Resumen")
    summary.set_column(0, 0, 34)
    summary.set_column(1, 10, 13)
    summary.write_string(
        0, 0, "Instituto Mexicano del Seguro Social · Dirección de Operación y Evaluación", bold
    )
    summary.write_string(
        1,
        0,
        f"{TITLES[Audience(content.audience.kind)]}: {neutralise(content.audience.name)}",
        title,
    )
    summary.write_string(2, 0, f"con corte al {long_date(content.cutoff.date)}")
    summary.write_datetime(3, 1, dt.datetime.combine(content.cutoff.date, dt.time()), date)
    summary.write_string(3, 0, "Fecha de corte")
    row = 5
    for label, value in (
        ("Nivel de cumplimiento (%)", figures.compliance_level if figures else None),
        ("Avance promedio (%)", figures.average_progress if figures else None),
        ("Oportunidad del reporte (%)", figures.timeliness if figures else None),
    ):
        summary.write_string(row, 0, label, bold)
        number = _percent(value)
        if number is None:
            summary.write_string(row, 1, "n/a")
        else:
            summary.write_number(row, 1, number, pct)
        row += 1
    summary.write_string(row, 0, "Total de compromisos evaluados", bold)
    summary.write_number(row, 1, figures.total if figures else 0, integer)
    row += 1
    for status in STATUS_ORDER:
        summary.write_string(row, 0, STATUS_LABELS[status])
        summary.write_number(row, 1, figures.counts[status] if figures else 0, integer)
        row += 1
    for label, number in (
        ("Reportes por validar al corte", content.pending),
        ("Reprogramaciones otorgadas en el periodo", len(content.extensions)),
        ("Días de atraso (máximo)", figures.overdue_days_max if figures else 0),
    ):
        summary.write_string(row, 0, label)
        summary.write_number(row, 1, number, integer)
        row += 1
    row += 1
    if content.breakdown:
        summary.write_string(row, 0, content.breakdown_title, title)
        row += 1
        headers = [BREAKDOWN_HEAD[Audience(content.audience.kind)], "Clave", "Total"]
        headers += [STATUS_LABELS[s] for s in STATUS_ORDER]
        headers += ["Cumplimiento (%)", "Avance (%)", "Oportunidad (%)"]
        for col, text in enumerate(headers):
            summary.write_string(row, col, text, head)
        for group in content.breakdown:
            row += 1
            f = group.figures
            summary.write_string(row, 0, neutralise(group.short_name or group.name))
            summary.write_string(row, 1, neutralise(group.code))
            summary.write_number(row, 2, f.total, integer)
            for col, status in enumerate(STATUS_ORDER, start=3):
                summary.write_number(row, col, f.counts[status], integer)
            for col, value in enumerate(
                (f.compliance_level, f.average_progress, f.timeliness), start=8
            ):
                number = _percent(value)
                if number is None:
                    summary.write_string(row, col, "n/a")
                else:
                    summary.write_number(row, col, number, pct)
        row += 2
    summary.write_string(row, 0, "Tendencia", title)
    row += 1
    for col, text in enumerate(("Corte", "Cumplimiento (%)", "Avance (%)", "Oportunidad (%)")):
        summary.write_string(row, col, text, head)
    for point in content.trend:
        row += 1
        summary.write_datetime(row, 0, dt.datetime.combine(point.date, dt.time()), date)
        for col, value in enumerate((point.compliance, point.progress, point.timeliness), start=1):
            number = _percent(value)
            if number is None:
                summary.write_string(row, col, "n/a")
            else:
                summary.write_number(row, col, number, pct)

    sheet = book.add_worksheet("Compromisos")
    for col, (text, width) in enumerate(LINE_COLUMNS):
        sheet.write_string(0, col, text, head)
        sheet.set_column(col, col, width)
    sheet.set_row(0, 30)
    for index, line in enumerate(content.lines, start=1):
        sheet.write_string(index, 0, neutralise(line.folio))
        sheet.write_string(index, 1, neutralise(_clip(line.agreement, 500)))
        sheet.write_string(index, 2, neutralise(line.unit_code))
        sheet.write_string(index, 3, neutralise(line.unit_name))
        sheet.write_string(index, 4, neutralise(line.region))
        sheet.write_string(index, 5, neutralise(line.theme))
        sheet.write_string(index, 6, neutralise(line.area_code))
        sheet.write_datetime(index, 7, dt.datetime.combine(line.start_date, dt.time()), date)
        sheet.write_datetime(index, 8, dt.datetime.combine(line.due_date, dt.time()), date)
        sheet.write_number(index, 9, float(shown(line.progress) or 0), pct)
        sheet.write_number(index, 10, float(shown(line.expected) or 0), pct)
        sheet.write_string(index, 11, STATUS_LABELS[line.status])
        sheet.write_string(index, 12, SEMAFORO[line.status])
        sheet.write_number(index, 13, line.overdue_days, integer)
        sheet.write_string(index, 14, "Sí" if line.stale else "No")
        sheet.write_number(index, 15, float(line.weight))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, len(content.lines)), len(LINE_COLUMNS) - 1)

    if content.extensions:
        ext = book.add_worksheet("Reprogramaciones")
        for col, text in enumerate(
            ("Folio", "Unidad responsable", "Fecha anterior", "Nueva fecha", "Aprobada el")
        ):
            ext.write_string(0, col, text, head)
            ext.set_column(col, col, 18 if col else 20)
        for index, e in enumerate(content.extensions, start=1):
            ext.write_string(index, 0, neutralise(e.folio))
            ext.write_string(index, 1, neutralise(e.unit_name))
            days = (e.previous_due_date, e.new_due_date, e.decided_on)
            for col, day in enumerate(days, start=2):
                ext.write_datetime(index, col, dt.datetime.combine(day, dt.time()), date)
        ext.freeze_panes(1, 0)
        ext.autofilter(0, 0, len(content.extensions), 4)
    book.close()
    return buffer.getvalue()
