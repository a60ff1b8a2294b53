"""A coordinator resets the second factor of a person who lost their phone and their recovery
codes, from the person's page: the state shown there, the reason and the identity check asked,
devices removed, sessions ended, the audit event and the e-mail, enrolment again at next login,
everyone else refused, and no unaudited way left in the Django admin."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from acuerdos.audit.models import AuditEvent
from acuerdos.organization import services as organization_services
from acuerdos.organization import two_factor_services as services
from acuerdos.organization.models import Role, Unit, User
from acuerdos.organization.tests.factories import MembershipFactory, UserFactory
from conftest import World

pytestmark = pytest.mark.django_db

PASSWORD = "contrasena-segura-123"
REASON = "Perdió su teléfono y sus códigos; se confirmó por videollamada con su jefa."


def enrol(user: User) -> TOTPDevice:
    """Give the person a confirmed second factor through the services, with a real code."""
    device = services.two_factor_device_start(actor=user)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    attempt, codes = services.two_factor_enable(actor=user, device_id=device.pk, code=code)
    assert attempt.ok and len(codes) == services.RECOVERY_CODE_COUNT
    return device


def page(user: User) -> str:
    return reverse("organization:person_detail", args=[user.pk])


def reset_url(user: User) -> str:
    return reverse("organization:person_two_factor_reset", args=[user.pk])


def valid(**extra: str) -> dict[str, str]:
    return {"f-reason": REASON, "f-confirm": "on", **extra}


def devices(user: User) -> tuple[int, int]:
    return (
        TOTPDevice.objects.filter(user=user).count(),
        StaticToken.objects.filter(device__user=user).count(),
    )


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def second_coordinator() -> User:
    user = cast(User, UserFactory(email="coordinadora2@imss.gob.mx", full_name="Coordinadora Dos"))
    MembershipFactory(user=user, unit=Unit.objects.get(code="DOE"), role=Role.COORDINATOR)
    return user


# --- The person's page -------------------------------------------------------------------------


def test_the_page_tells_whether_the_person_has_a_second_factor(
    clients: dict[str, Client], world: World
):
    person = world.users["liaison"]
    html = clients["coordinator"].get(page(person)).content.decode()
    assert "Segundo factor" in html and "No configurado" in html
    assert "Restablecer segundo factor" not in html  # nothing to reset
    enrol(person)
    html = clients["coordinator"].get(page(person)).content.decode()
    assert "Activo · quedan 10 códigos de recuperación" in html
    assert "Restablecer segundo factor" in html
    assert f'action="{reset_url(person)}"' in html
    assert "Confirmé la identidad de la persona" in html


def test_a_coordinator_does_not_reset_their_own_second_factor_here(
    clients: dict[str, Client], world: World
):
    coordinator = world.users["coordinator"]
    enrol(coordinator)  # ends the fixture's session (it never typed a code): log in again
    client = Client()
    client.post(
        "/accounts/login/", {"username": coordinator.email, "password": "contrasena-segura-123"}
    )
    recovery = services.two_factor_recovery_regenerate(actor=coordinator)[0]
    client.post(reverse("two_factor:verify"), {"code": recovery})
    html = client.get(page(coordinator)).content.decode()
    assert "Activo · quedan 9" in html and "Restablecer segundo factor" not in html
    response = client.post(reset_url(coordinator), valid(), follow=True)
    assert response.redirect_chain == [(page(coordinator), 302)]
    assert "use la página «Segundo factor»" in response.content.decode()
    assert devices(coordinator) == (1, 9)
    assert not AuditEvent.objects.filter(action="two_factor.reset").exists()


# --- The reset ---------------------------------------------------------------------------------


def test_a_coordinator_resets_it_ends_the_sessions_audits_and_tells_the_person(
    clients: dict[str, Client], world: World
):
    person = world.users["liaison"]
    enrol(person)
    their_session = logged_in(person).session.session_key
    coordinator_session = clients["coordinator"].session.session_key
    response = clients["coordinator"].post(reset_url(person), valid(), follow=True)
    assert response.redirect_chain == [(page(person), 302)]
    html = response.content.decode()
    assert "Se restableció el segundo factor de Liaison" in html
    assert "Se le avisó por correo." in html
    assert "No configurado" in html
    assert devices(person) == (0, 0)
    assert not StaticDevice.objects.filter(user=person).exists()
    assert not Session.objects.filter(session_key=their_session).exists()
    assert Session.objects.filter(session_key=coordinator_session).exists()
    event = AuditEvent.objects.get(action="two_factor.reset")
    assert event.actor == world.users["coordinator"]
    assert (event.target_type, event.target_id) == ("organization.user", str(person.pk))
    assert event.source == "web" and event.request_id
    assert event.context == {
        "reason": REASON,
        "had_app": True,
        "recovery_codes_left": 10,
        "sessions_ended": 1,  # the fixture's ended when the person turned it on
        "notified": True,
    }
    # told in Spanish on the person's history, with the reason
    assert "restableció el segundo factor de la persona" in html and REASON in html
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject == "Acuerdos IMSS: se restableció su segundo factor de autenticación"
    assert "Coordinator, de la Coordinación central" in message.body
    assert "configure de nuevo el segundo factor" in message.body


def test_a_reset_coordinator_must_enrol_again_at_next_login(settings: Any, world: World):
    settings.TWO_FACTOR_REQUIRED_FOR_COORDINATORS = True
    person = second_coordinator()
    enrol(person)
    before = Client().post("/accounts/login/", {"username": person.email, "password": PASSWORD})
    assert before["Location"].startswith(reverse("two_factor:verify"))
    services.two_factor_reset(user=person, actor=world.users["coordinator"], reason=REASON)
    after = Client().post("/accounts/login/", {"username": person.email, "password": PASSWORD})
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("two_factor:manage"))


def test_the_reset_stands_when_the_mail_server_refuses_the_notice(
    clients: dict[str, Client], world: World, monkeypatch: pytest.MonkeyPatch
):
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise ConnectionRefusedError("SMTP caído")

    monkeypatch.setattr(organization_services, "send_mail", refuse)  # account_mail's
    person = world.users["validator"]
    enrol(person)
    response = clients["coordinator"].post(reset_url(person), valid(), follow=True)
    assert "No se pudo enviar el aviso por correo: avísele usted." in response.content.decode()
    assert devices(person) == (0, 0)
    assert AuditEvent.objects.get(action="two_factor.reset").context["notified"] is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"f-confirm": "on"}, "Escriba el motivo del restablecimiento."),
        ({"f-reason": "   ", "f-confirm": "on"}, "Escriba el motivo del restablecimiento."),
        ({"f-reason": REASON}, "Confirme que verificó la identidad de la persona."),
        ({"f-reason": "x" * 301, "f-confirm": "on"}, "como máximo 300"),
    ],
)
def test_it_asks_for_the_reason_and_the_identity_check(
    clients: dict[str, Client], world: World, data: dict[str, str], message: str
):
    person = world.users["liaison"]
    enrol(person)
    response = clients["coordinator"].post(reset_url(person), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'class="collapse show mt-3" id="restablecer-segundo-factor"' in html  # left open
    assert devices(person) == (1, 10)
    assert not AuditEvent.objects.filter(action="two_factor.reset").exists()
    assert mail.outbox == []


def test_it_says_so_when_there_is_nothing_to_reset(clients: dict[str, Client], world: World):
    person = world.users["liaison"]
    response = clients["coordinator"].post(reset_url(person), valid(), follow=True)
    assert response.redirect_chain == [(page(person), 302)]
    assert "La persona no tiene segundo factor configurado." in response.content.decode()
    assert not AuditEvent.objects.filter(action="two_factor.reset").exists()
    assert mail.outbox == []


def test_it_also_removes_a_half_finished_enrolment_and_loose_recovery_codes(world: World):
    person = world.users["head"]
    services.two_factor_device_start(actor=person)  # scanned the QR, never confirmed
    StaticDevice.objects.create(user=person, name=services.STATIC_DEVICE_NAME, confirmed=True)
    services.two_factor_reset(user=person, actor=world.users["coordinator"], reason="Cambio.")
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    assert AuditEvent.objects.get(action="two_factor.reset").context["had_app"] is False


# --- Everyone else is refused ------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["liaison", "head", "other_liaison", "validator", "viewer"])
def test_nobody_but_a_coordinator_resets_a_second_factor(
    clients: dict[str, Client], world: World, persona: str
):
    person = world.users["other_liaison" if persona != "other_liaison" else "liaison"]
    enrol(person)
    response = clients[persona].post(reset_url(person), valid())
    assert response.status_code == 403
    assert devices(person) == (1, 10)
    assert not AuditEvent.objects.filter(action="two_factor.reset").exists()
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(user=person, actor=world.users[persona], reason=REASON)
    assert devices(person) == (1, 10)


def test_anonymous_visitors_go_to_the_login_and_unknown_people_answer_404(
    clients: dict[str, Client], world: World
):
    person = world.users["liaison"]
    enrol(person)
    response = clients["anonymous"].post(reset_url(person), valid())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    missing = reverse("organization:person_two_factor_reset", args=[987654])
    assert clients["coordinator"].post(missing, valid()).status_code == 404
    assert clients["coordinator"].get(reset_url(person)).status_code == 405
    assert devices(person) == (1, 10)


# --- No unaudited path in the Django admin -----------------------------------------------------


def test_the_admin_has_no_pages_for_second_factor_devices(world: World):
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
    superuser = cast(User, UserFactory(email="raiz@imss.gob.mx", is_staff=True, is_superuser=True))
    enrol(world.users["liaison"])
    device = TOTPDevice.objects.get(user=world.users["liaison"])
    client = logged_in(superuser)
    for url in (
        "/admin/otp_totp/totpdevice/",
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        f"/admin/otp_totp/totpdevice/{device.pk}/delete/",
        "/admin/otp_static/staticdevice/",
    ):
        assert client.get(url).status_code == 404, url
    assert "totpdevice" not in client.get("/admin/").content.decode()
