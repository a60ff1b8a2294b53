"""Liveness and readiness probes for the load balancer."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from huey.contrib.djhuey import HUEY

from acuerdos.core.tasks import last_heartbeat

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """The process is up (no dependencies checked)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """The database and the worker's queue storage answer."""
    checks: dict[str, str] = {}
    heartbeat: str | None = None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:
        logger.exception("readiness: database unreachable")
        checks["database"] = "error"
    try:
        HUEY.pending_count()
        checks["queue"] = "ok"
        heartbeat = last_heartbeat()
    except Exception:
        logger.exception("readiness: queue storage unreachable")
        checks["queue"] = "error"
    ok = all(v == "ok" for v in checks.values())
    body = {
        "status": "ok" if ok else "error",
        "checks": checks,
        # Informational: a stale heartbeat means no consumer is running the schedule.
        "scheduler_heartbeat": heartbeat,
    }
    return JsonResponse(body, status=200 if ok else 503)
