"""Agreements, the commitments they create for each responsible unit, and their targets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Round
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from acuerdos.core.expressions import DayNumber
from acuerdos.core.models import TimeStampedModel
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Theme, Unit
from acuerdos.organization.scope import Scope, scope_for

# The weight in hundredths (weights have two decimals), as the evaluation sums it.
WEIGHT_CENTS = Cast(Round(F("weight") * 100), models.BigIntegerField())
# Progress fractions with these denominators have whole ten-thousandths: the evaluation sums
# them as integers; the others are added up exactly in Python (evaluation.engine).
DIVISORS_OF_10_000 = tuple(d for d in range(1, 10_001) if 10_000 % d == 0)


class Priority(models.TextChoices):
    HIGH = "alta", _("Alta")
    MEDIUM = "media", _("Media")
    LOW = "baja", _("Baja")


class TargetKind(models.TextChoices):
    PERCENT = "percent", _("Porcentaje de avance")
    INDICATOR = "indicator", _("Indicador")
    MILESTONES = "milestones", _("Hitos")


def _co_responsible_link(scope: Scope) -> models.QuerySet[Any]:
    """Rows of the co-responsibility table that involve one of the user's units."""
    return Commitment.co_responsible_units.through.objects.filter(unit_id__in=scope.unit_ids)


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def visible_to(self, user: Any) -> AgreementQuerySet:
        """Agreements the user may see (PRODUCT.md §1): all for coordinators and viewers; the
        ones their area validates for validators; the ones binding their unit (as responsible
        or co-responsible) for heads and liaisons."""
        scope = scope_for(user)
        if not scope.authenticated:
            return self.none()
        if scope.sees_everything:
            return self.all()
        condition = Q(validating_area_id__in=scope.validator_area_ids)
        if scope.unit_ids:
            responsible = Commitment.objects.filter(
                agreement_id=OuterRef("pk"), responsible_unit_id__in=scope.unit_ids
            )
            condition |= Q(Exists(responsible)) | Q(
                Exists(_co_responsible_link(scope).filter(commitment__agreement_id=OuterRef("pk")))
            )
        return self.filter(condition)


class Agreement(TimeStampedModel):
    """An acuerdo signed at a meeting: what is to be done, by which units, validated by whom.

    The folio (e.g. `RR8-CEN-2026-0001`) is unique in the whole system. An agreement is never
    copied: follow-up meetings review it and keep its one history.
    """

    folio = models.CharField(_("folio"), max_length=40, unique=True)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("reunión"), on_delete=models.PROTECT, related_name="agreements"
    )
    text = models.TextField(_("acuerdo"))
    deliverable = models.TextField(_("entregable"), blank=True)
    theme = models.ForeignKey(
        Theme, verbose_name=_("línea de acción"), on_delete=models.PROTECT, related_name="+"
    )
    validating_area = models.ForeignKey(
        Unit,
        verbose_name=_("área normativa que valida"),
        on_delete=models.PROTECT,
        related_name="validated_agreements",
    )
    priority = models.CharField(
        _("prioridad"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    version = models.PositiveIntegerField(_("versión"), default=1)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("acuerdo")
        verbose_name_plural = _("acuerdos")
        ordering = ("folio",)
        constraints = [
            models.CheckConstraint(
                condition=~Q(folio=""),
                name="agreement_folio_not_empty",
                violation_error_message=_("El folio es obligatorio."),
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="agreement_text_not_empty",
                violation_error_message=_("El texto del acuerdo es obligatorio."),
            ),
            models.CheckConstraint(
                condition=Q(priority__in=[p.value for p in Priority]),
                name="agreement_priority_valid",
                violation_error_message=_("Prioridad no válida."),
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "folio"], name="agreement_meeting_idx"),
            models.Index(fields=["validating_area"], name="agreement_area_idx"),
            models.Index(fields=["theme"], name="agreement_theme_idx"),
        ]

    def __str__(self) -> str:
        return self.folio

    def get_absolute_url(self) -> str:
        return reverse("commitments:agreement_detail", args=[self.pk])


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def visible_to(self, user: Any) -> CommitmentQuerySet:
        """Commitments the user may see (PRODUCT.md §1)."""
        scope = scope_for(user)
        if not scope.authenticated:
            return self.none()
        if scope.sees_everything:
            return self.all()
        condition = Q(agreement__validating_area_id__in=scope.validator_area_ids)
        if scope.unit_ids:
            condition |= Q(responsible_unit_id__in=scope.unit_ids) | Q(
                Exists(_co_responsible_link(scope).filter(commitment_id=OuterRef("pk")))
            )
        return self.filter(condition)

    def reportable_by(self, user: Any) -> CommitmentQuerySet:
        """Commitments on which the user reports progress: those of their own units."""
        scope = scope_for(user)
        return self.filter(responsible_unit_id__in=scope.unit_ids)

    def active(self) -> CommitmentQuerySet:
        return self.filter(cancelled_on__isnull=True)


class Commitment(TimeStampedModel):
    """A compromiso: one agreement × one responsible unit, with its own target and dates.

    An agreement that binds the 11 OOAD of Centro has 11 commitments. `due_date` is the original
    fecha compromiso; approved extensions (ExtensionRequest) replace it from their decision date
    on, and the history keeps every date. Cancelled commitments (`cancelled_on` set) leave the
    denominators of every figure.
    """

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("acuerdo"), on_delete=models.PROTECT, related_name="commitments"
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unidad responsable"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    co_responsible_units = models.ManyToManyField(
        Unit,
        verbose_name=_("unidades corresponsables"),
        blank=True,
        related_name="co_commitments",
    )
    start_date = models.DateField(_("fecha de inicio"))
    due_date = models.DateField(_("fecha compromiso original"))
    weight = models.DecimalField(
        _("peso"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    target_kind = models.CharField(
        _("tipo de meta"), max_length=12, choices=TargetKind.choices, default=TargetKind.PERCENT
    )
    indicator_name = models.CharField(_("indicador"), max_length=300, blank=True)
    unit_of_measure = models.CharField(_("unidad de medida"), max_length=80, blank=True)
    baseline = models.DecimalField(
        _("línea base"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target_value = models.DecimalField(
        _("meta"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    cancelled_on = models.DateField(_("fecha de cancelación"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelado por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancellation_reason = models.TextField(_("motivo de cancelación"), blank=True)
    version = models.PositiveIntegerField(_("versión"), default=1)
    # Evaluation inputs as of today, refreshed by every write that changes them
    # (progress.inputs.refresh_inputs). Never the status: it changes with the date alone.
    current_progress_num = models.BigIntegerField(default=0, editable=False)
    current_progress_den = models.BigIntegerField(default=1, editable=False)
    current_due_date = models.DateField(null=True, blank=True, editable=False)
    last_submitted_on = models.DateField(null=True, blank=True, editable=False)
    complete_since = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="As-of date of the report that opened the final run of 100 % reports.",
    )
    # The same inputs as the national evaluation reads them (evaluation.engine), computed by the
    # database from the columns above, so that they can never disagree with them: day numbers
    # instead of ISO dates (integer arithmetic), the weight in hundredths, whether the commitment
    # was complete by its due date, and its weighted progress in ten-thousandths when that is a
    # whole number (its progress denominator divides 10 000; NULL otherwise).
    start_day = models.GeneratedField(
        expression=DayNumber("start_date"), output_field=models.IntegerField(), db_persist=True
    )
    due_day = models.GeneratedField(
        expression=DayNumber(Coalesce("current_due_date", "due_date")),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    weight_cents = models.GeneratedField(
        expression=WEIGHT_CENTS, output_field=models.BigIntegerField(), db_persist=True
    )
    complete_on_time = models.GeneratedField(
        expression=Case(
            When(
                Q(current_progress_num=F("current_progress_den") * 100)
                & Q(complete_since__lte=Coalesce("current_due_date", "due_date")),
                then=Value(True),
            ),
            default=Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    weighted_progress_e4 = models.GeneratedField(
        expression=Case(
            When(
                current_progress_den__in=DIVISORS_OF_10_000,
                then=WEIGHT_CENTS
                * F("current_progress_num")
                * (Value(10_000) / F("current_progress_den")),
            ),
            default=None,
        ),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")
        # Ordered by ids, not by joined names: at national scale a join per query is costly.
        ordering = ("agreement_id", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "responsible_unit"],
                name="commitment_one_per_unit",
                violation_error_message=_("La unidad ya tiene un compromiso en este acuerdo."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")),
                name="commitment_due_not_before_start",
                violation_error_message=_(
                    "La fecha compromiso no puede ser anterior a la fecha de inicio."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="commitment_weight_positive",
                violation_error_message=_("El peso debe ser mayor que cero."),
            ),
            models.CheckConstraint(
                condition=Q(target_kind__in=[k.value for k in TargetKind]),
                name="commitment_target_kind_valid",
                violation_error_message=_("Tipo de meta no válido."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(target_kind=TargetKind.INDICATOR)
                    & Q(baseline__isnull=False)
                    & Q(target_value__isnull=False)
                    & ~Q(target_value=models.F("baseline"))
                )
                | (
                    ~Q(target_kind=TargetKind.INDICATOR)
                    & Q(baseline__isnull=True)
                    & Q(target_value__isnull=True)
                ),
                name="commitment_indicator_target_consistent",
                violation_error_message=_(
                    "Una meta de indicador requiere línea base y meta distintas entre sí; "
                    "las demás metas no llevan línea base ni meta numérica."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(cancelled_on__isnull=True) & Q(cancellation_reason=""))
                | (Q(cancelled_on__isnull=False) & ~Q(cancellation_reason="")),
                name="commitment_cancellation_has_reason",
                violation_error_message=_("Una cancelación requiere fecha y motivo."),
            ),
        ]
        indexes = [
            models.Index(fields=["responsible_unit", "due_date"], name="commitment_unit_due_idx"),
            models.Index(fields=["due_date"], name="commitment_due_idx"),
            # Covers today's evaluation (evaluation.engine): one pass over this index, in unit
            # order, reads every input (and the agreement, for the other groupings) without
            # touching the wide table rows.
            models.Index(
                fields=[
                    "responsible_unit",
                    "start_day",
                    "cancelled_on",
                    "current_progress_num",
                    "current_progress_den",
                    "due_day",
                    "last_submitted_on",
                    "complete_on_time",
                    "weighted_progress_e4",
                    "weight_cents",
                    "agreement",
                ],
                name="commitment_evaluation_idx",
            ),
            # The few whose weighted progress is not a whole number of ten-thousandths, in
            # unit and denominator order: the evaluation sums them per denominator, unsorted.
            models.Index(
                fields=[
                    "responsible_unit",
                    "current_progress_den",
                    "start_day",
                    "cancelled_on",
                    "current_progress_num",
                    "weight_cents",
                    "agreement",
                ],
                condition=Q(weighted_progress_e4__isnull=True),
                name="commitment_odd_progress_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.folio} · {self.responsible_unit.short_name}"

    def get_absolute_url(self) -> str:
        return reverse("commitments:commitment_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_on is not None

    @property
    def lower_is_better(self) -> bool:
        """An indicator whose target is below its baseline (waiting days) improves downwards."""
        return (
            self.target_kind == TargetKind.INDICATOR
            and self.baseline is not None
            and self.target_value is not None
            and self.target_value < self.baseline
        )


class Milestone(models.Model):
    """A hito of a commitment with a milestones target; its weight counts toward progress."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("hito"), max_length=300)
    due_date = models.DateField(_("fecha programada"))
    weight = models.DecimalField(
        _("peso"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("hito")
        verbose_name_plural = _("hitos")
        ordering = ("commitment", "order", "due_date")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "name"],
                name="milestone_unique_name",
                violation_error_message=_("El compromiso ya tiene un hito con ese nombre."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="milestone_weight_positive",
                violation_error_message=_("El peso del hito debe ser mayor que cero."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="milestone_name_not_empty",
                violation_error_message=_("El hito necesita un nombre."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    APPROVED = "approved", _("Aprobada")
    DENIED = "denied", _("Negada")


class ExtensionRequest(TimeStampedModel):
    """A reprogramación: the unit asks to move the due date; the coordinator decides.

    `previous_due_date` records the date in force when it was asked, so the history keeps every
    due date. An approved request replaces the due date from `decided_on` (a Mexico City date).
    """

    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="extension_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    previous_due_date = models.DateField(_("fecha compromiso vigente"))
    new_due_date = models.DateField(_("nueva fecha compromiso"))
    justification = models.TextField(_("justificación"))
    status = models.CharField(
        _("estado"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("fecha de resolución"), null=True, blank=True)
    decision_comment = models.TextField(_("comentario de la resolución"), blank=True)

    class Meta:
        verbose_name = _("solicitud de reprogramación")
        verbose_name_plural = _("solicitudes de reprogramación")
        ordering = ("commitment", "created_at")
        constraints = [
            models.CheckConstraint(
                condition=~Q(new_due_date=models.F("previous_due_date")),
                name="extension_changes_date",
                violation_error_message=_(
                    "La nueva fecha compromiso debe ser distinta de la vigente."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(justification=""),
                name="extension_justified",
                violation_error_message=_("La solicitud de reprogramación requiere justificación."),
            ),
            models.CheckConstraint(
                condition=(Q(status=ExtensionStatus.PENDING) & Q(decided_on__isnull=True))
                | (
                    Q(status__in=[ExtensionStatus.APPROVED, ExtensionStatus.DENIED])
                    & Q(decided_on__isnull=False)
                ),
                name="extension_decision_consistent",
                violation_error_message=_("Una solicitud resuelta requiere fecha de resolución."),
            ),
        ]
        indexes = [
            models.Index(fields=["commitment", "status", "decided_on"], name="extension_lookup_idx")
        ]

    def __str__(self) -> str:
        return f"{self.commitment} → {self.new_due_date:%d/%m/%Y}"
