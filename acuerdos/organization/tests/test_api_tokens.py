"""Personal API tokens: shown once, hashed at rest, expiry, revocation, inactive owner, read-only
scope, last-used written at most once a minute, throttling, and the Tokens de API page."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from acuerdos.audit.models import AuditEvent
from acuerdos.core.request_context import current_token
from acuerdos.organization.api.authentication import TokenRateThrottle
from acuerdos.organization.models import ApiToken, User
from acuerdos.organization.tokens import token_create, token_revoke
from conftest import World

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)
PASSWORD = "contrasena-segura-123"  # the personas' (conftest)


@pytest.fixture(autouse=True)
def _fresh_throttle_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def bearer(secret: str, scheme: str = "Bearer") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"{scheme} {secret}"}


def new_token(user: User, *, days: int = 30, can_write: bool = False) -> str:
    return token_create(actor=user, name="Power BI", days=days, can_write=can_write)[1]


def test_it_shows_the_secret_once_and_keeps_only_its_hash(clients: dict[str, Client], world: World):
    response = clients["liaison"].post(
        reverse("tokens:list"), {"name": "Power BI", "days": "90", "password": PASSWORD}
    )
    assert response.status_code == 201
    secret = response.context["secret"]
    assert secret.startswith("acu_") and secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and secret not in token.prefix
    assert not ApiToken.objects.filter(key_hash=secret).exists()
    assert token.user == world.users["liaison"] and not token.can_write
    assert 89 <= (token.expires_at - token.created_at).days <= 90
    # Listed afterwards by its prefix, never by its secret.
    page = clients["liaison"].get(reverse("tokens:list")).content.decode()
    assert token.prefix in page and secret not in page and "Power BI" in page
    assert AuditEvent.objects.filter(action="api_token.created", target_id=str(token.pk)).exists()


def test_it_lists_only_ones_own_tokens(clients: dict[str, Client], world: World):
    new_token(world.users["head"])
    page = clients["liaison"].get(reverse("tokens:list"))
    assert page.context["tokens"] == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "", "days": "30", "password": "contrasena-segura-123"},
            "Este campo es requerido",
        ),
        ({"name": "X", "days": "7", "password": "contrasena-segura-123"}, "Seleccione una opción"),
        ({"name": "X", "days": "30"}, "Escriba su contraseña para confirmar."),
        (
            {"name": "X", "days": "30", "password": "otra-cosa-1234"},
            "La contraseña no es correcta.",
        ),
        (
            {"name": "X", "days": "30", "can_write": "on", "password": "otra-cosa-1234"},
            "La contraseña no es correcta.",
        ),
    ],
)
def test_it_refuses_a_bad_form_in_spanish(clients: dict[str, Client], data: Any, message: str):
    response = clients["liaison"].post(reverse("tokens:list"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("scheme", ["Bearer", "Token", "bearer"])
def test_it_authenticates_with_the_owners_scope(world: World, scheme: str):
    secret = new_token(world.users["liaison"])
    response = Client().get("/api/v1/agreements/", **bearer(secret, scheme))
    assert response.status_code == 200
    folios = {row["folio"] for row in response.json()["results"]}
    assert folios == {"TST-CEN-2026-0001", "TST-CEN-2026-0003"}
    foreign = Client().get(f"/api/v1/agreements/{world.foreign.pk}/", **bearer(secret))
    assert foreign.status_code == 404


@pytest.mark.parametrize("secret", ["acu_nope", "nope", "acu_" + "x" * 300])
def test_it_answers_401_to_an_unknown_token(world: World, secret: str):
    response = Client().get("/api/v1/agreements/", **bearer(secret))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Token no válido" in response.json()["detail"]


def test_it_answers_401_to_a_malformed_header(world: World):
    response = Client().get("/api/v1/agreements/", HTTP_AUTHORIZATION="Bearer a b")
    assert response.status_code == 401


def test_it_keeps_403_without_credentials(world: World):
    assert Client().get("/api/v1/agreements/").status_code == 403


def test_it_refuses_an_expired_token(world: World):
    with time_machine.travel(NOW, tick=False):
        secret = new_token(world.users["liaison"], days=30)
    with time_machine.travel(NOW + dt.timedelta(days=29, hours=23), tick=False):
        assert Client().get("/api/v1/units/", **bearer(secret)).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(days=30, seconds=1), tick=False):
        assert Client().get("/api/v1/units/", **bearer(secret)).status_code == 401


def test_it_refuses_a_revoked_token_at_once(clients: dict[str, Client], world: World):
    secret = new_token(world.users["liaison"])
    token = ApiToken.objects.get()
    assert Client().get("/api/v1/units/", **bearer(secret)).status_code == 200
    response = clients["liaison"].post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert Client().get("/api/v1/units/", **bearer(secret)).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoked", target_id=str(token.pk)).exists()
    page = clients["liaison"].get(reverse("tokens:list")).content.decode()
    assert "Revocado" in page


def test_it_lets_nobody_else_revoke_a_token(clients: dict[str, Client], world: World):
    new_token(world.users["liaison"])
    token = ApiToken.objects.get()
    for persona in ("head", "coordinator"):
        assert clients[persona].post(reverse("tokens:revoke", args=[token.pk])).status_code == 404
    with pytest.raises(Exception, match="Token no encontrado"):
        token_revoke(token=token, actor=world.users["coordinator"])
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_refuses_the_token_of_a_deactivated_owner(world: World):
    secret = new_token(world.users["liaison"])
    user = world.users["liaison"]
    user.is_active = False
    user.save()
    assert Client().get("/api/v1/units/", **bearer(secret)).status_code == 401


def test_a_read_only_token_cannot_write(world: World):
    secret = new_token(world.users["liaison"])
    url = f"/api/v1/commitments/{world.own_commitment.pk}/extension-requests/"
    response = Client().post(
        url,
        {"new_due_date": "2026-12-31", "justification": "Licitación desierta."},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403
    assert "solo lectura" in response.json()["detail"]
    assert not world.own_commitment.extension_requests.exists()


def test_a_write_token_writes_without_csrf(world: World):
    secret = new_token(world.users["liaison"], can_write=True)
    url = f"/api/v1/commitments/{world.own_commitment.pk}/extension-requests/"
    response = Client(enforce_csrf_checks=True).post(
        url,
        {"new_due_date": "2026-12-31", "justification": "Licitación desierta."},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201, response.content
    assert world.own_commitment.extension_requests.count() == 1


def test_an_audit_event_written_with_a_token_names_the_token(
    clients: dict[str, Client], world: World
):
    liaison = world.users["liaison"]
    secret = new_token(liaison, can_write=True)
    token = ApiToken.objects.get(user=liaison)
    url = f"/api/v1/commitments/{world.own_commitment.pk}/extension-requests/"
    body = {"new_due_date": "2026-12-31", "justification": "Licitación desierta."}
    response = Client().post(url, body, content_type="application/json", **bearer(secret))
    assert response.status_code == 201, response.content
    event = AuditEvent.objects.filter(action="commitment.extension_requested").latest("pk")
    assert event.source == "api"
    assert event.context["token"] == {"id": token.pk, "name": "Power BI"}
    # The request's end forgets the token: what runs next does not inherit it.
    assert current_token() is None
    # The audit log says which token wrote the event.
    page = clients["coordinator"].get(reverse("audit:log"))
    assert "token «Power BI»" in page.content.decode()


def test_it_writes_last_used_at_most_once_a_minute(world: World):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(NOW, tick=False):
        secret = new_token(world.users["liaison"])
    token = ApiToken.objects.get()
    assert token.last_used_at is None

    def get_at(moment: dt.datetime) -> int:
        with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as ctx:
            assert Client().get("/api/v1/regions/", **bearer(secret)).status_code == 200
        return sum(1 for q in ctx.captured_queries if q["sql"].startswith("UPDATE"))

    assert get_at(NOW) == 1
    assert get_at(NOW + dt.timedelta(seconds=30)) == 0
    assert get_at(NOW + dt.timedelta(seconds=59)) == 0
    token.refresh_from_db()
    assert token.last_used_at == NOW
    assert get_at(NOW + dt.timedelta(seconds=61)) == 1
    token.refresh_from_db()
    assert token.last_used_at == NOW + dt.timedelta(seconds=61)


def test_it_throttles_token_requests(world: World, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    secret = new_token(world.users["liaison"])
    responses = [Client().get("/api/v1/regions/", **bearer(secret)) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[-1].json()["detail"].startswith("Demasiadas consultas: espere ")
    # Session requests are not counted against anybody's token.
    client = Client()
    client.force_login(world.users["liaison"])
    assert all(client.get("/api/v1/regions/").status_code == 200 for _ in range(5))


def test_it_limits_the_number_of_active_tokens(world: World):
    from acuerdos.core.errors import DomainError

    for _ in range(20):
        new_token(world.users["viewer"])
    with pytest.raises(DomainError, match="20 tokens vigentes"):
        new_token(world.users["viewer"])


def test_deactivating_or_resetting_the_password_revokes_every_token(world: World):
    from acuerdos.organization.services import (
        user_deactivate,
        user_password_set,
        user_reactivate,
    )

    liaison, head = world.users["liaison"], world.users["head"]
    secret = new_token(liaison, can_write=True)
    assert Client().get("/api/v1/regions/", **bearer(secret)).status_code == 200
    user_deactivate(user=liaison, actor=world.users["coordinator"], reason="Cambio de adscripción")
    user_reactivate(user=liaison, actor=world.users["coordinator"])
    assert Client().get("/api/v1/regions/", **bearer(secret)).status_code == 401
    other = new_token(head)
    user_password_set(user=head, password="otra-contrasena-segura-456", via="reset")
    assert Client().get("/api/v1/regions/", **bearer(other)).status_code == 401
    revoked = AuditEvent.objects.filter(action="api_token.revoked")
    assert sorted(e.context["reason"] for e in revoked) == [
        "contraseña restablecida",
        "cuenta desactivada",
    ]
