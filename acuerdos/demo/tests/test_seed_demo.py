"""seed_demo: the 8th round of the bulletins, realistic and deterministic demo data.

The demo data is seeded once for the whole package (`seeded`, see conftest.py); the tests of its
progress history are in test_seed_history.py.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import (
    Agreement,
    Commitment,
    Milestone,
    TargetKind,
)
from acuerdos.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, logins_table
from acuerdos.demo.plan import MEETINGS, demo_plans, meeting_plan
from acuerdos.demo.services import catalog_snapshot
from acuerdos.demo.tests.seeding import planned_fingerprint
from acuerdos.demo.texts import THEMES
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Membership, Role, Theme, Unit, UnitKind, User

pytestmark = pytest.mark.django_db


def _meeting(code: str) -> Meeting:
    return Meeting.objects.get(code=code)


def test_it_reproduces_the_figures_of_the_bulletins(seeded):
    occidente, centro = _meeting("RR8-OCC"), _meeting("RR8-CEN")
    assert occidente.agreements.count() == 467
    assert Commitment.objects.filter(agreement__meeting=centro).count() == 816
    assert (occidente.venue, occidente.start_date, occidente.end_date) == (
        "Morelia, Michoacán",
        dt.date(2026, 4, 14),
        dt.date(2026, 4, 15),
    )
    assert (centro.start_date, centro.end_date) == (dt.date(2026, 4, 27), dt.date(2026, 4, 30))
    assert not occidente.is_demo and not centro.is_demo
    assert _meeting("RR8-NTE").is_demo and _meeting("RR8-SE").is_demo
    assert {m.round.name for m in Meeting.objects.all() if m.round} == {
        "8ª Ronda de Reuniones Regionales 2026"
    }


def test_it_seeds_about_three_thousand_commitments(seeded):
    per_meeting = dict(
        Commitment.objects.values_list("agreement__meeting__code").annotate(n=Count("id"))
    )
    assert set(per_meeting) == {"RR8-NTE", "RR8-OCC", "RR8-SE", "RR8-CEN"}
    assert 400 <= per_meeting["RR8-NTE"] <= 500
    assert 400 <= per_meeting["RR8-SE"] <= 500
    assert 2_700 <= sum(per_meeting.values()) <= 3_300


def test_it_invites_every_ooad_and_umae_of_the_region(seeded):
    def kinds(code: str) -> Counter[str]:
        return Counter(_meeting(code).participants.values_list("kind", flat=True))

    assert kinds("RR8-OCC") == {UnitKind.OOAD: 8, UnitKind.UMAE: 4}
    assert kinds("RR8-CEN") == {UnitKind.OOAD: 11, UnitKind.UMAE: 14, UnitKind.WORKING_GROUP: 11}
    for meeting in Meeting.objects.all():
        regions = set(meeting.participants.values_list("region_id", flat=True))
        assert regions == {meeting.region_id}


def test_it_installs_the_imss_sntss_working_groups_at_centro(seeded):
    groups = Unit.objects.filter(kind=UnitKind.WORKING_GROUP).select_related("parent", "region")
    assert len(groups) == 11
    qro = groups.get(code="GT-SNTSS-QRO")
    assert qro.parent.code == "OOAD-QRO" and qro.region.short_name == "Centro"
    assert all(g.parent.kind == UnitKind.OOAD for g in groups)
    assert not Commitment.objects.filter(responsible_unit__kind=UnitKind.WORKING_GROUP).exists()
    assert AuditEvent.objects.filter(action="unit.created", source="seed").count() == 11


def test_it_binds_only_units_of_the_meeting(seeded):
    outside = Commitment.objects.exclude(responsible_unit__region=F("agreement__meeting__region"))
    assert not outside.exists()
    assert set(Commitment.objects.values_list("responsible_unit__kind", flat=True)) == {
        UnitKind.OOAD,
        UnitKind.UMAE,
    }


def test_it_covers_every_theme_in_every_meeting(seeded):
    themes = set(Theme.objects.values_list("code", flat=True))
    assert themes == set(THEMES)
    for meeting in Meeting.objects.all():
        assert set(meeting.agreements.values_list("theme__code", flat=True)) == themes


def test_it_mixes_the_three_target_kinds(seeded):
    counts = Counter(Commitment.objects.values_list("target_kind", flat=True))
    total = sum(counts.values())
    for kind in TargetKind.values:
        assert counts[kind] >= total * 0.10, (kind, counts)


def test_it_never_repeats_a_text_within_a_meeting(seeded):
    repeated = Agreement.objects.values("meeting", "text").annotate(n=Count("id")).filter(n__gt=1)
    assert not repeated.exists()
    assert not Agreement.objects.filter(text__icontains="lorem").exists()
    assert all(
        t.endswith(".") and t[0].isupper() for t in Agreement.objects.values_list("text", flat=True)
    )


def test_it_gives_indicators_a_baseline_and_a_different_target(seeded):
    indicators = Commitment.objects.filter(target_kind=TargetKind.INDICATOR)
    assert indicators.exists()
    lower = 0
    for c in indicators:
        assert c.indicator_name and c.unit_of_measure
        assert isinstance(c.baseline, Decimal) and isinstance(c.target_value, Decimal)
        assert c.target_value != c.baseline
        if c.unit_of_measure == "%":
            assert Decimal(0) <= c.target_value <= Decimal(100)
        lower += c.lower_is_better
    assert 0 < lower < indicators.count()
    assert not Commitment.objects.exclude(target_kind=TargetKind.INDICATOR).filter(
        baseline__isnull=False
    )


def test_it_dates_milestones_between_start_and_due(seeded):
    with_milestones = Commitment.objects.filter(target_kind=TargetKind.MILESTONES).prefetch_related(
        "milestones"
    )
    assert with_milestones.exists()
    for c in with_milestones:
        milestones = list(c.milestones.all())
        assert 2 <= len(milestones) <= 5
        dates = [m.due_date for m in milestones]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
        assert c.start_date <= dates[0] and dates[-1] <= c.due_date
        assert all(m.weight > 0 for m in milestones)
        assert len({m.name for m in milestones}) == len(milestones)
    assert not Milestone.objects.exclude(commitment__target_kind=TargetKind.MILESTONES).exists()


def test_it_starts_commitments_on_the_last_day_of_the_meeting(seeded):
    for c in Commitment.objects.select_related("agreement__meeting").iterator():
        assert c.start_date == c.agreement.meeting.end_date
        assert c.start_date < c.due_date
        assert dt.date(2026, 6, 1) <= c.due_date <= dt.date(2027, 3, 31)
    weights = Counter(Commitment.objects.values_list("weight", flat=True))
    assert weights[Decimal("1")] > sum(weights.values()) / 2
    assert set(weights) == {Decimal("1"), Decimal("2"), Decimal("3")}


def test_it_mixes_single_and_multi_unit_agreements(seeded):
    sizes = Counter(Agreement.objects.annotate(n=Count("commitments")).values_list("n", flat=True))
    assert sizes[1] > 0
    assert sum(v for k, v in sizes.items() if 2 <= k <= 4) > 0
    assert max(sizes) >= 8  # all the OOAD (or all units) of a region


def test_it_names_co_responsible_units_of_the_same_region(seeded):
    through = Commitment.co_responsible_units.through
    links = through.objects.select_related("unit", "commitment__responsible_unit")
    assert links.count() > 100
    for link in links:
        assert link.unit_id != link.commitment.responsible_unit_id
        assert link.unit.region_id == link.commitment.responsible_unit.region_id
        assert link.unit.kind in (UnitKind.OOAD, UnitKind.UMAE)


def test_it_validates_with_the_lead_area_or_a_coordination_below_it(seeded):
    catalog = catalog_snapshot()
    pairs = Agreement.objects.values_list("theme__lead_area__code", "validating_area__code")
    for lead, area in pairs:
        assert catalog.is_within(area, lead), (lead, area)
    areas = Counter(area for _, area in pairs)
    leads = {lead for lead, _ in pairs}
    assert sum(areas[code] for code in leads) > len(pairs) / 2
    for coordination in ("DPM-CUMAE", "DA-CCA", "DA-CII", "DPES-UACI"):
        assert areas[coordination] > 0, coordination


def test_it_mixes_priorities(seeded):
    assert set(Agreement.objects.values_list("priority", flat=True)) == {"alta", "media", "baja"}


def test_it_numbers_folios_in_each_meeting_series(seeded):
    folios = list(Agreement.objects.values_list("meeting__code", "folio"))
    assert len({f for _, f in folios}) == len(folios)
    for code in ("RR8-NTE", "RR8-OCC", "RR8-SE", "RR8-CEN"):
        numbers = sorted(
            int(re.fullmatch(rf"{code}-2026-(\d{{4}})", folio).group(1))
            for meeting, folio in folios
            if meeting == code
        )
        assert numbers == list(range(1, len(numbers) + 1))


def test_it_audits_every_agreement_and_commitment(seeded):
    events = Counter(AuditEvent.objects.filter(source="seed").values_list("action", flat=True))
    assert events["agreement.created"] == Agreement.objects.count()
    assert events["commitment.created"] == Commitment.objects.count()
    assert events["meeting.created"] == 4
    event = AuditEvent.objects.filter(action="commitment.created").first()
    assert event is not None and event.commitment_id is not None
    commitment = Commitment.objects.get(pk=event.commitment_id)
    assert event.target_id == str(commitment.pk)
    assert event.changes["responsible_unit"] == [None, commitment.responsible_unit.code]


def test_it_passes_model_validation(seeded):
    rng = random.Random(7)
    agreements = list(Agreement.objects.order_by("folio"))
    for agreement in rng.sample(agreements, 60):
        agreement.full_clean()
        for commitment in agreement.commitments.all():
            commitment.full_clean()
            for milestone in commitment.milestones.all():
                milestone.full_clean()


def test_it_creates_demo_users_for_every_role(seeded):
    assert {login.role for login in DEMO_LOGINS} == set(Role.values)
    for login in DEMO_LOGINS:
        user = User.objects.get(email=login.email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.full_name == login.full_name
        assert Membership.objects.filter(user=user, unit__code=login.unit_code, role=login.role)
    assert len(DEMO_PASSWORD) >= 10
    assert all(login.email.endswith("@demo.imss.gob.mx") for login in DEMO_LOGINS)
    roles = {(login.unit_code, login.role) for login in DEMO_LOGINS}
    for needed in [
        ("DOE", Role.COORDINATOR),
        ("OIC", Role.VIEWER),
        ("DPM-CUMAE", Role.VALIDATOR),
        ("OOAD-QRO", Role.HEAD),
        ("OOAD-QRO", Role.LIAISON),
        ("OOAD-JAL", Role.HEAD),
        ("OOAD-JAL", Role.LIAISON),
        *[(area, Role.VALIDATOR) for area in ("DPM", "DA", "DPES", "DIDT", "DF")],
    ]:
        assert needed in roles
    generic = User.objects.filter(email__startswith="enlace.ooad-").count()
    generic += User.objects.filter(email__startswith="enlace.umae-").count()
    assert (
        AuditEvent.objects.filter(action="user.created", source="seed").count()
        == len(DEMO_LOGINS) + generic
    )


def test_it_prints_the_demo_logins(seeded):
    assert "coordinacion@demo.imss.gob.mx" in seeded.output
    assert DEMO_PASSWORD in seeded.output
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert out.getvalue().strip() == logins_table().strip()
    for login in DEMO_LOGINS:
        assert login.email in out.getvalue()


def test_it_does_nothing_on_a_database_with_agreements_if_empty_is_given(seeded):
    before = (Agreement.objects.count(), AuditEvent.objects.count())
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "Ya existen acuerdos" in out.getvalue()
    assert (Agreement.objects.count(), AuditEvent.objects.count()) == before


def test_it_refuses_a_database_with_agreements(seeded):
    with pytest.raises(CommandError, match="base de datos nueva"):
        call_command("seed_demo", stdout=StringIO())


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--as-of", "2026-04-29"], "anterior al cierre"),
        (["--as-of", "30/06/2026"], "AAAA-MM-DD"),
        (["--scale", "0"], "escala"),
    ],
)
def test_it_refuses_bad_arguments(seeded, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", *arguments, "--if-empty", stdout=StringIO())


def test_it_defaults_as_of_to_today_but_never_before_the_round_closed(seeded):
    with time_machine.travel(dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC), tick=False):
        out = StringIO()
        call_command("seed_demo", "--if-empty", stdout=out)
    assert "Ya existen acuerdos" in out.getvalue()


def test_it_plans_the_same_round_for_the_same_seed(seeded):
    catalog = catalog_snapshot()
    first = list(demo_plans(catalog, scale=1, seed=1))
    assert first == list(demo_plans(catalog, scale=1, seed=1))
    assert first != list(demo_plans(catalog, scale=1, seed=2))


def test_it_writes_exactly_what_it_plans(seeded):
    """Planning is deterministic (above, and test_history.py); the database holds the plan —
    agreements, commitments, milestones and the whole history — and nothing else, so the same
    seed and as-of date give the same data again."""
    planned = planned_fingerprint()
    assert len(planned) == len(seeded.fingerprint)
    for table, (written, expected) in enumerate(zip(seeded.fingerprint, planned, strict=True)):
        assert len(written) == len(expected), table
        assert written == expected, table


def test_it_multiplies_the_round_with_the_scale(seeded):
    catalog = catalog_snapshot()
    occidente, centro = (s for s in MEETINGS if s.code in ("RR8-OCC", "RR8-CEN"))
    rng = random.Random(1)
    assert len(meeting_plan(catalog, occidente, scale=3, rng=rng).agreements) == 3 * 467
    assert meeting_plan(catalog, centro, scale=3, rng=rng).commitment_count == 3 * 816
    wide = meeting_plan(catalog, occidente, scale=22, rng=rng)
    assert len(wide.agreements) == 10_274
    assert wide.agreements[0].folio == "RR8-OCC-2026-00001"
    assert wide.agreements[-1].folio == "RR8-OCC-2026-10274"
    assert len({a.text for a in wide.agreements}) == len(wide.agreements)
