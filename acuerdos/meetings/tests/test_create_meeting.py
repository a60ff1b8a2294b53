"""create_meeting: creates a meeting, or updates the one with the same code (PRODUCT.md §5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from acuerdos.audit.models import AuditEvent
from acuerdos.meetings.models import Meeting

pytestmark = pytest.mark.django_db

ARGS = [
    "--code",
    "RR8-CEN",
    "--name",
    "8ª Reunión Regional Centro",
    "--region",
    "Centro",
    "--kind",
    "regional",
    "--start",
    "2026-04-27",
    "--end",
    "2026-04-30",
    "--venue",
    "Querétaro, Qro.",
    "--round",
    "8ª Ronda de Reuniones Regionales 2026",
]


def test_it_creates_a_meeting_with_its_round(catalog):
    call_command("create_meeting", *ARGS)
    meeting = Meeting.objects.get(code="RR8-CEN")
    assert meeting.region.short_name == "Centro"
    assert (meeting.start_date, meeting.end_date) == (dt.date(2026, 4, 27), dt.date(2026, 4, 30))
    assert meeting.round.name == "8ª Ronda de Reuniones Regionales 2026"
    assert meeting.round.number == 8
    assert AuditEvent.objects.filter(action="meeting.created", target_id=str(meeting.pk)).exists()


def test_it_updates_the_meeting_with_the_same_code(catalog):
    call_command("create_meeting", *ARGS)
    call_command("create_meeting", *ARGS[:-4], "--venue", "Santiago de Querétaro")
    meeting = Meeting.objects.get(code="RR8-CEN")
    assert Meeting.objects.count() == 1
    assert meeting.venue == "Santiago de Querétaro"
    event = AuditEvent.objects.get(action="meeting.updated")
    assert event.changes == {"venue": ["Querétaro, Qro.", "Santiago de Querétaro"]}


def test_it_writes_nothing_when_nothing_changes(catalog):
    call_command("create_meeting", *ARGS)
    events = AuditEvent.objects.count()
    call_command("create_meeting", *ARGS)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (["--end", "2026-04-01"], "anterior a la fecha de inicio"),
        (["--start", "27/04/2026"], "AAAA-MM-DD"),
        (["--region", "Bajío"], "Región desconocida"),
    ],
)
def test_it_refuses_bad_input_in_spanish(catalog, override, message):
    args = list(ARGS)
    flag = override[0]
    args[args.index(flag) + 1] = override[1]
    with pytest.raises(CommandError, match=message):
        call_command("create_meeting", *args)
    assert not Meeting.objects.exists()


def test_it_refuses_an_unknown_kind(catalog):
    args = list(ARGS)
    args[args.index("--kind") + 1] = "asamblea"
    with pytest.raises(CommandError):
        call_command("create_meeting", *args)
