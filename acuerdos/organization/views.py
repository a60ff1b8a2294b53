"""Pages of the organisation: logout with a Spanish confirmation, and the people list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from acuerdos.core.pagination import paginate
from acuerdos.organization import selectors
from acuerdos.organization.forms import LoginForm, PeopleFilterForm


class LoginView(auth_views.LoginView):
    """Django's login with the e-mail form; a logged-in visitor goes straight to Inicio."""

    authentication_form = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django requires) and say so on the login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.success(request, _("Cerró su sesión. Hasta pronto."))
        return response


@require_GET
@login_required
@permission_required("acuerdos.manage", raise_exception=True)
def people_list(request: HttpRequest) -> HttpResponse:
    """Personas: users, their memberships, last login and whether they are active (read-only;
    Coordinación central only, 403 for everyone else)."""
    form = PeopleFilterForm(request.GET or None)
    page = paginate(request, selectors.people_list(form.to_filters()))
    return render(request, "organization/people_list.html", {"form": form, "page": page})
