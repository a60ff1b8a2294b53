"""Request id and session lifetime middleware."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from acuerdos.core.request_context import request_id_var, request_source_var, request_token_var

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
API_PREFIX = "/api/"


def request_source(request: HttpRequest) -> str:
    """The source `api` for anything under `/api/` (token or session alike), else `web`."""
    return "api" if request.path_info.startswith(API_PREFIX) else "web"


class RequestIdMiddleware:
    """Give every request an id (from `X-Request-ID` when well-formed), for logs and audit, and
    remember where it came from (pages or API) for the audit events it writes.

    The context variables (and the API token one, which the token authentication sets) are
    reset when the response is ready: gunicorn threads serve one request after another, and the
    next one must not inherit this one's values."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        source_token = request_source_var.set(request_source(request))
        api_token = request_token_var.set(None)  # set by the API's token authentication
        try:
            response = self.get_response(request)
        finally:
            request_token_var.reset(api_token)
            request_source_var.reset(source_token)
            request_id_var.reset(token)
        response["X-Request-ID"] = rid
        return response


class SessionTimeoutMiddleware:
    """End a session after `SESSION_IDLE_SECONDS` idle or `SESSION_ABSOLUTE_SECONDS` in all.

    The last-seen mark is written at most once a minute, so that a busy page does not write
    the session on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault("_started", now)
            last_seen = request.session.get("_last_seen", now)
            idle = now - int(last_seen) > settings.SESSION_IDLE_SECONDS
            too_old = now - int(started) > settings.SESSION_ABSOLUTE_SECONDS
            if idle or too_old:
                # Back to the same page after logging in again (a form being filled in is
                # restored there from the browser's copy; the POST itself is not replayed).
                next_url = request.get_full_path()
                if request.headers.get("HX-Request"):
                    current = urlsplit(request.headers.get("HX-Current-URL", "/"))
                    next_url = current.path + (f"?{current.query}" if current.query else "")
                logout(request)
                messages.info(request, _("Su sesión expiró. Ingrese de nuevo para continuar."))
                response = redirect_to_login(next_url)
                if request.headers.get("HX-Request"):
                    response["HX-Redirect"] = response["Location"]
                return response
            if now - int(last_seen) >= 60 or "_last_seen" not in request.session:
                request.session["_last_seen"] = now
        return self.get_response(request)
