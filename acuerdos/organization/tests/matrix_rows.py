"""Persona × route rows of the people screens and the password pages (see core/tests/matrix.py).

Managing people is for the Coordinación central only (403 for every other role, as the people
list); the password pages are public and answer the same to everyone."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from acuerdos.core.tests.matrix import COORDINATOR_ONLY, LOGIN, PUBLIC, Route, expect, url_to
from acuerdos.organization.models import Membership, Role, Unit, User
from acuerdos.organization.tests.factories import MembershipFactory, UserFactory
from conftest import World

COORDINATOR_WRITES = expect(403, anonymous=LOGIN, coordinator=302)
COORDINATOR_REFUSED_FORM = expect(403, anonymous=LOGIN, coordinator=400)


def _fresh(world: World, *, active: bool = True, email: str = "matriz@imss.gob.mx") -> User:
    user = cast(User, UserFactory(email=email, full_name="Persona de la Matriz"))
    user.is_active = active
    user.last_login = None
    user.save()
    return user


def _person(world: World) -> str:
    return reverse("organization:person_detail", args=[world.users["liaison"].pk])


def _missing_person(world: World) -> str:
    return reverse("organization:person_detail", args=[987654])


def _membership_end(world: World) -> str:
    user = _fresh(world)
    membership = cast(
        Membership,
        MembershipFactory(user=user, unit=Unit.objects.get(code="OOAD-HGO"), role=Role.LIAISON),
    )
    return reverse("organization:person_membership_end", args=[user.pk, membership.pk])


def _other_persons_membership(world: World) -> str:
    """A membership id that belongs to somebody else than the person in the URL."""
    user = _fresh(world)
    membership = Membership.objects.get(user=world.users["liaison"])
    return reverse("organization:person_membership_end", args=[user.pk, membership.pk])


def _on_fresh(name: str, *, active: bool = True) -> Callable[[World], str]:
    return lambda world: reverse(name, args=[_fresh(world, active=active).pk])


def _link(name: str, *, valid: bool) -> Callable[[World], str]:
    def url(world: World) -> str:
        user = world.users["liaison"]
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user) if valid else "abc-123456"
        return reverse(name, kwargs={"uidb64": uid, "token": token})

    return url


ROUTES: list[Route] = [
    Route("organization:person_invite", url_to("organization:person_invite"), COORDINATOR_ONLY),
    Route(
        "organization:person_invite",
        url_to("organization:person_invite"),
        COORDINATOR_REFUSED_FORM,
        method="post",
        label="POST without data: the form again, with its errors",
    ),
    Route("organization:person_detail", _person, COORDINATOR_ONLY),
    Route(
        "organization:person_detail",
        _missing_person,
        expect(403, anonymous=LOGIN, coordinator=404),
        label="missing",
    ),
    Route(
        "organization:person_membership_add",
        _on_fresh("organization:person_membership_add"),
        COORDINATOR_REFUSED_FORM,
        method="post",
        label="POST without data",
    ),
    Route(
        "organization:person_rename",
        _on_fresh("organization:person_rename"),
        COORDINATOR_REFUSED_FORM,
        method="post",
        label="POST without data",
    ),
    Route(
        "organization:person_email_change",
        _on_fresh("organization:person_email_change"),
        COORDINATOR_REFUSED_FORM,
        method="post",
        label="POST without data",
    ),
    Route(
        "organization:person_membership_end",
        _membership_end,
        COORDINATOR_WRITES,
        method="post",
    ),
    Route(
        "organization:person_membership_end",
        _other_persons_membership,
        expect(403, anonymous=LOGIN, coordinator=404),
        method="post",
        label="somebody else's membership",
    ),
    Route(
        "organization:person_invitation_resend",
        _on_fresh("organization:person_invitation_resend"),
        COORDINATOR_WRITES,
        method="post",
    ),
    Route(
        "organization:person_deactivate",
        _on_fresh("organization:person_deactivate"),
        COORDINATOR_WRITES,
        method="post",
    ),
    Route(
        "organization:person_reactivate",
        _on_fresh("organization:person_reactivate", active=False),
        COORDINATOR_WRITES,
        method="post",
    ),
    Route("organization:person_detail", _person, expect(405), method="delete", label="DELETE"),
    # Password pages: public, the same for everyone (logged in or not).
    Route("password_reset", url_to("password_reset"), PUBLIC),
    Route(
        "password_reset",
        url_to("password_reset"),
        PUBLIC,
        method="post",
        label="POST without data: the form again",
    ),
    Route("password_reset_done", url_to("password_reset_done"), PUBLIC),
    Route("password_reset_confirm", _link("password_reset_confirm", valid=False), PUBLIC),
    Route(
        "password_reset_confirm",
        _link("password_reset_confirm", valid=True),
        expect(302),
        label="valid link: on to the form without the token in the URL",
    ),
    Route("invitation_accept", _link("invitation_accept", valid=False), PUBLIC),
    Route(
        "invitation_accept",
        _link("invitation_accept", valid=True),
        expect(302),
        label="valid link",
    ),
]
