"""Writes on rounds and meetings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from acuerdos.audit import services as audit
from acuerdos.meetings.models import Meeting, MeetingKind, Round
from acuerdos.organization.models import Region, Unit

_ROUND_NUMBER = re.compile(r"^\s*(\d+)")


@transaction.atomic
def round_get_or_create(*, name: str, year: int, actor: Any = None, source: str = "web") -> Round:
    """The round with this name, created (and audited) if it does not exist yet."""
    existing = Round.objects.filter(name=name).first()
    if existing is not None:
        return existing
    match = _ROUND_NUMBER.match(name)
    round_ = Round(name=name, year=year, number=int(match.group(1)) if match else None)
    round_.full_clean()
    round_.save()
    audit.record(
        actor=actor,
        action="round.created",
        target=round_,
        changes={"name": [None, name], "year": [None, year]},
        source=source,
    )
    return round_


def region_by_name(name: str) -> Region:
    """Norte | Occidente | Sureste | Centro (case-insensitive), or a Spanish ValidationError."""
    region = Region.objects.filter(short_name__iexact=name.strip()).first()
    if region is None:
        valid = ", ".join(Region.objects.values_list("short_name", flat=True))
        raise ValidationError(f"Región desconocida: «{name}». Use una de: {valid}.")
    return region


@transaction.atomic
def meeting_save(
    *,
    code: str,
    name: str,
    region: Region,
    kind: str,
    start_date: dt.date,
    end_date: dt.date,
    venue: str = "",
    round_name: str | None = None,
    participants: Iterable[Unit] | None = None,
    is_demo: bool = False,
    actor: Any = None,
    source: str = "web",
) -> tuple[Meeting, bool]:
    """Create the meeting with this code or update it (same code → same meeting).

    Returns the meeting and whether it was created. Every change is audited with its
    before/after values; an update that changes nothing writes nothing.
    """
    if kind not in MeetingKind.values:
        raise ValidationError(
            f"Tipo de reunión desconocido: «{kind}». Use uno de: {', '.join(MeetingKind.values)}."
        )
    round_ = (
        round_get_or_create(name=round_name, year=start_date.year, actor=actor, source=source)
        if round_name
        else None
    )
    values: dict[str, Any] = {
        "name": name,
        "region": region,
        "kind": kind,
        "start_date": start_date,
        "end_date": end_date,
        "venue": venue,
        "is_demo": is_demo,
    }
    if round_ is not None:
        values["round"] = round_
    meeting = Meeting.objects.select_for_update().filter(code=code).first()
    created = meeting is None
    if meeting is None:
        meeting = Meeting(code=code, **values)
        before: dict[str, Any] = {}
    else:
        before = {key: getattr(meeting, key) for key in values}
        for key, value in values.items():
            setattr(meeting, key, value)
    meeting.full_clean()
    changes = audit.diff(before, values)
    if created or changes:
        meeting.save()
        audit.record(
            actor=actor,
            action="meeting.created" if created else "meeting.updated",
            target=meeting,
            changes=changes,
            source=source,
        )
    if participants is not None:
        new_ids = {u.pk for u in participants}
        old_ids = set(meeting.participants.values_list("pk", flat=True))
        if new_ids != old_ids:
            meeting.participants.set(new_ids)
            audit.record(
                actor=actor,
                action="meeting.participants_changed",
                target=meeting,
                changes={"participants": [sorted(old_ids), sorted(new_ids)]},
                source=source,
            )
    return meeting, created
