"""The TOTP second factor (PRODUCT.md §4.10): enrolment, verification at login, recovery codes,
and the coordinator's reset for a person who lost both their phone and their recovery codes.

A person's second factor is one django-otp `TOTPDevice` (the authenticator app) plus one
`StaticDevice` holding ten one-time recovery codes. Both are created unconfirmed / confirmed
here and nowhere else, and every change writes its audit event in the same transaction.

Wrong codes are throttled twice: django-otp's exponential back-off (1, 2, 4, 8… seconds between
attempts) and, like django-axes for passwords, a lockout of `AXES_COOLOFF_TIME` hours after
`AXES_FAILURE_LIMIT` consecutive failures, counted on the TOTP device so that it survives a new
login and covers recovery codes too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from acuerdos.audit.services import record
from acuerdos.organization.models import User
from acuerdos.organization.scope import scope_for
from acuerdos.organization.services import account_mail, end_sessions

RECOVERY_CODE_COUNT = 10
RESET_REASON_MAX_LENGTH = 300
TOTP_DEVICE_NAME = "Aplicación de autenticación"
STATIC_DEVICE_NAME = "Códigos de recuperación"
# Kept in the session: whether this session's user has a confirmed second factor (so that the
# middleware does not query on every request of the many people without one).
SESSION_HAS_DEVICE = "_two_factor_has_device"

_TOTP_CODE = re.compile(r"^\d{6}$")


class TwoFactorError(Exception):
    """A second-factor action that cannot be done now (the message is for the person)."""


@dataclass(frozen=True)
class Attempt:
    """What became of one code typed at the verify step or at enrolment."""

    ok: bool
    device: TOTPDevice | StaticDevice | None = None
    used_recovery_code: bool = False
    wait_seconds: int = 0
    locked_until: dt.datetime | None = None


def is_required(user: Any) -> bool:
    """Whether the person must have a second factor: coordinators and administrators (anyone
    who can open the Django admin), while
    `TWO_FACTOR_REQUIRED_FOR_COORDINATORS` is on (SECURITY.md)."""
    if not getattr(settings, "TWO_FACTOR_REQUIRED_FOR_COORDINATORS", True):
        return False
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff) or scope_for(user).is_coordinator


def confirmed_totp(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator device, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_confirmed_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def key_groups(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four letters, for typing it into the app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def format_recovery_code(code: str) -> str:
    """`abcd2345` → `abcd-2345`: easier to read aloud and to copy."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _lockout_seconds() -> float:
    return float(getattr(settings, "AXES_COOLOFF_TIME", 0.25)) * 3600


def _failure_limit() -> int:
    return int(getattr(settings, "AXES_FAILURE_LIMIT", 5))


def locked_until(device: TOTPDevice) -> dt.datetime | None:
    """When the lockout after too many wrong codes ends, or None if the device is not locked."""
    if device.throttling_failure_count < _failure_limit():
        return None
    if device.throttling_failure_timestamp is None:
        return None
    until = device.throttling_failure_timestamp + dt.timedelta(seconds=_lockout_seconds())
    return until if until > timezone.now() else None


def _refusal(device: TOTPDevice) -> Attempt | None:
    """An attempt refused before checking the code (locked out or inside the back-off)."""
    until = locked_until(device)
    if until is not None:
        return Attempt(ok=False, locked_until=until)
    allowed, data = device.verify_is_allowed()
    if not allowed:
        wait = (data or {}).get("locked_until")
        seconds = int((wait - timezone.now()).total_seconds()) + 1 if wait else 1
        return Attempt(ok=False, wait_seconds=max(seconds, 1))
    return None


# --- Enrolment -----------------------------------------------------------------------------------


@transaction.atomic
def two_factor_device_start(*, actor: User) -> TOTPDevice:
    """The unconfirmed authenticator device shown on the enrolment page: the same one on every
    visit (so that a scanned QR keeps working) until the person confirms it with a code."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=actor, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=STATIC_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_enable(
    *, actor: User, device_id: int, code: str, keep_session: str | None = None
) -> tuple[Attempt, list[str]]:
    """Confirm the authenticator app with a code it shows now. On success the device becomes
    the person's second factor (any older one is removed), the person's other open sessions end
    (they never typed a code) and ten new recovery codes are returned, to be shown once."""
    device = TOTPDevice.objects.select_for_update().filter(user=actor, pk=device_id).first()
    if device is None or device.confirmed:
        raise TwoFactorError("La configuración ya no es válida. Vuelva a empezar.")
    refused = _refusal(device)
    if refused is not None:
        return refused, []
    if not _TOTP_CODE.match(_normalise(code)) or not device.verify_token(_normalise(code)):
        if not _TOTP_CODE.match(_normalise(code)):
            device.throttle_increment()
        _failed(actor, device, step="enrolment")
        return Attempt(ok=False, device=device, locked_until=locked_until(device)), []
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(actor)
    sessions = end_sessions(actor, keep=keep_session)
    record(
        actor=actor, action="two_factor.enabled", target=actor, context={"sessions_ended": sessions}
    )
    return Attempt(ok=True, device=device), codes


@transaction.atomic
def two_factor_disable(*, actor: User, keep_session: str | None = None) -> None:
    """Remove the person's second factor (authenticator and recovery codes); their other open
    sessions end too, as after any change to how they log in."""
    removed, _ = TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    if removed:
        sessions = end_sessions(actor, keep=keep_session)
        record(
            actor=actor,
            action="two_factor.disabled",
            target=actor,
            context={"sessions_ended": sessions},
        )


@transaction.atomic
def two_factor_recovery_regenerate(*, actor: User) -> list[str]:
    """Replace the recovery codes with ten new ones (the old ones stop working)."""
    if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise TwoFactorError("Primero active el segundo factor.")
    codes = _new_recovery_codes(actor)
    record(actor=actor, action="two_factor.recovery_regenerated", target=actor)
    return codes


# --- Verification at login ---------------------------------------------------------------------


def _failed(actor: User, device: TOTPDevice, *, step: str) -> None:
    record(
        actor=actor,
        action="two_factor.failed",
        target=actor,
        context={"step": step, "failures": device.throttling_failure_count},
    )
    if device.throttling_failure_count == _failure_limit():
        record(
            actor=actor,
            action="two_factor.locked",
            target=actor,
            context={"minutes": round(_lockout_seconds() / 60)},
        )


@transaction.atomic
def two_factor_verify(*, actor: User, code: str) -> Attempt:
    """Check a code typed at the verify step: six digits from the app, or one of the recovery
    codes (which is then used up). A code already accepted once is refused (django-otp keeps the
    last time step used), and wrong codes are throttled and finally locked out."""
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
    if device is None:
        raise TwoFactorError("Su cuenta no tiene segundo factor configurado.")
    refused = _refusal(device)
    if refused is not None:
        return refused
    typed = _normalise(code)
    if _TOTP_CODE.match(typed):
        if device.verify_token(typed):
            record(actor=actor, action="two_factor.verified", target=actor)
            return Attempt(ok=True, device=device)
    else:
        static = StaticDevice.objects.select_for_update().filter(user=actor).first()
        if static is not None and typed and static.verify_token(typed):
            device.throttle_reset()
            left = StaticToken.objects.filter(device=static).count()
            record(
                actor=actor,
                action="two_factor.recovery_used",
                target=actor,
                context={"codes_left": left},
            )
            record(actor=actor, action="two_factor.verified", target=actor)
            return Attempt(ok=True, device=static, used_recovery_code=True)
        device.throttle_increment()
    _failed(actor, device, step="login")
    return Attempt(ok=False, device=device, locked_until=locked_until(device))


# --- Reset by a coordinator ----------------------------------------------------------------------


def _reset_notice(user: User, *, actor: Any) -> bool:
    """Tell the person, at their work address, that their second factor was reset. Whether the
    mail server took it (a refusal does not undo the reset: the person is waiting for it)."""
    try:
        account_mail(user, template="two_factor_reset", context={"actor": actor})
    except OSError:  # SMTP errors are OSErrors
        return False
    return True


@transaction.atomic
def two_factor_reset(*, user: User, actor: Any, reason: str) -> bool:
    """Remove a person's second factor for them (a lost phone and lost recovery codes): their
    authenticator and recovery-code devices are deleted and their open sessions end, so that
    the next login asks them to enrol again (coordinators must). Coordinators only; not on one's
    own account (that is the password-checked page «Segundo factor»).

    Audited as `two_factor.reset` with the reason, what was removed and whether the person
    was told by e-mail; returns whether the e-mail went out."""
    if not actor.has_perm("acuerdos.manage"):  # the people pages' permission (coordinators)
        raise PermissionDenied("Solo la Coordinación central restablece el segundo factor.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise TwoFactorError("Escriba el motivo del restablecimiento.")
    if len(reason) > RESET_REASON_MAX_LENGTH:
        raise TwoFactorError("El motivo es demasiado largo (máximo 300 caracteres).")
    user = User.objects.select_for_update().get(pk=user.pk)
    if getattr(actor, "pk", None) == user.pk:
        raise TwoFactorError(
            "No puede restablecer su propio segundo factor aquí: use la página «Segundo factor»."
        )
    had_app = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    codes_left = recovery_codes_left(user)
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    removed_static, _ = StaticDevice.objects.filter(user=user).delete()
    if not removed and not removed_static:
        raise TwoFactorError("La persona no tiene segundo factor configurado.")
    sessions = end_sessions(user)
    notified = _reset_notice(user, actor=actor)
    record(
        actor=actor,
        action="two_factor.reset",
        target=user,
        context={
            "reason": reason,
            "had_app": had_app,
            "recovery_codes_left": codes_left,
            "sessions_ended": sessions,
            "notified": notified,
        },
    )
    return notified
