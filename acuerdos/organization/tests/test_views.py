"""Login and logout in Spanish, the lockout page, the people list and the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.organization.models import Membership, Role, Unit, User
from acuerdos.organization.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Login and logout ------------------------------------------------------------------------


def test_it_shows_the_login_page_in_spanish(client, catalog):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es-MX">' in html
    assert "Correo institucional" in html
    assert "Contraseña" in html
    assert "Ingresar" in html
    assert "Aviso de privacidad simplificado" in html


def test_it_logs_in_with_the_work_email_in_any_case(client, catalog):
    UserFactory(email="enlace.qro@imss.gob.mx")
    response = client.post(
        "/accounts/login/",
        {"username": "  Enlace.QRO@IMSS.gob.mx ", "password": "contrasena-segura-123"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_refuses_a_wrong_password_in_spanish(client, catalog):
    UserFactory(email="enlace.qro@imss.gob.mx")
    response = client.post(
        "/accounts/login/", {"username": "enlace.qro@imss.gob.mx", "password": "otra"}
    )
    assert response.status_code == 200
    assert "El correo o la contraseña no son correctos" in response.content.decode()


def test_it_returns_to_the_page_asked_for_after_login(client, catalog):
    UserFactory(email="enlace.qro@imss.gob.mx")
    response = client.post(
        "/accounts/login/?next=/acuerdos/",
        {
            "username": "enlace.qro@imss.gob.mx",
            "password": "contrasena-segura-123",
            "next": "/acuerdos/",
        },
    )
    assert response["Location"] == "/acuerdos/"


def test_it_sends_a_logged_in_user_from_the_login_page_to_inicio(clients):
    response = clients["liaison"].get("/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_logs_out_only_by_post(clients):
    client = clients["liaison"]
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/login/", 302)
    assert "_auth_user_id" not in client.session
    assert "Cerró su sesión" in response.content.decode()


def test_it_refuses_logout_without_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["liaison"])
    assert client.post("/accounts/logout/").status_code == 403
    assert "_auth_user_id" in client.session


def test_it_shows_the_lockout_page_in_spanish(client, catalog):
    UserFactory(email="enlace.qro@imss.gob.mx")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            "/accounts/login/", {"username": "enlace.qro@imss.gob.mx", "password": "mala"}
        )
    # django-axes answers with its AXES_HTTP_RESPONSE_CODE (429 unless settings say 403).
    assert response.status_code == getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    html = response.content.decode()
    assert "Demasiados intentos fallidos" in html
    assert "Espere 15 minutos" in html
    assert "_auth_user_id" not in client.session


# --- Privacy notice --------------------------------------------------------------------------


def test_it_publishes_the_full_privacy_notice_without_login(client, catalog):
    response = client.get("/aviso-de-privacidad/")
    html = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "Responsable del tratamiento",
        "Domicilio del responsable",
        "Datos personales que se tratan",
        "Finalidades del tratamiento",
        "Fundamento legal",
        "Transferencias de datos personales",
        "Derechos ARCO",
        "Cambios al aviso de privacidad",
    ):
        assert heading in html
    assert "Dirección de Operación y Evaluación" in html
    assert "Ley General de Protección de Datos Personales en Posesión de Sujetos Obligados" in html


# --- Personas --------------------------------------------------------------------------------


def test_it_lets_only_coordinators_see_the_people(clients):
    statuses = {
        persona: client.get("/personas/").status_code for persona, client in clients.items()
    }
    assert statuses == {
        "anonymous": 302,
        "liaison": 403,
        "head": 403,
        "other_liaison": 403,
        "validator": 403,
        "coordinator": 200,
        "viewer": 403,
    }


def test_it_answers_403_in_spanish(clients):
    html = clients["viewer"].get("/personas/").content.decode()
    assert "Su rol no permite esta acción" in html


def test_it_lists_people_with_memberships_and_last_login(world, clients):
    liaison = world.users["liaison"]
    liaison.last_login = timezone.make_aware(dt.datetime(2026, 6, 30, 14, 5))
    liaison.save()
    inactive = UserFactory(email="baja@imss.gob.mx", full_name="Persona Dada de Baja")
    inactive.is_active = False
    inactive.save()
    html = clients["coordinator"].get("/personas/").content.decode()
    assert "30 jun 2026, 14:05" in html
    assert "Nunca ha ingresado" in html
    assert "Enlace</strong> · Querétaro" in html
    assert "Inactiva" in html
    assert "7 personas" in html  # the six personas and the inactive one


def test_it_filters_people_by_text_role_and_unit(world, clients):
    hgo = Unit.objects.get(code="OOAD-HGO")
    coordinator = clients["coordinator"]
    by_text = coordinator.get("/personas/?q=OTHER_liaison").context["page"].object_list
    by_role = coordinator.get(f"/personas/?role={Role.HEAD}").context["page"].object_list
    by_unit = coordinator.get(f"/personas/?unit={hgo.pk}").context["page"].object_list
    assert [u.email for u in by_text] == ["other_liaison@imss.gob.mx"]
    assert [u.email for u in by_role] == ["head@imss.gob.mx"]
    assert [u.email for u in by_unit] == ["other_liaison@imss.gob.mx"]
    bad = coordinator.get("/personas/?role=superuser&unit=abc")
    assert bad.status_code == 200
    assert len(bad.context["page"].object_list) == 6


def test_it_lists_people_in_constant_queries(world, clients):
    units = list(Unit.objects.responsible()[:10])

    def grow() -> None:
        for n in range(30):
            user = UserFactory(email=f"persona.{n}@imss.gob.mx")
            for unit in units[:3]:
                MembershipFactory(user=user, unit=unit, role=Role.LIAISON)

    assert_constant_queries(clients["coordinator"], "/personas/", grow)


# --- Admin -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(world):
    user = User.objects.create_superuser("admin@imss.gob.mx", "clave-de-admin-123", full_name="Adm")
    client = Client()
    client.force_login(user)
    return client


ADMIN_MODELS = [
    "organization/region",
    "organization/unit",
    "organization/theme",
    "organization/user",
    "organization/membership",
    "meetings/round",
    "meetings/meeting",
    "commitments/agreement",
    "commitments/extensionrequest",
]


def test_it_serves_the_admin_in_spanish(admin_client, world):
    html = admin_client.get("/admin/").content.decode()
    assert "Catálogos y usuarios" in html
    for path in ADMIN_MODELS:
        assert admin_client.get(f"/admin/{path}/").status_code == 200, path
    objects = {
        "organization/unit": Unit.objects.get(code="OOAD-QRO").pk,
        "organization/user": world.users["liaison"].pk,
        "organization/membership": Membership.objects.first().pk,
        "meetings/meeting": world.meeting.pk,
        "commitments/agreement": world.own.pk,
    }
    for path, pk in objects.items():
        assert admin_client.get(f"/admin/{path}/{pk}/change/").status_code == 200, path
    assert admin_client.get("/admin/organization/user/add/").status_code == 200
    assert admin_client.get("/admin/commitments/agreement/add/").status_code == 403
    assert (
        admin_client.get(f"/admin/commitments/agreement/{world.own.pk}/delete/").status_code == 403
    )


def test_it_refuses_the_admin_to_non_staff(clients):
    response = clients["coordinator"].get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_creates_a_user_in_the_admin_and_audits_it(admin_client, world):
    from acuerdos.audit.models import AuditEvent

    response = admin_client.post(
        "/admin/organization/user/add/",
        {
            "email": "Nueva.Enlace@IMSS.gob.mx",
            "full_name": "Nueva Enlace",
            "usable_password": "true",
            "password1": "una-clave-larga-segura-2026",
            "password2": "una-clave-larga-segura-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="nueva.enlace@imss.gob.mx")
    event = AuditEvent.objects.get(action="user.created", target_id=str(user.pk))
    assert event.source == "admin"
    assert "password1" not in event.changes and "password" not in event.changes
    assert event.changes["email"] == [None, "nueva.enlace@imss.gob.mx"]


def test_it_audits_an_agreement_correction_in_the_admin(admin_client, world):
    from acuerdos.audit.models import AuditEvent

    agreement = world.own
    response = admin_client.post(
        f"/admin/commitments/agreement/{agreement.pk}/change/",
        {
            "text": "Texto corregido del acuerdo.",
            "deliverable": agreement.deliverable,
            "theme": agreement.theme_id,
            "validating_area": agreement.validating_area_id,
            "priority": "alta",
            "commitments-TOTAL_FORMS": "0",
            "commitments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement.refresh_from_db()
    assert agreement.text == "Texto corregido del acuerdo."
    assert agreement.version == 2
    event = AuditEvent.objects.get(action="agreement.updated", target_id=str(agreement.pk))
    assert event.changes["priority"] == ["media", "alta"]
