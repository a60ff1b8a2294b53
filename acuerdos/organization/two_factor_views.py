"""Pages of the second factor: «Segundo factor» under Mi cuenta (enrol with a QR or the key by
hand, see the state, new recovery codes, turn it off) and the code asked after the password."""

from __future__ import annotations

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from acuerdos.organization import two_factor_services as services
from acuerdos.organization.models import User
from acuerdos.organization.two_factor import is_verified, safe_next, with_next
from acuerdos.organization.two_factor_forms import CodeForm, PasswordCheckForm

# The recovery codes wait here between the POST that made them and the page that shows them
# once; reading them removes them.
SESSION_NEW_CODES = "_two_factor_new_codes"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _next(request: HttpRequest) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG drawn on the server (no script, no network)."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, border=2, dark="#10312b", title=_("Código QR para su aplicación"))
    return mark_safe(svg)  # noqa: S308 - segno's own markup, no user input in it


def _wait_message(attempt: services.Attempt) -> str:
    if attempt.locked_until is not None:
        return _(
            "Demasiados códigos incorrectos. Por seguridad, el segundo factor quedó bloqueado "
            "15 minutos. Si no tiene acceso a su aplicación, use un código de recuperación "
            "después de ese tiempo o acuda a la Coordinación central."
        )
    if attempt.wait_seconds:
        return ngettext(
            "Espere %(n)d segundo antes de intentar de nuevo.",
            "Espere %(n)d segundos antes de intentar de nuevo.",
            attempt.wait_seconds,
        ) % {"n": attempt.wait_seconds}
    return _(
        "El código no es correcto o ya se usó. Escriba el código que muestra ahora su "
        "aplicación (cambia cada 30 segundos)."
    )


def _start_verified_session(request: HttpRequest, device: object) -> None:
    """Mark the session as verified with `device`, under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[services.SESSION_HAS_DEVICE] = True


# --- Mi cuenta › Segundo factor -----------------------------------------------------------------


@never_cache  # the enrolment page shows the secret key
@require_http_methods(["GET", "POST"])
@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """Enrolment when the person has no second factor yet; otherwise its state and actions."""
    user = _user(request)
    next_url = _next(request)
    if services.has_confirmed_device(user):
        if not is_verified(request):
            return redirect(with_next(reverse("two_factor:verify"), request.get_full_path()))
        context = {
            "device": services.confirmed_totp(user),
            "codes_left": services.recovery_codes_left(user),
            "required": services.is_required(user),
            "password_form": PasswordCheckForm(user=user),
        }
        return render(request, "organization/two_factor/status.html", context)

    device = services.two_factor_device_start(actor=user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            attempt, codes = services.two_factor_enable(
                actor=user,
                device_id=device.pk,
                code=form.cleaned_data["code"],
                keep_session=request.session.session_key,
            )
        except services.TwoFactorError as error:
            messages.error(request, str(error))
            return redirect(with_next(reverse("two_factor:manage"), next_url))
        if attempt.ok:
            _start_verified_session(request, attempt.device)
            request.session[SESSION_NEW_CODES] = codes
            messages.success(request, _("Listo: su cuenta ya pide el segundo factor al ingresar."))
            return redirect(with_next(reverse("two_factor:recovery_codes"), next_url))
        form.add_error("code", _wait_message(attempt))
        status = 429 if attempt.locked_until or attempt.wait_seconds else 400
    elif form.is_bound:
        status = 400
    context = {
        "form": form,
        "qr_svg": _qr_svg(device),
        "key_groups": services.key_groups(device),
        "required": services.is_required(user),
        "next": next_url,
    }
    return render(request, "organization/two_factor/enrol.html", context, status=status)


@require_GET
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once: reading the page removes them from the session."""
    codes: list[str] | None = request.session.pop(SESSION_NEW_CODES, None)
    if not codes:
        messages.info(
            request,
            _("Los códigos de recuperación solo se muestran una vez. Si los perdió, genere otros."),
        )
        return redirect("two_factor:manage")
    context = {
        "codes": [services.format_recovery_code(code) for code in codes],
        "next": _next(request),
    }
    response = render(request, "organization/two_factor/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _password_checked(request: HttpRequest) -> tuple[PasswordCheckForm, HttpResponse | None]:
    """The password form, and a response to return instead when the session may not act."""
    user = _user(request)
    form = PasswordCheckForm(request.POST, user=user)
    if not services.has_confirmed_device(user):
        return form, redirect("two_factor:manage")
    if not is_verified(request):
        return form, redirect(with_next(reverse("two_factor:verify"), reverse("two_factor:manage")))
    if not form.is_valid():
        context = {
            "device": services.confirmed_totp(user),
            "codes_left": services.recovery_codes_left(user),
            "required": services.is_required(user),
            "password_form": form,
            "failed_action": request.resolver_match.url_name if request.resolver_match else "",
        }
        return form, render(request, "organization/two_factor/status.html", context, status=400)
    return form, None


@require_POST
@login_required
def regenerate(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes after the password is typed again (the old ones stop working)."""
    _form, refused = _password_checked(request)
    if refused is not None:
        return refused
    try:
        codes = services.two_factor_recovery_regenerate(actor=_user(request))
    except services.TwoFactorError as error:
        messages.error(request, str(error))
        return redirect("two_factor:manage")
    request.session[SESSION_NEW_CODES] = codes
    return redirect(with_next(reverse("two_factor:recovery_codes"), reverse("two_factor:manage")))


@require_POST
@login_required
def disable(request: HttpRequest) -> HttpResponse:
    """Turn the second factor off after the password is typed again."""
    _form, refused = _password_checked(request)
    if refused is not None:
        return refused
    user = _user(request)
    services.two_factor_disable(actor=user, keep_session=request.session.session_key)
    request.session[services.SESSION_HAS_DEVICE] = False
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    if services.is_required(user):
        messages.warning(
            request,
            _("Se quitó el segundo factor. Su rol lo requiere: configúrelo de nuevo para seguir."),
        )
    else:
        messages.success(request, _("Se desactivó el segundo factor de su cuenta."))
    return redirect("two_factor:manage")


# --- The code after the password ------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the right password, the code from the app (or a recovery code) before the session
    may reach anything else. Wrong codes are throttled, then locked out for a while."""
    user = _user(request)
    next_url = _next(request)
    if not services.has_confirmed_device(user):
        request.session[services.SESSION_HAS_DEVICE] = False
        return redirect(next_url)
    if is_verified(request):
        return redirect(next_url)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        attempt = services.two_factor_verify(actor=user, code=form.cleaned_data["code"])
        if attempt.ok:
            _start_verified_session(request, attempt.device)
            if attempt.used_recovery_code:
                left = services.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "Usó un código de recuperación; le queda %(n)d. Genere otros en "
                        "Mi cuenta › Segundo factor.",
                        "Usó un código de recuperación; le quedan %(n)d. Genere otros en "
                        "Mi cuenta › Segundo factor si se le acaban.",
                        left,
                    )
                    % {"n": left},
                )
            return redirect(next_url)
        form.add_error("code", _wait_message(attempt))
        status = 429 if attempt.locked_until or attempt.wait_seconds else 400
    elif form.is_bound:
        status = 400
    context = {"form": form, "next": next_url}
    return render(request, "organization/two_factor/verify.html", context, status=status)
