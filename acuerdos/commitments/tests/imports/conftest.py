"""A meeting of Región Centro on the real catalog, as the agreements import tests need it."""

from __future__ import annotations

import datetime as dt

import pytest

from acuerdos.commitments.tests.factories import MeetingFactory
from acuerdos.organization.models import Unit


@pytest.fixture
def meeting(catalog):
    return MeetingFactory(
        code="RR8-CEN",
        name="8ª Reunión Regional Centro",
        start_date=dt.date(2026, 4, 27),
        end_date=dt.date(2026, 4, 30),
    )


@pytest.fixture
def unit():
    return lambda code: Unit.objects.get(code=code)
