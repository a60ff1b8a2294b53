"""Cut-offs and their frozen snapshots: figures "con corte al …" that never change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from acuerdos.commitments.models import Commitment


class CutOffStatus(models.TextChoices):
    OPEN = "open", _("Abierto")
    CLOSED = "closed", _("Cerrado")


class CutOff(models.Model):
    """A corte: a date whose figures are frozen when it is closed (PRODUCT.md §2, §3.8)."""

    date = models.DateField(_("fecha de corte"), unique=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=CutOffStatus.choices, default=CutOffStatus.OPEN
    )
    closed_at = models.DateTimeField(_("cerrado"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot_rows = models.PositiveIntegerField(_("compromisos congelados"), default=0)

    class Meta:
        verbose_name = _("corte")
        verbose_name_plural = _("cortes")
        ordering = ("-date",)
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=CutOffStatus.OPEN) & Q(closed_at__isnull=True))
                | (Q(status=CutOffStatus.CLOSED) & Q(closed_at__isnull=False)),
                name="cutoff_closed_has_time",
                violation_error_message=_("Un corte cerrado requiere fecha de cierre."),
            ),
        ]

    def __str__(self) -> str:
        return f"Corte al {self.date:%d/%m/%Y}"

    @property
    def is_closed(self) -> bool:
        return self.status == CutOffStatus.CLOSED


class Snapshot(models.Model):
    """One commitment as it stood at a closed cut-off: everything its figures need (§3.8).

    Progress and expected progress are exact fractions (num/den, in percent); the group keys
    are copied so that every figure of the cut-off can be recomputed from these rows alone.
    """

    cutoff = models.ForeignKey(CutOff, on_delete=models.PROTECT, related_name="snapshots")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="+")
    unit_id = models.BigIntegerField()
    region_id = models.BigIntegerField()
    round_id = models.BigIntegerField(null=True)
    meeting_id = models.BigIntegerField()
    theme_id = models.BigIntegerField()
    area_id = models.BigIntegerField()
    agreement_id = models.BigIntegerField()
    weight_cents = models.BigIntegerField()
    progress_num = models.BigIntegerField()
    progress_den = models.BigIntegerField()
    expected_num = models.BigIntegerField()
    expected_den = models.BigIntegerField()
    due_date = models.DateField()
    status = models.CharField(max_length=10)
    on_time = models.BooleanField(null=True)
    stale = models.BooleanField()
    in_denominator = models.BooleanField()
    overdue_days = models.IntegerField()

    class Meta:
        verbose_name = _("renglón de corte")
        verbose_name_plural = _("renglones de corte")
        constraints = [
            models.UniqueConstraint(
                fields=["cutoff", "commitment"], name="snapshot_one_row_per_commitment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cutoff} · {self.commitment_id}"


class SnapshotFigures(models.Model):
    """The §3.7 figures of one group of a closed cut-off, computed once when it closed, so that
    reading a cut-off's national figures costs one small query (§3.8: they never change).

    `figures` holds exact values (levels as "numerator/denominator" strings); the row with
    grouping "*" marks a cut-off whose figures were all computed.
    """

    cutoff = models.ForeignKey(CutOff, on_delete=models.PROTECT, related_name="group_figures")
    grouping = models.CharField(max_length=10)
    key = models.BigIntegerField()
    figures = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("cifras de corte")
        verbose_name_plural = _("cifras de corte")
        constraints = [
            models.UniqueConstraint(
                fields=["cutoff", "grouping", "key"], name="snapshot_figures_one_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cutoff} · {self.grouping} {self.key}"
