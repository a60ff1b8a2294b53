"""Writes of the demo data: the 8th round of Reuniones Regionales, its agreements and users.

`demo_seed()` loads the catalog, creates the IMSS–SNTSS working groups, the round and its four
meetings (through `meeting_save`), then persists the plan of `plan.py` meeting by meeting with
bulk inserts and one audit event per agreement and per commitment (`source="seed"`), and finally
the demo users of `logins.py` (through `user_create`). Everything runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction

from acuerdos.audit import services as audit
from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import Agreement, Commitment, Milestone
from acuerdos.core.dates import long_date
from acuerdos.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from acuerdos.demo.plan import (
    MEETINGS,
    ROUND_NAME,
    AgreementPlan,
    CatalogSnapshot,
    CommitmentPlan,
    MeetingPlan,
    ThemeInfo,
    UnitInfo,
    WorkingGroupPlan,
    demo_plans,
)
from acuerdos.meetings.models import Meeting, MeetingKind
from acuerdos.meetings.services import meeting_save
from acuerdos.organization.models import Region, Theme, Unit, UnitKind, User
from acuerdos.organization.services import catalog_load, user_create

BATCH_SIZE = 2000
# Agreements persisted per round trip of the writer: bounds memory at --scale 100.
CHUNK_SIZE = 2000
SOURCE = "seed"
WORKING_GROUP_SOURCE = (
    "Boletín IMSS 235/2026: instalación de grupos locales de trabajo IMSS–SNTSS en la "
    "8ª Reunión Regional Centro (unidad de demostración)"
)

_T = TypeVar("_T")


class DemoSeedError(Exception):
    """The demo data cannot be loaded here (the message is Spanish and meant for the user)."""


@dataclass(frozen=True)
class MeetingResult:
    """What was written for one meeting."""

    code: str
    name: str
    agreements: int
    commitments: int


@dataclass
class SeedResult:
    """What `demo_seed` did. `skipped` when --if-empty found agreements already."""

    scale: int
    seed: int
    as_of: dt.date
    skipped: bool = False
    meetings: list[MeetingResult] = field(default_factory=list)
    working_groups_created: int = 0
    users_created: int = 0
    seconds: float = 0.0

    @property
    def agreements(self) -> int:
        return sum(m.agreements for m in self.meetings)

    @property
    def commitments(self) -> int:
        return sum(m.commitments for m in self.meetings)


def earliest_as_of() -> dt.date:
    """The first date on which every commitment of the round has started (the last meeting's
    closing day): progress cannot be reported before it."""
    return max(spec.end_date for spec in MEETINGS)


@transaction.atomic
def demo_seed(
    *,
    scale: int = 1,
    seed: int = 1,
    as_of: dt.date,
    if_empty: bool = False,
    log: Callable[[str], Any] | None = None,
) -> SeedResult:
    """Load the demo data of the 8th round into a database without agreements.

    With `if_empty`, a database that already has agreements is left untouched (`skipped`);
    without it, such a database is refused with a `DemoSeedError`: folios would collide and the
    figures of the bulletins would no longer hold. `as_of` is the date up to which the demo
    history runs; it cannot precede the closing of the last meeting.
    """
    started = time.monotonic()
    result = SeedResult(scale=scale, seed=seed, as_of=as_of)
    if scale < 1:
        raise DemoSeedError("La escala debe ser un entero mayor o igual que 1.")
    if as_of < earliest_as_of():
        raise DemoSeedError(
            f"La fecha --as-of ({long_date(as_of)}) es anterior al cierre de la última reunión "
            f"de la ronda ({long_date(earliest_as_of())}); use una fecha igual o posterior."
        )
    if Agreement.objects.exists():
        if if_empty:
            result.skipped = True
            return result
        raise DemoSeedError(
            "La base de datos ya tiene acuerdos: los datos de demostración solo se cargan en una "
            "base de datos nueva. Use una base de datos nueva (por ejemplo, borre db.sqlite3 y "
            "ejecute «manage.py migrate») o agregue --if-empty para no hacer nada."
        )
    catalog_load()
    catalog = catalog_snapshot()
    themes = Theme.objects.in_bulk(field_name="code")
    for plan in demo_plans(catalog, scale=scale, seed=seed):
        result.working_groups_created += working_groups_ensure(plan.working_groups)
        units = Unit.objects.in_bulk(field_name="code")
        meeting = meeting_ensure(plan, units)
        counts = meeting_write(plan, meeting, units=units, themes=themes)
        result.meetings.append(counts)
        if log is not None:
            log(
                f"{counts.code}: {counts.agreements:,} acuerdos, "
                f"{counts.commitments:,} compromisos ({time.monotonic() - started:.1f} s)"
            )
    result.users_created = demo_users_ensure()
    result.seconds = time.monotonic() - started
    return result


def catalog_snapshot() -> CatalogSnapshot:
    """The active units and themes of the catalog, ordered by code, as plain data."""
    units = tuple(
        UnitInfo(
            code=unit.code,
            kind=unit.kind,
            short_name=unit.short_name,
            city=unit.city,
            region=unit.region.short_name if unit.region is not None else "",
            parent_code=unit.parent.code if unit.parent is not None else "",
        )
        for unit in Unit.objects.filter(is_active=True)
        .select_related("region", "parent")
        .order_by("code")
    )
    themes = tuple(
        ThemeInfo(code=t.code, name=t.name, lead_area=t.lead_area.code, order=t.order)
        for t in Theme.objects.filter(is_active=True).select_related("lead_area").order_by("code")
    )
    return CatalogSnapshot(units=units, themes=themes)


def working_groups_ensure(plans: Sequence[WorkingGroupPlan]) -> int:
    """Create the local IMSS–SNTSS working groups that do not exist yet (audited); returns how
    many were created."""
    created = 0
    for plan in plans:
        if Unit.objects.filter(code=plan.code).exists():
            continue
        unit = Unit(
            code=plan.code,
            name=plan.name,
            short_name=plan.short_name,
            kind=UnitKind.WORKING_GROUP,
            region=Region.objects.get(short_name=plan.region),
            parent=Unit.objects.get(code=plan.parent_code),
            city=plan.city,
            source=WORKING_GROUP_SOURCE,
        )
        unit.full_clean()
        unit.save()
        audit.record(
            actor=None,
            action="unit.created",
            target=unit,
            changes={
                "code": [None, unit.code],
                "name": [None, unit.name],
                "kind": [None, unit.kind],
                "parent": [None, plan.parent_code],
            },
            source=SOURCE,
        )
        created += 1
    return created


def meeting_ensure(plan: MeetingPlan, units: dict[str, Unit]) -> Meeting:
    """The meeting of the plan, created or brought up to date through `meeting_save`."""
    spec = plan.spec
    meeting, _ = meeting_save(
        code=spec.code,
        name=spec.name,
        region=Region.objects.get(short_name=spec.region),
        kind=MeetingKind.REGIONAL,
        start_date=spec.start_date,
        end_date=spec.end_date,
        venue=spec.venue,
        round_name=ROUND_NAME,
        participants=[units[code] for code in plan.participant_codes],
        is_demo=spec.is_demo,
        source=SOURCE,
    )
    return meeting


def meeting_write(
    plan: MeetingPlan,
    meeting: Meeting,
    *,
    units: dict[str, Unit],
    themes: dict[str, Theme],
) -> MeetingResult:
    """Persist the agreements of a meeting plan with bulk inserts, chunk by chunk, and record
    one `agreement.created` and one `commitment.created` event per row, as `agreement_create`
    does for a single agreement. Must run inside the caller's transaction."""
    through: Any = Commitment.co_responsible_units.through
    commitment_total = 0
    for chunk in _chunks(plan.agreements, CHUNK_SIZE):
        agreements = [_agreement(meeting, ap, units=units, themes=themes) for ap in chunk]
        Agreement.objects.bulk_create(agreements, batch_size=BATCH_SIZE)
        pairs = [
            (cp, _commitment(agreement, cp, units))
            for agreement, ap in zip(agreements, chunk, strict=True)
            for cp in ap.commitments
        ]
        commitments = [c for _, c in pairs]
        Commitment.objects.bulk_create(commitments, batch_size=BATCH_SIZE)
        through.objects.bulk_create(
            [
                through(commitment_id=c.pk, unit_id=units[code].pk)
                for cp, c in pairs
                for code in cp.co_responsible
            ],
            batch_size=BATCH_SIZE,
        )
        Milestone.objects.bulk_create(
            [
                Milestone(
                    commitment=c,
                    name=m.name,
                    due_date=m.due_date,
                    weight=m.weight,
                    order=order,
                )
                for cp, c in pairs
                for order, m in enumerate(cp.milestones, start=1)
            ],
            batch_size=BATCH_SIZE,
        )
        audit.record_many(_events(agreements, pairs), batch_size=BATCH_SIZE)
        commitment_total += len(commitments)
    return MeetingResult(
        code=meeting.code,
        name=meeting.name,
        agreements=len(plan.agreements),
        commitments=commitment_total,
    )


def demo_users_ensure() -> int:
    """Create the demo users of `DEMO_LOGINS` that do not exist yet, through `user_create`
    (audited, `source="seed"`); returns how many were created."""
    created = 0
    for login in DEMO_LOGINS:
        if User.objects.filter(email__iexact=login.email).exists():
            continue
        user_create(
            email=login.email,
            full_name=login.full_name,
            password=DEMO_PASSWORD,
            memberships=[(Unit.objects.get(code=login.unit_code), login.role)],
            source=SOURCE,
        )
        created += 1
    return created


def _agreement(
    meeting: Meeting, plan: AgreementPlan, *, units: dict[str, Unit], themes: dict[str, Theme]
) -> Agreement:
    return Agreement(
        meeting=meeting,
        folio=plan.folio,
        text=plan.text,
        deliverable=plan.deliverable,
        theme=themes[plan.theme_code],
        validating_area=units[plan.validating_area_code],
        priority=plan.priority,
    )


def _commitment(agreement: Agreement, plan: CommitmentPlan, units: dict[str, Unit]) -> Commitment:
    return Commitment(
        agreement=agreement,
        responsible_unit=units[plan.unit_code],
        start_date=plan.start_date,
        due_date=plan.due_date,
        weight=plan.weight,
        target_kind=plan.target_kind,
        indicator_name=plan.indicator_name,
        unit_of_measure=plan.unit_of_measure,
        baseline=plan.baseline,
        target_value=plan.target_value,
    )


def _events(
    agreements: Sequence[Agreement], pairs: Sequence[tuple[CommitmentPlan, Commitment]]
) -> Iterator[AuditEvent]:
    for agreement in agreements:
        yield audit.build(
            actor=None,
            action="agreement.created",
            target=agreement,
            changes={
                "folio": [None, agreement.folio],
                "text": [None, agreement.text],
                "theme": [None, agreement.theme.code],
                "validating_area": [None, agreement.validating_area.code],
            },
            source=SOURCE,
        )
    for plan, commitment in pairs:
        changes: dict[str, Any] = {
            "responsible_unit": [None, plan.unit_code],
            "due_date": [None, commitment.due_date],
            "target_kind": [None, commitment.target_kind],
        }
        if plan.co_responsible:
            changes["co_responsible_units"] = [None, list(plan.co_responsible)]
        yield audit.build(
            actor=None,
            action="commitment.created",
            target=commitment,
            commitment_id=commitment.pk,
            changes=changes,
            source=SOURCE,
        )


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
