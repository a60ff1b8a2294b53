"""Shared fixtures: the reference catalog and the personas of STYLE.md.

The personas live in one small world built on the real catalog (Región Centro):

- `liaison` and `head` of OOAD Querétaro; `other_liaison` of OOAD Hidalgo;
- `validator` of the Dirección de Prestaciones Médicas (DPM, and the coordinations under it);
- `coordinator` of the DOE; `viewer` of the OIC; and `anonymous`.

Agreements: `own` binds Querétaro (validated by DPM); `foreign` binds only Hidalgo (validated by
DA); `shared` binds Hidalgo with Querétaro co-responsible (validated by DA).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.commitments.tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    MeetingFactory,
)
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Role, Theme, Unit, User
from acuerdos.organization.services import catalog_load
from acuerdos.organization.tests.factories import MembershipFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONAS = (
    "anonymous",
    "liaison",
    "head",
    "other_liaison",
    "validator",
    "coordinator",
    "viewer",
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the reference catalog once into the test database, right after it is created."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        catalog_load()


@pytest.fixture
def catalog(db: Any) -> None:
    """The reference catalog: loaded at set-up, and again after a transactional test flushed
    the tables."""
    if not Unit.objects.exists():
        from django.db import transaction

        with transaction.atomic():
            catalog_load()


@dataclass
class World:
    """The personas and the objects they can and cannot see."""

    users: dict[str, User]
    meeting: Meeting
    own: Agreement
    foreign: Agreement
    shared: Agreement
    own_commitment: Commitment
    foreign_commitment: Commitment
    shared_commitment: Commitment

    def unit(self, code: str) -> Unit:
        return Unit.objects.get(code=code)


def _persona(key: str, unit_code: str, role: str) -> User:
    user = UserFactory(email=f"{key}@imss.gob.mx", full_name=f"{key.replace('_', ' ').title()}")
    MembershipFactory(user=user, unit=Unit.objects.get(code=unit_code), role=role)
    return user


@pytest.fixture
def world(catalog: None) -> World:
    users = {
        "liaison": _persona("liaison", "OOAD-QRO", Role.LIAISON),
        "head": _persona("head", "OOAD-QRO", Role.HEAD),
        "other_liaison": _persona("other_liaison", "OOAD-HGO", Role.LIAISON),
        "validator": _persona("validator", "DPM", Role.VALIDATOR),
        "coordinator": _persona("coordinator", "DOE", Role.COORDINATOR),
        "viewer": _persona("viewer", "OIC", Role.VIEWER),
    }
    meeting = MeetingFactory(code="TST-CEN", name="Reunión Regional Centro de prueba")
    qro, hgo = Unit.objects.get(code="OOAD-QRO"), Unit.objects.get(code="OOAD-HGO")
    meeting.participants.set([qro, hgo])
    am, inf = Theme.objects.get(code="AM"), Theme.objects.get(code="INF")
    own = AgreementFactory(meeting=meeting, folio="TST-CEN-2026-0001", theme=am)
    foreign = AgreementFactory(meeting=meeting, folio="TST-CEN-2026-0002", theme=inf)
    shared = AgreementFactory(meeting=meeting, folio="TST-CEN-2026-0003", theme=inf)
    own_commitment = CommitmentFactory(agreement=own, responsible_unit=qro)
    foreign_commitment = CommitmentFactory(agreement=foreign, responsible_unit=hgo)
    shared_commitment = CommitmentFactory(agreement=shared, responsible_unit=hgo)
    shared_commitment.co_responsible_units.set([qro])
    return World(
        users=users,
        meeting=meeting,
        own=own,
        foreign=foreign,
        shared=shared,
        own_commitment=own_commitment,
        foreign_commitment=foreign_commitment,
        shared_commitment=shared_commitment,
    )


@pytest.fixture
def clients(world: World) -> dict[str, Client]:
    """A logged-in test client per persona (and an anonymous one)."""
    result: dict[str, Client] = {"anonymous": Client()}
    for key, user in world.users.items():
        client = Client()
        client.force_login(user)
        result[key] = client
    return result


# --- Browser tests: Playwright on Debian's chromium (browser downloads do not work here) -------
BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    import shutil

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    return {**browser_type_launch_args, "executable_path": executable, "args": BROWSER_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "es-MX", "timezone_id": "America/Mexico_City"}
