"""Rows of the persona × route matrix for the commitments app (see `core/tests/matrix.py`)."""

from __future__ import annotations

from django.urls import reverse

from acuerdos.core.tests.matrix import (
    COORDINATOR_ONLY,
    EVERY_USER,
    LOGIN,
    Route,
    expect,
    obj_url,
    url_to,
)
from conftest import World

# Visible to the persona but not theirs to change: 403; outside their scope: 404.
OWN_WRITE = expect(403, anonymous=LOGIN, other_liaison=404, coordinator=200)
FOREIGN_WRITE = expect(404, anonymous=LOGIN, other_liaison=403, coordinator=200, viewer=403)
SHARED_WRITE = expect(403, anonymous=LOGIN, validator=404, coordinator=200)


def _with_meeting(world: World) -> str:
    return f"{reverse('commitments:agreement_create')}?reunion={world.meeting.pk}"


def _folio_check(world: World) -> str:
    return f"{reverse('commitments:agreement_folio_check')}?folio=TST-CEN-2026-0001"


def _theme_area(world: World) -> str:
    return f"{reverse('commitments:agreement_theme_area')}?theme={world.own.theme_id}"


ROUTES: list[Route] = [
    # Compromisos: every persona sees the list of their scope; only the coordination changes
    # commitments in bulk (a POST without a selection goes back to the list with a message).
    Route("commitments:commitment_list", url_to("commitments:commitment_list"), EVERY_USER),
    Route(
        "commitments:bulk_prepare",
        url_to("commitments:bulk_prepare"),
        expect(403, anonymous=LOGIN, coordinator=302),
        method="post",
        label="POST without a selection",
    ),
    Route(
        "commitments:bulk_apply",
        url_to("commitments:bulk_apply"),
        expect(403, anonymous=LOGIN, coordinator=302),
        method="post",
        label="POST without a selection",
    ),
    # Nuevo acuerdo, Editar acuerdo, Agregar / Editar compromiso: the coordination only;
    # visible-but-forbidden is 403, outside the scope 404.
    Route("commitments:agreement_create", url_to("commitments:agreement_create"), COORDINATOR_ONLY),
    Route("commitments:agreement_create", _with_meeting, COORDINATOR_ONLY, label="meeting chosen"),
    Route(
        "commitments:agreement_create",
        _with_meeting,
        expect(403, anonymous=LOGIN, coordinator=400),  # 400: the empty form, in Spanish
        method="post",
    ),
    Route("commitments:agreement_folio_check", _folio_check, COORDINATOR_ONLY),
    Route("commitments:agreement_theme_area", _theme_area, COORDINATOR_ONLY),
    Route("commitments:agreement_edit", obj_url("commitments:agreement_edit", "own"), OWN_WRITE),
    Route(
        "commitments:agreement_edit",
        obj_url("commitments:agreement_edit", "foreign"),
        FOREIGN_WRITE,
        label="foreign",
    ),
    Route(
        "commitments:agreement_edit",
        obj_url("commitments:agreement_edit", "own"),
        expect(403, anonymous=LOGIN, other_liaison=404, coordinator=400),
        method="post",
    ),
    Route("commitments:commitment_add", obj_url("commitments:commitment_add", "own"), OWN_WRITE),
    Route(
        "commitments:commitment_add",
        obj_url("commitments:commitment_add", "shared"),
        SHARED_WRITE,
        label="shared",
    ),
    Route(
        "commitments:commitment_add",
        obj_url("commitments:commitment_add", "own"),
        expect(403, anonymous=LOGIN, other_liaison=404, coordinator=400),
        method="post",
    ),
    Route(
        "commitments:commitment_edit",
        obj_url("commitments:commitment_edit", "own_commitment"),
        OWN_WRITE,
    ),
    Route(
        "commitments:commitment_edit",
        obj_url("commitments:commitment_edit", "foreign_commitment"),
        FOREIGN_WRITE,
        label="foreign",
    ),
    Route(
        "commitments:commitment_edit",
        obj_url("commitments:commitment_edit", "shared_commitment"),
        SHARED_WRITE,
        label="shared",
    ),
    Route(
        "commitments:commitment_edit",
        obj_url("commitments:commitment_edit", "own_commitment"),
        expect(403, anonymous=LOGIN, other_liaison=404, coordinator=400),
        method="post",
    ),
]
