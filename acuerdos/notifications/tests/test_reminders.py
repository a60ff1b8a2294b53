"""Reminders: who is reminded of what on which day, never twice, at a fixed query cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acuerdos.commitments.models import Commitment
from acuerdos.commitments.services import extension_decide, extension_request
from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory
from acuerdos.evaluation.models import CutOff
from acuerdos.notifications import reminders
from acuerdos.notifications.models import Notification
from acuerdos.progress.services import ReportInput, report_submit
from acuerdos.progress.tests.helpers import PDF, upload

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False)


def _kinds(user, on: dt.date) -> list[str]:
    return sorted(
        r.kind
        for r in reminders.reminders_due(on)
        if r.recipient_id == user.pk and r.kind != reminders.CUTOFF_STALE
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# The own commitment (Querétaro) is due on 30 September 2026.
@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2026, 9, 22), []),
        (dt.date(2026, 9, 23), [reminders.DUE_IN_7]),
        (dt.date(2026, 9, 24), []),
        (dt.date(2026, 9, 29), [reminders.DUE_IN_1]),
        (dt.date(2026, 9, 30), [reminders.DUE_TODAY]),
        (dt.date(2026, 10, 1), []),
        (dt.date(2026, 10, 6), []),
        (dt.date(2026, 10, 7), [reminders.OVERDUE]),
        (dt.date(2026, 10, 8), []),
        (dt.date(2026, 10, 14), [reminders.OVERDUE]),
        (dt.date(2027, 3, 31), [reminders.OVERDUE]),
    ],
)
def test_it_reminds_the_unit_before_on_and_weekly_after_the_due_date(world, on, expected):
    assert _kinds(world.users["liaison"], on) == expected
    assert _kinds(world.users["head"], on) == expected
    # Validators, coordinators and other units hear nothing of Querétaro's due date.
    mine = [
        r
        for r in reminders.reminders_due(on)
        if r.commitment_id == world.own_commitment.pk and r.kind != reminders.VALIDATION_PENDING
    ]
    assert {r.recipient_id for r in mine} <= {world.users["liaison"].pk, world.users["head"].pk}


def test_it_says_what_is_due_and_links_to_the_commitment(world):
    (reminder,) = [
        r
        for r in reminders.reminders_due(dt.date(2026, 10, 14))
        if r.recipient_id == world.users["liaison"].pk
    ]
    assert reminder.title == "Compromiso vencido hace 14 días: TST-CEN-2026-0001 · Querétaro"
    assert "30 de septiembre de 2026" in reminder.body
    assert reminder.url == world.own_commitment.get_absolute_url()
    assert reminder.dedupe_key == f"reminder.overdue:c{world.own_commitment.pk}:2026-10-14"


def test_it_follows_the_due_date_in_force_after_an_extension(world):
    with _at(dt.date(2026, 9, 1)):
        request = extension_request(
            commitment=world.own_commitment,
            actor=world.users["liaison"],
            new_due_date=dt.date(2026, 10, 31),
            justification="La licitación se declaró desierta.",
        )
        extension_decide(request=request, actor=world.users["coordinator"], approve=True)
    world.own_commitment.refresh_from_db()
    assert world.own_commitment.current_due_date == dt.date(2026, 10, 31)
    assert _kinds(world.users["liaison"], dt.date(2026, 9, 30)) == []
    assert _kinds(world.users["liaison"], dt.date(2026, 10, 24)) == [reminders.DUE_IN_7]
    assert _kinds(world.users["liaison"], dt.date(2026, 10, 31)) == [reminders.DUE_TODAY]


def test_it_does_not_remind_of_fulfilled_cancelled_or_not_started_commitments(world):
    Commitment.objects.filter(pk=world.own_commitment.pk).update(complete_since=dt.date(2026, 9, 1))
    assert _kinds(world.users["liaison"], dt.date(2026, 9, 30)) == []
    Commitment.objects.filter(pk=world.own_commitment.pk).update(
        complete_since=None,
        cancelled_on=dt.date(2026, 9, 1),
        cancellation_reason="Lo absorbió otro acuerdo.",
        cancelled_by=world.users["coordinator"],
    )
    assert _kinds(world.users["liaison"], dt.date(2026, 9, 30)) == []
    Commitment.objects.filter(pk=world.own_commitment.pk).update(
        cancelled_on=None,
        cancellation_reason="",
        cancelled_by=None,
        start_date=dt.date(2026, 10, 1),
        due_date=dt.date(2026, 10, 7),
    )
    assert _kinds(world.users["liaison"], dt.date(2026, 9, 30)) == []


def _submit(world, on: dt.date):
    with _at(on):
        return report_submit(
            commitment=world.own_commitment,
            actor=world.users["liaison"],
            data=ReportInput(
                as_of=on, percent=Decimal("40"), narrative="Se firmó el contrato de obra."
            ),
            uploads=[upload(PDF, "contrato.pdf")],
        )


@pytest.mark.parametrize(
    ("days_waiting", "reminded"),
    [(4, False), (5, False), (6, True), (7, False), (12, False), (13, True), (20, True)],
)
def test_it_reminds_the_validators_of_a_report_waiting_more_than_five_days(
    world, days_waiting, reminded
):
    report = _submit(world, dt.date(2026, 6, 15))
    on = dt.date(2026, 6, 15) + dt.timedelta(days=days_waiting)
    found = [r for r in reminders.reminders_due(on) if r.kind == reminders.VALIDATION_PENDING]
    if not reminded:
        assert found == []
        return
    (reminder,) = found
    assert reminder.recipient_id == world.users["validator"].pk
    assert reminder.url == report.get_absolute_url()
    assert reminder.title.startswith(f"Reporte por validar desde hace {days_waiting} días")


def test_it_takes_the_validation_delay_from_the_settings(world, settings):
    settings.REMINDER_VALIDATION_DAYS = 2
    _submit(world, dt.date(2026, 6, 15))
    on = dt.date(2026, 6, 18)
    assert [r.kind for r in reminders.reminders_due(on) if r.kind == "reminder.validation_pending"]


def test_it_warns_units_with_stale_commitments_three_days_before_the_cutoff(world):
    CutOff.objects.create(date=dt.date(2026, 5, 31))
    CutOff.objects.create(date=dt.date(2026, 6, 30))
    on = dt.date(2026, 6, 27)
    stale = [r for r in reminders.reminders_due(on) if r.kind == reminders.CUTOFF_STALE]
    by_person = {r.recipient_id: r for r in stale}
    assert set(by_person) == {
        world.users["liaison"].pk,
        world.users["head"].pk,
        world.users["other_liaison"].pk,
    }
    mine = by_person[world.users["liaison"].pk]
    assert mine.title == "Faltan 3 días para el corte del 30 de junio de 2026"
    assert (
        mine.body
        == "1 compromiso de su unidad no tiene reporte de avance desde el 31 de mayo de 2026."
    )
    assert "2 compromisos de su unidad" in by_person[world.users["other_liaison"].pk].body
    assert [
        r
        for r in reminders.reminders_due(on - dt.timedelta(days=1))
        if r.kind == reminders.CUTOFF_STALE
    ] == []


def test_it_does_not_warn_a_unit_that_reported_since_the_last_cutoff(world):
    CutOff.objects.create(date=dt.date(2026, 5, 31))
    CutOff.objects.create(date=dt.date(2026, 6, 30))
    _submit(world, dt.date(2026, 6, 10))
    stale = [
        r.recipient_id
        for r in reminders.reminders_due(dt.date(2026, 6, 27))
        if r.kind == reminders.CUTOFF_STALE
    ]
    assert world.users["liaison"].pk not in stale
    assert world.users["other_liaison"].pk in stale


def test_it_creates_each_reminder_once_however_often_it_runs(world):
    on = dt.date(2026, 9, 30)
    # Querétaro's liaison and head; Hidalgo's liaison for each of its two commitments.
    assert reminders.reminders_send(on=on) == 4
    assert reminders.reminders_send(on=on) == 0
    assert Notification.objects.filter(kind=reminders.DUE_TODAY).count() == 4
    liaison = Notification.objects.get(recipient=world.users["liaison"], kind=reminders.DUE_TODAY)
    assert liaison.commitment_id == world.own_commitment.pk
    assert liaison.email_status == "pending" and liaison.read_at is None
    assert reminders.reminders_send(on=on + dt.timedelta(days=7)) == 4


def test_it_costs_the_same_queries_with_one_commitment_or_many(world):
    CutOff.objects.create(date=dt.date(2026, 10, 3))
    _submit(world, dt.date(2026, 6, 15))
    on = dt.date(2026, 9, 30)

    def measure() -> int:
        Notification.objects.filter(kind__startswith="reminder.").delete()
        with CaptureQueriesContext(connection) as queries:
            reminders.reminders_send(on=on)
        return len(queries.captured_queries)

    before = measure()
    for i in range(15):
        agreement = AgreementFactory(meeting=world.meeting, folio=f"TST-CEN-2026-{i + 100:04d}")
        for unit in (
            world.own_commitment.responsible_unit,
            world.foreign_commitment.responsible_unit,
        ):
            CommitmentFactory(agreement=agreement, responsible_unit=unit, due_date=on)
    assert measure() == before
    assert Notification.objects.filter(kind=reminders.DUE_TODAY).count() > 30


def test_it_runs_from_the_command_line_for_a_given_date(world, capsys):
    call_command("send_reminders", "--date", "2026-09-30")
    out = capsys.readouterr().out
    assert out == (
        "2026-09-30: 4 recordatorios nuevos; 3 correos de resumen con 4 avisos; "
        "0 avisos sin correo por preferencia.\n"
    )
    call_command("send_reminders", "--date", "2026-09-30")
    assert capsys.readouterr().out.startswith("2026-09-30: 0 recordatorios nuevos;")
    with pytest.raises(CommandError, match="Fecha inválida"):
        call_command("send_reminders", "--date", "30/09/2026")
