"""Personal API tokens (Tokens de API, `/cuenta/tokens/`): services, selectors and the page.

A token is a credential of its own, for BI tools that read the API: it carries exactly its
owner's scope (`visible_to(user)`), is read-only unless created with the write scope, and stops
working when it expires, is revoked or its owner's account is deactivated. Only the SHA-256 of
the secret is kept; the secret is shown once, in the answer to the form that created it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from acuerdos.audit import services as audit
from acuerdos.core.errors import DomainError
from acuerdos.organization.models import ApiToken, User
from acuerdos.organization.two_factor_forms import PasswordCheckForm

TOKEN_MARK = "acu_"  # noqa: S105  (a public marker, not a secret)
"""Every secret starts with this mark, so that a leaked one is recognisable in a scan."""
PREFIX_LENGTH = len(TOKEN_MARK) + 8
EXPIRY_DAYS = (30, 90, 365)
LAST_USED_EVERY = dt.timedelta(minutes=1)
"""`last_used_at` is written at most this often per token: no write per request."""
MAX_ACTIVE_TOKENS = 20


def hash_secret(secret: str) -> str:
    """The SHA-256 (hex) under which a secret is stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()


# --- Selectors --------------------------------------------------------------------------------


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The person's own tokens, newest first (revoked and expired ones included, marked)."""
    return ApiToken.objects.of_user(user).order_by("-created_at", "-id")


def access_token(user: Any, pk: int) -> ApiToken:
    """One of the person's own tokens, else 404 (other people's tokens do not leak)."""
    token = ApiToken.objects.of_user(user).filter(pk=pk).first()
    if token is None:
        raise Http404("Token no encontrado")
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The token whose secret this is, if it is in force (not revoked, not expired, owner
    active); None otherwise. One query."""
    if not secret.startswith(TOKEN_MARK) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.expires_at <= timezone.now() or not token.user.is_active:
        return None
    return token


# --- Services ---------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, actor: Any, name: str, days: int, can_write: bool) -> tuple[ApiToken, str]:
    """Create a personal token for the actor; returns it with its secret (shown only once)."""
    name = name.strip()
    if not name:
        raise DomainError("Escriba un nombre para el token.")
    if days not in EXPIRY_DAYS:
        raise DomainError("Elija una vigencia de 30, 90 o 365 días.")
    active = ApiToken.objects.of_user(actor).filter(
        revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise DomainError(
            f"Ya tiene {MAX_ACTIVE_TOKENS} tokens vigentes: revoque alguno antes de crear otro."
        )
    while True:
        secret = TOKEN_MARK + secrets.token_urlsafe(32)
        prefix = secret[:PREFIX_LENGTH]
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = ApiToken(
        user=actor,
        name=name,
        prefix=prefix,
        key_hash=hash_secret(secret),
        can_write=can_write,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        action="api_token.created",
        target=token,
        changes={"name": [None, token.name], "can_write": [None, token.can_write]},
        context={"prefix": token.prefix, "days": days},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """Revoke a token at once (its owner only): every later request with it is refused."""
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if current.user_id != actor.pk:
        raise Http404("Token no encontrado")
    if current.revoked_at is not None:
        return current
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at", "updated_at"])
    audit.record(
        actor=actor,
        action="api_token.revoked",
        target=current,
        context={"prefix": current.prefix},
    )
    return current


def tokens_revoke_all(*, user: Any, actor: Any, reason: str) -> int:
    """Revoke every live token of `user` (the account was deactivated, or its password reset:
    a token must not outlive what locked an intruder out). Audited per token, with the reason.
    Runs inside the caller's transaction."""
    live = list(
        ApiToken.objects.select_for_update().filter(user_id=user.pk, revoked_at__isnull=True)
    )
    now = timezone.now()
    for token in live:
        token.revoked_at = now
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record(
            actor=actor,
            action="api_token.revoked",
            target=token,
            context={"prefix": token.prefix, "reason": reason},
        )
    return len(live)


def token_touch(token: ApiToken, *, now: dt.datetime | None = None) -> None:
    """Remember when the token was last used — at most once a minute, so that a BI tool paging
    through a list does not write a row per request. Not audited (it is not a change of data)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# --- The page ---------------------------------------------------------------------------------


class TokenForm(PasswordCheckForm):
    """Crear token: a name, a validity, whether it may write, and the person's password: a
    token is a credential that outlives the session, so a session left open (or stolen) is not
    enough to mint one."""

    field_order = ("name", "days", "can_write", "password")

    name = forms.CharField(
        label=gettext_lazy("Nombre"),
        max_length=100,
        help_text=gettext_lazy("Para reconocerlo después, p. ej. «Power BI tablero regional»."),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Vigencia"),
        coerce=int,
        choices=[
            (30, gettext_lazy("30 días")),
            (90, gettext_lazy("90 días")),
            (365, gettext_lazy("365 días")),
        ],
        initial=90,
    )
    can_write = forms.BooleanField(
        label=gettext_lazy("Permitir escribir"),
        required=False,
        help_text=gettext_lazy(
            "Sin esta casilla el token solo consulta. Con ella puede además enviar avances, "
            "validarlos o pedir reprogramaciones, con las mismas reglas que usted en pantalla."
        ),
    )


def _page(
    request: HttpRequest,
    form: TokenForm,
    *,
    created: ApiToken | None = None,
    secret: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "organization/tokens/list.html",
        {
            "form": form,
            "tokens": list(tokens_of(request.user)),
            "created": created,
            "secret": secret,
            "now": timezone.now(),
        },
        status=status,
    )


@never_cache  # the answer may carry a secret: no browser or proxy keeps it
@require_http_methods(["GET", "POST"])
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """Tokens de API: the person's tokens and the form to create one (whose secret this very
    answer shows, once)."""
    user = request.user
    assert isinstance(user, User)  # login_required
    if request.method == "POST":
        form = TokenForm(request.POST, user=user)
        if form.is_valid():
            try:
                token, secret = token_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    can_write=form.cleaned_data["can_write"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                created_form = TokenForm(user=user)
                return _page(request, created_form, created=token, secret=secret, status=201)
        return _page(request, form, status=400)
    return _page(request, TokenForm(user=user))


@require_POST
@login_required
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revocar: the token stops working at once."""
    token = access_token(request.user, pk)
    token_revoke(token=token, actor=request.user)
    messages.success(
        request, _("Se revocó el token «%(name)s»: ya no da acceso.") % {"name": token.name}
    )
    return redirect("tokens:list")
