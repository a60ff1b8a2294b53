"""Rounds of Regional Meetings and the meetings where agreements are signed and reviewed."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from acuerdos.core.models import TimeStampedModel
from acuerdos.organization.models import Region, Unit
from acuerdos.organization.scope import scope_for


class Round(TimeStampedModel):
    """A round of Regional Meetings, e.g. "8ª Ronda de Reuniones Regionales 2026"."""

    name = models.CharField(_("nombre"), max_length=200, unique=True)
    number = models.PositiveSmallIntegerField(_("número"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("año"))

    class Meta:
        verbose_name = _("ronda")
        verbose_name_plural = _("rondas")
        ordering = ("-year", "-number", "name")

    def __str__(self) -> str:
        return self.name


class MeetingKind(models.TextChoices):
    REGIONAL = "regional", _("Reunión regional")
    FOLLOW_UP = "follow_up", _("Reunión de seguimiento")
    WORKING_GROUP = "working_group", _("Grupo de trabajo")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: Any) -> MeetingQuerySet:
        """Meetings the user may see: all for coordinators and viewers; otherwise those in which
        one of their units took part, that hold an agreement they can see, or that reviewed one
        (follow-up meetings)."""
        scope = scope_for(user)
        if not scope.authenticated:
            return self.none()
        if scope.sees_everything:
            return self.all()
        from acuerdos.commitments.models import Agreement
        from acuerdos.followup.models import ReviewDecision

        visible = Agreement.objects.visible_to(user)
        visible_agreements = visible.filter(meeting=OuterRef("pk"))
        # A follow-up meeting that reviewed one of the user's agreements: the agreement page
        # links to it ("Revisado en <reunión>").
        reviewed = ReviewDecision.objects.filter(meeting=OuterRef("pk"), agreement__in=visible)
        participant = Meeting.participants.through.objects.filter(
            meeting_id=OuterRef("pk"), unit_id__in=scope.unit_ids
        )
        return self.filter(
            Q(Exists(participant)) | Q(Exists(visible_agreements)) | Q(Exists(reviewed))
        )


class Meeting(TimeStampedModel):
    """A meeting: regional (where agreements are signed), follow-up, or working group.

    `code` (e.g. `RR8-CEN`) is stable and prefixes the folios of the agreements signed there.
    """

    code = models.CharField(_("clave"), max_length=30, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    round = models.ForeignKey(
        Round,
        verbose_name=_("ronda"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=MeetingKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("región"), on_delete=models.PROTECT, related_name="meetings"
    )
    venue = models.CharField(_("sede"), max_length=200, blank=True)
    start_date = models.DateField(_("fecha de inicio"))
    end_date = models.DateField(_("fecha de término"))
    participants = models.ManyToManyField(
        Unit, verbose_name=_("unidades participantes"), blank=True, related_name="meetings"
    )
    minuta = models.FileField(_("minuta"), upload_to="minutas/%Y/", blank=True)
    is_demo = models.BooleanField(
        _("datos de demostración"),
        default=False,
        help_text=_("Reunión inventada para la demostración (fechas y cifras no públicas)."),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("reunión")
        verbose_name_plural = _("reuniones")
        ordering = ("-start_date", "code")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="meeting_end_after_start",
                violation_error_message=_(
                    "La fecha de término no puede ser anterior a la fecha de inicio."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in MeetingKind]),
                name="meeting_kind_valid",
                violation_error_message=_("Tipo de reunión no válido."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])
