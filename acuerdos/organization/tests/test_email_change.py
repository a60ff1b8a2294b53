"""Changing a person's work e-mail (coordinators): allowed domains, unique, audited with the old
and new address, both addresses told, sessions kept; the person page shows the form."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from acuerdos.audit.models import AuditEvent
from acuerdos.organization.forms import (
    EmailChangeForm,
    PersonInviteForm,
)
from acuerdos.organization.services import PersonError, user_email_change
from acuerdos.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _domains(settings):
    settings.ACUERDOS_EMAIL_DOMAINS = ["imss.gob.mx"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _entered(user):
    from django.utils import timezone

    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return user


def test_it_changes_the_email_audits_both_values_and_tells_both_addresses(world):
    person = _entered(world.users["liaison"])
    user_email_change(
        user=person, email="  Nuevo.Enlace@IMSS.gob.mx ", actor=world.users["coordinator"]
    )
    person.refresh_from_db()
    assert person.email == "nuevo.enlace@imss.gob.mx"
    event = AuditEvent.objects.get(action="user.email_changed")
    assert event.changes == {"email": ["liaison@imss.gob.mx", "nuevo.enlace@imss.gob.mx"]}
    assert event.actor == world.users["coordinator"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "liaison@imss.gob.mx",
        "nuevo.enlace@imss.gob.mx",
    ]
    for message in mail.outbox:
        assert message.subject == "Acuerdos IMSS: cambió su correo de acceso"
        assert "antes: liaison@imss.gob.mx" in message.body
        assert "ahora: nuevo.enlace@imss.gob.mx" in message.body


def test_the_person_stays_logged_in_and_logs_in_with_the_new_address(world):
    person = _entered(world.users["liaison"])
    person.set_password("contrasena-segura-123")
    person.save()
    client = Client()
    client.force_login(person)
    user_email_change(user=person, email="nuevo@imss.gob.mx", actor=world.users["coordinator"])
    assert client.get("/compromisos/mios/").status_code == 200
    assert get_user(client).pk == person.pk
    request = RequestFactory().post("/login/")
    assert authenticate(request, username="nuevo@imss.gob.mx", password="contrasena-segura-123")
    assert not authenticate(
        request, username="liaison@imss.gob.mx", password="contrasena-segura-123"
    )


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("alguien@gmail.com", "Use el correo institucional."),
        ("HEAD@imss.gob.mx", "Ya existe una cuenta con ese correo."),
        ("liaison@imss.gob.mx", "Es el mismo correo que ya tiene la cuenta."),
    ],
)
def test_it_refuses_other_domains_taken_and_unchanged_addresses(world, email, message):
    with pytest.raises(PersonError, match=message):
        user_email_change(
            user=world.users["liaison"], email=email, actor=world.users["coordinator"]
        )
    assert not AuditEvent.objects.filter(action="user.email_changed").exists()
    assert mail.outbox == []
    form = EmailChangeForm({"e-email": email}, prefix="e", person=world.users["liaison"])
    assert not form.is_valid()
    assert form.errors["email"][0].startswith(message.rstrip("."))


@pytest.mark.parametrize("persona", ["liaison", "head", "validator", "viewer", "other_liaison"])
def test_only_coordinators_change_an_address(world, persona):
    with pytest.raises(PermissionDenied):
        user_email_change(
            user=world.users["head"], email="x@imss.gob.mx", actor=world.users[persona]
        )
    world.users["head"].refresh_from_db()
    assert world.users["head"].email == "head@imss.gob.mx"


def test_a_new_address_refused_by_the_mail_server_changes_nothing(world, monkeypatch):
    import smtplib

    from acuerdos.organization import services

    def refuse(subject, body, sender, to):
        raise smtplib.SMTPRecipientsRefused({to[0]: (550, b"no")})

    monkeypatch.setattr(services, "send_mail", refuse)
    with pytest.raises(smtplib.SMTPException):
        user_email_change(
            user=_entered(world.users["liaison"]),
            email="nuevo@imss.gob.mx",
            actor=world.users["coordinator"],
        )
    world.users["liaison"].refresh_from_db()
    assert world.users["liaison"].email == "liaison@imss.gob.mx"
    assert not AuditEvent.objects.filter(action="user.email_changed").exists()


def test_a_dead_old_mailbox_does_not_block_the_change(world, monkeypatch):
    import smtplib

    from acuerdos.organization import services

    sent: list[str] = []

    def old_refused(subject, body, sender, to):
        if to == ["liaison@imss.gob.mx"]:
            raise smtplib.SMTPRecipientsRefused({to[0]: (550, b"no existe")})
        sent.append(to[0])

    monkeypatch.setattr(services, "send_mail", old_refused)
    user_email_change(
        user=_entered(world.users["liaison"]),
        email="nuevo@imss.gob.mx",
        actor=world.users["coordinator"],
    )
    assert sent == ["nuevo@imss.gob.mx"]
    assert AuditEvent.objects.filter(action="user.email_changed").count() == 1


def test_a_pending_invitation_is_sent_again_to_the_new_address(world):
    invited = UserFactory(email="invitada@imss.gob.mx", full_name="Persona Invitada")
    invited.last_login = None
    invited.set_unusable_password()
    invited.save()
    user_email_change(user=invited, email="invitada2@imss.gob.mx", actor=world.users["coordinator"])
    to_new = [m for m in mail.outbox if m.to == ["invitada2@imss.gob.mx"]]
    assert len(to_new) == 1 and "/invitacion/" in to_new[0].body
    assert [m.to for m in mail.outbox if "cambió su correo" in m.subject] == [
        ["invitada@imss.gob.mx"]
    ]
    assert AuditEvent.objects.filter(action="user.invitation_resent").count() == 1


def test_the_invitation_form_keeps_its_checks(world):
    form = PersonInviteForm({"email": "liaison@imss.gob.mx", "full_name": "Alguien Más"})
    form.is_valid()
    assert form.errors["email"] == ["Ya existe una cuenta con ese correo."]
    form = PersonInviteForm({"email": "x@gmail.com", "full_name": "Alguien Más"})
    form.is_valid()
    assert form.errors["email"] == ["Use el correo institucional (@imss.gob.mx)."]


def test_the_person_page_changes_the_email_and_shows_its_errors(client, world):
    person = world.users["liaison"]
    client.force_login(world.users["coordinator"])
    page = client.get(f"/personas/{person.pk}/").content.decode()
    assert "Cambiar el correo institucional" in page
    assert f'action="/personas/{person.pk}/correo/"' in page
    refused = client.post(f"/personas/{person.pk}/correo/", {"e-email": "x@gmail.com"})
    assert refused.status_code == 400
    assert "Use el correo institucional (@imss.gob.mx)." in refused.content.decode()
    person.refresh_from_db()
    assert person.email != "x@gmail.com"
    done = client.post(f"/personas/{person.pk}/correo/", {"e-email": "nuevo.enlace@imss.gob.mx"})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.email == "nuevo.enlace@imss.gob.mx"
    assert AuditEvent.objects.filter(action="user.email_changed", target_id=str(person.pk)).exists()
    assert "cambió el correo de acceso" in client.get(f"/personas/{person.pk}/").content.decode()


def test_only_a_coordinator_changes_an_email(client, world):
    person = world.users["liaison"]
    client.force_login(world.users["head"])
    response = client.post(f"/personas/{person.pk}/correo/", {"e-email": "otro@imss.gob.mx"})
    assert response.status_code in (403, 404)
    person.refresh_from_db()
    assert person.email != "otro@imss.gob.mx"
