"""Personal API tokens in DRF: `Authorization: Bearer <token>` (or `Token <token>`).

The token acts as its owner, so every queryset still starts from `visible_to(user)`; a token
without the write scope is refused on every unsafe method (`TokenWriteScope`), and requests made
with a token are throttled per token (`TokenRateThrottle`, rate `token` in REST_FRAMEWORK).
Tokens are credentials of their own: the second factor that a middleware may demand of session
logins does not apply to them (the Tokens de API page says so).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request

from acuerdos.core.request_context import request_token_var
from acuerdos.organization.models import ApiToken
from acuerdos.organization.tokens import token_for_secret, token_touch

if TYPE_CHECKING:
    from rest_framework.views import APIView

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Authenticate with a personal token; no header (or another scheme) → try the next class."""

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Encabezado Authorization mal formado: use «Bearer <token>».")
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Token no válido.")) from exc
        token = token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token no válido, vencido o revocado."))
        token_touch(token)
        # The audit events this request writes name the token (audit.services.build).
        request_token_var.set((token.pk, token.name))
        return token.user, token

    def authenticate_header(self, request: Request) -> str | None:
        # A bad token answers 401 with a challenge, so that BI tools know to renew it; a request
        # without any credentials keeps the 403 of the session API (the browsers' answer).
        parts = authentication.get_authorization_header(request).split()
        if parts and parts[0].lower() in KEYWORDS:
            return 'Bearer realm="api"'
        return None


class TokenWriteScope(permissions.BasePermission):
    """A token created without the write scope only reads (GET, HEAD, OPTIONS)."""

    message = _(
        "Este token es de solo lectura: cree uno con la casilla «Permitir escribir» para "
        "enviar o validar avances por la API."
    )

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not isinstance(request.auth, ApiToken):
            return True
        return request.method in permissions.SAFE_METHODS or request.auth.can_write


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests made with a token, counted per token (session requests are not throttled)."""

    scope = "token"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The token as an HTTP bearer scheme in the OpenAPI schema (and Swagger's Authorize)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token personal de /cuenta/tokens/: «Authorization: Bearer <token>».",
        }
