"""The vocabulary of the persona × route matrix (`test_permission_matrix.py`).

Apps add their rows in `acuerdos/<app>/tests/matrix_rows.py`, a module with a `ROUTES` list of
`Route(...)` built from these helpers; the matrix collects every such module. A row that needs
data creates it in its `url` callable (it runs inside the test, with the `world` fixture).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from conftest import PERSONAS, World

LOGIN = "login"
"""Expected answer: a 302 to the login page (any other 302 is written as the int 302)."""

Expected = dict[str, int | str]


def expect(default: int | str, **overrides: int | str) -> Expected:
    """The expected answer for every persona: `default`, except the ones named."""
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, f"unknown personas: {unknown}"
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


# Reusable expectations ------------------------------------------------------------------------
PUBLIC = expect(200)
EVERY_USER = expect(200, anonymous=LOGIN)
COORDINATOR_ONLY = expect(403, anonymous=LOGIN, coordinator=200)
API_EVERY_USER = expect(200, anonymous=403)
# The world's three agreements (and their commitments): see conftest.py.
OWN = expect(200, anonymous=LOGIN, other_liaison=404)
FOREIGN = expect(404, anonymous=LOGIN, other_liaison=200, coordinator=200, viewer=200)
SHARED = expect(200, anonymous=LOGIN, validator=404)
# Actions on the own commitment (Querétaro, validated by DPM).
REPORTERS = expect(403, anonymous=LOGIN, liaison=200, head=200, other_liaison=404)
VALIDATORS = expect(403, anonymous=LOGIN, validator=200, coordinator=200)
READ_ALL = expect(403, anonymous=LOGIN, coordinator=200, viewer=200)


def api(expected: Expected) -> Expected:
    """The same scope rules through the API, where anonymous requests answer 403."""
    return {p: 403 if p == "anonymous" else s for p, s in expected.items()}


@dataclass(frozen=True)
class Route:
    """One row: a named route, how to build its URL for the world, what each persona gets."""

    name: str
    url: Callable[[World], str]
    expected: Expected
    label: str = ""
    method: str = "get"
    fixtures: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.name}[{self.label}]" if self.label else self.name


def url_to(name: str, *args: object) -> Callable[[World], str]:
    return lambda world: reverse(name, args=args)


def obj_url(name: str, attribute: str, field: str = "pk") -> Callable[[World], str]:
    return lambda world: reverse(name, args=[getattr(getattr(world, attribute), field)])
