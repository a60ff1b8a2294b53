"""Security and operations baseline: probes, request ids, session lifetime, no ORM kwargs from
request data."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def test_it_answers_health_without_login(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_checks_database_and_queue_when_ready(client):
    response = client.get("/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"] == {"database": "ok", "queue": "ok"}


def test_it_reports_not_ready_when_the_queue_storage_fails(client, monkeypatch):
    from huey.contrib.djhuey import HUEY

    def broken() -> int:
        raise ConnectionError("queue down")

    monkeypatch.setattr(HUEY, "pending_count", broken)
    response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == "error"


def test_it_gives_every_response_a_request_id(client):
    response = client.get("/health/")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_it_keeps_a_well_formed_incoming_request_id_and_replaces_a_bad_one(client):
    assert client.get("/health/", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == "lb-1234abcd"
    forged = client.get("/health/", HTTP_X_REQUEST_ID="bad\nid injected")["X-Request-ID"]
    assert "\n" not in forged
    assert forged != "bad\nid injected"


def test_it_sends_security_headers(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def logged_in(client, catalog):
    from acuerdos.organization.tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    return client


def _expired(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_ends_a_session_after_thirty_minutes_idle(logged_in):
    start = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert logged_in.get("/health/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert logged_in.get("/health/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        assert _expired(logged_in.get("/health/"))
        assert "_auth_user_id" not in logged_in.session


def test_it_sends_an_expired_form_post_back_to_its_page_after_login(logged_in):
    start = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert logged_in.get("/health/").status_code == 200
        traveller.shift(dt.timedelta(minutes=45))
        response = logged_in.post("/compromisos/1/reportar/", {"narrative": "texto largo"})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/compromisos/1/reportar/"
        assert "_auth_user_id" not in logged_in.session


def test_it_sends_an_expired_htmx_request_to_login_from_the_page_it_came_from(logged_in):
    start = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert logged_in.get("/health/").status_code == 200
        traveller.shift(dt.timedelta(minutes=45))
        response = logged_in.get(
            "/acuerdos/?q=x",
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL="http://testserver/acuerdos/?q=x",
        )
        assert response["HX-Redirect"] == "/accounts/login/?next=/acuerdos/%3Fq%3Dx"


def test_it_ends_a_busy_session_after_twelve_hours(logged_in):
    start = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert logged_in.get("/health/").status_code == 200
        for _ in range(12 * 3 + 1):  # a request every 20 minutes, never idle
            traveller.shift(dt.timedelta(minutes=20))
            response = logged_in.get("/health/")
            if _expired(response):
                break
        assert _expired(response)
        assert dt.datetime.now(tz=dt.UTC) - start > dt.timedelta(hours=12)


def test_it_sets_session_and_cookie_lifetimes_in_production_settings():
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY


REQUEST_KWARGS = re.compile(
    r"\*\*\s*(request\.(GET|POST|data|query_params|COOKIES|headers)|self\.request\.)"
)


def test_it_never_passes_request_data_as_orm_keyword_arguments():
    offenders = []
    for path in (ROOT / "acuerdos").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if REQUEST_KWARGS.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_it_has_no_form_or_serializer_with_all_fields():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "acuerdos").rglob("*.py")
        if "tests" not in path.parts
        and re.search(r"fields\s*=\s*['\"]__all__['\"]", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
