"""Reads of progress for the pages: the validation queue, one report, a commitment's progress.

Every list starts from `ProgressReport.objects.visible_to(user)`; every function here owns its
`select_related`/`prefetch_related`, so that a page costs the same number of queries whatever the
number of reports, evidence files or comments (the query-count tests hold us to it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from acuerdos.commitments.models import (
    Commitment,
    ExtensionRequest,
    ExtensionStatus,
    Milestone,
    TargetKind,
)
from acuerdos.commitments.policies import (
    can_cancel,
    can_comment,
    can_decide_extension,
    can_report,
    can_validate,
)
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Region, Theme, Unit
from acuerdos.organization.scope import descendant_ids, scope_for
from acuerdos.progress.models import Comment, Evidence, ProgressReport, ReportState


def shown_percent(num: int, den: int) -> Decimal:
    """An exact percentage num/den as shown: rounded half up to one decimal (PRODUCT.md §3.7).

    Integer arithmetic, so that 12.25 shows as 12.3 (binary floats would give 12.2)."""
    if den <= 0:
        return Decimal("0.0")
    tenths = (20 * num + den) // (2 * den)
    return (Decimal(tenths) / 10).quantize(Decimal("0.1"))


def report_percent(report: ProgressReport) -> Decimal:
    """The report's own progress p (PRODUCT.md §3.2) as shown."""
    return shown_percent(report.progress_num, report.progress_den)


# --- The validation queue ----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    """The validated filters of Por validar (built by `QueueFilterForm`)."""

    meeting: Meeting | None = None
    unit: Unit | None = None
    theme: Theme | None = None
    region: Region | None = None
    area: Unit | None = None


def reviewable_reports(user: Any) -> QuerySet[ProgressReport]:
    """Reports the user may see *and* decide on: all for coordinators, their area's (and its
    coordinations') for validators, none for anyone else."""
    scope = scope_for(user)
    visible = ProgressReport.objects.visible_to(user)
    if scope.is_coordinator:
        return visible
    if scope.validator_area_ids:
        return visible.filter(
            commitment__agreement__validating_area_id__in=scope.validator_area_ids
        )
    return visible.none()


def review_queue(user: Any, filters: QueueFilters) -> QuerySet[ProgressReport]:
    """Por validar: submitted reports the user decides on, the longest waiting first."""
    queryset = reviewable_reports(user).filter(state=ReportState.SUBMITTED)
    if filters.meeting is not None:
        queryset = queryset.filter(commitment__agreement__meeting=filters.meeting)
    if filters.unit is not None:
        queryset = queryset.filter(commitment__responsible_unit=filters.unit)
    if filters.theme is not None:
        queryset = queryset.filter(commitment__agreement__theme=filters.theme)
    if filters.region is not None:
        queryset = queryset.filter(commitment__agreement__meeting__region=filters.region)
    if filters.area is not None:
        queryset = queryset.filter(
            commitment__agreement__validating_area_id__in=descendant_ids({filters.area.pk})
        )
    return (
        queryset.select_related(
            "commitment__agreement__meeting",
            "commitment__agreement__theme",
            "commitment__agreement__validating_area",
            "commitment__responsible_unit",
            "author",
            "answers",
        )
        .annotate(evidence_count=Count("evidence"))
        .order_by("submitted_at", "pk")
    )


def queue_size(user: Any) -> int:
    """How many reports wait for the user's decision (one COUNT)."""
    return reviewable_reports(user).filter(state=ReportState.SUBMITTED).count()


# --- One report ---------------------------------------------------------------------------------


@dataclass
class ReportDetail:
    """What the report page shows besides the report itself, and what the user may do there."""

    evidence: list[Evidence]
    milestones: list[tuple[Milestone, bool]]
    answered: ProgressReport | None
    answered_by: list[ProgressReport]
    percent: Decimal
    can_review: bool
    can_edit: bool
    can_answer: bool


def _answer_exists() -> Exists:
    return Exists(
        ProgressReport.objects.filter(answers_id=OuterRef("pk")).exclude(state=ReportState.DRAFT)
    )


def report_detail(user: Any, report: ProgressReport) -> ReportDetail:
    """Evidence, milestones (checked or not), the report it answers and the ones answering it."""
    commitment = report.commitment
    visible = ProgressReport.objects.visible_to(user)
    answered = (
        visible.select_related("reviewed_by", "author").filter(pk=report.answers_id).first()
        if report.answers_id
        else None
    )
    answered_by = list(
        visible.filter(answers=report).select_related("author").order_by("created_at")
    )
    milestones: list[tuple[Milestone, bool]] = []
    if commitment.target_kind == TargetKind.MILESTONES:
        done = set(report.milestones_done.values_list("pk", flat=True))
        milestones = [(m, m.pk in done) for m in commitment.milestones.order_by("order", "pk")]
    own = can_report(user, responsible_unit_id=commitment.responsible_unit_id)
    area_id = commitment.agreement.validating_area_id
    return ReportDetail(
        evidence=list(report.evidence.select_related("uploaded_by").order_by("created_at")),
        milestones=milestones,
        answered=answered,
        answered_by=answered_by,
        percent=report_percent(report),
        can_review=report.state == ReportState.SUBMITTED
        and can_validate(user, validating_area_id=area_id),
        can_edit=report.state == ReportState.DRAFT and own and not commitment.is_cancelled,
        can_answer=report.state == ReportState.RETURNED
        and own
        and not commitment.is_cancelled
        and not any(r.state != ReportState.DRAFT for r in answered_by),
    )


def latest_milestone_set(commitment: Commitment) -> list[int]:
    """The milestones of the latest report the unit sent (validated, waiting or observed): each
    report carries the full set, so a new one starts from it."""
    latest = (
        commitment.reports.filter(
            state__in=[ReportState.VALIDATED, ReportState.SUBMITTED, ReportState.RETURNED]
        )
        .order_by("-as_of", "-created_at")
        .first()
    )
    if latest is None:
        return []
    return list(latest.milestones_done.values_list("pk", flat=True))


def returned_to_answer(commitment_ids: Iterable[int]) -> dict[int, ProgressReport]:
    """Per commitment, its latest returned report still waiting for an answer (one query)."""
    rows = (
        ProgressReport.objects.filter(
            commitment_id__in=list(commitment_ids), state=ReportState.RETURNED
        )
        .exclude(_answer_exists())
        .order_by("commitment_id", "-reviewed_at", "-pk")
    )
    result: dict[int, ProgressReport] = {}
    for report in rows:
        result.setdefault(report.commitment_id, report)
    return result


# --- A commitment's progress, extensions, comments and history ---------------------------------


@dataclass
class DueDateStep:
    """One line of the due-date history: the date, since when it applies, and why."""

    date: dt.date
    since: dt.date | None
    request: ExtensionRequest | None


@dataclass
class CommitmentProgress:
    """The progress section of a commitment's page and what the user may do there."""

    validated_percent: Decimal
    latest_validated: ProgressReport | None
    pending: list[ProgressReport]
    reports: list[ProgressReport]
    to_answer: ProgressReport | None
    comments: list[Comment]
    extension_requests: list[ExtensionRequest]
    pending_extension: ExtensionRequest | None
    due_dates: list[DueDateStep]
    due_date_in_force: dt.date
    can_report: bool
    can_comment: bool
    can_request_extension: bool
    can_decide_extension: bool
    can_cancel: bool


def commitment_reports(user: Any, commitment: Commitment) -> list[ProgressReport]:
    """The reports of one commitment the user may see, newest first, with what each row shows."""
    return list(
        ProgressReport.objects.visible_to(user)
        .filter(commitment=commitment)
        .select_related("author", "reviewed_by")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("created_at")),
            Prefetch("milestones_done", queryset=Milestone.objects.order_by("order", "pk")),
        )
        .annotate(is_answered=_answer_exists())
        .order_by("-as_of", "-created_at", "-pk")
    )


def commitment_progress(user: Any, commitment: Commitment) -> CommitmentProgress:
    """Everything the commitment page shows about progress, in a fixed number of queries."""
    scope = scope_for(user)
    reports = commitment_reports(user, commitment)
    own = can_report(scope, responsible_unit_id=commitment.responsible_unit_id)
    area_id = commitment.agreement.validating_area_id
    extensions = list(
        commitment.extension_requests.select_related("requested_by", "decided_by").order_by(
            "created_at", "pk"
        )
    )
    pending_extension = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    steps = [DueDateStep(date=commitment.due_date, since=None, request=None)]
    approved = sorted(
        (e for e in extensions if e.status == ExtensionStatus.APPROVED),
        key=lambda e: (e.decided_on or dt.date.min, e.created_at),
    )
    steps += [DueDateStep(date=e.new_due_date, since=e.decided_on, request=e) for e in approved]
    to_answer = next(
        (
            r
            for r in reports
            if r.state == ReportState.RETURNED and not getattr(r, "is_answered", False)
        ),
        None,
    )
    active = not commitment.is_cancelled
    return CommitmentProgress(
        validated_percent=shown_percent(
            commitment.current_progress_num, commitment.current_progress_den
        ),
        latest_validated=max(
            (r for r in reports if r.state == ReportState.VALIDATED),
            key=lambda r: (r.as_of, r.validated_on or r.as_of, r.created_at),
            default=None,
        ),
        pending=[r for r in reports if r.state == ReportState.SUBMITTED],
        reports=reports,
        to_answer=to_answer if own and active else None,
        comments=list(
            Comment.objects.filter(commitment=commitment)
            .select_related("author")
            .order_by("created_at", "pk")
        ),
        extension_requests=extensions,
        pending_extension=pending_extension,
        due_dates=steps,
        due_date_in_force=steps[-1].date,
        can_report=own and active,
        can_comment=can_comment(
            scope, responsible_unit_id=commitment.responsible_unit_id, validating_area_id=area_id
        ),
        can_request_extension=own and active and pending_extension is None,
        can_decide_extension=pending_extension is not None
        and can_decide_extension(scope, validating_area_id=area_id),
        can_cancel=active and can_cancel(scope),
    )
