"""What the REST API answers when something goes wrong: the same Spanish as the screens."""

from __future__ import annotations

import math
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler with Spanish for the answers it leaves in English or half-translated: a
    missing (or out of scope: the same answer, so nothing leaks) object names no model, and a
    throttled client is told how long to wait."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("No existe o no tiene acceso a ese registro."))
    elif isinstance(exc, exceptions.Throttled):
        wait: float | None = getattr(exc, "wait", None)
        seconds = math.ceil(wait) if wait is not None else 60
        exc = exceptions.Throttled(
            wait=wait,
            detail=ngettext(
                "Demasiadas consultas: espere %(n)d segundo e intente de nuevo.",
                "Demasiadas consultas: espere %(n)d segundos e intente de nuevo.",
                seconds,
            )
            % {"n": seconds},
        )
    return drf_exception_handler(exc, context)
