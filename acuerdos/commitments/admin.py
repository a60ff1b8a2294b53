"""Admin for agreements (read-mostly) and reprogramming requests (read-only).

Agreements and commitments are created by imports and services, which audit and validate them;
here the Coordinación central can only correct an agreement's wording, theme, validating area or
priority (audited, and the version is bumped for the optimistic-concurrency checks). Nothing is
deleted (archives law).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from acuerdos.commitments.models import Agreement, Commitment, ExtensionRequest
from acuerdos.core.admin_audit import AuditedAdmin


class CommitmentInline(admin.TabularInline[Commitment, Agreement]):
    """The agreement's commitments, shown for reference only."""

    model = Commitment
    fields = (
        "responsible_unit",
        "start_date",
        "due_date",
        "target_kind",
        "weight",
        "cancelled_on",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("responsible_unit")


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin[Agreement]):
    list_display = ("folio", "meeting", "theme", "validating_area", "priority")
    list_filter = ("meeting__region", "meeting", "theme", "priority")
    search_fields = ("folio", "text")
    list_select_related = ("meeting", "theme", "validating_area")
    fields = (
        "folio",
        "meeting",
        "text",
        "deliverable",
        "theme",
        "validating_area",
        "priority",
        "version",
    )
    readonly_fields = ("folio", "meeting", "version")
    autocomplete_fields = ("validating_area",)
    inlines = (CommitmentInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Agreement, form: Any, change: bool) -> None:
        if change and form.changed_data:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin[ExtensionRequest]):
    """Reprogramming requests, read-only: they are decided in the application, with audit."""

    list_display = (
        "commitment",
        "previous_due_date",
        "new_due_date",
        "status",
        "decided_on",
        "created_at",
    )
    list_filter = ("status",)
    search_fields = ("commitment__agreement__folio", "commitment__responsible_unit__short_name")
    list_select_related = ("commitment__agreement", "commitment__responsible_unit")
    fields = (
        "commitment",
        "requested_by",
        "previous_due_date",
        "new_due_date",
        "justification",
        "status",
        "decided_by",
        "decided_on",
        "decision_comment",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
