"""Shared UI helpers: dates and numbers as shown, accent-insensitive search patterns."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from acuerdos.core.search import accent_insensitive_pattern
from acuerdos.core.templatetags.ui import fecha, fecha_hora, minutos, numero


def test_it_shows_dates_the_same_way_everywhere():
    assert fecha(dt.date(2026, 6, 30)) == "30 jun 2026"
    assert fecha(dt.date(2026, 1, 2)) == "2 ene 2026"
    assert fecha(None) == "—"


def test_it_shows_moments_in_mexico_city_time():
    # 02:30 UTC on 1 July is still 30 June in Mexico City (UTC−6).
    moment = dt.datetime(2026, 7, 1, 2, 30, tzinfo=dt.UTC)
    assert fecha(moment) == "30 jun 2026"
    assert fecha_hora(moment) == "30 jun 2026, 20:30"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("45.0000"), "45"),
        (Decimal("12.5000"), "12.5"),
        (Decimal("1250.75"), "1,250.75"),
        (0, "0"),
        (None, "—"),
    ],
)
def test_it_shows_figures_without_useless_zeros(value, shown):
    assert numero(value) == shown


def test_it_rounds_lockout_minutes_up():
    assert minutos(dt.timedelta(minutes=15)) == 15
    assert minutos(dt.timedelta(seconds=61)) == 2


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("energia", "Ahorro de ENERGÍA eléctrica"),
        ("Energía", "energia"),
        ("nino", "Atención al niño"),
        ("diferimiento  quirurgico", "el diferimiento\nquirúrgico"),
    ],
)
def test_it_builds_accent_insensitive_patterns(term, text):
    assert re.search(accent_insensitive_pattern(term), text, flags=re.IGNORECASE)


def test_it_escapes_regular_expression_syntax():
    pattern = accent_insensitive_pattern("a.*(b|c)[")
    assert re.search(pattern, "a.*(b|c)[", flags=re.IGNORECASE)
    assert not re.search(pattern, "aXXb", flags=re.IGNORECASE)
