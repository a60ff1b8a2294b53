"""A follow-up meeting of Centro for the world of conftest.py."""

from __future__ import annotations

import datetime as dt

from acuerdos.commitments.tests.factories import MeetingFactory
from acuerdos.meetings.models import Meeting, MeetingKind


def follow_up_meeting(code: str = "TST-SEG-CEN") -> Meeting:
    """A follow-up meeting of Región Centro (where the world's agreements were signed)."""
    return MeetingFactory(
        code=code,
        name="Reunión de seguimiento Centro",
        kind=MeetingKind.FOLLOW_UP,
        venue="Ciudad de México",
        start_date=dt.date(2026, 10, 14),
        end_date=dt.date(2026, 10, 14),
    )
