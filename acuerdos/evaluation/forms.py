"""Forms of the dashboards and the cut-off calendar. Request values never reach the ORM: the
"as of" choice is one of the closed cut-offs read beforehand, and dates are parsed by fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from acuerdos.core.dates import long_date, today
from acuerdos.evaluation.models import CutOff
from acuerdos.evaluation.selectors import Basis, basis_for

AS_OF_PARAM = "corte"


class AsOfForm(forms.Form):
    """ "Cifras al": today, or one of the closed cut-offs (read from its frozen snapshot).

    An unknown or open cut-off in the address is reported and today's figures are shown.
    """

    corte = forms.ChoiceField(
        label=_("Cifras al"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Ese corte no existe o aún no está cerrado; se muestran las cifras de hoy."
            )
        },
    )

    def __init__(self, *args: Any, cutoffs: Sequence[CutOff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cutoffs = {c.date.isoformat(): c for c in cutoffs if c.is_closed}
        field = self.fields[AS_OF_PARAM]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Hoy, %(date)s") % {"date": long_date(today())}),
            *(
                (key, _("Corte al %(date)s") % {"date": long_date(c.date)})
                for key, c in self._cutoffs.items()
            ),
        ]

    @property
    def cutoff(self) -> CutOff | None:
        if not self.is_bound or not self.is_valid():
            return None
        return self._cutoffs.get(self.cleaned_data.get(AS_OF_PARAM) or "")

    def basis(self) -> Basis:
        """Today's inputs, or the snapshot of the chosen closed cut-off (no query)."""
        cutoff = self.cutoff
        return basis_for(cutoff=cutoff) if cutoff is not None else basis_for()

    @property
    def query(self) -> str:
        """`?corte=2026-10-31` for the links of a drill-down, or nothing for today."""
        cutoff = self.cutoff
        return f"?{AS_OF_PARAM}={cutoff.date.isoformat()}" if cutoff is not None else ""


class CutOffDateForm(forms.Form):
    """A date to add to the cut-off calendar, typed as `31/10/2026` (ISO is accepted too)."""

    date = forms.DateField(
        label=_("Fecha de corte"),
        input_formats=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"],
        error_messages={
            "invalid": _("Escriba una fecha válida, por ejemplo 31/10/2026."),
            "required": _("Escriba la fecha del corte."),
        },
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/aaaa", "inputmode": "numeric", "autocomplete": "off"},
        ),
    )

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if date.year < 2000:
            raise forms.ValidationError(_("Escriba una fecha a partir del año 2000."))
        if CutOff.objects.filter(date=date).exists():
            raise forms.ValidationError(
                _("Ya hay un corte al %(date)s en el calendario.") % {"date": long_date(date)}
            )
        return date
