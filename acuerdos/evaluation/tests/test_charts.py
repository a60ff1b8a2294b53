"""The SVG charts: valid XML, accessible names, the figures in their text, every label escaped."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree

from acuerdos.evaluation import charts
from acuerdos.evaluation.rules import Status, Thresholds

SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'UMAE HE "La Raza" <Norte> & Cía\x0b'


def parse(markup: str) -> Element:
    root: Element = ElementTree.fromstring(markup)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def titles(root: Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}title")]


def assert_accessible(root: Element, chart_id: str, title: str) -> None:
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title"
    assert root.get("aria-describedby") == f"{chart_id}-desc"
    assert root.get("viewBox", "").startswith("0 0 ")
    first_title = root.find(f"{SVG}title")
    assert first_title is not None and first_title.get("id") == f"{chart_id}-title"
    assert first_title.text == title
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.get("id") == f"{chart_id}-desc" and desc.text
    # Presentation attributes only: nothing that a strict CSP or WeasyPrint would ignore.
    assert all(node.get("style") is None for node in root.iter())


# --- Semáforo --------------------------------------------------------------------------------

COUNTS = {
    Status.ON_TRACK: 12,
    Status.AT_RISK: 3,
    Status.OVERDUE: 4,
    Status.FULFILLED: 1250,
    Status.CANCELLED: 1,
}


def test_it_draws_the_semaforo_with_every_count_and_its_colour():
    root = parse(charts.semaforo_bar(COUNTS, chart_id="sem", title="Compromisos por estado"))
    assert_accessible(root, "sem", "Compromisos por estado")
    segment_titles = titles(root)[1:]
    assert segment_titles == [
        "En tiempo: 12 (0.9\u00a0%)",
        "En riesgo: 3 (0.2\u00a0%)",
        "Vencido: 4 (0.3\u00a0%)",
        "Cumplido: 1,250 (98.4\u00a0%)",
        "Cancelado: 1 (0.1\u00a0%)",
    ]
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")][1:]
    assert fills == ["#1e7d45", "#e0a800", "#b3261e", "#1f5fa8", "#767b78"]
    # Only the wide segment is labelled inside the bar; the desc carries every count.
    assert texts(root) == ["1,250"]
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == (
        "1,270 compromisos. En tiempo: 12; En riesgo: 3; Vencido: 4; Cumplido: 1,250; Cancelado: 1."
    )


def test_it_labels_each_segment_that_fits_and_sizes_them_by_count():
    counts = {Status.ON_TRACK: 2, Status.OVERDUE: 2}
    root = parse(charts.semaforo_bar(counts, chart_id="sem", title="T"))
    assert texts(root) == ["2", "2"]
    widths = [float(rect.get("width", 0)) for rect in root.iter(f"{SVG}rect")][1:]
    assert widths == [300.0, 300.0]


def test_it_draws_an_empty_semaforo():
    root = parse(charts.semaforo_bar({}, chart_id="sem", title="T"))
    assert texts(root) == ["Sin compromisos"]


# --- Gauges ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown", "colour"),
    [
        (Fraction(90), "90.0\u00a0%", "#1e7d45"),
        (Fraction(179, 2), "89.5\u00a0%", "#8a5a00"),  # amarillo text is darker
        (Fraction(1, 3) * 100, "33.3\u00a0%", "#b3261e"),
        (Fraction(2, 3) * 100, "66.7\u00a0%", "#b3261e"),
        (Fraction(1001, 20), "50.1\u00a0%", "#b3261e"),  # 50.05 rounds half up
        (None, "n/a", "#767b78"),
    ],
)
def test_it_shows_a_level_rounded_half_up_in_its_colour(value, shown, colour):
    root = parse(charts.level_gauge(value, chart_id="g-1", label="Nivel de cumplimiento"))
    assert_accessible(root, "g-1", f"Nivel de cumplimiento: {shown}")
    figure = next(t for t in root.iter(f"{SVG}text") if t.get("font-size") == "34")
    assert figure.text == shown
    assert figure.get("fill") == colour
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert desc.text.startswith(f"Nivel de cumplimiento: {shown}, ")


def test_it_reads_the_thresholds_it_is_given():
    root = parse(
        charts.level_gauge(
            Fraction(80),
            chart_id="g",
            label="Avance",
            thresholds=Thresholds(level_green=Fraction(80), level_yellow=Fraction(60)),
        )
    )
    desc = root.find(f"{SVG}desc")
    assert (
        desc is not None and desc.text == "Avance: 80.0\u00a0%, en verde (igual o mayor que 80 %)."
    )


def test_it_draws_no_value_arc_for_zero_or_na():
    for value in (Fraction(0), None):
        root = parse(charts.level_gauge(value, chart_id="g", label="L"))
        assert len(list(root.iter(f"{SVG}path"))) == 1  # only the track


# --- Rankings --------------------------------------------------------------------------------


def test_it_ranks_bars_with_their_figures_and_links():
    bars = [
        charts.Bar("OOAD Querétaro", Fraction(95), "/tablero/unidad/OOAD-QRO/?corte=2026-06-30"),
        charts.Bar("OOAD Hidalgo", Fraction(145, 2)),
        charts.Bar("UMAE HE 71 Torreón", None),
    ]
    root = parse(charts.ranking_bars(bars, chart_id="rank", title="Mayor nivel"))
    assert_accessible(root, "rank", "Mayor nivel")
    assert texts(root) == [
        "OOAD Querétaro",
        "95.0\u00a0%",
        "OOAD Hidalgo",
        "72.5\u00a0%",
        "UMAE HE 71 Torreón",
        "n/a",
    ]
    links = list(root.iter(f"{SVG}a"))
    assert [a.get("href") for a in links] == ["/tablero/unidad/OOAD-QRO/?corte=2026-06-30"]
    value_fills = [t.get("fill") for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert value_fills == ["#1e7d45", "#8a5a00", "#767b78"]
    widths = [r.get("width") for r in root.iter(f"{SVG}rect") if r.get("fill") != charts.TRACK]
    assert widths == ["361", "275.5"]  # 95 % and 72.5 % of 380; n/a draws no bar


def test_it_escapes_every_label_and_link():
    bars = [charts.Bar(NASTY, Fraction(50), '/x/?a=1&b="2"')]
    markup = charts.ranking_bars(bars, chart_id="rank", title=f"Ranking {NASTY}")
    root = parse(markup)  # would raise on a stray quote, ampersand or control character
    assert texts(root)[0] == 'UMAE HE "La Raza" <Norte> & Cía'
    assert titles(root)[0] == 'Ranking UMAE HE "La Raza" <Norte> & Cía'
    assert next(root.iter(f"{SVG}a")).get("href") == '/x/?a=1&b="2"'
    assert "<Norte>" not in markup


def test_it_shortens_long_labels_but_keeps_them_whole_in_the_title():
    long_name = "Unidad Médica de Alta Especialidad Hospital de Especialidades Centro Médico"
    root = parse(
        charts.ranking_bars([charts.Bar(long_name, Fraction(10))], chart_id="r", title="T")
    )
    assert texts(root)[0].endswith("…") and len(texts(root)[0]) == 32
    assert titles(root)[1] == f"{long_name}: 10.0\u00a0%"


def test_it_says_when_there_is_nothing_to_rank():
    root = parse(charts.ranking_bars([], chart_id="r", title="T"))
    assert texts(root) == ["Sin grupos que comparar"]


@pytest.mark.parametrize("bad", ["Tendencia", "1abc", "a b", 'x"y'])
def test_it_refuses_an_unsafe_chart_id(bad):
    with pytest.raises(ValueError, match="chart id"):
        charts.ranking_bars([], chart_id=bad, title="T")


# --- Trend -----------------------------------------------------------------------------------

POINTS = [
    charts.TrendPoint(dt.date(2026, 6, 30), Fraction(100, 3), Fraction(40), Fraction(80)),
    charts.TrendPoint(dt.date(2026, 7, 31), None, Fraction(45), Fraction(85)),
    charts.TrendPoint(dt.date(2026, 8, 31), Fraction(50), Fraction(1001, 20), None),
]


def test_it_draws_the_trend_with_the_latest_figures_and_gaps_for_na():
    root = parse(charts.trend_lines(POINTS, chart_id="trend", title="Tendencia"))
    assert_accessible(root, "trend", "Tendencia")
    all_texts = texts(root)
    assert all_texts[:3] == ["Cumplimiento", "Avance", "Oportunidad"]
    assert [t for t in all_texts if t.endswith(" 26")] == ["jun 26", "jul 26", "ago 26"]
    # The latest cut-off's values at the right end (oportunidad is n/a there).
    assert "50.0\u00a0%" in all_texts and "50.1\u00a0%" in all_texts
    marker_titles = titles(root)[1:]
    assert "Cumplimiento jun 26: 33.3\u00a0%" in marker_titles
    assert not any(t.startswith("Cumplimiento jul 26") for t in marker_titles)  # n/a: no point
    # Cumplimiento has a gap in July: two runs of one point each, so no line at all.
    polylines = [p.get("stroke") for p in root.iter(f"{SVG}polyline")]
    assert polylines.count("#10312b") == 0 and polylines.count("#9c6f19") == 1
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert (
        "jun 26: cumplimiento 33.3\u00a0%, avance 40.0\u00a0%, oportunidad 80.0\u00a0%."
        in desc.text
    )
    assert "jul 26: cumplimiento n/a" in desc.text


def test_it_draws_a_single_cut_off_and_none():
    root = parse(charts.trend_lines(POINTS[:1], chart_id="t", title="T"))
    assert len(list(root.iter(f"{SVG}circle"))) == 2  # the legend's and the one point
    empty = parse(charts.trend_lines([], chart_id="t", title="T"))
    assert "Aún no hay cortes cerrados" in texts(empty)


def test_it_thins_the_axis_labels_of_a_long_trend():
    points = [
        charts.TrendPoint(dt.date(2026, 1, 31) + dt.timedelta(days=31 * n), None, None, None)
        for n in range(12)
    ]
    root = parse(charts.trend_lines(points, chart_id="t", title="T"))
    months = [t for t in texts(root) if t[-3:].strip().isdigit() and "%" not in t]
    assert 4 <= len(months) <= 7


def test_the_same_markup_renders_in_weasyprint(tmp_path):
    weasyprint = pytest.importorskip("weasyprint")
    markup = charts.semaforo_bar(COUNTS, chart_id="sem", title="Compromisos por estado")
    pdf = weasyprint.HTML(string=f"<html><body>{markup}</body></html>").write_pdf()
    assert pdf is not None and pdf.startswith(b"%PDF")
