"""The cut-off calendar: monthly by default, editable by the Coordinación central.

The default calendar is the last day of each month from the month of the current round's
first meeting to the current month. Its dates are not created behind the user's back on
viewing (a GET never writes, and a date the coordinator removed would come back): the calendar
page lists the missing ones and a button adds them through `cutoff_get_or_create`.

`cutoff_remove` and `cutoff_add_monthly` are writes and belong with `services.py`; they live
here, audited and atomic like every service, until the evaluation services take them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from acuerdos.audit import services as audit
from acuerdos.core.errors import DomainError
from acuerdos.evaluation.models import CutOff, CutOffStatus
from acuerdos.evaluation.services import cutoff_get_or_create
from acuerdos.meetings.models import Meeting, Round


def month_end(day: dt.date) -> dt.date:
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def monthly_dates(first: dt.date, last: dt.date) -> list[dt.date]:
    """The last day of every month from `first`'s month to `last`'s month, both included."""
    dates = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        dates.append(month_end(dt.date(year, month, 1)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def calendar_start() -> dt.date | None:
    """The first meeting of the latest round (or of all meetings, when none has a round)."""
    latest = Round.objects.order_by("-year", "-number", "-pk").first()
    meetings = Meeting.objects.all()
    if latest is not None and Meeting.objects.filter(round=latest).exists():
        meetings = meetings.filter(round=latest)
    return meetings.order_by("start_date").values_list("start_date", flat=True).first()


@dataclass(frozen=True)
class Calendar:
    """The cut-offs (latest first) and the monthly dates not yet in the calendar."""

    cutoffs: list[CutOff]
    missing: list[dt.date]
    today: dt.date


def cutoff_calendar(today: dt.date) -> Calendar:
    cutoffs = list(CutOff.objects.select_related("closed_by").order_by("-date"))
    start = calendar_start()
    existing = {c.date for c in cutoffs}
    missing = [d for d in monthly_dates(start, today) if d not in existing] if start else []
    return Calendar(cutoffs=cutoffs, missing=missing, today=today)


@transaction.atomic
def cutoff_add_monthly(*, today: dt.date, actor: Any) -> list[CutOff]:
    """Add the missing monthly cut-offs (open) up to the current month; returns those added."""
    return [cutoff_get_or_create(date=date, actor=actor) for date in cutoff_calendar(today).missing]


@transaction.atomic
def cutoff_remove(*, cutoff: CutOff, actor: Any) -> None:
    """Take an open cut-off out of the calendar. A closed one is immutable: its figures were
    frozen and may already be in published reports."""
    locked = CutOff.objects.select_for_update().get(pk=cutoff.pk)
    if locked.status == CutOffStatus.CLOSED:
        raise DomainError("Un corte cerrado no se puede quitar: sus cifras quedaron congeladas.")
    audit.record(
        actor=actor,
        action="cutoff.removed",
        target=locked,
        changes={"date": [locked.date, None]},
    )
    locked.delete()
