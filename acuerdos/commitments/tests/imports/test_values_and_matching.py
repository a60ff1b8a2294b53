"""Cells: dates, numbers, headers, units and themes as people write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from acuerdos.commitments.imports.headers import AGREEMENT_FIELDS, find_header, header_key
from acuerdos.commitments.imports.themes import ThemeMatcher
from acuerdos.commitments.imports.units import UnitMatcher
from acuerdos.commitments.imports.values import ValueProblem, parse_date, parse_decimal, text

JUNE_30 = dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 6, 30),
        JUNE_30,
        46203,
        "30/06/2026",
        "30/6/26",
        "30-06-2026",
        "30.06.2026",
        "2026-06-30",
        "2026-06-30 00:00:00",
        "30 de junio de 2026",
        "30 de Junio del 2026",
        "martes, 30 de junio de 2026",
        "30-jun-2026",
        "30 jun. 2026",
    ],
)
def test_it_reads_the_date_forms_people_write(value):
    assert parse_date(value) == JUNE_30


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2026", "no existe: febrero de 2026 tiene 28 días"),
        ("29/02/2026", "febrero de 2026 tiene 28 días"),
        ("06/30/2026", "el mes debe ir de 1 a 12"),
        ("30 de juño de 2026", "no se reconoce el mes «juno»"),
        ("pronto", "no es una fecha reconocible"),
        ("", "Falta la fecha"),
        (3.5, "no es una fecha"),
    ],
)
def test_it_explains_an_impossible_or_unreadable_date(value, message):
    with pytest.raises(ValueProblem, match=message):
        parse_date(value)


def test_it_accepts_a_leap_day():
    assert parse_date("29/02/2028") == dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (45, Decimal(45)),
        (0.1, Decimal("0.1")),
        ("1,234.5", Decimal("1234.5")),
        ("12,5", Decimal("12.5")),
        ("85 %", Decimal(85)),
        ("$ 1 200", Decimal(1200)),
        ("-3", Decimal(-3)),
    ],
)
def test_it_reads_numbers_as_written_in_mexico(value, expected):
    assert parse_decimal(value) == expected


@pytest.mark.parametrize("value", ["veinte", "1.2.3", "NaN", "Infinity", True])
def test_it_refuses_what_is_not_a_number(value):
    with pytest.raises(ValueProblem):
        parse_decimal(value)


def test_it_shows_cells_as_the_person_reads_them():
    assert text(3.0) == "3"
    assert text(2.5) == "2.5"
    assert text(dt.datetime(2026, 6, 30)) == "30/06/2026"
    assert text("  '=1+1 ") == "=1+1"
    assert text("'hola") == "'hola"
    assert text(None) == ""


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Núm.", "num"),
        ("N°", "n"),
        ("Unidad(es) responsable(s)", "unidad responsable"),
        ("FECHA LÍMITE (dd/mm/aaaa)", "fecha limite"),
        ("% de avance", "porcentaje de avance"),
        ("Área  que   valida:", "area que valida"),
    ],
)
def test_it_folds_header_names(header, key):
    assert header_key(header) == key


def test_it_picks_the_row_that_matches_most_headers():
    rows = [
        ["Acuerdos de la reunión"],
        ["Folio", "del documento"],
        ["No.", "Descripción", "Tema", "Área responsable", "Fecha de cumplimiento", "Valida"],
        ["1", "Texto", "AM", "Querétaro", "30/06/2026", "DPM"],
    ]
    match = find_header(rows, AGREEMENT_FIELDS, numbers=[1, 2, 3, 4])
    assert (match.index, match.number) == (2, 3)
    assert match.columns == {
        "folio": 0,
        "text": 1,
        "theme": 2,
        "responsible": 3,
        "due_date": 4,
        "validating_area": 5,
    }


@pytest.fixture
def units(catalog):
    return UnitMatcher()


@pytest.mark.parametrize(
    ("cell", "codes"),
    [
        ("Cd. de México Nte.", ["OOAD-CDMXN"]),
        ("CD DE MEXICO NTE", ["OOAD-CDMXN"]),
        ("ooad-qro", ["OOAD-QRO"]),
        ("OOAD Querétaro", ["OOAD-QRO"]),
        ("Michoacán, Jalisco y Colima", ["OOAD-MICH", "OOAD-JAL", "OOAD-COL"]),
        ("Baja California Sur / Baja California", ["OOAD-BCS", "OOAD-BC"]),
        ("B.C.S.; B.C.", ["OOAD-BCS", "OOAD-BC"]),
        ("Veracruz Nte. e Hidalgo", ["OOAD-VERN", "OOAD-HGO"]),
        (
            "UMAE Hospital de Especialidades, Centro Médico Nacional de Occidente "
            '"Lic. Ignacio García Téllez" y HP CMNO',
            ["UMAE-CMNO-HE", "UMAE-CMNO-PED"],
        ),
        (
            "Hospital de Traumatología y Ortopedia Lomas Verdes y Tlaxcala",
            ["UMAE-HTO-LV", "OOAD-TLAX"],
        ),
        ("Querétaro, Querétaro", ["OOAD-QRO"]),
        (
            "Todas las UMAE de la región Occidente",
            ["UMAE-CMNO-HE", "UMAE-CMNO-HGO", "UMAE-CMNO-PED", "UMAE-SON-HE2"],
        ),
    ],
)
def test_it_recognises_units_written_in_many_ways(units, cell, codes):
    found = units.match(cell)
    assert found.unknown == []
    assert [u.code for u in found.units] == codes or sorted(u.code for u in found.units) == codes


def test_it_reports_the_pieces_it_does_not_know_with_suggestions(units):
    found = units.match("Jalisco, Guanajuatto y Marte")
    assert [u.code for u in found.units] == ["OOAD-JAL"]
    assert found.unknown == ["Guanajuatto", "Marte"]
    assert units.suggestions("Guanajuatto")[0] == "Guanajuato (OOAD-GTO)"
    assert "¿Quiso decir: Guanajuato (OOAD-GTO)" in units.unknown_message("Guanajuatto")


def test_it_restricts_validating_areas_to_normative_units(catalog):
    areas = UnitMatcher(kinds=("normative_area", "coordination"))
    assert [u.code for u in areas.match("Prestaciones Médicas").units] == ["DPM"]
    assert areas.match("Querétaro").unknown == ["Querétaro"]


def test_it_recognises_themes_by_code_name_or_acronym(catalog):
    themes = ThemeMatcher()
    assert themes.match("abasto de medicamentos").code == "ABA"
    assert themes.match("CECI").code == "CECI"
    assert themes.match("Centros de Educación y Cuidado Infantil").code == "CECI"
    assert themes.match("imss–sntss").code == "SNTSS"
    assert themes.match("Astronomía") is None
    assert "¿Quiso decir «Digitalización»?" in themes.unknown_message("Digitalizacion y más")
