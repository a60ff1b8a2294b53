"""Persona × route rows of the second-factor pages (see core/tests/matrix.py).

Every logged-in person may enrol, so the pages answer the same to every persona: the enrolment
page (200), its empty form (400), and, for the personas who have no second factor, the pages
that only make sense with one send them back (302). Anonymous visitors go to the login page.
The coordinator's obligation to enrol is tested in test_two_factor.py (the matrix runs with
TWO_FACTOR_REQUIRED_FOR_COORDINATORS off).

A coordinator's reset of somebody else's second factor (on the person's page) is refused to
everyone else (403, as every people page); the coordinator's empty POST is a refused form (400),
and the reset itself is tested in test_two_factor_reset.py."""

from __future__ import annotations

from typing import cast

from django.urls import reverse

from acuerdos.core.tests.matrix import EVERY_USER, LOGIN, Route, expect, url_to
from acuerdos.organization.models import User
from acuerdos.organization.tests.factories import UserFactory
from conftest import World

EVERY_USER_FORM_REFUSED = expect(400, anonymous=LOGIN)
EVERY_USER_SENT_ON = expect(302, anonymous=LOGIN)
COORDINATOR_REFUSED_FORM = expect(403, anonymous=LOGIN, coordinator=400)


def _reset_of_someone(world: World) -> str:
    person = cast(User, UserFactory(email="segundo.factor@imss.gob.mx", full_name="Persona"))
    return reverse("organization:person_two_factor_reset", args=[person.pk])


ROUTES = [
    Route("two_factor:manage", url_to("two_factor:manage"), EVERY_USER),
    Route(
        "two_factor:manage",
        url_to("two_factor:manage"),
        EVERY_USER_FORM_REFUSED,
        method="post",
        label="empty code",
    ),
    Route("two_factor:recovery_codes", url_to("two_factor:recovery_codes"), EVERY_USER_SENT_ON),
    Route(
        "two_factor:regenerate",
        url_to("two_factor:regenerate"),
        EVERY_USER_SENT_ON,
        method="post",
    ),
    Route("two_factor:disable", url_to("two_factor:disable"), EVERY_USER_SENT_ON, method="post"),
    Route("two_factor:verify", url_to("two_factor:verify"), EVERY_USER_SENT_ON),
    Route(
        "two_factor:verify",
        url_to("two_factor:verify"),
        EVERY_USER_SENT_ON,
        method="post",
        label="without a second factor",
    ),
    Route(
        "organization:person_two_factor_reset",
        _reset_of_someone,
        COORDINATOR_REFUSED_FORM,
        method="post",
        label="POST without data",
    ),
]
