"""The evaluation thresholds, read from `settings.ACUERDOS` (PRODUCT.md §3: they are settings)."""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings

from acuerdos.evaluation.rules import Thresholds


def thresholds() -> Thresholds:
    conf = settings.ACUERDOS
    return Thresholds(
        at_risk_margin=Fraction(conf["AT_RISK_MARGIN"]),
        stale_after_days=int(conf["STALE_AFTER_DAYS"]),
        stale_window_days=int(conf["STALE_WINDOW_DAYS"]),
        level_green=Fraction(conf["LEVEL_GREEN"]),
        level_yellow=Fraction(conf["LEVEL_YELLOW"]),
    )
