"""Regions, units, themes, people and their roles: who exists and who may see what."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from acuerdos.core.models import TimeStampedModel
from acuerdos.core.text import normalize


class Region(models.Model):
    """One of the four regions in which IMSS holds its Reuniones Regionales."""

    code = models.CharField(_("clave"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=100, unique=True)
    short_name = models.CharField(_("nombre corto"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("región")
        verbose_name_plural = _("regiones")
        ordering = ("order", "name")

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    OOAD = "ooad", _("OOAD")
    UMAE = "umae", _("UMAE")
    NORMATIVE_AREA = "normative_area", _("Área normativa")
    COORDINATION = "coordination", _("Coordinación normativa")
    WORKING_GROUP = "working_group", _("Grupo local de trabajo IMSS–SNTSS")


RESPONSIBLE_KINDS = (UnitKind.OOAD, UnitKind.UMAE, UnitKind.WORKING_GROUP)
NORMATIVE_KINDS = (UnitKind.NORMATIVE_AREA, UnitKind.COORDINATION)


class UnitQuerySet(models.QuerySet["Unit"]):
    def responsible(self) -> UnitQuerySet:
        """Units that sign commitments: OOAD, UMAE and local working groups."""
        return self.filter(kind__in=RESPONSIBLE_KINDS)

    def normative(self) -> UnitQuerySet:
        """Directorates and their coordinations, which validate progress."""
        return self.filter(kind__in=NORMATIVE_KINDS)


class Unit(TimeStampedModel):
    """An organisational unit: OOAD, UMAE, normative area or coordination, or working group.

    `parent` builds the tree of the normative areas (a coordination belongs to a direction);
    `code` is stable and is what imports, the API and reports refer to.
    """

    code = models.CharField(_("clave"), max_length=40, unique=True)
    name = models.CharField(_("nombre oficial"), max_length=300)
    short_name = models.CharField(_("nombre corto"), max_length=120)
    kind = models.CharField(_("tipo"), max_length=20, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("región"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unidad superior"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    city = models.CharField(_("sede"), max_length=120, blank=True)
    source = models.TextField(_("fuente"), blank=True)
    is_active = models.BooleanField(_("activa"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unidad")
        verbose_name_plural = _("unidades")
        ordering = ("kind", "short_name")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in UnitKind]),
                name="unit_kind_valid",
                violation_error_message=_("Tipo de unidad no válido."),
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="unit_not_own_parent",
                violation_error_message=_("Una unidad no puede ser su propia unidad superior."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_responsible(self) -> bool:
        return self.kind in RESPONSIBLE_KINDS

    @property
    def is_normative(self) -> bool:
        return self.kind in NORMATIVE_KINDS


class UnitAlias(models.Model):
    """Another way people write a unit's name in spreadsheets ("Cd. de México Nte.").

    `normalized` is the accent- and case-folded form used for matching; it is unique so that an
    alias never points to two units.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=300)
    normalized = models.CharField(_("alias normalizado"), max_length=300, unique=True)

    class Meta:
        verbose_name = _("alias de unidad")
        verbose_name_plural = _("alias de unidades")
        ordering = ("alias",)

    def __str__(self) -> str:
        return self.alias

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalized = normalize(self.alias)
        super().save(*args, **kwargs)


class Theme(TimeStampedModel):
    """A línea de acción (Atención médica, CECI, Abasto de medicamentos…) with its lead area.

    The lead normative area is the default validating area of a new agreement of this theme.
    """

    code = models.CharField(_("clave"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=120, unique=True)
    lead_area = models.ForeignKey(
        Unit,
        verbose_name=_("área normativa líder"),
        on_delete=models.PROTECT,
        related_name="led_themes",
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    is_active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("línea de acción")
        verbose_name_plural = _("líneas de acción")
        ordering = ("order", "name")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    """Users are identified by their work e-mail."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("El correo es obligatorio")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in. Only the personal data the work needs: name and work e-mail."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("correo institucional"), unique=True)
    full_name = models.CharField(_("nombre completo"), max_length=200)
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        ordering = ("full_name",)
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinación central")
    VALIDATOR = "validator", _("Área normativa")
    HEAD = "head", _("Titular")
    LIAISON = "liaison", _("Enlace")
    VIEWER = "viewer", _("Consulta")


class Membership(TimeStampedModel):
    """A user's role in one unit. A person may hold several (e.g. enlace of two UMAE)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unidad"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("vigente"), default=True)

    class Meta:
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        ordering = ("unit__short_name", "role")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_unique_user_unit_role",
                violation_error_message=_("El usuario ya tiene ese rol en esa unidad."),
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]),
                name="membership_role_valid",
                violation_error_message=_("Rol no válido."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def of_user(self, user: Any) -> ApiTokenQuerySet:
        """A person's own tokens (nobody else's are ever listed)."""
        return self.filter(user=user)


class ApiToken(TimeStampedModel):
    """A personal API token (token de API) for BI tools: acts with exactly its owner's scope.

    Only the SHA-256 of the secret is stored; `prefix` is its first characters, shown so that a
    person recognises which token is which. Read-only unless created with `can_write`. A token
    stops working at `expires_at`, when revoked, or when its owner's account is deactivated.
    `last_used_at` is refreshed at most once a minute (no write per request).
    """

    user = models.ForeignKey(
        User, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nombre"), max_length=100)
    prefix = models.CharField(_("prefijo"), max_length=16, unique=True)
    key_hash = models.CharField(_("huella SHA-256"), max_length=64, unique=True)
    can_write = models.BooleanField(_("permite escribir"), default=False)
    expires_at = models.DateTimeField(_("vence"))
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocado"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token de API")
        verbose_name_plural = _("tokens de API")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""),
                name="api_token_named",
                violation_error_message=_("Escriba un nombre para el token."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
