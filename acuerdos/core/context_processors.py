"""Template context shared by every page: the user's scope, for role-based navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from acuerdos.organization.scope import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"scope": scope_for(getattr(request, "user", None))}
