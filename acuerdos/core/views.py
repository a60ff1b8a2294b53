"""Pages that belong to no domain: the privacy notice."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

# Shown at the foot of the notice; change it together with the text (LGPDPPSO: the notice says
# when it was last updated, and substantial changes are announced to users).
PRIVACY_NOTICE_UPDATED = dt.date(2026, 5, 4)


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The full privacy notice (aviso de privacidad integral). Public: no login required."""
    return render(request, "core/privacy_notice.html", {"updated": PRIVACY_NOTICE_UPDATED})
