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


class OutgoingStatus(models.TextChoices):
    PENDING = "pending", _("Por enviar")
    SENT = "sent", _("Enviado")
    FAILED = "failed", _("Falló")


class OutgoingEmail(models.Model):
    """One e-mail in the outbox: stored before it is sent, so that nothing is ever lost.

    `pending` until a delivery succeeds (`sent`); a transient error (server down, timeout, 4xx)
    keeps it pending with `next_attempt_at` pushed back, a permanent one (5xx: the address or the
    sender is refused) or too many attempts marks it `failed` (listed for coordinators, who can
    send it again). Every attempt is an `EmailAttempt` row. `claimed_until` is a short lease
    so that two workers never send the same e-mail at the same time. `attachments` is a list of
    `[file name, storage name in default_storage, mimetype]`.
    """

    to = models.EmailField(_("para"), max_length=254)
    subject = models.CharField(_("asunto"), max_length=300)
    body = models.TextField(_("texto"))
    html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(_("adjuntos"), default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinatario"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outgoing_emails",
    )
    dedupe_key = models.CharField(
        _("clave de unicidad"), max_length=200, null=True, blank=True, unique=True
    )
    status = models.CharField(
        _("estado"),
        max_length=10,
        choices=OutgoingStatus.choices,
        default=OutgoingStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("intentos"), default=0)
    last_error = models.TextField(_("último error"), blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("próximo intento"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("en envío hasta"), null=True, blank=True)
    sent_at = models.DateTimeField(_("enviado"), null=True, blank=True)

    class Meta:
        verbose_name = _("correo saliente")
        verbose_name_plural = _("correos salientes")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outgoing_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class EmailAttempt(models.Model):
    """One try at handing an outgoing e-mail to the SMTP server, with its outcome."""

    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("fecha"), auto_now_add=True)
    ok = models.BooleanField(_("entregado al servidor"))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("intento de envío")
        verbose_name_plural = _("intentos de envío")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.email_id} @ {self.at:%Y-%m-%d %H:%M}"


class NotificationPreference(models.Model):
    """What a person chose about notifications: whether to receive the daily e-mail digest.

    No row means the default: e-mail on. In-app notifications are always kept.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(
        _("Recibir un resumen diario por correo"),
        default=True,
        help_text=_("Un solo correo al día con las notificaciones pendientes."),
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("preferencia de notificación")
        verbose_name_plural = _("preferencias de notificación")

    def __str__(self) -> str:
        return f"{self.user_id}: {'correo' if self.email_enabled else 'sin correo'}"
