"""The vocabulary of the demo agreements: complete, well-formed, with something for every case."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from acuerdos.demo import texts
from acuerdos.demo.plan import _fits

THEMES_CSV = Path(texts.__file__).resolve().parent.parent / "organization" / "data" / "themes.csv"
VALUES = {
    "n": 4,
    "city": "Querétaro",
    "short": "Querétaro",
    "region": "Centro",
    "specialty": "Cardiología",
    "due": "30 de septiembre de 2026",
    "pct": 90,
    "k": 3,
}
SCOPES = ("ooad", "umae", "multi_ooad", "multi_umae", "mixed")


def test_it_has_vocabulary_for_every_theme_of_the_catalog():
    with THEMES_CSV.open(encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    assert set(texts.THEMES) == codes


def test_it_formats_every_template():
    places = [t for p in texts.PLACES.values() for s in SCOPES for t in p.variant(s)]
    qualifiers = [
        *texts.GENERIC_QUALIFIERS,
        *(q for theme in texts.THEMES.values() for q in theme.qualifiers),
    ]
    for template in places + qualifiers:
        formatted = template.format(**VALUES)
        assert "{" not in formatted and "  " not in formatted, template
    assert all(p and p[0].islower() for p in places)
    assert all(q == "" or q.startswith(", ") for q in qualifiers)


@pytest.mark.parametrize("code", sorted(texts.THEMES))
def test_it_offers_actions_for_every_scope_of_a_theme(code):
    theme = texts.THEMES[code]
    scopes = ("ooad", "multi_ooad") if theme.ooad_only else SCOPES
    for scope in scopes:
        assert any(_fits(action, scope) for action in theme.actions), (code, scope)
    for action in theme.actions:
        assert set(action.places) <= set(texts.PLACES), action.text
        assert action.text[0].isupper() and not action.text.endswith(".")
    assert len({a.text for a in theme.actions}) == len(theme.actions)
    assert theme.deliverables and len(theme.milestones) >= 5


def test_it_gives_indicators_sensible_ranges():
    for theme in texts.THEMES.values():
        for action in theme.actions:
            spec = action.indicator
            if spec is None:
                continue
            low, high = (float(v) for v in spec.baseline)
            assert low <= high
            if spec.target is None:
                assert low > 0, spec.name  # a relative change needs a non-zero baseline
            if spec.unit_of_measure == "%":
                assert high < 100 and spec.ceiling is not None
