"""Writes of the demo progress history: reports, evidence, extensions, cancellations, comments,
notifications and their audit events, in bulk.

`services.meeting_write` plans the history of every commitment of a chunk (`history.py`), puts the
cancellation on the commitment rows it creates, and hands the chunk to `HistoryWriter.write`.
Rows are written with `bulk_create`, and every write gets its audit event (`source="seed"`,
built with `audit.build`). The evidence files are real PDF and PNG files that pass the checks of
`acuerdos.core.uploads` and are stored through Django's default storage under
`evidencias/` with random names; identical contents are stored once and shared.

Dates are historical: `submitted_at`, `reviewed_at`, `decided_on`… say when things happened, and
the creation times of reports, evidence, comments, extensions and notifications are set back to
those moments after the insert (Django's `auto_now_add` stamps the current time on insert).
Audit events are append-only and cannot be set back: their `occurred_at` is the seed time and
`context["on"]`/`context["at"]` hold the historical date and time.
"""

from __future__ import annotations

import datetime as dt
import heapq
import io
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from acuerdos.audit import services as audit
from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import (
    Commitment,
    ExtensionRequest,
    ExtensionStatus,
    Milestone,
)
from acuerdos.core import uploads as evidence_files
from acuerdos.core.dates import long_date, today
from acuerdos.demo import documents
from acuerdos.demo.history import (
    COORDINATOR,
    HEAD,
    MEXICO_CITY,
    VALIDATOR,
    CommitmentHistory,
    EvidencePlan,
    ReportPlan,
    rules_commitment,
)
from acuerdos.demo.logins import DEMO_LOGINS
from acuerdos.demo.people import generic_liaison, liaison_logins
from acuerdos.demo.plan import AgreementPlan, CatalogSnapshot, CommitmentPlan
from acuerdos.evaluation import rules
from acuerdos.notifications.models import EmailStatus, Notification
from acuerdos.organization.models import Membership, Role, Unit, UnitKind, User
from acuerdos.progress.models import Comment, Evidence, ProgressReport, ReportState

SOURCE = "seed"
BATCH_SIZE = 2000
# `bulk_update` builds one CASE per row: small batches keep each statement cheap.
BACKDATE_BATCH = 500
ID_BATCH = 500
# Commitments whose history is written together: about 30 rows each, kept in memory at once.
WRITE_SLICE = 1000
INBOX_SIZE = 40
EVIDENCE_BODY = (
    "Se integra el presente documento como evidencia del seguimiento de los acuerdos de la "
    "8ª Ronda de Reuniones Regionales 2026."
)
UNREAD_DAYS = 7


# --- People ---------------------------------------------------------------------------------


def liaisons_ensure(catalog: CatalogSnapshot, regions: Iterable[str]) -> int:
    """Create (in bulk, audited) one generic enlace for every OOAD and UMAE of the regions that
    has no demo login as enlace; returns how many were created."""
    logins = liaison_logins()
    wanted = [
        generic_liaison(unit.code)
        for region in sorted(set(regions))
        for kind in (UnitKind.OOAD, UnitKind.UMAE)
        for unit in catalog.region_units(region, kind)
        if unit.code not in logins
    ]
    existing = set(
        User.objects.filter(email__in=[w.email for w in wanted]).values_list("email", flat=True)
    )
    wanted = [w for w in wanted if w.email not in existing]
    if not wanted:
        return 0
    users = []
    for liaison in wanted:
        user = User(email=liaison.email, full_name=liaison.full_name)
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    units = Unit.objects.in_bulk([w.unit_code for w in wanted], field_name="code")
    memberships = [
        Membership(user=user, unit=units[w.unit_code], role=Role.LIAISON, is_active=True)
        for user, w in zip(users, wanted, strict=True)
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    events: list[AuditEvent] = []
    for user, membership in zip(users, memberships, strict=True):
        events.append(
            audit.build(
                actor=None,
                action="user.created",
                target=user,
                changes={"email": [None, user.email], "full_name": [None, user.full_name]},
                source=SOURCE,
            )
        )
        events.append(
            audit.build(
                actor=None,
                action="membership.granted",
                target=membership,
                changes={"unit": [None, membership.unit.code], "role": [None, Role.LIAISON]},
                source=SOURCE,
            )
        )
    audit.record_many(events, batch_size=BATCH_SIZE)
    return len(users)


@dataclass
class DemoPeople:
    """The users who act in the history: each unit's enlace (and titular, for the demo units),
    each area's validator (the nearest demo validator above it) and the coordination.

    `unit_inbox` and `area_inbox` are the demo logins who are notified about a unit's or an
    area's commitments, as `notifications.services.unit_people`/`area_validators` would be.
    """

    coordinator: User
    liaisons: dict[str, User]
    heads: dict[str, User]
    validators: dict[str, User]
    unit_inbox: dict[str, list[User]]
    area_inbox: dict[str, list[User]]

    def unit_user(self, unit_code: str, role: str) -> User:
        if role == HEAD and unit_code in self.heads:
            return self.heads[unit_code]
        return self.liaisons.get(unit_code) or self.heads.get(unit_code) or self.coordinator

    def area_user(self, area_code: str, role: str) -> User:
        if role == COORDINATOR:
            return self.coordinator
        return self.validators.get(area_code, self.coordinator)


def people_resolve(catalog: CatalogSnapshot) -> DemoPeople:
    """Find the demo users in the database (after `demo_users_ensure` and `liaisons_ensure`)."""
    by_email = {
        u.email: u
        for u in User.objects.filter(email__endswith="@demo.imss.gob.mx").order_by("email")
    }
    coordinator = next(
        by_email[login.email]
        for login in DEMO_LOGINS
        if login.role == Role.COORDINATOR and login.email in by_email
    )
    liaisons: dict[str, User] = {}
    heads: dict[str, User] = {}
    unit_inbox: dict[str, list[User]] = {}
    validator_units: dict[str, User] = {}
    for login in DEMO_LOGINS:
        user = by_email.get(login.email)
        if user is None:
            continue
        if login.role == Role.LIAISON:
            liaisons.setdefault(login.unit_code, user)
        elif login.role == Role.HEAD:
            heads.setdefault(login.unit_code, user)
        elif login.role == Role.VALIDATOR:
            validator_units.setdefault(login.unit_code, user)
        if login.role in (Role.LIAISON, Role.HEAD):
            unit_inbox.setdefault(login.unit_code, []).append(user)
    for unit in catalog.units:
        if unit.kind in (UnitKind.OOAD, UnitKind.UMAE) and unit.code not in liaisons:
            user = by_email.get(generic_liaison(unit.code).email)
            if user is not None:
                liaisons[unit.code] = user
    validators: dict[str, User] = {}
    area_inbox: dict[str, list[User]] = {}
    for unit in catalog.units:
        if unit.kind not in (UnitKind.NORMATIVE_AREA, UnitKind.COORDINATION):
            continue
        chain = _ancestors(catalog, unit.code)
        watchers = [validator_units[code] for code in chain if code in validator_units]
        if watchers:
            validators[unit.code] = watchers[0]
            area_inbox[unit.code] = watchers
    return DemoPeople(
        coordinator=coordinator,
        liaisons=liaisons,
        heads=heads,
        validators=validators,
        unit_inbox=unit_inbox,
        area_inbox=area_inbox,
    )


def _ancestors(catalog: CatalogSnapshot, code: str) -> list[str]:
    """The unit and the units above it, nearest first."""
    chain: list[str] = []
    current = catalog.unit(code)
    while current is not None and current.code not in chain:
        chain.append(current.code)
        current = catalog.unit(current.parent_code) if current.parent_code else None
    return chain


# --- Evidence files -------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFile:
    """An evidence file written to storage."""

    name: str
    sha256: str
    size: int
    content_type: str


class EvidenceFiles:
    """Writes each distinct evidence content once and remembers where it went."""

    def __init__(self) -> None:
        self._stored: dict[str, StoredFile] = {}
        self.seconds = 0.0

    @property
    def distinct(self) -> int:
        return len(self._stored)

    def get(self, plan: EvidencePlan) -> StoredFile:
        stored = self._stored.get(plan.key)
        if stored is None:
            started = time.perf_counter()
            content = evidence_content(plan)
            checked = evidence_files.check_upload(io.BytesIO(content), plan.original_name)
            stored = StoredFile(
                name=evidence_files.store(checked),
                sha256=checked.sha256,
                size=checked.size,
                content_type=checked.content_type,
            )
            self._stored[plan.key] = stored
            self.seconds += time.perf_counter() - started
        return stored

    def discard_all(self) -> None:
        """Remove every file written (the transaction that would reference them failed)."""
        for stored in self._stored.values():
            evidence_files.discard(stored.name)
        self._stored.clear()


def evidence_content(plan: EvidencePlan) -> bytes:
    """The bytes of a planned evidence file, as uploaded (before the upload checks)."""
    if plan.kind == "png":
        return documents.png_photo(plan.title, plan.subtitle)
    return documents.pdf_document(plan.title, plan.subtitle, (EVIDENCE_BODY,))


# --- Notifications --------------------------------------------------------------------------


@dataclass(order=True)
class _Notice:
    at: dt.datetime
    sequence: int
    recipient: User = field(compare=False)
    kind: str = field(compare=False)
    title: str = field(compare=False)
    body: str = field(compare=False)
    target: Any = field(compare=False)
    commitment_id: int = field(compare=False)


class Inbox:
    """The most recent notifications of each demo login, gathered while the history is written
    and saved at the end: unread for the last days before the as-of date, read before."""

    def __init__(self, *, as_of: dt.date, latest: dt.datetime) -> None:
        self.as_of = as_of
        self.latest = latest
        self._queues: dict[int, list[_Notice]] = {}
        self._sequence = 0

    def wants(self, recipients: Iterable[User], at: dt.datetime) -> bool:
        """Whether a notice at `at` would enter some recipient's inbox (skip the work if not)."""
        at = min(at, self.latest)
        for user in recipients:
            queue = self._queues.get(user.pk)
            if queue is None or len(queue) < INBOX_SIZE or at > queue[0].at:
                return True
        return False

    def add(
        self,
        recipients: Iterable[User],
        *,
        at: dt.datetime,
        kind: str,
        title: str,
        body: str,
        target: Any,
        commitment_id: int,
        exclude: User | None = None,
    ) -> None:
        for user in recipients:
            if exclude is not None and user.pk == exclude.pk:
                continue
            self._sequence += 1
            notice = _Notice(
                min(at, self.latest),
                self._sequence,
                user,
                kind,
                title[:200],
                body,
                target,
                commitment_id,
            )
            queue = self._queues.setdefault(user.pk, [])
            if len(queue) < INBOX_SIZE:
                heapq.heappush(queue, notice)
            elif notice > queue[0]:
                heapq.heapreplace(queue, notice)

    def write(self) -> int:
        unread_from = self.as_of - dt.timedelta(days=UNREAD_DAYS)
        rows: list[Notification] = []
        for user_pk in sorted(self._queues):
            for notice in sorted(self._queues[user_pk]):
                read = notice.at.astimezone(MEXICO_CITY).date() < unread_from
                rows.append(
                    Notification(
                        recipient=notice.recipient,
                        kind=notice.kind,
                        title=notice.title,
                        body=notice.body,
                        url=notice.target.get_absolute_url(),
                        commitment_id=notice.commitment_id,
                        read_at=min(notice.at + dt.timedelta(hours=20), self.latest)
                        if read
                        else None,
                        # Historical and addressed to demo mailboxes: never e-mailed.
                        email_status=EmailStatus.SKIPPED,
                    )
                )
                rows[-1].created_at = notice.at
        stamps = [row.created_at for row in rows]
        Notification.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        for row, stamp in zip(rows, stamps, strict=True):
            row.created_at = stamp
        Notification.objects.bulk_update(rows, ["created_at"], batch_size=BACKDATE_BATCH)
        return len(rows)


# --- The history of a chunk of commitments ---------------------------------------------------


@dataclass
class HistoryCounts:
    """What the history writer wrote, and the national picture at the as-of date."""

    reports: Counter[str] = field(default_factory=Counter)
    evidence: int = 0
    extensions: Counter[str] = field(default_factory=Counter)
    cancellations: int = 0
    comments: int = 0
    notifications: int = 0
    evaluations: list[rules.Evaluation] = field(default_factory=list)
    # Seconds spent in each phase of the writer (to see where a big seed spends its time).
    seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] += time.perf_counter() - started

    @property
    def report_total(self) -> int:
        return sum(self.reports.values())


@dataclass
class ChunkItem:
    """One commitment of the chunk: its plans, its history and the rows already written."""

    agreement: AgreementPlan
    plan: CommitmentPlan
    history: CommitmentHistory
    commitment: Commitment
    milestones: list[Milestone]


class HistoryWriter:
    """Persists the planned histories, chunk by chunk, inside the seed's transaction."""

    def __init__(
        self,
        *,
        as_of: dt.date,
        people: DemoPeople,
        files: EvidenceFiles,
        inbox: Inbox,
        latest: dt.datetime,
        evaluate: bool = True,
    ) -> None:
        self.as_of = as_of
        self.people = people
        self.files = files
        self.inbox = inbox
        self.latest = latest
        self.evaluate = evaluate
        self.counts = HistoryCounts()

    def cancel(self, commitment: Commitment, history: CommitmentHistory) -> None:
        """Put the cancellation and the version on the commitment row before it is inserted."""
        decided = sum(1 for e in history.extensions if e.approved is not None)
        commitment.version = 1 + decided + (1 if history.cancellation else 0)
        if history.cancellation is not None:
            commitment.cancelled_on = history.cancellation.on
            commitment.cancelled_by = self.people.coordinator
            commitment.cancellation_reason = history.cancellation.reason

    def write(self, items: Sequence[ChunkItem]) -> None:
        """Write the histories of a chunk, a slice at a time (bounded memory)."""
        for start in range(0, len(items), WRITE_SLICE):
            self._write(items[start : start + WRITE_SLICE])

    def _write(self, items: Sequence[ChunkItem]) -> None:
        events: list[AuditEvent] = []
        timed = self.counts.timed
        with timed("reports"):
            reports = self._reports(items, events)
        with timed("evidence"):
            self._evidence(items, reports)
            self._milestones_done(items, reports)
        with timed("extensions, cancellations, comments"):
            self._extensions(items, events)
            self._cancellations(items, events)
            self._comments(items, events)
        with timed("audit"):
            audit.record_many(events, batch_size=BATCH_SIZE)
        with timed("backdate"):
            self._backdate_reports(items, reports)
        if self.evaluate:
            with timed("evaluate"):
                self.counts.evaluations += [
                    rules.evaluate(rules_commitment(item.plan, item.history), self.as_of)
                    for item in items
                ]

    # -- reports

    def _reports(
        self, items: Sequence[ChunkItem], events: list[AuditEvent]
    ) -> list[list[ProgressReport]]:
        """Insert the reports, answered ones before their answers; returns them per item."""
        people = self.people
        labels = {state: str(label) for state, label in ReportState.choices}
        per_item: list[list[ProgressReport]] = []
        levels: list[list[ProgressReport]] = []
        for item in items:
            unit = item.plan.unit_code
            area = item.agreement.validating_area_code
            rows: list[ProgressReport] = []
            depth: list[int] = []
            for plan in item.history.reports:
                answers = rows[plan.answers] if plan.answers is not None else None
                level = depth[plan.answers] + 1 if plan.answers is not None else 0
                submitted_at = self._clamp(plan.submitted_at) if plan.submitted_at else None
                reviewed_at = self._clamp(plan.reviewed_at) if plan.reviewed_at else None
                report = ProgressReport(
                    commitment=item.commitment,
                    as_of=plan.as_of,
                    state=plan.state,
                    percent=plan.percent,
                    indicator_value=plan.indicator_value,
                    narrative=plan.narrative,
                    author=people.unit_user(unit, plan.author),
                    answers=answers,
                    submitted_on=plan.submitted_on,
                    submitted_at=submitted_at,
                    reviewed_by=people.area_user(area, plan.reviewer) if plan.reviewer else None,
                    reviewed_at=reviewed_at,
                    validated_on=plan.validated_on,
                    review_comment=plan.review_comment,
                    version=plan.version,
                )
                # The audit label is `str(report)`, which asks Django for the state's display
                # name; resolving a lazy translation per call costs more than the rest of the
                # event at --scale 100, so each row answers with the label resolved once.
                report.__dict__["get_state_display"] = labels[plan.state].__str__
                rows.append(report)
                depth.append(level)
                while len(levels) <= level:
                    levels.append([])
                levels[level].append(report)
                self.counts.reports[plan.state] += 1
            per_item.append(rows)
        for level_rows in levels:
            ProgressReport.objects.bulk_create(level_rows, batch_size=BATCH_SIZE)
        for item, rows in zip(items, per_item, strict=True):
            for plan, report in zip(item.history.reports, rows, strict=True):
                events.extend(self._report_events(item, plan, report))
                self._report_notices(item, plan, report)
        return per_item

    def _report_events(
        self, item: ChunkItem, plan: ReportPlan, report: ProgressReport
    ) -> Iterator[AuditEvent]:
        commitment_id = item.commitment.pk
        value_field, value = _value_field(plan, item.milestones)
        opened = {"state": [None, ReportState.DRAFT], "as_of": [None, plan.as_of]}
        if plan.state == ReportState.DRAFT or plan.submitted_at is None:
            yield self._event(
                report.author,
                "progress.drafted",
                report,
                commitment_id,
                {**opened, value_field: [None, value]},
                {"answers": report.answers_id} if report.answers_id else {},
                plan.created_at,
            )
            return
        drafted = plan.created_at < plan.submitted_at
        if drafted:
            yield self._event(
                report.author,
                "progress.drafted",
                report,
                commitment_id,
                {**opened, value_field: [None, value]},
                {"answers": report.answers_id} if report.answers_id else {},
                plan.created_at,
            )
            changes: dict[str, Any] = {"state": [ReportState.DRAFT, ReportState.SUBMITTED]}
        else:
            changes = {
                "state": [None, ReportState.SUBMITTED],
                "as_of": [None, plan.as_of],
                value_field: [None, value],
            }
        stored = [self.files.get(e) for e in plan.evidence]
        yield self._event(
            report.author,
            "progress.submitted",
            report,
            commitment_id,
            changes,
            {
                "evidence": [
                    {"name": e.original_name, "sha256": s.sha256, "size": s.size}
                    for e, s in zip(plan.evidence, stored, strict=True)
                ],
                **({"answers": report.answers_id} if report.answers_id else {}),
            },
            plan.submitted_at,
        )
        if plan.reviewed_at is not None and report.reviewed_by is not None:
            review: dict[str, Any] = {"state": [ReportState.SUBMITTED, plan.state]}
            if plan.review_comment:
                review["review_comment"] = ["", plan.review_comment]
            yield self._event(
                report.reviewed_by,
                f"progress.{plan.state}",
                report,
                commitment_id,
                review,
                {},
                plan.reviewed_at,
            )

    def _report_notices(self, item: ChunkItem, plan: ReportPlan, report: ProgressReport) -> None:
        if plan.submitted_at is None:
            return
        commitment = item.commitment
        area_inbox = self.people.area_inbox.get(item.agreement.validating_area_code, ())
        if area_inbox and self.inbox.wants(area_inbox, plan.submitted_at):
            self.inbox.add(
                area_inbox,
                at=plan.submitted_at,
                kind="progress.submitted",
                title=f"Avance por validar: {commitment}",
                body=f"{report.author} reportó avance con fecha al {long_date(plan.as_of)}.",
                target=report,
                commitment_id=commitment.pk,
                exclude=report.author,
            )
        unit_inbox = self.people.unit_inbox.get(item.plan.unit_code, ())
        if (
            unit_inbox
            and plan.reviewed_at is not None
            and report.reviewed_by is not None
            and self.inbox.wants(unit_inbox, plan.reviewed_at)
        ):
            verb = {
                ReportState.VALIDATED: "validó",
                ReportState.RETURNED: "devolvió con observaciones",
                ReportState.REJECTED: "rechazó",
            }[ReportState(plan.state)]
            self.inbox.add(
                unit_inbox,
                at=plan.reviewed_at,
                kind=f"progress.{plan.state}",
                title=f"{report.reviewed_by} {verb} su avance de {commitment}",
                body=plan.review_comment,
                target=report,
                commitment_id=commitment.pk,
                exclude=report.reviewed_by,
            )

    def _evidence(
        self, items: Sequence[ChunkItem], reports: Sequence[Sequence[ProgressReport]]
    ) -> None:
        rows: list[Evidence] = []
        for item, item_reports in zip(items, reports, strict=True):
            for plan, report in zip(item.history.reports, item_reports, strict=True):
                for evidence in plan.evidence:
                    stored = self.files.get(evidence)
                    rows.append(
                        Evidence(
                            report=report,
                            file=stored.name,
                            original_name=evidence.original_name,
                            size=stored.size,
                            sha256=stored.sha256,
                            content_type=stored.content_type,
                            uploaded_by=report.author,
                        )
                    )
        Evidence.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.counts.evidence += len(rows)

    def _milestones_done(
        self, items: Sequence[ChunkItem], reports: Sequence[Sequence[ProgressReport]]
    ) -> None:
        through: Any = ProgressReport.milestones_done.through
        rows = [
            through(progressreport_id=report.pk, milestone_id=item.milestones[index].pk)
            for item, item_reports in zip(items, reports, strict=True)
            if item.milestones
            for plan, report in zip(item.history.reports, item_reports, strict=True)
            for index in plan.milestones_done
        ]
        through.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    # -- extensions, cancellations, comments

    def _extensions(self, items: Sequence[ChunkItem], events: list[AuditEvent]) -> None:
        people = self.people
        rows: list[tuple[ChunkItem, ExtensionRequest, Any]] = []
        for item in items:
            for plan in item.history.extensions:
                if plan.approved is None:
                    status = ExtensionStatus.PENDING
                else:
                    status = ExtensionStatus.APPROVED if plan.approved else ExtensionStatus.DENIED
                request = ExtensionRequest(
                    commitment=item.commitment,
                    requested_by=people.unit_user(item.plan.unit_code, plan.requested_by),
                    previous_due_date=plan.previous_due_date,
                    new_due_date=plan.new_due_date,
                    justification=plan.justification,
                    status=status,
                    decided_by=people.coordinator if plan.approved is not None else None,
                    decided_on=plan.decided_on,
                    decision_comment=plan.decision_comment,
                )
                rows.append((item, request, plan))
                self.counts.extensions[status] += 1
        requests = [request for _, request, _ in rows]
        ExtensionRequest.objects.bulk_create(requests, batch_size=BATCH_SIZE)
        for item, request, plan in rows:
            commitment = item.commitment
            events.append(
                self._event(
                    request.requested_by,
                    "commitment.extension_requested",
                    request,
                    commitment.pk,
                    {"due_date": [plan.previous_due_date, plan.new_due_date]},
                    {"justification": plan.justification},
                    plan.requested_at,
                )
            )
            self.inbox.add(
                [people.coordinator],
                at=plan.requested_at,
                kind="commitment.extension_requested",
                title=f"Solicitud de reprogramación: {commitment}",
                body=plan.justification[:300],
                target=commitment,
                commitment_id=commitment.pk,
            )
            if plan.decided_at is None:
                continue
            action = "commitment.extended" if plan.approved else "commitment.extension_denied"
            events.append(
                self._event(
                    people.coordinator,
                    action,
                    request,
                    commitment.pk,
                    {"due_date": [plan.previous_due_date, plan.new_due_date]}
                    if plan.approved
                    else {"status": [ExtensionStatus.PENDING, ExtensionStatus.DENIED]},
                    {"comment": plan.decision_comment},
                    plan.decided_at,
                )
            )
            verdict = "aprobó" if plan.approved else "negó"
            self.inbox.add(
                self.people.unit_inbox.get(item.plan.unit_code, ()),
                at=plan.decided_at,
                kind=action,
                title=f"Se {verdict} la reprogramación de {commitment}",
                body=plan.decision_comment,
                target=commitment,
                commitment_id=commitment.pk,
            )
        self._backdate(
            ExtensionRequest,
            [(request, self._clamp(plan.requested_at)) for _, request, plan in rows],
            also_updated=[self._clamp(plan.decided_at or plan.requested_at) for _, _, plan in rows],
        )

    def _cancellations(self, items: Sequence[ChunkItem], events: list[AuditEvent]) -> None:
        for item in items:
            cancellation = item.history.cancellation
            if cancellation is None:
                continue
            commitment = item.commitment
            self.counts.cancellations += 1
            events.append(
                self._event(
                    self.people.coordinator,
                    "commitment.cancelled",
                    commitment,
                    commitment.pk,
                    {"cancelled_on": [None, cancellation.on]},
                    {"reason": cancellation.reason},
                    cancellation.at,
                )
            )
            self.inbox.add(
                self.people.unit_inbox.get(item.plan.unit_code, ()),
                at=cancellation.at,
                kind="commitment.cancelled",
                title=f"Se canceló el compromiso {commitment}",
                body=cancellation.reason,
                target=commitment,
                commitment_id=commitment.pk,
            )

    def _comments(self, items: Sequence[ChunkItem], events: list[AuditEvent]) -> None:
        people = self.people
        rows: list[tuple[ChunkItem, Comment, dt.datetime, bool]] = []
        for item in items:
            for plan in item.history.comments:
                from_area = plan.author in (VALIDATOR, COORDINATOR)
                author = (
                    people.area_user(item.agreement.validating_area_code, plan.author)
                    if from_area
                    else people.unit_user(item.plan.unit_code, plan.author)
                )
                comment = Comment(commitment=item.commitment, author=author, text=plan.text)
                rows.append((item, comment, plan.at, from_area))
        Comment.objects.bulk_create([c for _, c, _, _ in rows], batch_size=BATCH_SIZE)
        self.counts.comments += len(rows)
        for item, comment, at, from_area in rows:
            commitment = item.commitment
            events.append(
                self._event(
                    comment.author,
                    "comment.created",
                    comment,
                    commitment.pk,
                    {"text": [None, comment.text]},
                    {},
                    at,
                )
            )
            inbox = (
                people.unit_inbox.get(item.plan.unit_code, ())
                if from_area
                else people.area_inbox.get(item.agreement.validating_area_code, ())
            )
            self.inbox.add(
                inbox,
                at=at,
                kind="comment.created",
                title=f"Nuevo comentario en {commitment}",
                body=comment.text[:300],
                target=commitment,
                commitment_id=commitment.pk,
                exclude=comment.author,
            )
        self._backdate(Comment, [(comment, self._clamp(at)) for _, comment, at, _ in rows])

    # -- historical times

    def _backdate_reports(
        self, items: Sequence[ChunkItem], reports: Sequence[Sequence[ProgressReport]]
    ) -> None:
        """Creation and update times of the reports and their evidence, set back to when they
        happened: sent reports from their own columns in one statement per batch, drafts (few)
        row by row, evidence from its report."""
        drafts: list[tuple[ProgressReport, dt.datetime]] = []
        for item, item_reports in zip(items, reports, strict=True):
            for plan, report in zip(item.history.reports, item_reports, strict=True):
                if plan.submitted_at is None:
                    drafts.append((report, self._clamp(plan.created_at)))
        commitment_ids = [item.commitment.pk for item in items]
        for batch in _batches(commitment_ids, ID_BATCH):
            ProgressReport.objects.filter(
                commitment_id__in=batch, submitted_at__isnull=False
            ).update(
                created_at=F("submitted_at"),
                updated_at=Coalesce(F("reviewed_at"), F("submitted_at")),
            )
        self._backdate(ProgressReport, drafts, also_updated=[moment for _, moment in drafts])
        created = ProgressReport.objects.filter(pk=OuterRef("report_id")).values("created_at")
        for batch in _batches(commitment_ids, ID_BATCH):
            Evidence.objects.filter(report__commitment_id__in=batch).update(
                created_at=Subquery(created[:1])
            )

    def _backdate(
        self,
        model: Any,
        rows: Sequence[tuple[Any, dt.datetime]],
        *,
        also_updated: Sequence[dt.datetime] | None = None,
    ) -> None:
        if not rows:
            return
        fields = ["created_at"]
        for index, (row, moment) in enumerate(rows):
            row.created_at = moment
            if also_updated is not None:
                row.updated_at = also_updated[index]
        if also_updated is not None:
            fields.append("updated_at")
        model.objects.bulk_update([row for row, _ in rows], fields, batch_size=BACKDATE_BATCH)

    def _clamp(self, moment: dt.datetime) -> dt.datetime:
        """Nothing after the end of the as-of date, nor after the present moment."""
        return min(moment, self.latest)

    def _event(
        self,
        actor: User,
        action: str,
        target: Any,
        commitment_id: int,
        changes: dict[str, Any],
        context: dict[str, Any],
        moment: dt.datetime,
    ) -> AuditEvent:
        moment = min(moment, self.latest)
        return audit.build(
            actor=actor,
            action=action,
            target=target,
            commitment_id=commitment_id,
            changes=changes,
            context={**context, "on": moment.astimezone(MEXICO_CITY).date(), "at": moment},
            source=SOURCE,
        )


def latest_moment(as_of: dt.date) -> dt.datetime:
    """The last moment the history may use: the end of the as-of date in Mexico City — or now,
    when the as-of date is today."""
    end = dt.datetime.combine(as_of, dt.time(23, 59), tzinfo=MEXICO_CITY)
    if as_of == today():
        return min(end, timezone.now().astimezone(MEXICO_CITY))
    return end


def _value_field(plan: ReportPlan, milestones: Sequence[Milestone]) -> tuple[str, Any]:
    if plan.percent is not None:
        return "percent", plan.percent
    if plan.indicator_value is not None:
        return "indicator_value", plan.indicator_value
    return "milestones_done", sorted(milestones[i].pk for i in plan.milestones_done)


def _batches(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
