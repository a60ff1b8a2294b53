"""The fast write path of the imports writes exactly what the ORM would (both databases)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from acuerdos.audit import services as audit
from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.imports import agreements_import
from acuerdos.commitments.imports.bulk import EventWriter
from acuerdos.commitments.models import Agreement, Commitment

from .helpers import HEADERS, xlsx_file

pytestmark = pytest.mark.django_db

TRICKY = "Línea 1\nLínea 2\t\\N «comillas» 'simples' \"dobles\" ; , \\ fin"


def test_it_writes_text_dates_and_decimals_as_the_orm_would(meeting, world):
    file = xlsx_file(
        [
            HEADERS,
            [
                "RR8-CEN-2026-0001",
                TRICKY,
                "AM",
                "Querétaro",
                dt.datetime(2026, 9, 30),
                80,
                45.5,
                "Cobertura",
                "%",
            ],
        ]
    )
    plan = agreements_import(file=file, meeting=meeting, actor=world.users["coordinator"])
    assert plan.applied, plan.errors
    agreement = Agreement.objects.get(folio="RR8-CEN-2026-0001")
    assert agreement.text == TRICKY.strip()
    commitment = Commitment.objects.get(agreement=agreement)
    assert (commitment.baseline, commitment.target_value) == (Decimal("45.5"), Decimal("80"))
    assert commitment.due_date == commitment.current_due_date == dt.date(2026, 9, 30)
    assert commitment.version == 1
    assert commitment.created_at is not None
    event = AuditEvent.objects.get(action="commitment.imported", commitment_id=commitment.pk)
    built = audit.build(
        actor=world.users["coordinator"],
        action="commitment.imported",
        target=commitment,
        changes={
            "responsible_unit": [None, "OOAD-QRO"],
            "start_date": [None, commitment.start_date],
            "due_date": [None, commitment.due_date],
            "target_kind": [None, "indicator"],
            "baseline": [None, Decimal("45.5000")],
            "target_value": [None, Decimal("80.0000")],
        },
        source="import",
    )
    assert event.changes == built.changes
    assert (event.actor, event.actor_label, event.source) == (
        built.actor,
        built.actor_label,
        built.source,
    )
    assert (event.target_type, event.target_id, event.target_label) == (
        "commitments.commitment",
        str(commitment.pk),
        str(commitment),
    )
    assert event.occurred_at is not None


def test_it_writes_events_as_audit_build_would(world):
    writer = EventWriter(actor=None, source="import")
    values = {
        "day": dt.date(2026, 6, 30),
        "moment": dt.datetime(2026, 6, 30, 14, 5, 7, 123456, tzinfo=dt.UTC),
        "figure": Decimal("20.00"),
        "items": ("a", 1, None),
        "unit": world.own_commitment.responsible_unit,
    }
    with transaction.atomic():
        writer.write(
            [
                writer.event(
                    action="agreement.imported",
                    target=Agreement,
                    target_id=world.own.pk,
                    label="x",
                    changes={"text": [None, values["figure"]]},
                    context=values,
                )
            ]
        )
    event = AuditEvent.objects.filter(action="agreement.imported").latest("id")
    built = audit.build(
        actor=None,
        action="agreement.imported",
        target=world.own,
        changes={"text": [None, values["figure"]]},
        context=values,
    )
    assert (event.changes, event.context) == (built.changes, built.context)
    assert event.actor_label == built.actor_label == "sistema"
