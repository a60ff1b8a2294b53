"""Admin for rounds and meetings (Spanish through the models' verbose names; audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from acuerdos.core.admin_audit import AuditedAdmin
from acuerdos.meetings.models import Meeting, Round


class NoDeleteMixin:
    """Meetings and rounds hold agreements: they are never deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Round)
class RoundAdmin(NoDeleteMixin, AuditedAdmin[Round]):
    list_display = ("name", "number", "year")
    search_fields = ("name",)
    fields = ("name", "number", "year")


@admin.register(Meeting)
class MeetingAdmin(NoDeleteMixin, AuditedAdmin[Meeting]):
    list_display = ("code", "name", "kind", "region", "start_date", "end_date", "round", "is_demo")
    list_filter = ("kind", "region", "round", "is_demo")
    search_fields = ("code", "name", "venue")
    list_select_related = ("region", "round")
    date_hierarchy = "start_date"
    filter_horizontal = ("participants",)
    fields = (
        "code",
        "name",
        "kind",
        "round",
        "region",
        "venue",
        ("start_date", "end_date"),
        "participants",
        "minuta",
        "is_demo",
    )
