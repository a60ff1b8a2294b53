"""Pages of the organisation: login and logout, the people screens of the Coordinación central
(invitations, memberships, deactivation) and the password pages (forgotten password and the
first login from an invitation)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import FormView, TemplateView

from acuerdos.audit.selectors import action_label
from acuerdos.core.htmx import is_htmx, render_page_or_partial
from acuerdos.core.pagination import paginate
from acuerdos.organization import selectors, services
from acuerdos.organization.forms import (
    DeactivateForm,
    EmailChangeForm,
    LoginForm,
    MembershipForm,
    PasswordResetRequestForm,
    PeopleFilterForm,
    PersonInviteForm,
    RenameForm,
    SetPasswordForm,
)
from acuerdos.organization.models import User
from acuerdos.organization.permissions import access_membership, access_person
from acuerdos.organization.two_factor_forms import TwoFactorResetForm
from acuerdos.organization.two_factor_services import (
    TwoFactorError,
    has_confirmed_device,
    recovery_codes_left,
    two_factor_reset,
)

# A person's page tells their history with the audit log's labels (audit.selectors.action_label),
# but for the creation of the account, which the commitments' story calls otherwise.
PERSON_ACTIONS: dict[str, Any] = {"user.created": gettext_lazy("dio de alta la cuenta")}


class LoginView(auth_views.LoginView):
    """Django's login with the e-mail form; a logged-in visitor goes straight to Inicio."""

    authentication_form = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        # The second factor's code (or enrolment) comes before the page the person asked for.
        from acuerdos.organization.two_factor import after_login_url

        return after_login_url(self.request, super().get_success_url())


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django requires) and say so on the login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.success(request, _("Cerró su sesión. Hasta pronto."))
        return response


# --- People (Coordinación central) --------------------------------------------------------------


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_GET
@login_required
@permission_required("acuerdos.manage", raise_exception=True)
def people_list(request: HttpRequest) -> HttpResponse:
    """Personas: users, their memberships, last login and whether they are active, filtered as
    typed (htmx swaps the results only). Coordinación central only, 403 for everyone else."""
    form = PeopleFilterForm(request.GET or None)
    page = paginate(request, selectors.people_list(form.to_filters()))
    return render_page_or_partial(
        request, "organization/people_list.html", {"form": form, "page": page}
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("acuerdos.manage", raise_exception=True)
def person_invite(request: HttpRequest) -> HttpResponse:
    """Invite a person: the account is created without a password and the invitation e-mail
    carries a one-time link to choose it. While typing, htmx checks the e-mail alone."""
    form = PersonInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and is_htmx(request) and "check" in request.GET:
        form.is_valid()
        context = {"form": form, "check": True}
        return render(request, "organization/person_invite.html#email_check", context)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.user_invite(
                email=data["email"],
                full_name=data["full_name"],
                unit=data["unit"],
                role=data["role"],
                actor=request.user,
                base_url=_base_url(request),
            )
        except (services.PersonError, ValidationError) as error:
            form.add_error(
                None, error.messages if isinstance(error, ValidationError) else str(error)
            )
        else:
            messages.success(
                request,
                _("Se envió la invitación a %(email)s. El enlace vence en %(days)s días.")
                % {"email": person.email, "days": services.invitation_days()},
            )
            return redirect("organization:person_detail", pk=person.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "organization/person_invite.html", {"form": form}, status=status)


def _detail(
    request: HttpRequest,
    person: User,
    *,
    membership_form: MembershipForm | None = None,
    deactivate_form: DeactivateForm | None = None,
    rename_form: RenameForm | None = None,
    email_form: EmailChangeForm | None = None,
    reset_form: TwoFactorResetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    history = [
        (event, PERSON_ACTIONS.get(event.action) or action_label(event.action))
        for event in selectors.person_history(person)
    ]
    context = {
        "person": person,
        "person_memberships": list(person.memberships.all()),
        "membership_form": membership_form or MembershipForm(prefix="m"),
        "deactivate_form": deactivate_form or DeactivateForm(prefix="d"),
        "rename_form": rename_form
        or RenameForm(prefix="n", initial={"full_name": person.full_name}),
        "email_form": email_form or EmailChangeForm(prefix="e", person=person),
        "history": history,
        "invitation_pending": person.is_active and person.last_login is None,
        "has_two_factor": has_confirmed_device(person),
        "recovery_codes_left": recovery_codes_left(person),
        "reset_form": reset_form or TwoFactorResetForm(prefix="f"),
    }
    return render(request, "organization/person_detail.html", context, status=status)


@require_GET
@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's page: account state, memberships (current and ended), what happened to the
    account, and the coordinator's actions on it."""
    return _detail(request, access_person(request.user, pk))


@require_POST
@login_required
def person_membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the person a role in a unit (or make an ended one current again)."""
    person = access_person(request.user, pk, for_write=True)
    form = MembershipForm(request.POST, prefix="m")
    if not person.is_active:
        form.add_error(None, _("La cuenta está desactivada; reactívela antes de asignar roles."))
    if form.is_valid() and not form.errors:
        membership = services.membership_grant(
            user=person,
            unit=form.cleaned_data["unit"],
            role=form.cleaned_data["role"],
            actor=request.user,
        )
        messages.success(
            request,
            _("%(person)s es ahora %(role)s de %(unit)s.")
            % {
                "person": person,
                "role": membership.get_role_display(),
                "unit": membership.unit.short_name,
            },
        )
        return redirect("organization:person_detail", pk=person.pk)
    return _detail(request, person, membership_form=form, status=400)


@require_POST
@login_required
def person_rename(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct how the person's name is written."""
    person = access_person(request.user, pk, for_write=True)
    form = RenameForm(request.POST, prefix="n")
    if not form.is_valid():
        return _detail(request, person, rename_form=form, status=400)
    services.user_rename(user=person, full_name=form.cleaned_data["full_name"], actor=request.user)
    messages.success(request, _("Se corrigió el nombre."))
    return redirect("organization:person_detail", pk=person.pk)


@require_POST
@login_required
def person_email_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the work e-mail the person logs in with; both addresses are told, sessions stay."""
    person = access_person(request.user, pk, for_write=True)
    form = EmailChangeForm(request.POST, prefix="e", person=person)
    if form.is_valid():
        try:
            services.user_email_change(
                user=person,
                email=form.cleaned_data["email"],
                actor=request.user,
                base_url=_base_url(request),
            )
        except services.PersonError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request, _("Se cambió el correo; se avisó en la dirección anterior y en la nueva.")
            )
            return redirect("organization:person_detail", pk=person.pk)
    return _detail(request, person, email_form=form, status=400)


@require_POST
@login_required
def person_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset the second factor of a person who lost their phone and recovery codes: their
    devices go, their sessions end, they are told by e-mail and enrol again at next login."""
    person = access_person(request.user, pk, for_write=True)
    form = TwoFactorResetForm(request.POST, prefix="f")
    if form.is_valid():
        try:
            notified = two_factor_reset(
                user=person, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except TwoFactorError as error:  # nothing to reset, or one's own account
            messages.error(request, str(error))
            return redirect("organization:person_detail", pk=person.pk)
        else:
            done = _(
                "Se restableció el segundo factor de %(person)s y se cerraron sus sesiones. "
                "Al ingresar de nuevo lo configurará con su aplicación."
            ) % {"person": person}
            if notified:
                messages.success(request, done + " " + _("Se le avisó por correo."))
            else:
                messages.warning(
                    request, done + " " + _("No se pudo enviar el aviso por correo: avísele usted.")
                )
            return redirect("organization:person_detail", pk=person.pk)
    return _detail(request, person, reset_form=form, status=400)


@require_POST
@login_required
def person_membership_end(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Take a role away; the membership stays in the history as no longer vigente."""
    person = access_person(request.user, pk, for_write=True)
    membership = access_membership(request.user, person, membership_pk)
    services.membership_end(membership=membership, actor=request.user)
    messages.success(
        request,
        _("Se retiró el rol %(role)s en %(unit)s.")
        % {"role": membership.get_role_display(), "unit": membership.unit.short_name},
    )
    return redirect("organization:person_detail", pk=person.pk)


@require_POST
@login_required
def person_invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the invitation again; the previous link stops working."""
    person = access_person(request.user, pk, for_write=True)
    try:
        services.invitation_resend(user=person, actor=request.user, base_url=_base_url(request))
    except services.PersonError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Se reenvió la invitación a %(email)s; el enlace anterior ya no funciona.")
            % {"email": person.email},
        )
    return redirect("organization:person_detail", pk=person.pk)


@require_POST
@login_required
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate a person who left: no more logins, sessions and roles end, history stays."""
    person = access_person(request.user, pk, for_write=True)
    form = DeactivateForm(request.POST, prefix="d")
    if not form.is_valid():
        return _detail(request, person, deactivate_form=form, status=400)
    try:
        services.user_deactivate(
            user=person, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except services.PersonError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Se desactivó la cuenta de %(person)s. Lo que registró sigue a su nombre.")
            % {"person": person},
        )
    return redirect("organization:person_detail", pk=person.pk)


@require_POST
@login_required
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Reactivate an account; roles are given again on the same page."""
    person = access_person(request.user, pk, for_write=True)
    services.user_reactivate(user=person, actor=request.user)
    messages.success(
        request,
        _("Se reactivó la cuenta de %(person)s. Asígnele sus roles de nuevo.") % {"person": person},
    )
    return redirect("organization:person_detail", pk=person.pk)


# --- Passwords (anyone) -------------------------------------------------------------------------


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


class PasswordResetView(FormView[PasswordResetRequestForm]):
    """«¿Olvidó su contraseña?»: the same answer whether or not the e-mail has an account
    (no enumeration); at most `PASSWORD_RESET_PER_ADDRESS` requests per address every 15
    minutes (default 10), and the service limits the e-mails per account."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")
    window_seconds = 15 * 60

    def form_valid(self, form: PasswordResetRequestForm) -> HttpResponse:
        key = f"password-reset:{_client_address(self.request)}"
        cache.add(key, 0, self.window_seconds)
        try:
            attempts = cache.incr(key)
        except ValueError:  # evicted between add and incr
            attempts = 1
        if attempts > int(getattr(settings, "PASSWORD_RESET_PER_ADDRESS", 10)):
            return self.render_to_response(
                self.get_context_data(form=form, throttled=True), status=429
            )
        services.password_reset_ask(
            email=form.cleaned_data["email"], base_url=_base_url(self.request)
        )
        return super().form_valid(form)


class PasswordResetDoneView(TemplateView):
    """«Revise su correo»: said whatever the address was."""

    template_name = "registration/password_reset_done.html"


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Choose a password from a one-time link (a reset or the invitation's first login), with
    the AUTH_PASSWORD_VALIDATORS rules; then the person is logged in and lands on Inicio.
    A used, replaced or expired link, or a deactivated account, shows «enlace no válido»."""

    form_class = SetPasswordForm
    template_name = "registration/password_set.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("dashboard")
    via = "reset"

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["via"] = self.via
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        user = services.user_password_set(
            user=form.user, password=form.cleaned_data["new_password1"], via=self.via
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        auth_login(self.request, user, self.post_reset_login_backend)
        if self.via == "invitation":
            messages.success(
                self.request, _("Bienvenida o bienvenido a Acuerdos. Su contraseña quedó guardada.")
            )
        else:
            messages.success(self.request, _("Su contraseña quedó guardada."))
        return HttpResponseRedirect(str(self.success_url))


class InvitationAcceptView(PasswordSetView):
    """The invitation's link: the first login, where the person chooses their password."""

    via = "invitation"
