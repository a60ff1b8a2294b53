"""Writes on rounds and meetings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from acuerdos.audit import services as audit
from acuerdos.meetings import minuta as minuta_files
from acuerdos.meetings.minuta import MinutaUpload
from acuerdos.meetings.models import Meeting, MeetingKind, Round
from acuerdos.organization.models import Region, Unit

_ROUND_NUMBER = re.compile(r"^\s*(\d+)")


class Keep:
    """Marker: leave the field as it is."""


KEEP = Keep()


@transaction.atomic
def round_save(
    *,
    name: str,
    year: int,
    number: int | None,
    actor: Any,
    round_: Round | None = None,
    source: str | None = None,
) -> Round:
    """Create a round (or update `round_`): name, number and year, audited with before/after."""
    values: dict[str, Any] = {"name": name.strip(), "number": number, "year": year}
    if round_ is None:
        current = Round(**values)
        before: dict[str, Any] = {}
    else:
        current = Round.objects.select_for_update().get(pk=round_.pk)
        before = {key: getattr(current, key) for key in values}
        for key, value in values.items():
            setattr(current, key, value)
    current.full_clean()
    changes = audit.diff(before, values)
    if round_ is None or changes:
        current.save()
        audit.record(
            actor=actor,
            action="round.created" if round_ is None else "round.updated",
            target=current,
            changes=changes,
            source=source,
        )
    return current


@transaction.atomic
def round_get_or_create(
    *, name: str, year: int, actor: Any = None, source: str | None = None
) -> Round:
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
    source: str | None = None,
    meeting: Meeting | None = None,
    round_: Round | Keep | None = KEEP,
    minuta: MinutaUpload | None = None,
) -> tuple[Meeting, bool]:
    """Create the meeting with this code or update it (same code → same meeting).

    Returns the meeting and whether it was created. Every change is audited with its
    before/after values; an update that changes nothing writes nothing.

    The coordinator's form passes the `meeting` it edits (so that its code may change, and a
    code already used by another meeting is refused), the `round_` chosen from the list (None
    to take it out of any round; by default the round is left as it is, or found by
    `round_name` as imports and the seeder do) and, optionally, a new `minuta` file, checked by
    its content (PDF or Word only) and stored under a random name.
    """
    if kind not in MeetingKind.values:
        raise ValidationError(
            f"Tipo de reunión desconocido: «{kind}». Use uno de: {', '.join(MeetingKind.values)}."
        )
    if round_name and isinstance(round_, Keep):
        round_ = round_get_or_create(
            name=round_name, year=start_date.year, actor=actor, source=source
        )
    values: dict[str, Any] = {
        "code": code,
        "name": name,
        "region": region,
        "kind": kind,
        "start_date": start_date,
        "end_date": end_date,
        "venue": venue,
        "is_demo": is_demo,
    }
    if not isinstance(round_, Keep):
        values["round"] = round_
    if meeting is not None:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if Meeting.objects.filter(code=code).exclude(pk=meeting.pk).exists():
            raise ValidationError({"code": f"La clave «{code}» ya es de otra reunión."})
    else:
        meeting = Meeting.objects.select_for_update().filter(code=code).first()
    created = meeting is None
    if meeting is None:
        meeting = Meeting(**values)
        before: dict[str, Any] = {}
    else:
        before = {key: getattr(meeting, key) for key in values}
        for key, value in values.items():
            setattr(meeting, key, value)
    checked = minuta_files.check(minuta) if minuta is not None else None
    meeting.full_clean(exclude=["minuta"])
    changes = audit.diff(before, values)
    if created and "code" in changes:
        del changes["code"]  # kept as before: a new meeting's changes never listed its code
    stored: str | None = None
    try:
        if checked is not None:
            stored = minuta_files.store(checked)
            changes["minuta"] = [meeting.minuta.name or None, stored]
            meeting.minuta.name = stored
        if created or changes:
            meeting.save()
            audit.record(
                actor=actor,
                action="meeting.created" if created else "meeting.updated",
                target=meeting,
                changes=changes,
                context={"minuta": {"name": checked.original_name, "sha256": checked.sha256}}
                if checked is not None
                else None,
                source=source,
            )
    except BaseException:
        if stored is not None:
            minuta_files.discard(stored)
        raise
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
