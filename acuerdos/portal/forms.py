"""The cut-off selector of the portal: one of the closed cut-offs, never a typed date.

A request value never reaches the ORM: the choice is checked against the closed cut-offs read
beforehand; an unknown or open one leaves the form invalid and the view answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from acuerdos.core.dates import long_date
from acuerdos.evaluation.models import CutOff

PARAM = "corte"
NOT_PUBLISHED = dt.date.min
"""What an unknown or open cut-off in the address resolves to: a date no cut-off has (404)."""


class CutOffChoiceForm(forms.Form):
    """ "Cifras con corte al": one of the closed cut-offs, latest first."""

    corte = forms.ChoiceField(label=_("Cifras con corte al"), required=False)

    def __init__(self, *args: Any, cutoffs: Sequence[CutOff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cutoffs = {c.date.isoformat(): c for c in cutoffs if c.is_closed}
        field = self.fields[PARAM]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, long_date(c.date)) for key, c in self._cutoffs.items()]

    def chosen_date(self) -> dt.date | None:
        """The chosen cut-off's date; None for "the latest"; `NOT_PUBLISHED` when the address
        names a cut-off that is not published."""
        if not self.is_bound or not self.data.get(PARAM):
            return None
        if not self.is_valid():
            return NOT_PUBLISHED
        return self._cutoffs[self.cleaned_data[PARAM]].date

    def query(self, cutoff: CutOff | None) -> str:
        """`?corte=2026-10-31` for links that keep a chosen cut-off, or nothing for the latest."""
        if cutoff is None or not self.is_bound or not self.data.get(PARAM):
            return ""
        return f"?{PARAM}={cutoff.date.isoformat()}"
