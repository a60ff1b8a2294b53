"""People services: invitations with a one-time link, roles given and taken, deactivation that
keeps history, and the password reset that never tells whether an account exists."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import Client

from acuerdos.audit import services as audit
from acuerdos.audit.models import AuditEvent
from acuerdos.organization import services
from acuerdos.organization.models import Membership, Role, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "una-clave-larga-para-2026"
START = dt.datetime(2026, 6, 1, 15, tzinfo=dt.UTC)


def actions_on(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="organization.user", target_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"http://testserver(/accounts/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def invite(world, email: str = "nueva.enlace@imss.gob.mx") -> User:
    return services.user_invite(
        email=email,
        full_name="Nueva Enlace de Querétaro",
        unit=world.unit("OOAD-QRO"),
        role=Role.LIAISON,
        actor=world.users["coordinator"],
        base_url="http://testserver/",
    )


def choose_password(client: Client, link: str, password: str = NEW_PASSWORD):
    first = client.get(link)
    assert first.status_code == 302, first.content.decode()[:500]
    return client.post(first["Location"], {"new_password1": password, "new_password2": password})


# --- Invitation ----------------------------------------------------------------------------------


def test_it_invites_a_person_with_a_membership_an_audit_trail_and_a_spanish_email(world):
    user = invite(world, email="  Nueva.Enlace@IMSS.gob.mx ")
    assert user.email == "nueva.enlace@imss.gob.mx"
    assert not user.has_usable_password()
    assert user.is_active and user.last_login is None
    membership = Membership.objects.get(user=user)
    assert (membership.unit.code, membership.role, membership.is_active) == (
        "OOAD-QRO",
        Role.LIAISON,
        True,
    )
    assert actions_on(user) == ["user.created", "user.invited"]
    granted = AuditEvent.objects.get(action="membership.granted", target_id=str(membership.pk))
    assert granted.actor == world.users["coordinator"]
    [message] = mail.outbox
    assert message.to == ["nueva.enlace@imss.gob.mx"]
    assert message.subject == "Invitación a Acuerdos IMSS: elija su contraseña"
    assert "Hola, Nueva Enlace de Querétaro:" in message.body
    assert "vence en 3 días" in message.body
    assert "/accounts/invitacion/" in link_in(message)


def test_it_lets_the_invited_person_choose_a_password_and_logs_them_in(world):
    user = invite(world)
    client = Client()
    response = choose_password(client, link_in(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.last_login is not None
    event = AuditEvent.objects.get(action="user.password_set", target_id=str(user.pk))
    assert event.context == {"via": "invitation"}
    assert event.actor == user
    assert NEW_PASSWORD not in str(event.changes) + str(event.context)
    assert client.get("/compromisos/mios/").status_code == 200


def test_it_uses_the_invitation_link_only_once(world):
    invite(world)
    link = link_in(mail.outbox[0])
    choose_password(Client(), link)
    again = Client().get(link)
    assert again.status_code == 200
    assert "El enlace ya no es válido" in again.content.decode()


def test_it_expires_the_invitation_link_after_password_reset_timeout(world):
    with time_machine.travel(START, tick=False) as traveller:
        invite(world)
        link = link_in(mail.outbox[0])
        traveller.shift(dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60))
        assert Client().get(link).status_code == 302  # still valid a minute before
        traveller.shift(dt.timedelta(seconds=120))
        late = Client().get(link)
    assert late.status_code == 200
    assert "El enlace ya no es válido" in late.content.decode()


def test_it_resends_an_invitation_and_the_earlier_link_stops_working(world):
    user = invite(world)
    services.invitation_resend(
        user=user, actor=world.users["coordinator"], base_url="http://testserver"
    )
    first, second = (link_in(m) for m in mail.outbox)
    assert first != second
    assert Client().get(first).status_code == 200  # «no válido»
    assert choose_password(Client(), second).status_code == 302
    assert actions_on(user)[-3:-1] == ["user.invited", "user.invitation_resent"]


def test_it_refuses_to_resend_to_someone_who_already_logged_in(world):
    with pytest.raises(services.PersonError, match="ya ingresó"):
        user = world.users["liaison"]
        user.last_login = START
        user.save()
        services.invitation_resend(user=user, actor=world.users["coordinator"])
    assert mail.outbox == []


def test_it_refuses_a_second_account_with_the_same_email(world):
    with pytest.raises(services.PersonError, match="Ya existe una cuenta"):
        invite(world, email="LIAISON@imss.gob.mx")
    assert mail.outbox == []


def test_it_leaves_no_account_when_the_email_cannot_be_sent(world, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        invite(world)
    assert not User.objects.filter(email="nueva.enlace@imss.gob.mx").exists()
    assert not AuditEvent.objects.filter(action="user.invited").exists()


# --- Memberships ---------------------------------------------------------------------------------


def test_it_gives_and_ends_a_membership_with_audit_and_keeps_it(world):
    user, coordinator = world.users["liaison"], world.users["coordinator"]
    hgo = world.unit("OOAD-HGO")
    membership = services.membership_grant(user=user, unit=hgo, role=Role.HEAD, actor=coordinator)
    services.membership_end(membership=membership, actor=coordinator)
    membership.refresh_from_db()
    assert membership.is_active is False
    events = AuditEvent.objects.filter(
        target_id=str(membership.pk), target_type="organization.membership"
    )
    assert sorted(events.values_list("action", flat=True)) == [
        "membership.ended",
        "membership.granted",
    ]
    ended = events.get(action="membership.ended")
    assert ended.changes == {"is_active": [True, False]}
    assert ended.context == {"unit": "OOAD-HGO", "role": "head"}
    # Ending it again changes nothing and writes nothing.
    services.membership_end(membership=membership, actor=coordinator)
    assert events.count() == 2
    # Giving it again makes the same row current.
    again = services.membership_grant(user=user, unit=hgo, role=Role.HEAD, actor=coordinator)
    assert again.pk == membership.pk and again.is_active


# --- Deactivation --------------------------------------------------------------------------------


def test_it_deactivates_a_person_ends_sessions_and_roles_and_keeps_their_history(world):
    liaison, coordinator = world.users["liaison"], world.users["coordinator"]
    with transaction.atomic():
        earlier = audit.record(actor=liaison, action="comment.created", target=world.own_commitment)
    session = Client()
    assert (
        session.post(
            "/accounts/login/", {"username": liaison.email, "password": "contrasena-segura-123"}
        ).status_code
        == 302
    )
    assert session.get("/compromisos/mios/").status_code == 200

    services.user_deactivate(user=liaison, actor=coordinator, reason="Cambió de adscripción")

    liaison.refresh_from_db()
    assert liaison.is_active is False
    assert not Membership.objects.filter(user=liaison, is_active=True).exists()
    assert Membership.objects.filter(user=liaison).count() == 1  # kept, not deleted
    earlier.refresh_from_db()
    assert earlier.actor == liaison
    event = AuditEvent.objects.get(action="user.deactivated", target_id=str(liaison.pk))
    assert event.context == {"reason": "Cambió de adscripción", "sessions_ended": 1}
    assert AuditEvent.objects.filter(action="membership.ended").count() == 1
    # The open session is gone and the password no longer lets them in.
    assert session.get("/compromisos/mios/")["Location"].startswith("/accounts/login/")
    refused = Client().post(
        "/accounts/login/", {"username": liaison.email, "password": "contrasena-segura-123"}
    )
    assert refused.status_code == 200
    assert "_auth_user_id" not in refused.client.session


def test_it_refuses_to_let_a_coordinator_deactivate_themselves(world):
    coordinator = world.users["coordinator"]
    with pytest.raises(services.PersonError, match="su propia cuenta"):
        services.user_deactivate(user=coordinator, actor=coordinator)
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_it_reactivates_a_person_without_giving_back_their_roles(world):
    liaison, coordinator = world.users["liaison"], world.users["coordinator"]
    services.user_deactivate(user=liaison, actor=coordinator)
    services.user_reactivate(user=liaison, actor=coordinator)
    liaison.refresh_from_db()
    assert liaison.is_active
    assert not Membership.objects.filter(user=liaison, is_active=True).exists()
    assert actions_on(liaison)[-2:] == ["user.deactivated", "user.reactivated"]
    response = Client().post(
        "/accounts/login/", {"username": liaison.email, "password": "contrasena-segura-123"}
    )
    assert response.status_code == 302


# --- Password reset ------------------------------------------------------------------------------


def test_it_sends_a_reset_link_to_a_known_active_account_and_audits_it(world):
    liaison = world.users["liaison"]
    assert services.password_reset_request(
        email="LIAISON@imss.gob.mx", base_url="http://testserver"
    )
    [message] = mail.outbox
    assert message.to == [liaison.email]
    assert message.subject == "Acuerdos IMSS: restablezca su contraseña"
    assert "/accounts/contrasena/nueva/" in link_in(message)
    assert actions_on(liaison)[-1] == "user.password_reset_requested"
    client = Client()
    assert choose_password(client, link_in(message))["Location"] == "/"
    liaison.refresh_from_db()
    assert liaison.check_password(NEW_PASSWORD)
    assert actions_on(liaison)[-1] == "user.password_set"


def test_it_queues_a_reset_request_without_reading_the_database(
    world, monkeypatch, django_assert_num_queries
):
    from acuerdos.organization import tasks

    queued: list[tuple[str, str | None]] = []
    monkeypatch.setattr(tasks, "send_password_reset", lambda *args: queued.append(args))
    with django_assert_num_queries(0):
        services.password_reset_ask(email=" liaison@imss.gob.mx ", base_url="http://testserver")
        services.password_reset_ask(email="nadie@imss.gob.mx", base_url="http://testserver")
    assert queued == [
        ("liaison@imss.gob.mx", "http://testserver"),
        ("nadie@imss.gob.mx", "http://testserver"),
    ]


def test_it_sends_nothing_to_unknown_or_deactivated_addresses(world):
    services.user_deactivate(user=world.users["viewer"], actor=world.users["coordinator"])
    assert not services.password_reset_request(email="nadie@imss.gob.mx")
    assert not services.password_reset_request(email="viewer@imss.gob.mx")
    assert mail.outbox == []


def test_it_sends_at_most_three_reset_emails_an_hour_per_account(world):
    with time_machine.travel(START, tick=False) as traveller:
        sent = [services.password_reset_request(email="liaison@imss.gob.mx") for _ in range(5)]
        assert sent == [True, True, True, False, False]
        traveller.shift(dt.timedelta(minutes=61))
        assert services.password_reset_request(email="liaison@imss.gob.mx")
    assert len(mail.outbox) == 4


def test_it_refuses_an_old_reset_link_once_the_account_is_deactivated(world):
    services.password_reset_request(email="liaison@imss.gob.mx", base_url="http://testserver")
    services.user_deactivate(user=world.users["liaison"], actor=world.users["coordinator"])
    response = Client().get(link_in(mail.outbox[0]))
    assert response.status_code == 200
    assert "El enlace ya no es válido" in response.content.decode()


def test_it_refuses_a_weak_password_in_spanish(world):
    invite(world)
    client = Client()
    first = client.get(link_in(mail.outbox[0]))
    response = client.post(first["Location"], {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "demasiado corta" in html
    assert "totalmente numérica" in html
    assert "is-invalid" in html
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email="nueva.enlace@imss.gob.mx")
    assert not user.has_usable_password()


def test_it_refuses_two_different_passwords_in_spanish(world):
    invite(world)
    client = Client()
    first = client.get(link_in(mail.outbox[0]))
    response = client.post(
        first["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert "Las dos contraseñas no coinciden." in response.content.decode()
