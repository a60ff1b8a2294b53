"""The audit trail: one append-only row for every write in the system."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Append-only: the code has no path that updates or deletes audit rows."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only")

    def for_target(self, target_type: str, target_id: object) -> AuditEventQuerySet:
        return self.filter(target_type=target_type, target_id=str(target_id))


class AuditEvent(models.Model):
    """Who did what to which object, when, with the values before and after.

    `action` is a dotted past-tense code (`commitment.extended`, `evidence.downloaded`).
    `target_type` is the model label (`commitments.commitment`) and `target_id` its primary key,
    so that an object's story is one indexed query. `commitment` is set on every event that
    belongs to a commitment's story (its reports, evidence, extensions, comments).
    `changes` maps a field to `[old, new]`; `context` holds anything else worth keeping.
    """

    occurred_at = models.DateTimeField(_("fecha y hora"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("usuario (texto)"), max_length=200, blank=True)
    action = models.CharField(_("acción"), max_length=80, db_index=True)
    target_type = models.CharField(_("tipo de objeto"), max_length=80)
    target_id = models.CharField(_("objeto"), max_length=64)
    target_label = models.CharField(_("descripción del objeto"), max_length=300, blank=True)
    commitment_id = models.BigIntegerField(_("compromiso"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("cambios"), default=dict, blank=True)
    context = models.JSONField(_("contexto"), default=dict, blank=True)
    request_id = models.CharField(_("id de solicitud"), max_length=64, blank=True)
    source = models.CharField(
        _("origen"),
        max_length=20,
        default="web",
        help_text=_("web, api, command, job, import, seed"),
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("evento de bitácora")
        verbose_name_plural = _("eventos de bitácora")
        ordering = ("-occurred_at", "-id")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only")
