"""The second factor in the request cycle: the middleware that holds back a session until its
second factor is verified (and sends coordinators without one to enrolment), and where a person
goes after typing the right password.

The pages themselves are in `two_factor_views.py`, the writes in `two_factor_services.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from acuerdos.organization.two_factor_services import (
    SESSION_HAS_DEVICE,
    has_confirmed_device,
    is_required,
)

API_PREFIX = "/api/"
# Public or health pages that an unverified session may still reach (besides the second-factor
# pages, login and logout, which are added from the URLconf).
_ALWAYS_OPEN = ("/health/", "/ready/", "/aviso-de-privacidad/", "/transparencia/")


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """`candidate` if it is a local URL of this site, else Inicio (no open redirect)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def session_has_device(request: HttpRequest) -> bool:
    """Whether the session's user has a confirmed second factor, remembered in the session."""
    known = request.session.get(SESSION_HAS_DEVICE)
    if known is None:
        known = has_confirmed_device(request.user)  # type: ignore[arg-type]
        request.session[SESSION_HAS_DEVICE] = known
    return bool(known)


def is_verified(request: HttpRequest) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check()) if callable(check) else False


def after_login_url(request: HttpRequest, next_url: str) -> str:
    """Where a person goes right after the right password: the code first when they have a
    second factor, enrolment when their role requires one, else where they were going."""
    request.session[SESSION_HAS_DEVICE] = has_confirmed_device(request.user)  # type: ignore[arg-type]
    if request.session[SESSION_HAS_DEVICE]:
        return with_next(reverse("two_factor:verify"), next_url)
    if is_required(request.user):
        return with_next(reverse("two_factor:manage"), next_url)
    return next_url


def _remember_device_on_login(
    sender: Any, request: HttpRequest | None, user: Any, **_: Any
) -> None:
    """Refresh the session's flag on every login, whichever view logged the person in."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_HAS_DEVICE] = has_confirmed_device(user)


user_logged_in.connect(_remember_device_on_login, dispatch_uid="two_factor_remember_device")


class TwoFactorMiddleware:
    """Hold back a logged-in session that still owes its second factor.

    - a person with a confirmed device whose session has not typed a code goes to
      `/accounts/verificar/` (however they logged in: login page, admin, invitation);
    - while `TWO_FACTOR_REQUIRED_FOR_COORDINATORS`, a coordinator (or administrator) without a
      device goes to `/accounts/segundo-factor/` to enrol;
    - `/api/` requests get a 403 JSON answer instead of a redirect, so that a session cookie
      cannot reach the API around the second factor.

    Must come after AuthenticationMiddleware, OTPMiddleware and SessionTimeoutMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._is_open(request.path_info):
            return self.get_response(request)
        if session_has_device(request):
            if is_verified(request):
                return self.get_response(request)
            return self._hold(request, "two_factor:verify")
        if is_required(user):
            return self._hold(request, "two_factor:manage")
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        open_prefixes = (
            *_ALWAYS_OPEN,
            settings.STATIC_URL or "/static/",
            reverse("two_factor:manage"),
            reverse("two_factor:verify"),
            reverse("login"),
            reverse("logout"),
        )
        return path.startswith(tuple(str(prefix) for prefix in open_prefixes))

    @staticmethod
    def _hold(request: HttpRequest, route: str) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            detail = (
                "Confirme su identidad con el segundo factor en la página para continuar."
                if route == "two_factor:verify"
                else "Su rol requiere el segundo factor de autenticación: configúrelo en la "
                "página antes de usar la API."
            )
            return JsonResponse({"detail": detail}, status=403)
        if request.headers.get("HX-Request"):
            current = urlsplit(request.headers.get("HX-Current-URL", "/"))
            next_url = current.path + (f"?{current.query}" if current.query else "")
        elif request.method == "GET":
            next_url = request.get_full_path()
        else:
            next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
        target = with_next(reverse(route), next_url)
        response = HttpResponseRedirect(target)
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = target
        return response
