"""The notifications inbox: list, open (marks read and goes to the object), mark all as read;
the person's notification preferences; and, for coordinators, the worker's failures and outbox.

Opening a notification is a GET that marks it read: the link must work like any other link
(new tab, middle click), and the only state it changes is the reader's own inbox.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from acuerdos.core.pagination import paginate
from acuerdos.notifications import selectors
from acuerdos.notifications.forms import NotificationPreferenceForm
from acuerdos.notifications.mail import email_retry
from acuerdos.notifications.permissions import (
    access_notification,
    access_outgoing_email,
    check_worker_access,
)
from acuerdos.notifications.services import mark_read, preference_update

UNREAD = "sin-leer"


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Notificaciones: the user's notifications, newest first; `?estado=sin-leer` for unread."""
    unread_only = request.GET.get("estado") == UNREAD
    page = paginate(request, selectors.inbox(request.user, unread_only=unread_only))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_only": unread_only, "unread_filter": UNREAD},
    )


@require_GET
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about (only local addresses)."""
    notification = access_notification(request.user, pk)
    mark_read(user=request.user, notification_ids=[notification.pk])  # type: ignore[arg-type]
    target = notification.url
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("notifications:inbox"))


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Marcar todas como leídas."""
    count = mark_read(user=request.user)  # type: ignore[arg-type]
    if count:
        messages.success(
            request,
            ngettext(
                "Se marcó %(n)d notificación como leída.",
                "Se marcaron %(n)d notificaciones como leídas.",
                count,
            )
            % {"n": count},
        )
    else:
        messages.info(request, _("No tenía notificaciones sin leer."))
    return redirect(reverse("notifications:inbox"))


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Preferencias de notificación: the daily e-mail digest on or off."""
    current = selectors.preference_for(request.user)
    data = request.POST if request.method == "POST" else None
    form = NotificationPreferenceForm(data, instance=current)
    if request.method == "POST" and form.is_valid():
        preference_update(
            user=request.user,  # type: ignore[arg-type]
            email_enabled=form.cleaned_data["email_enabled"],
            actor=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("Se guardaron sus preferencias de notificación."))
        return redirect(reverse("notifications:preferences"))
    return render(request, "notifications/preferences.html", {"form": form})


@require_GET
@login_required
def worker_status(request: HttpRequest) -> HttpResponse:
    """Trabajos en segundo plano: failed jobs and e-mails, retries, the scheduler's health."""
    check_worker_access(request.user)
    return render(
        request, "notifications/worker_status.html", {"health": selectors.worker_health()}
    )


@require_POST
@login_required
def email_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Reintentar: send a failed e-mail again."""
    email = access_outgoing_email(request.user, pk)
    try:
        email_retry(email_id=email.pk, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("El correo para %(to)s se volverá a enviar.") % {"to": email.to}
        )
    return redirect(reverse("notifications:worker_status"))
