"""The coordinator's meeting pages: rounds and meetings created and edited through the forms,
participants by region shortcut, the minuta checked by content, every write audited; the
meeting page with its semáforo per unit, agreements and follow-up decisions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.tests.builders import many_agreements
from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.followup.models import DecisionKind
from acuerdos.followup.services import review_record
from acuerdos.followup.tests.helpers import follow_up_meeting
from acuerdos.meetings.models import Meeting, MeetingKind, Round
from acuerdos.meetings.services import meeting_save
from acuerdos.organization.models import Region, Unit, UnitKind
from acuerdos.progress.tests.helpers import PDF, docx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _meeting_data(**overrides):
    data = {
        "code": "RR9-CEN",
        "name": "9ª Reunión Regional Centro",
        "kind": MeetingKind.REGIONAL,
        "region": Region.objects.get(short_name="Centro").pk,
        "venue": "Querétaro, Qro.",
        "start_date": "27/04/2027",
        "end_date": "30/04/2027",
    }
    data.update(overrides)
    return data


def test_it_creates_a_meeting_with_all_ooad_of_the_region(world, clients):
    centro = Region.objects.get(short_name="Centro")
    umae = Unit.objects.filter(kind=UnitKind.UMAE, region=centro).first()
    response = clients["coordinator"].post(
        reverse("meetings:create"),
        _meeting_data(all_region_ooad="on", participants=[umae.pk]),
    )
    meeting = Meeting.objects.get(code="RR9-CEN")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    ooad = set(
        Unit.objects.filter(kind=UnitKind.OOAD, region=centro, is_active=True).values_list(
            "pk", flat=True
        )
    )
    assert set(meeting.participants.values_list("pk", flat=True)) == ooad | {umae.pk}
    assert meeting.start_date == dt.date(2027, 4, 27)
    actions = list(
        AuditEvent.objects.filter(target_type="meetings.meeting", target_id=str(meeting.pk))
        .order_by("pk")
        .values_list("action", "actor__email")
    )
    assert actions == [
        ("meeting.created", "coordinator@imss.gob.mx"),
        ("meeting.participants_changed", "coordinator@imss.gob.mx"),
    ]


def test_it_keeps_what_was_typed_and_says_what_is_wrong(world, clients):
    response = clients["coordinator"].post(
        reverse("meetings:create"),
        _meeting_data(code="TST-CEN", end_date="01/04/2027", venue="Sede escrita"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ya hay una reunión con esa clave." in html
    assert "La fecha de término no puede ser anterior a la fecha de inicio." in html
    assert 'value="Sede escrita"' in html
    assert not Meeting.objects.filter(name="9ª Reunión Regional Centro").exists()


def test_it_attaches_a_pdf_or_word_minuta_checked_by_content(world, clients):
    for name, content in (("minuta.pdf", PDF), ("minuta.docx", docx())):
        response = clients["coordinator"].post(
            reverse("meetings:edit", args=[world.meeting.pk]),
            _meeting_data(code="TST-CEN", minuta=SimpleUploadedFile(name, content)),
        )
        assert response.status_code == 302
    world.meeting.refresh_from_db()
    assert world.meeting.minuta.name.endswith(".docx")
    event = AuditEvent.objects.filter(action="meeting.updated").order_by("pk").last()
    assert event.context["minuta"]["name"] == "minuta.docx"
    download = clients["liaison"].get(reverse("meetings:minuta", args=[world.meeting.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == docx()
    assert AuditEvent.objects.filter(action="minuta.downloaded").count() == 1


def test_it_refuses_a_minuta_that_is_not_pdf_or_word(world, clients):
    response = clients["coordinator"].post(
        reverse("meetings:edit", args=[world.meeting.pk]),
        _meeting_data(
            code="TST-CEN",
            venue="Otra sede",
            minuta=SimpleUploadedFile("minuta.pdf", b"<html><script>x</script></html>"),
        ),
    )
    assert response.status_code == 200
    assert "la minuta debe ser PDF o Word" in response.content.decode()
    world.meeting.refresh_from_db()
    assert not world.meeting.minuta
    assert world.meeting.venue != "Otra sede"  # nothing written


def test_it_edits_a_meeting_with_its_changes_audited(world, clients):
    response = clients["coordinator"].post(
        reverse("meetings:edit", args=[world.meeting.pk]),
        _meeting_data(code="TST-CEN2", venue="Santiago de Querétaro"),
    )
    assert response.status_code == 302
    world.meeting.refresh_from_db()
    assert (world.meeting.code, world.meeting.venue) == ("TST-CEN2", "Santiago de Querétaro")
    event = AuditEvent.objects.get(action="meeting.updated")
    assert event.changes["code"] == ["TST-CEN", "TST-CEN2"]
    assert event.changes["venue"][1] == "Santiago de Querétaro"


def test_it_keeps_meeting_save_by_code_for_imports_and_the_seeder(world):
    first = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    centro = Region.objects.get(short_name="Centro")
    meeting, created = meeting_save(
        code="TST-CEN",
        name=world.meeting.name,
        region=centro,
        kind=MeetingKind.REGIONAL,
        start_date=world.meeting.start_date,
        end_date=world.meeting.end_date,
        venue=world.meeting.venue,
        round_name="8ª Ronda de Reuniones Regionales 2026",
    )
    assert (meeting.pk, created) == (world.meeting.pk, False)
    assert meeting.round is not None and meeting.round.number == 8
    events = AuditEvent.objects.filter(pk__gt=first).order_by("pk")
    assert list(events.values_list("action", flat=True)) == [
        "round.created",
        "meeting.updated",
    ]


def test_it_creates_and_edits_a_round_audited(world, clients):
    client = clients["coordinator"]
    response = client.post(
        reverse("meetings:round_create"),
        {"name": "9ª Ronda de Reuniones Regionales 2027", "number": "9", "year": "2027"},
    )
    assert response.status_code == 302
    round_ = Round.objects.get(number=9)
    client.post(
        reverse("meetings:round_edit", args=[round_.pk]),
        {"name": "9ª Ronda de Reuniones Regionales 2027", "number": "9", "year": "2028"},
    )
    round_.refresh_from_db()
    assert round_.year == 2028
    events = AuditEvent.objects.filter(target_type="meetings.round").order_by("pk")
    assert [(e.action, e.changes.get("year")) for e in events] == [
        ("round.created", [None, 2027]),
        ("round.updated", [2027, 2028]),
    ]
    again = client.post(
        reverse("meetings:round_create"),
        {"name": "9ª ronda de reuniones regionales 2027", "year": "2027"},
    )
    assert "Ya hay una ronda con ese nombre." in again.content.decode()


def test_it_shows_the_semaforo_per_unit_and_per_agreement(world, clients):
    response = clients["coordinator"].get(reverse("meetings:detail", args=[world.meeting.pk]))
    evaluation = response.context["evaluation"]
    units = {row.code: row.figures.total for row in evaluation.units}
    assert units == {"OOAD-HGO": 2, "OOAD-QRO": 1}
    assert [r.agreement.folio for r in evaluation.agreements] == [
        "TST-CEN-2026-0001",
        "TST-CEN-2026-0002",
        "TST-CEN-2026-0003",
    ]
    html = response.content.decode()
    assert "Compromisos por unidad responsable" in html
    assert "Vencido" in html
    assert reverse("meetings:edit", args=[world.meeting.pk]) in html
    liaison = clients["liaison"].get(reverse("meetings:detail", args=[world.meeting.pk]))
    assert {row.code for row in liaison.context["evaluation"].units} == {"OOAD-QRO", "OOAD-HGO"}
    assert reverse("meetings:edit", args=[world.meeting.pk]) not in liaison.content.decode()


def test_it_lists_what_a_follow_up_meeting_decided(world, clients):
    followup = follow_up_meeting()
    review_record(
        meeting=followup,
        agreement=world.own,
        kind=DecisionKind.CANCELLED,
        note="Ya no aplica.",
        actor=world.users["coordinator"],
    )
    html = clients["coordinator"].get(reverse("meetings:detail", args=[followup.pk])).content
    text = html.decode()
    assert "Acuerdos revisados y decisiones" in text
    assert "TST-CEN-2026-0001" in text and "Cancelado" in text
    assert reverse("followup:review", args=[followup.pk]) in text


def test_it_shows_a_follow_up_meeting_in_constant_queries(world, clients):
    followup = follow_up_meeting()
    # The liaison sees the follow-up meeting because it reviewed Querétaro's agreement.
    review_record(
        meeting=followup,
        agreement=world.own,
        kind=DecisionKind.CONTINUES,
        actor=world.users["coordinator"],
    )

    def grow() -> None:
        for agreement in many_agreements(world.meeting, 10):
            review_record(
                meeting=followup,
                agreement=agreement,
                kind=DecisionKind.CONTINUES,
                actor=world.users["coordinator"],
            )

    for persona in ("liaison", "coordinator"):
        assert_constant_queries(
            clients[persona], reverse("meetings:detail", args=[followup.pk]), grow
        )
