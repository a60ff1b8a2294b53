"""The decision form of a follow-up review (one per agreement on the review screen).

The form says next to each field what is missing for the chosen decision; the service checks
everything again (and the evidence by its content) before anything is written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from acuerdos.followup.models import DecisionKind
from acuerdos.progress.forms import date_field, max_evidence_bytes, size_label

ACCEPT = ".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ppt,.pptx"


class DecisionForm(forms.Form):
    """What the meeting decided about one agreement."""

    kind = forms.ChoiceField(
        label=_("Decisión"),
        choices=[("", _("Elija…")), *DecisionKind.choices],
        error_messages={
            "required": _("Elija la decisión."),
            "invalid_choice": _("Elija una decisión de la lista."),
        },
    )
    new_due_date = date_field(_("Nueva fecha compromiso (si hay prórroga)"), required=False)
    note = forms.CharField(
        label=_("Nota o motivo"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoria para cancelar o declarar cumplido."),
    )
    evidence = forms.FileField(
        label=_("Evidencia (si se declara cumplido)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_evidence(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("evidence")
        if upload is not None and (upload.size or 0) > max_evidence_bytes():
            raise forms.ValidationError(
                _("El archivo pesa más de %(size)s, el máximo permitido."),
                params={"size": size_label(max_evidence_bytes())},
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == DecisionKind.EXTENDED and not data.get("new_due_date"):
            self.add_error("new_due_date", _("Escriba la nueva fecha compromiso de la prórroga."))
        if kind == DecisionKind.CANCELLED and not (data.get("note") or "").strip():
            self.add_error("note", _("Escriba el motivo de la cancelación."))
        if kind == DecisionKind.FULFILLED:
            if not (data.get("note") or "").strip():
                self.add_error("note", _("Describa cómo se cumplió el acuerdo."))
            if not data.get("evidence") and "evidence" not in self.errors:
                self.add_error(
                    "evidence", _("Adjunte la evidencia con la que se declara cumplido.")
                )
        return data
