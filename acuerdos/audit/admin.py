from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from acuerdos.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("occurred_at", "action", "actor_label", "target_label", "source")
    list_filter = ("action", "source")
    search_fields = ("target_label", "actor_label", "request_id", "target_id")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
