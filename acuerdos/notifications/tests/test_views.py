"""The bell, the inbox, opening a notification and marking all as read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.notifications.models import Notification
from acuerdos.notifications.services import notify

pytestmark = pytest.mark.django_db


def _notify(user, n: int = 1, *, url: str = "/compromisos/mios/") -> list[Notification]:
    return [
        notify(recipients=[user], kind="progress.validated", title=f"Aviso {i}", url=url)[0]
        for i in range(n)
    ]


def test_it_shows_the_unread_counter_in_the_bell(world, clients):
    _notify(world.users["liaison"], 3)
    html = clients["liaison"].get("/").content.decode()
    assert '<span class="ac-bell-count" aria-hidden="true">3</span>' in html
    assert "(3 sin leer)" in html
    assert "ac-bell-count" not in clients["head"].get("/").content.decode()


def test_it_counts_with_one_query_whatever_the_number_of_notifications(world, clients):
    client = clients["liaison"]
    assert_constant_queries(
        client, "/compromisos/mios/", lambda: _notify(world.users["liaison"], 30)
    )
    with CaptureQueriesContext(connection) as queries:
        client.get("/compromisos/mios/")
    counts = [
        q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]
    ]
    assert len(counts) == 1 and "COUNT(" in counts[0].upper()


def test_it_lists_only_the_users_own_notifications_newest_first(world, clients):
    first, second = _notify(world.users["liaison"], 2)
    _notify(world.users["head"], 1)
    html = clients["liaison"].get("/notificaciones/").content.decode()
    assert html.index(f"/notificaciones/{second.pk}/") < html.index(f"/notificaciones/{first.pk}/")
    assert html.count('class="ac-inbox-item') == 2
    assert "Tiene 2 notificaciones sin leer." in html


def test_it_marks_a_notification_read_when_opened_and_goes_to_its_object(world, clients):
    (notification,) = _notify(world.users["liaison"], url=world.own_commitment.get_absolute_url())
    response = clients["liaison"].get(f"/notificaciones/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == world.own_commitment.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    html = clients["liaison"].get("/notificaciones/?estado=sin-leer").content.decode()
    assert "Está al día" in html


def test_it_never_redirects_outside_the_site(world, clients):
    (notification,) = _notify(world.users["liaison"], url="//evil.example/robo")
    response = clients["liaison"].get(f"/notificaciones/{notification.pk}/")
    assert response["Location"] == "/notificaciones/"


def test_it_answers_404_for_someone_elses_notification(world, clients):
    (notification,) = _notify(world.users["liaison"])
    assert clients["head"].get(f"/notificaciones/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_marks_all_as_read(world, clients):
    _notify(world.users["liaison"], 4)
    (others,) = _notify(world.users["head"])
    response = clients["liaison"].post("/notificaciones/marcar-leidas/", follow=True)
    assert "Se marcaron 4 notificaciones como leídas." in response.content.decode()
    assert not Notification.objects.filter(recipient=world.users["liaison"], read_at=None).exists()
    others.refresh_from_db()
    assert others.read_at is None


def test_it_paginates_the_inbox_in_constant_queries(world, clients):
    _notify(world.users["liaison"], 3)
    assert_constant_queries(
        clients["liaison"], "/notificaciones/", lambda: _notify(world.users["liaison"], 60)
    )
    html = clients["liaison"].get("/notificaciones/?page=2").content.decode()
    assert "Mostrando 51–63 de 63" in html
