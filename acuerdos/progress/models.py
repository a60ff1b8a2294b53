"""Progress reports with their evidence, the validators' decisions, and comments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from acuerdos.commitments.models import Commitment, Milestone
from acuerdos.core.models import TimeStampedModel


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SUBMITTED = "submitted", _("Enviado")
    VALIDATED = "validated", _("Validado")
    RETURNED = "returned", _("Observado")
    REJECTED = "rejected", _("Rechazado")


SENT_STATES = (
    ReportState.SUBMITTED,
    ReportState.VALIDATED,
    ReportState.RETURNED,
    ReportState.REJECTED,
)


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def visible_to(self, user: Any) -> ProgressReportQuerySet:
        """Reports of the commitments the user can see. Drafts only to their own unit."""
        from acuerdos.organization.scope import scope_for

        scope = scope_for(user)
        visible = self.filter(commitment__in=Commitment.objects.visible_to(user))
        if scope.is_coordinator:
            return visible
        return visible.filter(
            ~Q(state=ReportState.DRAFT) | Q(commitment__responsible_unit_id__in=scope.unit_ids)
        )

    def undecided_at(self, day: dt.date) -> ProgressReportQuerySet:
        """Reports "reportado, sin validar" at the end of `day`: submitted on or before it and
        not yet decided then (still submitted, or validated, returned or rejected after it)."""
        from acuerdos.core.dates import next_midnight

        decided_after = (
            Q(state=ReportState.SUBMITTED)
            | Q(state=ReportState.VALIDATED, validated_on__gt=day)
            | Q(
                state__in=(ReportState.RETURNED, ReportState.REJECTED),
                reviewed_at__gte=next_midnight(day),
            )
        )
        return self.filter(decided_after, submitted_on__lte=day)

    def counting(self) -> ProgressReportQuerySet:
        """Validated reports: the only ones that count in evaluation (PRODUCT.md §3)."""
        return self.filter(state=ReportState.VALIDATED)


class ProgressReport(TimeStampedModel):
    """A reporte de avance: what a unit reports about one commitment as of a date.

    The reported value depends on the commitment's target kind: `percent` (0–100),
    `indicator_value`, or the full set of `milestones_done`. State machine:
    `draft → submitted → validated`, or `submitted → returned` (observed; the unit answers with a
    new report that points to it through `answers`) or `rejected`.

    `submitted_on` and `validated_on` are Mexico City calendar dates: the evaluation rules count a
    report at `t` only if it was validated on or before `t`. Imported reports carry the dates the
    spreadsheet gives (or their as-of date).
    """

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("compromiso"), on_delete=models.PROTECT, related_name="reports"
    )
    as_of = models.DateField(_("avance con fecha al"))
    state = models.CharField(
        _("estado"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    percent = models.DecimalField(
        _("porcentaje de avance"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    indicator_value = models.DecimalField(
        _("valor del indicador"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    milestones_done = models.ManyToManyField(
        Milestone, verbose_name=_("hitos cumplidos"), blank=True, related_name="+"
    )
    narrative = models.TextField(_("descripción del avance"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answers = models.ForeignKey(
        "self",
        verbose_name=_("atiende las observaciones de"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_by",
    )
    submitted_on = models.DateField(_("fecha de envío"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("enviado"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revisado por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("revisado"), null=True, blank=True)
    validated_on = models.DateField(_("fecha de validación"), null=True, blank=True)
    review_comment = models.TextField(_("observaciones o motivo"), blank=True)
    imported = models.BooleanField(_("importado"), default=False)
    version = models.PositiveIntegerField(_("versión"), default=1)
    # p of PRODUCT.md §3.2 as an exact fraction num/den (in percent), fixed when the values are
    # written (progress.inputs.report_fraction), so that evaluation never rounds.
    progress_num = models.BigIntegerField(_("avance (numerador)"), default=0)
    progress_den = models.BigIntegerField(_("avance (denominador)"), default=1)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporte de avance")
        verbose_name_plural = _("reportes de avance")
        ordering = ("commitment", "-as_of", "-created_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | (Q(percent__gte=0) & Q(percent__lte=100)),
                name="report_percent_in_range",
                violation_error_message=_("El porcentaje de avance debe estar entre 0 y 100."),
            ),
            models.CheckConstraint(
                condition=Q(progress_den__gt=0)
                & Q(progress_num__gte=0)
                & Q(progress_num__lte=models.F("progress_den") * 100),
                name="report_progress_fraction_valid",
                violation_error_message=_("El avance calculado debe estar entre 0 y 100."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ReportState]),
                name="report_state_valid",
                violation_error_message=_("Estado de reporte no válido."),
            ),
            models.CheckConstraint(
                condition=Q(state=ReportState.DRAFT) | Q(submitted_on__isnull=False),
                name="report_sent_has_date",
                violation_error_message=_("Un reporte enviado requiere fecha de envío."),
            ),
            models.CheckConstraint(
                condition=(Q(state=ReportState.VALIDATED) & Q(validated_on__isnull=False))
                | (~Q(state=ReportState.VALIDATED) & Q(validated_on__isnull=True)),
                name="report_validated_has_date",
                violation_error_message=_("Sólo un reporte validado tiene fecha de validación."),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[ReportState.RETURNED, ReportState.REJECTED])
                | ~Q(review_comment=""),
                name="report_return_has_comment",
                violation_error_message=_(
                    "Devolver o rechazar un reporte requiere observaciones o motivo."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["commitment", "state", "as_of", "validated_on"],
                name="report_counting_idx",
            ),
            models.Index(fields=["state", "submitted_at"], name="report_queue_idx"),
            models.Index(fields=["commitment", "submitted_on"], name="report_submitted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.as_of:%d/%m/%Y} · {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("progress:report_detail", args=[self.pk])


class Evidence(models.Model):
    """A file that supports a progress report: stored under a random name, never served from a
    public URL; its type is detected from the content and its SHA-256 kept."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("archivo"), upload_to="evidencias/%Y/%m/", max_length=300)
    original_name = models.CharField(_("nombre original"), max_length=255)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    content_type = models.CharField(_("tipo detectado"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("cargado"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")
        ordering = ("report", "created_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0),
                name="evidence_not_empty",
                violation_error_message=_("El archivo de evidencia está vacío."),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("progress:evidence_download", args=[self.pk])


class Comment(models.Model):
    """A comment in a commitment's thread, visible to everyone who can see the commitment."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comentario"))
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("comentario")
        verbose_name_plural = _("comentarios")
        ordering = ("commitment", "created_at")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="comment_not_empty",
                violation_error_message=_("El comentario está vacío."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class InputPeriod(models.Model):
    """A stretch of days over which a commitment's evaluation inputs did not change: from
    `valid_from` up to the day before `valid_to` (open when null), its latest counting progress,
    the due date of the extension in force (null: the commitment's own), its last submission and
    since when its final run of 100 % reports started.

    A cache derived from the reports and extensions (progress.inputs.refresh_inputs keeps it
    with every write, like the today-inputs on the commitment): the evaluation of any past date
    reads one row per commitment here instead of searching the history three times.
    """

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="input_periods", db_index=False
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    progress_num = models.BigIntegerField(default=0)
    progress_den = models.BigIntegerField(default=1)
    due_date = models.DateField(null=True, blank=True)
    last_submitted_on = models.DateField(null=True, blank=True)
    complete_since = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("periodo de insumos de evaluación")
        verbose_name_plural = _("periodos de insumos de evaluación")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "valid_from"], name="input_period_one_per_start"
            ),
        ]
        indexes = [
            # Covers the past-date evaluation (evaluation.engine): the period in force at t is
            # found and read inside this index, without touching the table rows.
            models.Index(
                fields=[
                    "commitment",
                    "valid_from",
                    "valid_to",
                    "progress_num",
                    "progress_den",
                    "due_date",
                    "last_submitted_on",
                    "complete_since",
                ],
                name="input_period_lookup_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} · {self.valid_from:%d/%m/%Y}"
