"""Reminders (PRODUCT.md §4.7): which people must be reminded of what on a given day.

- A commitment's heads and liaisons, 7 days and 1 day before its due date (the one in force after
  extensions), on the day itself, and every 7 days while it stays overdue and not fulfilled;
- the validators of an agreement's normative area (or of an area above it), when a report has
  waited for validation more than `REMINDER_VALIDATION_DAYS` days (default 5): the day after the
  limit, then weekly while it waits;
- a unit's heads and liaisons, 3 days before the next open cut-off, when some of its commitments
  have no report submitted since the previous cut-off ("faltan 3 días para el corte").

Each reminder is an in-app `Notification` whose `dedupe_key` names the kind, the commitment (or
unit) and the date: running the same day twice creates nothing new. The selection is set-based
— a fixed number of queries whatever the number of commitments — so it runs at national scale.

The due date and the last submission are the commitment's current evaluation inputs
(`current_due_date`, `last_submitted_on`, `complete_since`), kept up to date by every write.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from acuerdos.commitments.models import Commitment
from acuerdos.core.dates import long_date
from acuerdos.evaluation.models import CutOff, CutOffStatus
from acuerdos.notifications.models import Notification
from acuerdos.organization.models import Membership, Role, Unit
from acuerdos.progress.models import ProgressReport, ReportState

DUE_IN_7 = "reminder.due_in_7"
DUE_IN_1 = "reminder.due_in_1"
DUE_TODAY = "reminder.due_today"
OVERDUE = "reminder.overdue"
VALIDATION_PENDING = "reminder.validation_pending"
CUTOFF_STALE = "reminder.cutoff_stale"
KINDS = (DUE_IN_7, DUE_IN_1, DUE_TODAY, OVERDUE, VALIDATION_PENDING, CUTOFF_STALE)
CUTOFF_NOTICE_DAYS = 3
# Without a previous cut-off, a commitment is stale after this many days without a report (§3.6).
STALE_DAYS = 31


def validation_days() -> int:
    """Days a report may wait for validation before its validators are reminded."""
    return int(getattr(settings, "REMINDER_VALIDATION_DAYS", 5))


@dataclass(frozen=True)
class Reminder:
    """One reminder for one person, before it becomes a Notification."""

    recipient_id: int
    kind: str
    title: str
    body: str
    url: str
    commitment_id: int | None
    dedupe_key: str


def _key(kind: str, subject: str, on: dt.date) -> str:
    return f"{kind}:{subject}:{on.isoformat()}"


def _open_commitments(on: dt.date) -> Q:
    """Commitments that count on `on` and still call for work: started, not cancelled, not
    fulfilled."""
    return (
        Q(start_date__lte=on)
        & (Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=on))
        & Q(complete_since__isnull=True)
    )


def _unit_people(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active heads and liaisons of each unit (one query)."""
    people: dict[int, list[int]] = defaultdict(list)
    rows = Membership.objects.filter(
        unit_id__in=set(unit_ids),
        role__in=[Role.HEAD, Role.LIAISON],
        is_active=True,
        user__is_active=True,
    ).values_list("unit_id", "user_id")
    for unit_id, user_id in rows:
        if user_id not in people[unit_id]:
            people[unit_id].append(user_id)
    return people


def _area_validators(area_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active validators of each area or of any area above it (two queries)."""
    wanted = set(area_ids)
    if not wanted:
        return {}
    parents = dict(Unit.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    by_unit: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in Membership.objects.filter(
        role=Role.VALIDATOR, is_active=True, user__is_active=True
    ).values_list("unit_id", "user_id"):
        by_unit[unit_id].append(user_id)
    validators: dict[int, list[int]] = {}
    for area_id in wanted:
        seen: list[int] = []
        current: int | None = area_id
        users: list[int] = []
        while current is not None and current not in seen:
            seen.append(current)
            users.extend(u for u in by_unit.get(current, []) if u not in users)
            current = parents.get(current)
        validators[area_id] = users
    return validators


@dataclass(frozen=True)
class _DueStep:
    """The reminder sent a fixed number of days before a commitment's due date in force."""

    kind: str
    title: str  # %(c)s: folio · unit
    body: str  # %(d)s: the due date, long form


# Days before the due date in force → the reminder of that day (texts translated when sent).
# After the due date, OVERDUE every OVERDUE_EVERY days while the commitment is not fulfilled.
DUE_STEPS: dict[int, _DueStep] = {
    7: _DueStep(
        DUE_IN_7,
        gettext_noop("Faltan 7 días para la fecha compromiso: %(c)s"),
        gettext_noop("El compromiso vence el %(d)s. Registre su avance a tiempo."),
    ),
    1: _DueStep(
        DUE_IN_1,
        gettext_noop("Mañana vence el compromiso %(c)s"),
        gettext_noop("El compromiso vence mañana, %(d)s."),
    ),
    0: _DueStep(
        DUE_TODAY,
        gettext_noop("Hoy vence el compromiso %(c)s"),
        gettext_noop("La fecha compromiso es hoy, %(d)s."),
    ),
}
OVERDUE_EVERY = 7


def _due_kind(on: dt.date, due: dt.date) -> str | None:
    days = (due - on).days
    if days in DUE_STEPS:
        return DUE_STEPS[days].kind
    if days < 0 and -days % OVERDUE_EVERY == 0:
        return OVERDUE
    return None


def _due_text(on: dt.date, due: dt.date, label: str) -> tuple[str, str]:
    values = {"c": label, "d": long_date(due)}
    step = DUE_STEPS.get((due - on).days)
    if step is not None:
        return _(step.title) % values, _(step.body) % values
    late = (on - due).days
    return (
        ngettext(
            "Compromiso vencido hace %(n)d día: %(c)s",
            "Compromiso vencido hace %(n)d días: %(c)s",
            late,
        )
        % {"n": late, **values},
        _("Venció el %(d)s y no se ha cumplido. Registre su avance o solicite una reprogramación.")
        % values,
    )


@dataclass(frozen=True)
class _Subject:
    """What one reminder is about, before it is addressed to each of its people."""

    kind: str
    title: str
    body: str
    url: str
    commitment_id: int | None
    subject: str  # the part of the dedupe key that names the commitment, report or unit


def _addressed(on: dt.date, subjects: Iterable[tuple[_Subject, list[int]]]) -> list[Reminder]:
    """One Reminder per person and subject, keyed by kind, subject and day (idempotency)."""
    return [
        Reminder(
            user_id,
            s.kind,
            s.title,
            s.body,
            s.url,
            s.commitment_id,
            _key(s.kind, s.subject, on),
        )
        for s, people in subjects
        for user_id in people
    ]


def _due_reminders(on: dt.date) -> list[Reminder]:
    """Before, on and after the due date in force (one query for the commitments)."""
    ahead = [on + dt.timedelta(days=days) for days in DUE_STEPS]
    rows = list(
        Commitment.objects.filter(_open_commitments(on))
        .annotate(due=Coalesce("current_due_date", "due_date"))
        .filter(Q(due__in=ahead) | Q(due__lt=on))
        .values_list(
            "pk", "due", "responsible_unit_id", "agreement__folio", "responsible_unit__short_name"
        )
    )
    picked = [(row, kind) for row in rows if (kind := _due_kind(on, row[1])) is not None]
    people = _unit_people(row[2] for row, _kind in picked)
    return _addressed(
        on,
        (
            (
                _Subject(
                    kind,
                    *_due_text(on, due, f"{folio} · {unit_name}"),
                    reverse("commitments:commitment_detail", args=[pk]),
                    pk,
                    f"c{pk}",
                ),
                people.get(unit_id, []),
            )
            for (pk, due, unit_id, folio, unit_name), kind in picked
        ),
    )


def _validation_reminders(on: dt.date) -> list[Reminder]:
    """Reports waiting for validation more than N days: the day after, then weekly."""
    limit = validation_days()
    rows = list(
        ProgressReport.objects.filter(
            state=ReportState.SUBMITTED,
            submitted_on__lt=on - dt.timedelta(days=limit),
            commitment__cancelled_on__isnull=True,
        ).values_list(
            "pk",
            "commitment_id",
            "submitted_on",
            "commitment__agreement__validating_area_id",
            "commitment__agreement__folio",
            "commitment__responsible_unit__short_name",
        )
    )
    picked = [row for row in rows if row[2] and ((on - row[2]).days - limit - 1) % 7 == 0]
    validators = _area_validators(row[3] for row in picked)
    subjects: list[tuple[_Subject, list[int]]] = []
    for pk, commitment_id, submitted_on, area_id, folio, unit_name in picked:
        assert submitted_on is not None  # filtered above
        waiting = (on - submitted_on).days
        title = ngettext(
            "Reporte por validar desde hace %(n)d día: %(f)s · %(u)s",
            "Reporte por validar desde hace %(n)d días: %(f)s · %(u)s",
            waiting,
        ) % {"n": waiting, "f": folio, "u": unit_name}
        body = _("%(u)s envió el reporte el %(d)s y sigue esperando su revisión.") % {
            "u": unit_name,
            "d": long_date(submitted_on),
        }
        url = reverse("progress:report_detail", args=[pk])
        subject = _Subject(
            VALIDATION_PENDING, title, body, url, commitment_id, f"c{commitment_id}:r{pk}"
        )
        subjects.append((subject, validators.get(area_id, [])))
    return _addressed(on, subjects)


def _cutoff_reminders(on: dt.date) -> list[Reminder]:
    """Three days before an open cut-off: units whose commitments have no report since the
    previous cut-off (or, before the first one, for more than 31 days)."""
    cutoff = CutOff.objects.filter(
        status=CutOffStatus.OPEN, date=on + dt.timedelta(days=CUTOFF_NOTICE_DAYS)
    ).first()
    if cutoff is None:
        return []
    previous = (
        CutOff.objects.filter(date__lt=cutoff.date).order_by("-date").values_list("date", flat=True)
    ).first()
    since = previous or on - dt.timedelta(days=STALE_DAYS)
    stale: dict[int, int] = defaultdict(int)
    for unit_id in Commitment.objects.filter(
        _open_commitments(on),
        Q(last_submitted_on__isnull=True) | Q(last_submitted_on__lte=since),
        start_date__lte=since,
    ).values_list("responsible_unit_id", flat=True):
        stale[unit_id] += 1
    people = _unit_people(stale)
    url = reverse("commitments:my_commitments")
    title = _("Faltan 3 días para el corte del %(d)s") % {"d": long_date(cutoff.date)}
    subjects: list[tuple[_Subject, list[int]]] = []
    for unit_id, count in stale.items():
        body = ngettext(
            "%(n)d compromiso de su unidad no tiene reporte de avance desde el %(s)s.",
            "%(n)d compromisos de su unidad no tienen reporte de avance desde el %(s)s.",
            count,
        ) % {"n": count, "s": long_date(since)}
        subject = _Subject(
            CUTOFF_STALE, title, body, url, None, f"u{unit_id}:{cutoff.date.isoformat()}"
        )
        subjects.append((subject, people.get(unit_id, [])))
    return _addressed(on, subjects)


# Every kind of reminder of the day: each collector selects its subjects set-based and names
# their people; `_addressed` turns them into one reminder per person with its dedupe key.
COLLECTORS: tuple[Callable[[dt.date], list[Reminder]], ...] = (
    _due_reminders,
    _validation_reminders,
    _cutoff_reminders,
)


def reminders_due(on: dt.date) -> list[Reminder]:
    """Every reminder of the day, for every person (a fixed number of queries)."""
    return [reminder for collect in COLLECTORS for reminder in collect(on)]


@transaction.atomic
def reminders_send(*, on: dt.date) -> int:
    """Create the day's reminders as in-app notifications (they reach e-mail through the daily
    digest). Idempotent: reminders already created for that day are not created again.
    Returns how many were created."""
    reminders = reminders_due(on)
    suffix = f":{on.isoformat()}"
    existing = set(
        Notification.objects.filter(kind__in=KINDS, dedupe_key__endswith=suffix).values_list(
            "recipient_id", "dedupe_key"
        )
    )
    fresh = [
        Notification(
            recipient_id=r.recipient_id,
            kind=r.kind,
            title=r.title[:200],
            body=r.body,
            url=r.url,
            commitment_id=r.commitment_id,
            dedupe_key=r.dedupe_key,
        )
        for r in {(r.recipient_id, r.dedupe_key): r for r in reminders}.values()
        if (r.recipient_id, r.dedupe_key) not in existing
    ]
    # ignore_conflicts: a second scheduler racing this one loses quietly on the unique key.
    Notification.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    return len(fresh)
