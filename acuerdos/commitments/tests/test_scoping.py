"""visible_to(user): who sees which agreements and commitments (PRODUCT.md §1)."""

from __future__ import annotations

import pytest

from acuerdos.commitments.models import Agreement, Commitment

pytestmark = pytest.mark.django_db

EXPECTED_AGREEMENTS = {
    "liaison": {"own", "shared"},
    "head": {"own", "shared"},
    "other_liaison": {"foreign", "shared"},
    "validator": {"own"},
    "coordinator": {"own", "foreign", "shared"},
    "viewer": {"own", "foreign", "shared"},
}


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_AGREEMENTS.items())
def test_it_scopes_agreements(world, persona, expected):
    visible = set(Agreement.objects.visible_to(world.users[persona]))
    assert visible == {getattr(world, name) for name in expected}


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_AGREEMENTS.items())
def test_it_scopes_commitments(world, persona, expected):
    visible = set(Commitment.objects.visible_to(world.users[persona]))
    assert visible == {getattr(world, f"{name}_commitment") for name in expected}


def test_it_shows_nothing_to_anonymous(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Agreement.objects.visible_to(AnonymousUser()).exists()
    assert not Commitment.objects.visible_to(AnonymousUser()).exists()


def test_it_lets_only_the_responsible_unit_report(world):
    reportable = set(Commitment.objects.reportable_by(world.users["liaison"]))
    assert reportable == {world.own_commitment}


def test_it_shows_a_coordination_validator_only_its_subtree(world):
    from acuerdos.organization.models import Role, Unit
    from acuerdos.organization.tests.factories import MembershipFactory, UserFactory

    cumae = UserFactory(email="cumae@imss.gob.mx")
    MembershipFactory(user=cumae, unit=Unit.objects.get(code="DPM-CUMAE"), role=Role.VALIDATOR)
    world.own.validating_area = Unit.objects.get(code="DPM-CUMAE")
    world.own.save()
    assert set(Agreement.objects.visible_to(cumae)) == {world.own}
    assert set(Agreement.objects.visible_to(world.users["validator"])) == {world.own}
