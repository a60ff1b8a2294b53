"""The cut-off calendar: monthly by default, editable and closable by the Coordinación central
only, read-only for viewers; closing is idempotent and refuses a future date in Spanish."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages

from acuerdos.audit.models import AuditEvent
from acuerdos.evaluation.cutoffs import monthly_dates
from acuerdos.evaluation.models import CutOff, CutOffStatus, Snapshot
from acuerdos.evaluation.tests.boards_data import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def post(client, url: str, data: dict | None = None):
    """POST and follow the redirect to the calendar, where the messages are shown."""
    response = client.post(url, data or {}, follow=True)
    assert response.redirect_chain == [("/cortes/", 302)], response.redirect_chain
    return response


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_it_lists_month_ends_from_the_first_meeting_to_this_month():
    assert monthly_dates(dt.date(2026, 11, 3), dt.date(2027, 2, 1)) == [
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
    ]
    assert monthly_dates(dt.date(2028, 2, 10), dt.date(2028, 2, 10)) == [dt.date(2028, 2, 29)]


def test_it_shows_the_missing_monthly_cut_offs_and_adds_them_on_request(world, clients):
    # The world's meeting was on 27–30 abr 2026; today is 15 jul 2026.
    page = clients["coordinator"].get("/cortes/")
    assert page.context["calendar"].missing == [
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 31),
        dt.date(2026, 6, 30),
        dt.date(2026, 7, 31),
    ]
    assert "Faltan 4 cortes mensuales en el calendario" in page.content.decode()
    assert not CutOff.objects.exists()  # looking never writes
    response = post(clients["coordinator"], "/cortes/mensuales/")
    assert messages_of(response) == ["Se agregaron 4 cortes mensuales al calendario."]
    assert sorted(CutOff.objects.values_list("date", flat=True)) == page.context["calendar"].missing
    assert AuditEvent.objects.filter(action="cutoff.created").count() == 4
    again = post(clients["coordinator"], "/cortes/mensuales/")
    assert messages_of(again) == ["El calendario mensual ya estaba completo."]
    assert CutOff.objects.count() == 4


def test_a_removed_monthly_date_stays_removed_until_the_coordinator_adds_it(world, clients):
    post(clients["coordinator"], "/cortes/mensuales/")
    response = post(clients["coordinator"], "/cortes/2026-05-31/quitar/")
    assert messages_of(response) == ["Se quitó el corte al 31 de mayo de 2026."]
    assert not CutOff.objects.filter(date=dt.date(2026, 5, 31)).exists()
    assert AuditEvent.objects.filter(action="cutoff.removed").count() == 1
    assert clients["coordinator"].get("/cortes/").context["calendar"].missing == [
        dt.date(2026, 5, 31)
    ]


def test_the_coordinator_adds_a_date_typed_the_mexican_way(world, clients):
    response = post(clients["coordinator"], "/cortes/agregar/", {"date": "15/08/2026"})
    assert messages_of(response) == ["Se agregó el corte al 15 de agosto de 2026."]
    cutoff = CutOff.objects.get()
    assert cutoff.date == dt.date(2026, 8, 15) and cutoff.status == CutOffStatus.OPEN


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", "Escriba la fecha del corte."),
        ("31/02/2026", "Escriba una fecha válida, por ejemplo 31/10/2026."),
        ("mañana", "Escriba una fecha válida, por ejemplo 31/10/2026."),
        ("30/06/2026", "Ya hay un corte al 30 de junio de 2026 en el calendario."),
    ],
)
def test_it_refuses_a_bad_date_in_spanish(world, clients, value, error):
    CutOff.objects.create(date=dt.date(2026, 6, 30))
    response = clients["coordinator"].post("/cortes/agregar/", {"date": value})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert CutOff.objects.count() == 1


def test_the_coordinator_closes_a_cut_off_from_the_screen(world, clients):
    CutOff.objects.create(date=dt.date(2026, 6, 30))
    confirm = clients["coordinator"].get("/cortes/2026-06-30/cerrar/")
    body = confirm.content.decode()
    assert "¿Cerrar el corte al 30 jun 2026?" in body and "No se puede deshacer" in body
    response = post(clients["coordinator"], "/cortes/2026-06-30/cerrar/")
    cutoff = CutOff.objects.get()
    assert cutoff.is_closed and cutoff.closed_by == world.users["coordinator"]
    assert Snapshot.objects.filter(cutoff=cutoff).count() == cutoff.snapshot_rows == 3
    assert messages_of(response) == [
        "Corte al 30 de junio de 2026 cerrado: 3 compromisos congelados."
    ]
    # Idempotent: a second closing changes nothing and says so.
    again = post(clients["coordinator"], "/cortes/2026-06-30/cerrar/")
    assert messages_of(again) == [
        "El corte al 30 de junio de 2026 ya estaba cerrado; no se cambió nada."
    ]
    assert Snapshot.objects.count() == 3
    listing = clients["coordinator"].get("/cortes/").content.decode()
    assert 'href="/?corte=2026-06-30"' in listing


def test_a_future_cut_off_cannot_be_closed(world, clients):
    CutOff.objects.create(date=dt.date(2026, 7, 31))
    listing = clients["coordinator"].get("/cortes/").content.decode()
    assert "Programado" in listing and "/cortes/2026-07-31/cerrar/" not in listing
    response = post(clients["coordinator"], "/cortes/2026-07-31/cerrar/")
    assert messages_of(response) == ["No se puede cerrar un corte con fecha futura."]
    assert CutOff.objects.get().status == CutOffStatus.OPEN


def test_a_closed_cut_off_cannot_be_removed(world, clients):
    CutOff.objects.create(date=dt.date(2026, 6, 30))
    post(clients["coordinator"], "/cortes/2026-06-30/cerrar/")
    response = post(clients["coordinator"], "/cortes/2026-06-30/quitar/")
    assert messages_of(response) == [
        "Un corte cerrado no se puede quitar: sus cifras quedaron congeladas."
    ]
    assert CutOff.objects.get().is_closed


@pytest.mark.parametrize("persona", ["liaison", "head", "validator", "viewer"])
def test_only_the_coordinator_changes_the_calendar(world, clients, persona):
    CutOff.objects.create(date=dt.date(2026, 6, 30))
    client = clients[persona]
    assert client.post("/cortes/agregar/", {"date": "15/08/2026"}).status_code == 403
    assert client.post("/cortes/mensuales/").status_code == 403
    assert client.get("/cortes/2026-06-30/cerrar/").status_code == 403
    assert client.post("/cortes/2026-06-30/cerrar/").status_code == 403
    assert client.post("/cortes/2026-06-30/quitar/").status_code == 403
    assert CutOff.objects.get().status == CutOffStatus.OPEN
    assert CutOff.objects.count() == 1


def test_a_viewer_sees_the_calendar_read_only(world, clients):
    CutOff.objects.create(date=dt.date(2026, 6, 30))
    body = clients["viewer"].get("/cortes/").content.decode()
    assert "30 jun 2026" in body
    assert "solo la Coordinación central agrega, quita o cierra cortes" in body
    assert "<form" not in body.split('id="contenido"')[1]  # no buttons, no add form


def test_an_impossible_date_in_the_address_is_not_found(world, clients):
    assert clients["coordinator"].get("/cortes/2026-02-30/cerrar/").status_code == 404
    assert clients["coordinator"].get("/cortes/2026-06-30/cerrar/").status_code == 404
