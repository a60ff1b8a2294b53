"""Forms of the Informes inbox."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from acuerdos.organization.models import Region
from acuerdos.reporting.models import Audience


class InboxFilterForm(forms.Form):
    """Which reports the inbox lists (whitelisted choices only)."""

    tipo = forms.ChoiceField(
        label=_("Destinatarios"),
        required=False,
        choices=[("", _("Todos")), *list(Audience.choices)],
    )


class PackForm(forms.Form):
    """The region whose follow-up meeting pack a coordinator asks for."""

    region = forms.ModelChoiceField(
        label=_("Región"), queryset=Region.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Region.objects.order_by("name")
