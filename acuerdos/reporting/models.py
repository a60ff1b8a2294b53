"""Periodic reports (informes) and their deliveries: immutable files with their figures."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from acuerdos.evaluation.models import CutOff
from acuerdos.organization.scope import scope_for


class Audience(models.TextChoices):
    UNIT = "unit", _("Unidad (OOAD o UMAE)")
    AREA = "area", _("Área normativa")
    REGION = "region", _("Región")
    NATION = "nation", _("Resumen ejecutivo nacional")
    MEETING_PACK = "meeting_pack", _("Paquete de reunión de seguimiento")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: Any) -> ReportQuerySet:
        """Coordinators and viewers see every report; heads and liaisons their units' reports;
        validators the reports of their areas (and the areas below them)."""
        scope = scope_for(user)
        if not scope.authenticated:
            return self.none()
        if scope.sees_everything:
            return self.all()
        return self.filter(
            Q(audience=Audience.UNIT, audience_key__in=scope.unit_ids)
            | Q(audience=Audience.AREA, audience_key__in=scope.validator_area_ids)
        )


class Report(models.Model):
    """An informe: one file (PDF or XLSX) for one audience and one cut-off (or, for a regional
    follow-up meeting pack, one date), stored once with its SHA-256 and the figures it shows.

    Never updated: the figures of a closed cut-off are frozen, so the same audience, cut-off
    and format always give the same figures; generating again returns the stored row.
    """

    cutoff = models.ForeignKey(
        CutOff, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    as_of = models.DateField(_("con corte al"))
    audience = models.CharField(_("destinatarios"), max_length=20, choices=Audience.choices)
    audience_key = models.BigIntegerField(_("grupo"), null=True, blank=True)
    audience_code = models.CharField(_("clave del grupo"), max_length=40)
    audience_name = models.CharField(_("nombre del grupo"), max_length=300)
    format = models.CharField(_("formato"), max_length=4, choices=ReportFormat.choices)
    file = models.FileField(_("archivo"), upload_to="informes/", max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("tamaño en bytes"))
    generated_at = models.DateTimeField(_("generado"), auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    figures = models.JSONField(_("cifras"), default=dict)
    bundle = models.CharField(
        _("juego"),
        max_length=60,
        db_index=True,
        default="",
        help_text=_("Igual en el PDF y el XLSX de una misma generación."),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("informe")
        verbose_name_plural = _("informes")
        ordering = ("-as_of", "audience", "audience_code", "format")
        constraints = [
            models.UniqueConstraint(
                fields=["cutoff", "audience", "audience_key", "format"],
                condition=Q(cutoff__isnull=False, audience_key__isnull=False),
                name="report_one_per_cutoff_audience_format",
                violation_error_message=_("Ese informe ya se había generado."),
            ),
            models.UniqueConstraint(
                fields=["cutoff", "audience", "format"],
                condition=Q(cutoff__isnull=False, audience_key__isnull=True),
                name="report_one_national_per_cutoff_format",
                violation_error_message=_("Ese informe ya se había generado."),
            ),
            models.CheckConstraint(
                condition=Q(audience=Audience.MEETING_PACK) | Q(cutoff__isnull=False),
                name="report_periodic_has_cutoff",
                violation_error_message=_("Un informe periódico requiere un corte."),
            ),
        ]
        indexes = [models.Index(fields=["audience", "audience_key"], name="report_audience_idx")]

    def __str__(self) -> str:
        kind = self.get_audience_display()
        return f"{kind} {self.audience_name} · {self.as_of:%d/%m/%Y} · {self.format.upper()}"

    @property
    def file_name(self) -> str:
        """The name a person sees when downloading it."""
        prefix = "paquete" if self.audience == Audience.MEETING_PACK else "informe"
        code = self.audience_code.lower().replace(" ", "-")
        return f"{prefix}-{code}-{self.as_of:%Y-%m-%d}.{self.format}"


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("Correo electrónico")
    INBOX = "inbox", _("Bandeja Informes")


class ReportDelivery(models.Model):
    """A report delivered to one person through one channel: to whom, when, with what outcome
    (for e-mail, the status of its outgoing message when it was queued; the outbox retries it
    until it is sent, and `email.status` tells where it stands now)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("canal"), max_length=10, choices=DeliveryChannel.choices)
    delivered_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    outcome = models.CharField(_("resultado"), max_length=20)
    email = models.ForeignKey(
        "notifications.OutgoingEmail",
        verbose_name=_("correo saliente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("entrega de informe")
        verbose_name_plural = _("entregas de informes")
        ordering = ("-delivered_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user", "channel"], name="report_delivery_once_per_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.user_id} ({self.channel})"
