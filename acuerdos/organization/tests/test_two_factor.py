"""The TOTP second factor (PRODUCT.md §4.10), with the real algorithm: enrolment with a QR or
the key, the code after the password, replayed and wrong codes, recovery codes, turning it off,
and the rule that coordinators must have it (redirect for pages, 403 JSON for the API)."""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32decode
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from acuerdos.audit.models import AuditEvent
from acuerdos.organization import two_factor_services as services
from acuerdos.organization.models import User
from acuerdos.organization.tests.factories import UserFactory
from conftest import World

pytestmark = pytest.mark.django_db

PASSWORD = "contrasena-segura-123"
MIDDLEWARE = "acuerdos.organization.two_factor.TwoFactorMiddleware"
START = dt.datetime(2026, 11, 23, 16, 0, 0, tzinfo=dt.UTC)
API_URL = "/api/v1/"


@pytest.fixture(autouse=True)
def two_factor_on(settings: Any) -> None:
    """Coordinators must enrol, and the middleware runs (whether or not settings lists it yet)."""
    settings.TWO_FACTOR_REQUIRED_FOR_COORDINATORS = True
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    """Give the person a confirmed second factor through the services, with a real code."""
    device = services.two_factor_device_start(actor=user)
    attempt, codes = services.two_factor_enable(
        actor=user, device_id=device.pk, code=code_for(device)
    )
    assert attempt.ok
    device.refresh_from_db()
    return device, codes


def login(client: Client, user: User, next_url: str = "") -> Any:
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.email, "password": PASSWORD})


def actions(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(user.pk), action__startswith="two_factor.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- Enrolment ---------------------------------------------------------------------------------


def test_it_shows_a_qr_and_the_key_in_groups_and_keeps_the_device_unconfirmed(world: World):
    liaison = world.users["liaison"]
    client = Client()
    client.force_login(liaison)
    response = client.get(reverse("two_factor:manage"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "Active el segundo factor" in body
    device = TOTPDevice.objects.get(user=liaison)
    assert device.confirmed is False
    groups = re.search(r'id="clave-secreta">([A-Z2-7 ]+)<', body)
    assert groups, body
    assert all(len(group) <= 4 for group in groups.group(1).split())
    # The key typed by hand is the device's key.
    secret = groups.group(1).replace(" ", "")
    assert b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    # A second visit shows the same key (a scanned QR keeps working).
    client.get(reverse("two_factor:manage"))
    assert TOTPDevice.objects.filter(user=liaison).count() == 1


def test_it_confirms_the_app_with_a_real_code_and_shows_ten_recovery_codes_once(
    world: World, clock: Any
):
    liaison = world.users["liaison"]
    client = Client()
    client.force_login(liaison)
    client.get(reverse("two_factor:manage"))
    device = TOTPDevice.objects.get(user=liaison)

    wrong = client.post(reverse("two_factor:manage"), {"code": "000000", "next": "/"})
    assert wrong.status_code == 400
    assert "no es correcto" in wrong.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False

    clock.shift(dt.timedelta(seconds=5))  # past django-otp's back-off after one failure
    response = client.post(reverse("two_factor:manage"), {"code": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:recovery_codes"))
    device.refresh_from_db()
    assert device.confirmed is True
    assert StaticToken.objects.filter(device__user=liaison).count() == 10

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    shown = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", page.content.decode())
    stored = set(StaticToken.objects.filter(device__user=liaison).values_list("token", flat=True))
    assert {code.replace("-", "") for code in shown} == stored
    again = client.get(reverse("two_factor:recovery_codes"))
    assert again.status_code == 302  # shown once
    assert actions(liaison) == ["two_factor.failed", "two_factor.enabled"]
    # The session that enrolled counts as verified.
    assert client.get("/").status_code == 200


# --- The code after the password ---------------------------------------------------------------


def test_it_asks_for_the_code_after_the_password_and_keeps_the_next_url(world: World, clock: Any):
    liaison = world.users["liaison"]
    device, _codes = enrol(liaison)
    clock.shift(dt.timedelta(seconds=60))
    client = Client()
    response = login(client, liaison, next_url="/compromisos/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/verificar/?next=%2Fcompromisos%2F"
    # Nothing else until the code is typed, however the page is asked for.
    held = client.get("/")
    assert held.status_code == 302
    assert held["Location"].startswith("/accounts/verificar/")
    assert client.get(API_URL).status_code == 403

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'value="/compromisos/"' in page.content.decode()
    verified = client.post(
        reverse("two_factor:verify"), {"code": code_for(device), "next": "/compromisos/"}
    )
    assert verified.status_code == 302
    assert verified["Location"] == "/compromisos/"
    assert client.get("/").status_code == 200
    assert actions(liaison)[-1] == "two_factor.verified"


def test_it_refuses_a_code_that_was_already_used(world: World, clock: Any):
    liaison = world.users["liaison"]
    device, _codes = enrol(liaison)
    clock.shift(dt.timedelta(seconds=60))
    code = code_for(device)
    first = Client()
    login(first, liaison)
    assert first.post(reverse("two_factor:verify"), {"code": code}).status_code == 302

    clock.shift(dt.timedelta(seconds=5))  # same 30-second window: the same code on the app
    assert code_for(device) == code
    second = Client()
    login(second, liaison)
    replay = second.post(reverse("two_factor:verify"), {"code": code})
    assert replay.status_code == 400
    assert "ya se usó" in replay.content.decode()
    assert second.get("/").status_code == 302


def test_it_refuses_an_open_redirect_after_the_code(world: World, clock: Any):
    liaison = world.users["liaison"]
    device, _codes = enrol(liaison)
    clock.shift(dt.timedelta(seconds=60))
    client = Client()
    login(client, liaison)
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        page = client.get(reverse("two_factor:verify"), {"next": evil})
        assert "evil" not in page.content.decode()
    response = client.post(
        reverse("two_factor:verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_throttles_wrong_codes_then_locks_the_second_factor_out(world: World, clock: Any):
    liaison = world.users["liaison"]
    device, _codes = enrol(liaison)
    clock.shift(dt.timedelta(seconds=60))
    client = Client()
    login(client, liaison)
    url = reverse("two_factor:verify")

    assert client.post(url, {"code": "111111"}).status_code == 400
    # Straight away even the right code waits (django-otp's exponential back-off).
    too_soon = client.post(url, {"code": code_for(device)})
    assert too_soon.status_code == 429
    assert "Espere" in too_soon.content.decode()

    for _ in range(4):  # failures 2..5, each after its back-off
        clock.shift(dt.timedelta(seconds=20))
        client.post(url, {"code": "111111"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 5

    clock.shift(dt.timedelta(minutes=2))
    locked = client.post(url, {"code": code_for(device)})
    assert locked.status_code == 429
    assert "bloqueado 15 minutos" in locked.content.decode()
    assert client.get("/").status_code == 302
    # A new login does not reset the count: the lockout lives on the device.
    other = Client()
    login(other, liaison)
    assert other.post(url, {"code": code_for(device)}).status_code == 429

    clock.shift(dt.timedelta(minutes=16))
    assert client.post(url, {"code": code_for(device)}).status_code == 302
    trail = actions(liaison)
    assert trail.count("two_factor.failed") == 5
    assert trail.count("two_factor.locked") == 1
    assert trail[-1] == "two_factor.verified"


def test_it_lets_a_recovery_code_in_once(world: World, clock: Any):
    liaison = world.users["liaison"]
    _device, codes = enrol(liaison)
    clock.shift(dt.timedelta(seconds=60))
    client = Client()
    login(client, liaison)
    typed = services.format_recovery_code(codes[0]).upper()  # as read from paper
    response = client.post(reverse("two_factor:verify"), {"code": typed}, follow=True)
    assert response.status_code == 200
    assert "le quedan 9" in response.content.decode()
    assert StaticToken.objects.filter(device__user=liaison).count() == 9
    assert "two_factor.recovery_used" in actions(liaison)

    clock.shift(dt.timedelta(seconds=60))
    again = Client()
    login(again, liaison)
    assert again.post(reverse("two_factor:verify"), {"code": codes[0]}).status_code == 400


def test_it_holds_back_a_session_that_logged_in_by_another_door(world: World, clock: Any):
    """Admin login, an invitation link or force_login do not skip the code."""
    liaison = world.users["liaison"]
    enrol(liaison)
    client = Client()
    client.force_login(liaison)
    response = client.get("/compromisos/?estado=vencido")
    assert response.status_code == 302
    assert response["Location"] == (
        "/accounts/verificar/?next=%2Fcompromisos%2F%3Festado%3Dvencido"
    )
    htmx = client.get("/", headers={"HX-Request": "true", "HX-Current-URL": "http://t/x/?a=1"})
    assert htmx["HX-Redirect"] == "/accounts/verificar/?next=%2Fx%2F%3Fa%3D1"


# --- Coordinators must have it -----------------------------------------------------------------


def test_it_sends_a_coordinator_without_a_second_factor_to_enrol(world: World):
    coordinator = world.users["coordinator"]
    client = Client()
    response = login(client, coordinator, next_url="/personas/")
    assert response["Location"] == "/accounts/segundo-factor/?next=%2Fpersonas%2F"
    page = client.get("/personas/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/segundo-factor/?next=%2Fpersonas%2F"
    enrol_page = client.get(page["Location"])
    assert enrol_page.status_code == 200
    assert "requiere el segundo factor" in enrol_page.content.decode()
    assert "Ahora no" not in enrol_page.content.decode()
    # Exempt pages still answer.
    assert client.get("/health/").status_code == 200
    assert client.get(reverse("privacy_notice")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_it_answers_403_json_to_an_unverified_coordinator_on_the_api(world: World, clients):
    response = clients["coordinator"].get(API_URL)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "segundo factor" in response.json()["detail"]
    post = clients["coordinator"].post(API_URL, {}, content_type="application/json")
    assert post.status_code == 403


def test_it_lets_a_coordinator_in_once_verified(world: World, clock: Any):
    coordinator = world.users["coordinator"]
    device, _codes = enrol(coordinator)
    clock.shift(dt.timedelta(seconds=60))
    client = Client()
    login(client, coordinator)
    assert client.get(API_URL).status_code == 403
    client.post(reverse("two_factor:verify"), {"code": code_for(device)})
    assert client.get("/personas/").status_code == 200
    assert client.get(API_URL).status_code == 200


def test_it_leaves_the_second_factor_optional_for_everyone_else(world: World, clients):
    for persona in ("liaison", "head", "validator", "viewer"):
        assert clients[persona].get("/").status_code == 200, persona
        assert clients[persona].get(API_URL).status_code == 200, persona


def test_it_does_not_require_it_when_the_setting_is_off(world: World, clients, settings: Any):
    settings.TWO_FACTOR_REQUIRED_FOR_COORDINATORS = False
    assert clients["coordinator"].get("/personas/").status_code == 200


def test_it_requires_it_for_administrators_too(catalog: None):
    admin = UserFactory(email="admin@imss.gob.mx", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302
    assert services.is_required(admin)


# --- Turning it off, new recovery codes --------------------------------------------------------


def verified_client(user: User, device: TOTPDevice, clock: Any) -> Client:
    clock.shift(dt.timedelta(seconds=60))
    client = Client()
    login(client, user)
    assert client.post(reverse("two_factor:verify"), {"code": code_for(device)}).status_code == 302
    return client


def test_it_turns_the_second_factor_off_only_with_the_password(world: World, clock: Any):
    liaison = world.users["liaison"]
    device, _codes = enrol(liaison)
    client = verified_client(liaison, device, clock)
    status = client.get(reverse("two_factor:manage"))
    assert "Códigos de recuperación sin usar" in status.content.decode()

    wrong = client.post(reverse("two_factor:disable"), {"password": "equivocada"})
    assert wrong.status_code == 400
    assert "La contraseña no es correcta" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=liaison).exists()

    done = client.post(reverse("two_factor:disable"), {"password": PASSWORD})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=liaison).exists()
    assert not StaticDevice.objects.filter(user=liaison).exists()
    assert client.get("/").status_code == 200
    assert actions(liaison)[-1] == "two_factor.disabled"
    # The next login asks for nothing more than the password.
    fresh = Client()
    assert login(fresh, liaison)["Location"] == "/"


def test_it_will_not_turn_it_off_from_a_session_that_has_not_typed_the_code(world: World):
    liaison = world.users["liaison"]
    enrol(liaison)
    client = Client()
    login(client, liaison)
    response = client.post(reverse("two_factor:disable"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/verificar/")
    assert TOTPDevice.objects.filter(user=liaison, confirmed=True).exists()
    status = client.get(reverse("two_factor:manage"))
    assert status["Location"].startswith("/accounts/verificar/")


def test_it_replaces_the_recovery_codes_and_the_old_ones_stop_working(world: World, clock: Any):
    liaison = world.users["liaison"]
    device, old_codes = enrol(liaison)
    client = verified_client(liaison, device, clock)
    response = client.post(reverse("two_factor:regenerate"), {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    new_codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", page)
    assert len(new_codes) == 10
    assert not {c.replace("-", "") for c in new_codes} & set(old_codes)
    assert "two_factor.recovery_regenerated" in actions(liaison)
    clock.shift(dt.timedelta(seconds=60))
    other = Client()
    login(other, liaison)
    assert other.post(reverse("two_factor:verify"), {"code": old_codes[1]}).status_code == 400
    clock.shift(dt.timedelta(seconds=60))
    assert other.post(reverse("two_factor:verify"), {"code": new_codes[1]}).status_code == 302


def test_a_coordinator_who_turns_it_off_is_sent_to_enrol_again(world: World, clock: Any):
    coordinator = world.users["coordinator"]
    device, _codes = enrol(coordinator)
    client = verified_client(coordinator, device, clock)
    client.post(reverse("two_factor:disable"), {"password": PASSWORD})
    response = client.get("/")
    assert response["Location"] == "/accounts/segundo-factor/?next=%2F"


def test_the_verify_page_lets_a_person_without_a_second_factor_through(world: World, clients):
    response = clients["liaison"].get(reverse("two_factor:verify"), {"next": "/compromisos/"})
    assert response.status_code == 302
    assert response["Location"] == "/compromisos/"


def test_it_lets_static_files_through_for_a_coordinator_still_to_enrol(world: World, clients):
    response = clients["coordinator"].get("/static/css/acuerdos.css")
    assert response.status_code in (200, 404)  # served or not, never sent to enrolment
    assert "segundo-factor" not in response.get("Location", "")


def test_it_costs_no_query_per_request_to_people_without_a_second_factor(
    world: World, clients, settings: Any
):
    from acuerdos.core.tests.querycount import count_queries

    client = clients["liaison"]
    client.get("/")
    with_middleware = count_queries(client, "/")
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    client.get("/")
    without = count_queries(client, "/")
    assert with_middleware == without


# --- Review mends --------------------------------------------------------------------------------


def test_turning_it_on_ends_the_sessions_that_never_typed_a_code(world: World, clock: Any):
    liaison = world.users["liaison"]
    other_browser = Client()
    login(other_browser, liaison)
    assert other_browser.get("/").status_code == 200
    this_browser = Client()
    login(this_browser, liaison)
    page = this_browser.get(reverse("two_factor:manage"))
    device = TOTPDevice.objects.get(user=liaison, confirmed=False)
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]
    this_browser.post(reverse("two_factor:manage"), {"code": code_for(device)})
    assert TOTPDevice.objects.filter(user=liaison, confirmed=True).exists()
    assert other_browser.get("/").status_code == 302  # logged out: must log in and type a code
    assert this_browser.get("/").status_code == 200


def test_staff_who_can_open_the_admin_must_have_it(world: World):
    viewer = world.users["viewer"]
    assert not services.is_required(viewer)
    viewer.is_staff = True
    assert services.is_required(viewer)
