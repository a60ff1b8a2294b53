"""In-app notifications, designed for e-mail delivery and daily digests too."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Por enviar")
    SENT = "sent", _("Enviado")
    SKIPPED = "skipped", _("No se envía por correo")
    FAILED = "failed", _("Falló el envío")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: Any) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a person should know: a report to validate, a return, a decision, a reminder.

    Shown in the app (unread until `read_at`), and gathered into at most one e-mail digest per
    person per day (`email_status`, `emailed_at`). `dedupe_key` makes reminders idempotent:
    the same person, commitment, kind and date never produce two notifications.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("tipo"), max_length=60)
    title = models.CharField(_("título"), max_length=200)
    body = models.TextField(_("detalle"), blank=True)
    url = models.CharField(_("enlace"), max_length=300, blank=True)
    commitment_id = models.BigIntegerField(_("compromiso"), null=True, blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("leída"), null=True, blank=True)
    email_status = models.CharField(
        _("correo"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField(_("enviada por correo"), null=True, blank=True)
    dedupe_key = models.CharField(_("clave de unicidad"), max_length=200, null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="notification_dedupe",
                violation_error_message=_("Esta notificación ya se había generado."),
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["email_status", "created_at"], name="notification_email_idx"),
        ]

    def __str__(self) -> str:
        return self.title
