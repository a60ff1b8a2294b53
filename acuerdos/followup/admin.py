"""Admin for follow-up decisions: read-only (decisions are recorded and corrected only through
the review screen, whose service applies and audits their effects)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from acuerdos.followup.models import ReviewDecision


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin[ReviewDecision]):
    list_display = ("agreement", "meeting", "kind", "decided_by", "decided_at")
    list_filter = ("kind", "meeting")
    search_fields = ("agreement__folio", "meeting__code", "note")
    list_select_related = ("agreement", "meeting", "decided_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
