"""The people screens (Coordinación central) and the password pages, through the views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from acuerdos.audit.models import AuditEvent
from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.organization.models import Membership, Role, Unit, User
from acuerdos.organization.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite_data(**overrides: object) -> dict[str, object]:
    qro = Unit.objects.get(code="OOAD-QRO")
    return {
        "email": "nueva.enlace@imss.gob.mx",
        "full_name": "Nueva Enlace",
        "unit": qro.pk,
        "role": Role.LIAISON,
        **overrides,
    }


# --- Invite -------------------------------------------------------------------------------------


def test_it_shows_the_invitation_form_in_spanish(clients):
    html = clients["coordinator"].get("/personas/invitar/").content.decode()
    for text in ("Invitar persona", "Correo institucional", "Nombre completo", "Enviar invitación"):
        assert text in html
    # Only the personal data the work needs (PRODUCT.md §4.10).
    for field in ("phone", "telefono", "curp", "rfc"):
        assert f'name="{field}"' not in html


def test_it_invites_from_the_form_and_lands_on_the_persons_page(world, clients):
    response = clients["coordinator"].post("/personas/invitar/", invite_data())
    user = User.objects.get(email="nueva.enlace@imss.gob.mx")
    assert response.status_code == 302
    assert response["Location"] == f"/personas/{user.pk}/"
    assert "http://testserver/accounts/invitacion/" in mail.outbox[0].body
    page = clients["coordinator"].get(response["Location"]).content.decode()
    assert "Se envió la invitación a nueva.enlace@imss.gob.mx" in page
    assert "Reenviar invitación" in page
    assert "envió la invitación" in page  # the account's history


def test_it_keeps_what_was_typed_and_explains_errors_next_to_each_field(world, clients):
    response = clients["coordinator"].post(
        "/personas/invitar/",
        invite_data(email="liaison@imss.gob.mx", unit=Unit.objects.get(code="DPM").pk),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ya existe una cuenta con ese correo." in html
    assert "Un enlace o titular pertenece a un OOAD, una UMAE o un grupo de trabajo." in html
    assert 'value="Nueva Enlace"' in html
    assert mail.outbox == []


def test_it_checks_the_email_alone_with_htmx(world, clients):
    response = clients["coordinator"].post(
        "/personas/invitar/?check=1",
        {"email": "Liaison@IMSS.gob.mx"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ya existe una cuenta con ese correo." in html
    assert "<html" not in html
    assert "Nombre completo" not in html  # only the e-mail field comes back
    assert not User.objects.filter(full_name="Nueva Enlace").exists()


def test_it_asks_for_the_institutional_domain_when_configured(world, clients, settings):
    settings.ACUERDOS_EMAIL_DOMAINS = ["imss.gob.mx"]
    response = clients["coordinator"].post(
        "/personas/invitar/", invite_data(email="alguien@gmail.com")
    )
    assert "Use el correo institucional (@imss.gob.mx)." in response.content.decode()


# --- The list -----------------------------------------------------------------------------------


def test_it_filters_who_never_logged_in_and_inactive_accounts(world, clients):
    coordinator = clients["coordinator"]
    for persona in ("liaison", "head", "validator", "coordinator", "viewer"):
        user = world.users[persona]
        user.last_login = timezone.now()
        user.save()
    never = world.users["other_liaison"]
    never.last_login = None
    never.save()
    old = world.users["viewer"]
    old.last_login = timezone.now() - dt.timedelta(days=45)
    old.save()
    gone = UserFactory(email="baja@imss.gob.mx")
    gone.is_active = False
    gone.save()

    def emails(query: str) -> list[str]:
        return sorted(
            u.email for u in coordinator.get(f"/personas/?{query}").context["page"].object_list
        )

    assert emails("access=never") == ["baja@imss.gob.mx", "other_liaison@imss.gob.mx"]
    assert emails("status=active&access=never") == ["other_liaison@imss.gob.mx"]
    assert emails("status=inactive") == ["baja@imss.gob.mx"]
    assert emails("status=active&access=stale") == [
        "other_liaison@imss.gob.mx",
        "viewer@imss.gob.mx",
    ]


def test_it_swaps_only_the_results_for_htmx(world, clients):
    response = clients["coordinator"].get("/personas/?q=head", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "1 persona" in html
    assert response["Vary"].count("HX-Request") == 1


# --- A person's page ---------------------------------------------------------------------------


def test_it_shows_a_person_with_current_and_ended_roles(world, clients):
    liaison = world.users["liaison"]
    ended = MembershipFactory(user=liaison, unit=Unit.objects.get(code="OOAD-HGO"), role="head")
    ended.is_active = False
    ended.save()
    html = clients["coordinator"].get(f"/personas/{liaison.pk}/").content.decode()
    assert "liaison@imss.gob.mx" in html
    assert "Retirar el rol Enlace en Querétaro" in html
    assert "No vigente desde el" in html
    assert "Desactivar cuenta" in html


def test_it_gives_and_takes_a_role_from_the_persons_page(world, clients):
    coordinator, liaison = clients["coordinator"], world.users["liaison"]
    hgo = Unit.objects.get(code="OOAD-HGO")
    response = coordinator.post(
        f"/personas/{liaison.pk}/roles/", {"m-unit": hgo.pk, "m-role": Role.HEAD}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=liaison, unit=hgo, role=Role.HEAD, is_active=True)
    response = coordinator.post(f"/personas/{liaison.pk}/roles/{membership.pk}/retirar/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    actions = AuditEvent.objects.filter(
        target_type="organization.membership", target_id=str(membership.pk)
    ).values_list("action", flat=True)
    assert sorted(actions) == ["membership.ended", "membership.granted"]
    page = coordinator.get(f"/personas/{liaison.pk}/").content.decode()
    assert "Se retiró el rol Titular en Hidalgo." in page
    assert "retiró un rol" in page


def test_it_refuses_a_validator_role_outside_a_normative_area(world, clients):
    liaison = world.users["liaison"]
    response = clients["coordinator"].post(
        f"/personas/{liaison.pk}/roles/",
        {"m-unit": Unit.objects.get(code="OOAD-HGO").pk, "m-role": Role.VALIDATOR},
    )
    assert response.status_code == 400
    assert "Un área normativa valida desde una dirección o coordinación." in (
        response.content.decode()
    )


def test_it_deactivates_and_reactivates_a_person_from_their_page(world, clients):
    coordinator, head = clients["coordinator"], world.users["head"]
    response = coordinator.post(f"/personas/{head.pk}/desactivar/", {"d-reason": "Jubilación"})
    assert response.status_code == 302
    head.refresh_from_db()
    assert not head.is_active
    page = coordinator.get(f"/personas/{head.pk}/").content.decode()
    assert "Se desactivó la cuenta de Head" in page
    assert "Reactivar cuenta" in page
    assert "Jubilación" in page
    assert clients["head"].get("/")["Location"].startswith("/accounts/login/")
    coordinator.post(f"/personas/{head.pk}/reactivar/")
    head.refresh_from_db()
    assert head.is_active


def test_it_tells_a_coordinator_they_cannot_deactivate_themselves(world, clients):
    me = world.users["coordinator"]
    page = clients["coordinator"].get(f"/personas/{me.pk}/").content.decode()
    assert "Desactivar cuenta" not in page
    response = clients["coordinator"].post(f"/personas/{me.pk}/desactivar/", follow=True)
    assert "No puede desactivar su propia cuenta." in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


def test_it_shows_the_persons_page_in_constant_queries(world, clients):
    liaison = world.users["liaison"]
    units = list(Unit.objects.responsible()[:12])

    def grow() -> None:
        for unit in units:
            MembershipFactory(user=liaison, unit=unit, role=Role.HEAD)

    assert_constant_queries(clients["coordinator"], f"/personas/{liaison.pk}/", grow)


# --- Password pages ----------------------------------------------------------------------------


def test_it_links_the_forgotten_password_page_from_the_login_page(client, catalog):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/contrasena/olvide/"' in html
    assert "¿Olvidó su contraseña?" in html


def test_it_answers_the_same_for_known_and_unknown_emails(world):
    # Tests run the worker's jobs in-process (HUEY_IMMEDIATE), so the e-mail is already out.
    known = Client().post("/accounts/contrasena/olvide/", {"email": "liaison@imss.gob.mx"})
    unknown = Client().post("/accounts/contrasena/olvide/", {"email": "nadie@imss.gob.mx"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/contrasena/olvide/enviado/"
    assert len(mail.outbox) == 1
    assert known.content == unknown.content
    done = Client().get(known["Location"]).content.decode()
    assert "Si el correo que escribió pertenece a una cuenta activa" in done


def test_it_throttles_reset_requests_from_one_address(world, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    client = Client()
    answers = [
        client.post("/accounts/contrasena/olvide/", {"email": f"x{n}@imss.gob.mx"}).status_code
        for n in range(3)
    ]
    assert answers == [302, 302, 429]
    blocked = client.post("/accounts/contrasena/olvide/", {"email": "liaison@imss.gob.mx"})
    assert "Espere 15 minutos" in blocked.content.decode()
    assert mail.outbox == []
    cache.clear()


def test_it_asks_for_a_valid_email_in_spanish(catalog):
    response = Client().post("/accounts/contrasena/olvide/", {"email": "no-es-correo"})
    assert response.status_code == 200
    assert "Escriba un correo válido" in response.content.decode()


def test_it_corrects_a_name_and_audits_the_change(world, clients):
    liaison = world.users["liaison"]
    response = clients["coordinator"].post(
        f"/personas/{liaison.pk}/nombre/", {"n-full_name": "  Ana   Liaison Pérez "}
    )
    assert response.status_code == 302
    liaison.refresh_from_db()
    assert liaison.full_name == "Ana Liaison Pérez"
    event = AuditEvent.objects.get(action="user.updated", target_id=str(liaison.pk))
    assert event.changes == {"full_name": ["Liaison", "Ana Liaison Pérez"]}
    page = clients["coordinator"].get(f"/personas/{liaison.pk}/").content.decode()
    assert "corrigió el nombre" in page
    refused = clients["coordinator"].post(f"/personas/{liaison.pk}/nombre/", {"n-full_name": " "})
    assert refused.status_code == 400
    assert "Escriba el nombre completo." in refused.content.decode()
