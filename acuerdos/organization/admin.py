"""Admin (in Spanish, as the models' verbose names) for the catalog, users and memberships.

Catalog rows and accounts are never deleted here (archives law; PROTECT foreign keys): they are
deactivated. Every save is audited (`core.admin_audit.AuditedAdmin`).

django-otp's own admin pages for the second-factor devices are taken off the site: they would
create, edit and delete devices (and show their secrets) with no audit event. A person manages
their own second factor on «Segundo factor»; a coordinator resets someone else's on the person's
page (`two_factor_services.two_factor_reset`, audited).
"""

from __future__ import annotations

from typing import Any

# django-otp's admin modules are imported here so that they have registered their pages (which
# are taken off just below) whatever the order in which autodiscovery reaches the apps.
import django_otp.plugins.otp_static.admin
import django_otp.plugins.otp_totp.admin  # noqa: F401
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from acuerdos.core.admin_audit import AuditedAdmin
from acuerdos.organization.models import Membership, Region, Theme, Unit, UnitAlias, User

# No unaudited way to edit, create or delete a second-factor device (see the module docstring).
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


class NoDeleteMixin:
    """Rows that other records point to are deactivated, never deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(NoDeleteMixin, AuditedAdmin[Region]):
    list_display = ("name", "short_name", "code", "order")
    search_fields = ("name", "short_name", "code")
    fields = ("code", "name", "short_name", "order")


class UnitAliasInline(admin.TabularInline[UnitAlias, Unit]):
    model = UnitAlias
    fields = ("alias", "normalized")
    readonly_fields = ("normalized",)
    extra = 0
    verbose_name = _("alias")
    verbose_name_plural = _("alias con que se escribe la unidad en las hojas de cálculo")


@admin.register(Unit)
class UnitAdmin(NoDeleteMixin, AuditedAdmin[Unit]):
    list_display = ("short_name", "code", "kind", "region", "parent", "is_active")
    list_filter = ("kind", "region", "is_active")
    search_fields = ("code", "name", "short_name", "aliases__alias")
    list_select_related = ("region", "parent")
    autocomplete_fields = ("parent",)
    fields = (
        "code",
        "name",
        "short_name",
        "kind",
        "region",
        "parent",
        "city",
        "source",
        "is_active",
    )
    inlines = (UnitAliasInline,)
    ordering = ("kind", "short_name")


@admin.register(Theme)
class ThemeAdmin(NoDeleteMixin, AuditedAdmin[Theme]):
    list_display = ("name", "code", "lead_area", "order", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("lead_area",)
    search_fields = ("name", "code")
    autocomplete_fields = ("lead_area",)
    fields = ("code", "name", "lead_area", "order", "is_active")


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    fields = ("unit", "role", "is_active")
    autocomplete_fields = ("unit",)
    extra = 0
    can_delete = False
    verbose_name = _("membresía")
    verbose_name_plural = _("unidades y roles (desactive en lugar de borrar)")


class UserCreationAdminForm(AdminUserCreationForm):
    """Create an account by work e-mail and full name; the e-mail is stored in lower case."""

    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        value: str = self.cleaned_data["email"]
        return value.strip().lower()


class UserChangeAdminForm(UserChangeForm[User]):
    """Edit an account: explicit fields only (never `__all__`)."""

    class Meta:
        model = User
        fields = (
            "email",
            "full_name",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        )

    def clean_email(self) -> str:
        value: str = self.cleaned_data["email"]
        return value.strip().lower()


@admin.register(User)
class UserAdmin(NoDeleteMixin, DjangoUserAdmin[User], AuditedAdmin[User]):
    """Django's user admin adapted to the e-mail login and the single full-name field."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ("full_name", "email", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__role")
    search_fields = ("full_name", "email")
    ordering = ("full_name", "email")
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Datos personales"), {"fields": ("full_name",)}),
        (
            _("Permisos del panel de administración"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Fechas"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    inlines = (MembershipInline,)

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        # Memberships are added once the account exists (the add form stays short).
        return self.inlines if obj is not None else ()


@admin.register(Membership)
class MembershipAdmin(NoDeleteMixin, AuditedAdmin[Membership]):
    list_display = ("user", "unit", "role", "is_active")
    list_filter = ("role", "is_active", "unit__kind", "unit__region")
    search_fields = ("user__full_name", "user__email", "unit__short_name", "unit__code")
    list_select_related = ("user", "unit")
    autocomplete_fields = ("user", "unit")
    fields = ("user", "unit", "role", "is_active")
