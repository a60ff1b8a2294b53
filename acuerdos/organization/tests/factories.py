"""Factories for the organisation: users and memberships on the real reference catalog."""

from __future__ import annotations

import factory

from acuerdos.organization.models import Membership, Role, Unit, User


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"persona{n}@imss.gob.mx")
    full_name = factory.Sequence(lambda n: f"Persona de Prueba {n}")
    password = factory.django.Password("contrasena-segura-123")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.LazyFunction(lambda: Unit.objects.get(code="OOAD-QRO"))
    role = Role.LIAISON
