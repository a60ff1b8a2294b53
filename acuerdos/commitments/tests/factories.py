"""Factories for meetings, agreements and commitments on the real reference catalog."""

from __future__ import annotations

import datetime as dt

import factory

from acuerdos.commitments.models import Agreement, Commitment
from acuerdos.meetings.models import Meeting, MeetingKind
from acuerdos.organization.models import Region, Theme, Unit


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n}-CEN")
    name = factory.Sequence(lambda n: f"Reunión de prueba {n}")
    kind = MeetingKind.REGIONAL
    region = factory.LazyFunction(lambda: Region.objects.get(short_name="Centro"))
    venue = "Querétaro, Qro."
    start_date = dt.date(2026, 4, 27)
    end_date = dt.date(2026, 4, 30)


class AgreementFactory(factory.django.DjangoModelFactory[Agreement]):
    class Meta:
        model = Agreement

    meeting = factory.SubFactory(MeetingFactory)
    folio = factory.Sequence(lambda n: f"TST-2026-{n:05d}")
    text = factory.Sequence(lambda n: f"Fortalecer la atención en la unidad número {n}.")
    deliverable = "Informe trimestral de avance"
    theme = factory.LazyFunction(lambda: Theme.objects.get(code="AM"))
    validating_area = factory.LazyAttribute(lambda o: o.theme.lead_area)


class CommitmentFactory(factory.django.DjangoModelFactory[Commitment]):
    class Meta:
        model = Commitment

    agreement = factory.SubFactory(AgreementFactory)
    responsible_unit = factory.LazyFunction(lambda: Unit.objects.get(code="OOAD-QRO"))
    start_date = factory.LazyAttribute(lambda o: o.agreement.meeting.end_date)
    due_date = dt.date(2026, 9, 30)
