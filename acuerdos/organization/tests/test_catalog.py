"""load_catalog: the reference catalog, aliases and themes, loaded idempotently."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from acuerdos.audit.models import AuditEvent
from acuerdos.organization.models import Region, Theme, Unit, UnitAlias, UnitKind

pytestmark = pytest.mark.django_db


def _fingerprint() -> list[tuple[object, ...]]:
    return sorted(
        Unit.objects.values_list(
            "code", "name", "short_name", "kind", "region__short_name", "parent__code", "city"
        )
    )


def test_it_loads_the_whole_catalog():
    call_command("load_catalog", stdout=None)
    assert Region.objects.count() == 4
    assert Unit.objects.filter(kind=UnitKind.OOAD).count() == 35
    assert Unit.objects.filter(kind=UnitKind.UMAE).count() == 25
    assert Unit.objects.get(code="DPM-CUMAE").parent.code == "DPM-UAM"
    assert Unit.objects.get(code="UMAE-HTO-LV").parent.code == "DPM-CUMAE"
    assert Unit.objects.filter(kind=UnitKind.OOAD, region__short_name="Centro").count() == 11
    assert Unit.objects.filter(kind=UnitKind.OOAD, region__short_name="Occidente").count() == 8
    assert Theme.objects.count() == 11
    assert Theme.objects.get(code="ABA").lead_area.code == "DA"
    assert UnitAlias.objects.get(normalized="cd. de mexico nte.").unit.code == "OOAD-CDMXN"


def test_it_changes_nothing_the_second_time(capsys):
    call_command("load_catalog")
    before, events = _fingerprint(), AuditEvent.objects.count()
    capsys.readouterr()
    call_command("load_catalog")
    assert _fingerprint() == before
    assert AuditEvent.objects.count() == events
    assert "no se cambió nada" in capsys.readouterr().out


def test_it_restores_a_corrected_row_and_audits_it():
    call_command("load_catalog")
    unit = Unit.objects.get(code="OOAD-JAL")
    unit.city = "Zapopan"
    unit.save()
    call_command("load_catalog")
    unit.refresh_from_db()
    assert unit.city == "Guadalajara"
    event = AuditEvent.objects.filter(action="unit.updated", target_id=str(unit.pk)).get()
    assert event.changes == {"city": ["Zapopan", "Guadalajara"]}
    assert event.source == "command"
