"""Login throttling and user enumeration, measured with the production password hasher."""

from __future__ import annotations

import statistics
import time

import pytest
from django.test import Client, override_settings

from acuerdos.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ARGON2 = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def _post_login(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_it_locks_out_after_repeated_failures_with_a_spanish_message(catalog):
    UserFactory(email="enlace@imss.gob.mx")
    client = Client()
    for _ in range(4):
        response = _post_login(client, "enlace@imss.gob.mx", "equivocada")
        assert response.status_code == 200
    fifth = _post_login(client, "enlace@imss.gob.mx", "equivocada")
    assert fifth.status_code == 429
    locked = _post_login(client, "enlace@imss.gob.mx", "contrasena-segura-123")
    assert locked.status_code in (403, 429)
    body = locked.content.decode()
    assert "intentos" in body
    assert "minutos" in body
    assert "_auth_user_id" not in client.session


def test_it_still_lets_the_right_password_in_before_the_limit(catalog):
    UserFactory(email="enlace@imss.gob.mx")
    client = Client()
    for _ in range(3):
        _post_login(client, "enlace@imss.gob.mx", "equivocada")
    response = _post_login(client, "enlace@imss.gob.mx", "contrasena-segura-123")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_it_tells_the_same_thing_for_unknown_and_known_users(catalog):
    UserFactory(email="enlace@imss.gob.mx")
    known = _post_login(Client(), "enlace@imss.gob.mx", "equivocada").content.decode()
    unknown = _post_login(Client(), "nadie@imss.gob.mx", "equivocada").content.decode()
    assert "Correo o contraseña incorrectos" in known or "correo" in known.lower()

    def error_text(html: str) -> str:
        start = html.find('class="alert')
        return html[start : html.find("</div>", start)]

    assert error_text(known) == error_text(unknown)


@override_settings(PASSWORD_HASHERS=ARGON2, AXES_ENABLED=False)
def test_it_takes_as_long_for_an_unknown_user_as_for_a_wrong_password(catalog):
    UserFactory(email="enlace@imss.gob.mx")  # hashed with Argon2 under this override
    client = Client()
    known, unknown = [], []
    _post_login(client, "enlace@imss.gob.mx", "calentamiento")
    for _ in range(5):
        for bucket, email in ((known, "enlace@imss.gob.mx"), (unknown, "nadie@imss.gob.mx")):
            started = time.perf_counter()
            _post_login(client, email, "equivocada")
            bucket.append(time.perf_counter() - started)
    ratio = statistics.median(unknown) / statistics.median(known)
    # Without the dummy hash an unknown e-mail answers ~100× faster than a wrong password.
    assert 0.5 < ratio < 2.0, (known, unknown)


@override_settings(PASSWORD_HASHERS=ARGON2, PASSWORD_RESET_PER_ADDRESS=1000)
def test_it_takes_as_long_to_ask_a_reset_for_an_unknown_email_as_for_a_known_one(
    catalog, monkeypatch
):
    from django.core.cache import cache

    from acuerdos.organization import tasks

    # As in production, the request only queues the e-mail (tests run jobs in-process).
    queued: list[int] = []
    monkeypatch.setattr(tasks, "send_password_reset", lambda user_id, base_url: queued.append(1))
    UserFactory(email="enlace@imss.gob.mx")
    client = Client()
    known, unknown = [], []
    client.post("/accounts/contrasena/olvide/", {"email": "calentamiento@imss.gob.mx"})
    pairs = [("enlace@imss.gob.mx", known), ("nadie@imss.gob.mx", unknown)]
    for round_ in range(30):
        # Alternate who goes first, so that a busy machine slows both alike.
        for email, bucket in pairs if round_ % 2 else pairs[::-1]:
            started = time.perf_counter()
            response = client.post("/accounts/contrasena/olvide/", {"email": email})
            bucket.append(time.perf_counter() - started)
            assert response.status_code == 302
    cache.clear()
    assert len(queued) == 61
    fast, slow = sorted((statistics.median(known), statistics.median(unknown)))
    # The request only queues the address: no lookup, no audit row, no mail server. Both
    # answers take about a millisecond, so allow the noise of a shared machine.
    assert slow - fast < 0.002 or slow / fast < 2.0, (known, unknown)
