"""Rows of the persona × route matrix for the Tokens de API page (see core/tests/matrix.py).

Every person with an account manages their own tokens; another person's token answers 404.
"""

from __future__ import annotations

from django.urls import reverse

from acuerdos.core.tests.matrix import EVERY_USER, LOGIN, Route, expect, url_to
from conftest import World


def _liaison_token(world: World) -> str:
    from acuerdos.organization.tokens import token_create

    token, _secret = token_create(
        actor=world.users["liaison"], name="Power BI", days=30, can_write=False
    )
    return reverse("tokens:revoke", args=[token.pk])


ROUTES: list[Route] = [
    Route("tokens:list", url_to("tokens:list"), EVERY_USER),
    Route(
        "tokens:list",
        url_to("tokens:list"),
        expect(400, anonymous=LOGIN),
        method="post",
        label="POST without data: the form again, with its errors",
    ),
    Route(
        "tokens:revoke",
        _liaison_token,
        expect(404, anonymous=LOGIN, liaison=302),
        method="post",
    ),
]
