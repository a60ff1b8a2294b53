"""Follow-up reviews: what a follow-up meeting decided about each open agreement of its region."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from acuerdos.commitments.models import Agreement
from acuerdos.core.models import TimeStampedModel
from acuerdos.meetings.models import Meeting
from acuerdos.progress.models import Evidence


class DecisionKind(models.TextChoices):
    CONTINUES = "continues", _("Continúa")
    EXTENDED = "extended", _("Prórroga otorgada")
    CANCELLED = "cancelled", _("Cancelado")
    FULFILLED = "fulfilled", _("Declarado cumplido con evidencia")


class ReviewDecisionQuerySet(models.QuerySet["ReviewDecision"]):
    def visible_to(self, user: Any) -> ReviewDecisionQuerySet:
        """Decisions about the agreements the user may see (the agreement carries the scope)."""
        return self.filter(agreement__in=Agreement.objects.visible_to(user))


class ReviewDecision(TimeStampedModel):
    """What a follow-up meeting decided about one agreement of its region.

    The agreement is never copied: the decision links it (same folio, same history) to the
    meeting where it was reviewed. Its effects go through the usual services — an approved
    extension per open commitment, a cancellation with its reason, or a validated 100 % progress
    report with the evidence presented at the meeting — so the evaluation rules see them like any
    other extension, cancellation or report. One decision per meeting and agreement; it may be
    corrected later, and every change is audited.
    """

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("reunión de seguimiento"),
        on_delete=models.PROTECT,
        related_name="review_decisions",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("acuerdo"),
        on_delete=models.PROTECT,
        related_name="review_decisions",
    )
    kind = models.CharField(_("decisión"), max_length=12, choices=DecisionKind.choices)
    note = models.TextField(_("nota o motivo"), blank=True)
    new_due_date = models.DateField(_("nueva fecha compromiso"), null=True, blank=True)
    evidence = models.ForeignKey(
        Evidence,
        verbose_name=_("evidencia"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrada por"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("registrada"))
    version = models.PositiveIntegerField(_("versión"), default=1)

    objects = ReviewDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decisión de revisión")
        verbose_name_plural = _("decisiones de revisión")
        ordering = ("meeting", "agreement")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agreement"],
                name="review_one_per_meeting_agreement",
                violation_error_message=_("Este acuerdo ya tiene una decisión en esta reunión."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in DecisionKind]),
                name="review_kind_valid",
                violation_error_message=_("Decisión no válida."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=DecisionKind.EXTENDED) | Q(new_due_date__isnull=False),
                name="review_extension_has_date",
                violation_error_message=_("Una prórroga requiere la nueva fecha compromiso."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=DecisionKind.CANCELLED) | ~Q(note=""),
                name="review_cancellation_has_reason",
                violation_error_message=_("Una cancelación requiere el motivo."),
            ),
        ]
        indexes = [models.Index(fields=["agreement", "meeting"], name="review_agreement_idx")]

    def __str__(self) -> str:
        return f"{self.agreement.folio} · {self.get_kind_display()}"
