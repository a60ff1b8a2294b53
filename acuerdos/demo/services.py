"""Writes of the demo data: the 8th round of Reuniones Regionales, its agreements, users and
progress history.

`demo_seed()` loads the catalog, creates the demo users of `logins.py` (through `user_create`)
and one generic enlace per OOAD and UMAE (`history_services.liaisons_ensure`), the IMSS–SNTSS
working groups, the round and its four meetings (through `meeting_save`), then persists the plan
of `plan.py` meeting by meeting, chunk by chunk, with bulk inserts and one audit event per
agreement and per commitment (`source="seed"`); each chunk's progress history up to the as-of
date (`history.py`) is written with it by `history_services.HistoryWriter`. Everything runs in
one transaction; the evidence files written by a seed that fails are removed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, transaction

from acuerdos.audit import services as audit
from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import Agreement, Commitment, Milestone
from acuerdos.core.dates import long_date
from acuerdos.demo.history import HistoryContext, commitment_history
from acuerdos.demo.history_services import (
    ChunkItem,
    EvidenceFiles,
    HistoryCounts,
    HistoryWriter,
    Inbox,
    latest_moment,
    liaisons_ensure,
    people_resolve,
)
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
from acuerdos.evaluation import rules
from acuerdos.meetings.models import Meeting, MeetingKind
from acuerdos.meetings.services import meeting_save
from acuerdos.organization.models import Region, Role, Theme, Unit, UnitKind, User
from acuerdos.organization.services import catalog_load, user_create
from acuerdos.progress.inputs import recompute_fractions, refresh_inputs

BATCH_SIZE = 2000
EVALUATE_UP_TO_SCALE = 10
# Negative: KiB (256 MiB), the SQLite page cache while seeding.
SQLITE_CACHE_KIB = -262_144
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
    if_empty: bool = False
    skipped: bool = False
    meetings: list[MeetingResult] = field(default_factory=list)
    working_groups_created: int = 0
    users_created: int = 0
    liaisons_created: int = 0
    history: HistoryCounts = field(default_factory=HistoryCounts)
    evidence_files: int = 0
    national: rules.GroupFigures | None = None
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


def demo_seed(
    *,
    scale: int = 1,
    seed: int = 1,
    as_of: dt.date,
    if_empty: bool = False,
    evaluate: bool | None = None,
    log: Callable[[str], Any] | None = None,
) -> SeedResult:
    """Load the demo data of the 8th round, with its progress history up to `as_of`, into a
    database without agreements.

    With `if_empty`, a database that already has agreements is left untouched (`skipped`);
    without it, such a database is refused with a `DemoSeedError`: folios would collide and the
    figures of the bulletins would no longer hold. `as_of` is the date up to which the demo
    history runs, as if it were today; it cannot precede the closing of the last meeting. With
    `evaluate` (by default up to scale 10: it keeps one evaluation per commitment in memory), the
    result carries the national figures at `as_of` (PRODUCT.md §3, computed with
    `acuerdos.evaluation.rules` from the plan).
    """
    started = time.monotonic()
    result = SeedResult(scale=scale, seed=seed, as_of=as_of, if_empty=if_empty)
    if scale < 1:
        raise DemoSeedError("La escala debe ser un entero mayor o igual que 1.")
    if as_of < earliest_as_of():
        raise DemoSeedError(
            f"La fecha --as-of ({long_date(as_of)}) es anterior al cierre de la última reunión "
            f"de la ronda ({long_date(earliest_as_of())}); use una fecha igual o posterior."
        )
    if evaluate is None:
        evaluate = scale <= EVALUATE_UP_TO_SCALE
    files = EvidenceFiles()
    try:
        with transaction.atomic(), _large_cache():
            _seed(result, files=files, evaluate=evaluate, log=log)
    except BaseException:
        files.discard_all()
        raise
    result.seconds = time.monotonic() - started
    return result


def _seed(
    result: SeedResult,
    *,
    files: EvidenceFiles,
    evaluate: bool,
    log: Callable[[str], Any] | None,
) -> None:
    started = time.monotonic()
    scale, seed, as_of = result.scale, result.seed, result.as_of
    if Agreement.objects.exists():
        if result.if_empty:
            result.skipped = True
            return
        raise DemoSeedError(
            "La base de datos ya tiene acuerdos: los datos de demostración solo se cargan en una "
            "base de datos nueva. Use una base de datos nueva (por ejemplo, borre db.sqlite3 y "
            "ejecute «manage.py migrate») o agregue --if-empty para no hacer nada."
        )
    catalog_load()
    catalog = catalog_snapshot()
    result.users_created = demo_users_ensure()
    result.liaisons_created = liaisons_ensure(catalog, [spec.region for spec in MEETINGS])
    latest = latest_moment(as_of)
    inbox = Inbox(as_of=as_of, latest=latest)
    writer = HistoryWriter(
        as_of=as_of,
        people=people_resolve(catalog),
        files=files,
        inbox=inbox,
        latest=latest,
        evaluate=evaluate,
    )
    context = history_context(catalog, seed=seed, as_of=as_of)
    themes = Theme.objects.in_bulk(field_name="code")
    for plan in demo_plans(catalog, scale=scale, seed=seed):
        result.working_groups_created += working_groups_ensure(plan.working_groups)
        units = Unit.objects.in_bulk(field_name="code")
        meeting = meeting_ensure(plan, units)
        counts = meeting_write(
            plan, meeting, units=units, themes=themes, context=context, history=writer
        )
        result.meetings.append(counts)
        if log is not None:
            log(
                f"{counts.code}: {counts.agreements:,} acuerdos, "
                f"{counts.commitments:,} compromisos ({time.monotonic() - started:.1f} s)"
            )
    writer.counts.notifications = inbox.write()
    # The evaluation inputs: each report's exact progress, each commitment's today-inputs.
    recompute_fractions()
    refresh_inputs()
    result.history = writer.counts
    result.evidence_files = files.distinct
    if evaluate:
        result.national = rules.aggregate(writer.counts.evaluations)


@contextmanager
def _large_cache() -> Iterator[None]:
    """SQLite keeps 2 MB of pages in memory by default: a seed writes gigabytes in one
    transaction, and index updates then re-read pages from the OS all the time. A bigger cache
    for the duration of the seed (on this connection only) cuts that."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


def history_context(catalog: CatalogSnapshot, *, seed: int, as_of: dt.date) -> HistoryContext:
    """What the history planner needs from the catalog and the demo logins."""
    return HistoryContext(
        seed=seed,
        as_of=as_of,
        unit_names={unit.code: unit.short_name for unit in catalog.units},
        head_units=frozenset(login.unit_code for login in DEMO_LOGINS if login.role == Role.HEAD),
    )


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
    context: HistoryContext | None = None,
    history: HistoryWriter | None = None,
) -> MeetingResult:
    """Persist the agreements of a meeting plan with bulk inserts, chunk by chunk, and record
    one `agreement.created` and one `commitment.created` event per row, as `agreement_create`
    does for a single agreement. With a `context` and a `history` writer, each chunk's progress
    history is planned and written too (cancellations go on the commitment rows themselves).
    Must run inside the caller's transaction."""
    through: Any = Commitment.co_responsible_units.through
    commitment_total = 0
    for chunk in _chunks(plan.agreements, CHUNK_SIZE):
        agreements = [_agreement(meeting, ap, units=units, themes=themes) for ap in chunk]
        Agreement.objects.bulk_create(agreements, batch_size=BATCH_SIZE)
        triples = [
            (ap, cp, _commitment(agreement, cp, units))
            for agreement, ap in zip(agreements, chunk, strict=True)
            for cp in ap.commitments
        ]
        histories = []
        if context is not None and history is not None:
            with history.counts.timed("plan"):
                histories = [commitment_history(context, ap, cp) for ap, cp, _ in triples]
        if history is not None:
            for (_, _, commitment), planned in zip(triples, histories, strict=True):
                history.cancel(commitment, planned)
        pairs = [(cp, c) for _, cp, c in triples]
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
        milestones = [
            [
                Milestone(
                    commitment=c,
                    name=m.name,
                    due_date=m.due_date,
                    weight=m.weight,
                    order=order,
                )
                for order, m in enumerate(cp.milestones, start=1)
            ]
            for cp, c in pairs
        ]
        Milestone.objects.bulk_create(
            [m for per_commitment in milestones for m in per_commitment], batch_size=BATCH_SIZE
        )
        audit.record_many(_events(agreements, pairs), batch_size=BATCH_SIZE)
        if history is not None:
            history.write(
                [
                    ChunkItem(
                        agreement=ap,
                        plan=cp,
                        history=planned,
                        commitment=commitment,
                        milestones=per_commitment,
                    )
                    for (ap, cp, commitment), planned, per_commitment in zip(
                        triples, histories, milestones, strict=True
                    )
                ]
            )
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
