"""Shared kernel: the abstract base model every domain model builds on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that remembers when it was created and last changed (system time, UTC)."""

    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        abstract = True


class JobFailure(models.Model):
    """A background job that raised: kept so that coordinators see it (nothing fails silently).

    `final` is true when huey will not retry it any more; `retries_left` says how many tries remain.
    """

    task_name = models.CharField(_("tarea"), max_length=200)
    task_id = models.CharField(_("identificador"), max_length=64)
    args = models.TextField(_("argumentos"), blank=True)
    error = models.TextField(_("error"))
    traceback = models.TextField(_("traza"), blank=True)
    retries_left = models.PositiveIntegerField(_("reintentos restantes"), default=0)
    final = models.BooleanField(_("definitiva"), default=True)
    occurred_at = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("falla de tarea")
        verbose_name_plural = _("fallas de tareas")
        ordering = ("-occurred_at", "-id")

    def __str__(self) -> str:
        return f"{self.task_name} {self.occurred_at:%Y-%m-%d %H:%M}"


class ScheduleSlot(models.Model):
    """A periodic job's run for one slot of its schedule (a minute, a day): the unique pair is
    the lock that keeps two schedulers from running the same slot twice. `duplicates` counts the
    runs that were kept out (a sign that more than one consumer runs the schedule)."""

    task_name = models.CharField(_("tarea"), max_length=200)
    slot = models.CharField(_("turno"), max_length=40)
    claimed_at = models.DateTimeField(_("tomado"), auto_now_add=True, db_index=True)
    # More than zero means a second scheduler is running (and was kept from doubling the work).
    duplicates = models.PositiveIntegerField(_("intentos duplicados"), default=0)

    class Meta:
        verbose_name = _("turno de tarea periódica")
        verbose_name_plural = _("turnos de tareas periódicas")
        constraints = [
            models.UniqueConstraint(fields=["task_name", "slot"], name="schedule_slot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} {self.slot}"
