"""What `seed_demo` writes as progress history: valid rows, historical dates that never pass the
as-of date, real evidence files, an audit event per write, notifications for the demo logins,
and a national picture — computed here from the rows with the pure rules of PRODUCT.md §3 — that
looks like a real follow-up and matches what the command prints."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.db.models import F, Max, Q

from acuerdos.audit.models import AuditEvent
from acuerdos.commitments.models import (
    Commitment,
    ExtensionRequest,
    ExtensionStatus,
    Milestone,
    TargetKind,
)
from acuerdos.commitments.policies import can_report, can_validate
from acuerdos.core import uploads as evidence_files
from acuerdos.demo.logins import DEMO_LOGINS
from acuerdos.demo.tests.seeding import AS_OF_DATE
from acuerdos.evaluation import rules
from acuerdos.notifications.models import EmailStatus, Notification
from acuerdos.organization.models import Membership, Role, Unit, UnitKind, User
from acuerdos.progress.models import Comment, Evidence, ProgressReport, ReportState

pytestmark = pytest.mark.django_db

MEXICO_CITY = ZoneInfo("America/Mexico_City")
END_OF_AS_OF = dt.datetime.combine(AS_OF_DATE, dt.time(23, 59, 59), tzinfo=MEXICO_CITY)


def test_it_writes_a_progress_history(seeded):
    states = Counter(ProgressReport.objects.values_list("state", flat=True))
    assert set(states) == set(ReportState.values)
    commitments = Commitment.objects.count()
    assert 4 * commitments < sum(states.values()) < 8 * commitments
    assert states[ReportState.VALIDATED] > 0.7 * sum(states.values())
    assert ProgressReport.objects.filter(answers__isnull=False).exists()
    assert Evidence.objects.count() >= states.total() - states[ReportState.DRAFT]
    extensions = Counter(ExtensionRequest.objects.values_list("status", flat=True))
    assert extensions[ExtensionStatus.APPROVED] > 50
    assert extensions[ExtensionStatus.DENIED] > 20
    assert extensions[ExtensionStatus.PENDING] > 0
    cancelled = Commitment.objects.filter(cancelled_on__isnull=False).count()
    assert 20 < cancelled < 0.06 * commitments
    assert Comment.objects.values("commitment").distinct().count() > 0.1 * commitments
    with_reports = Commitment.objects.filter(reports__state=ReportState.VALIDATED).distinct()
    assert with_reports.count() > 0.8 * commitments
    assert "Historia de avance:" in seeded.output and "Panorama nacional" in seeded.output


def test_it_respects_the_constraints_of_every_row(seeded):
    rng = random.Random(3)

    def sample(queryset, k):
        rows = list(queryset.order_by("pk"))
        return rng.sample(rows, min(k, len(rows)))

    for report in sample(ProgressReport.objects.all(), 200):
        report.full_clean()
    for evidence in sample(Evidence.objects.all(), 150):
        evidence.full_clean()
    for row in [*ExtensionRequest.objects.all(), *sample(Comment.objects.all(), 200)]:
        row.full_clean()
    for commitment in Commitment.objects.filter(cancelled_on__isnull=False):
        commitment.full_clean()
        assert commitment.version >= 2 and commitment.cancellation_reason
    for notification in sample(Notification.objects.all(), 100):
        notification.full_clean()
    through = ProgressReport.milestones_done.through
    foreign = through.objects.exclude(milestone__commitment=F("progressreport__commitment"))
    assert not foreign.exists()


def test_it_writes_nothing_after_the_as_of_date(seeded):
    dates = ProgressReport.objects.aggregate(
        Max("as_of"), Max("submitted_on"), Max("validated_on")
    ) | ExtensionRequest.objects.aggregate(Max("decided_on"))
    dates |= Commitment.objects.aggregate(Max("cancelled_on"))
    assert all(value <= AS_OF_DATE for value in dates.values()), dates
    moments = [
        *ProgressReport.objects.aggregate(
            Max("submitted_at"), Max("reviewed_at"), Max("created_at"), Max("updated_at")
        ).values(),
        *Evidence.objects.aggregate(Max("created_at")).values(),
        *Comment.objects.aggregate(Max("created_at")).values(),
        *ExtensionRequest.objects.aggregate(Max("created_at"), Max("updated_at")).values(),
        *Notification.objects.aggregate(Max("created_at"), Max("read_at")).values(),
    ]
    assert all(moment <= END_OF_AS_OF for moment in moments), moments
    history = AuditEvent.objects.filter(source="seed", context__has_key="on")
    assert history.count() > ProgressReport.objects.count()
    assert max(dt.date.fromisoformat(e) for e in history.values_list("context__on", flat=True)) <= (
        AS_OF_DATE
    )


def test_it_dates_reports_like_the_services_do(seeded):
    reports = ProgressReport.objects.select_related("commitment")
    for report in reports.iterator():
        assert report.as_of > report.commitment.start_date
        if report.state == ReportState.DRAFT:
            assert report.submitted_on is None and report.reviewed_at is None
            continue
        assert report.submitted_on is not None and report.submitted_at is not None
        assert report.submitted_on > report.as_of
        assert report.submitted_at.astimezone(MEXICO_CITY).date() == report.submitted_on
        assert report.created_at <= report.submitted_at
        if report.state == ReportState.SUBMITTED:
            assert report.reviewed_at is None and report.reviewed_by_id is None
            continue
        assert report.reviewed_at is not None and report.reviewed_at >= report.submitted_at
        if report.state == ReportState.VALIDATED:
            assert report.validated_on == report.reviewed_at.astimezone(MEXICO_CITY).date()
            assert report.validated_on >= report.submitted_on
    pending = ProgressReport.objects.filter(state=ReportState.SUBMITTED)
    ages = sorted((AS_OF_DATE - r.submitted_on).days for r in pending if r.submitted_on)
    assert ages and ages[len(ages) // 2] <= 15, "pending validations are mostly recent"


def test_it_answers_returned_reports_with_a_later_report(seeded):
    answers = ProgressReport.objects.filter(answers__isnull=False).select_related("answers")
    assert answers.count() > 100
    for answer in answers:
        original = answer.answers
        assert original.state == ReportState.RETURNED and original.review_comment
        assert original.commitment_id == answer.commitment_id
        assert original.as_of == answer.as_of
        assert original.reviewed_at is not None and answer.created_at > original.reviewed_at
    doubled = ProgressReport.objects.filter(answers__isnull=False).exclude(state=ReportState.DRAFT)
    assert doubled.values("answers").distinct().count() == doubled.count()
    comments = set(
        ProgressReport.objects.filter(state=ReportState.RETURNED).values_list(
            "review_comment", flat=True
        )
    )
    assert "La evidencia no corresponde al periodo reportado; adjunte la del mes." in comments


def test_it_fits_the_values_to_the_target_kind(seeded):
    reports = ProgressReport.objects.all()
    assert not reports.filter(percent__isnull=False).exclude(
        commitment__target_kind=TargetKind.PERCENT
    )
    assert not reports.filter(indicator_value__isnull=False).exclude(
        commitment__target_kind=TargetKind.INDICATOR
    )
    assert not reports.filter(
        commitment__target_kind=TargetKind.PERCENT, percent__isnull=True
    ).exclude(state=ReportState.DRAFT)
    percents: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for commitment_id, as_of, percent in reports.filter(state=ReportState.VALIDATED).values_list(
        "commitment_id", "as_of", "percent"
    ):
        if percent is not None:
            percents[commitment_id].append((as_of, percent))
    for values in percents.values():
        ordered = [p for _, p in sorted(values)]
        assert ordered == sorted(ordered)


def test_it_reports_with_the_people_of_the_unit_and_reviews_with_the_area(seeded):
    users = {u.pk: u for u in User.objects.all()}
    rows = ProgressReport.objects.values_list(
        "author_id",
        "reviewed_by_id",
        "commitment__responsible_unit_id",
        "commitment__agreement__validating_area_id",
    ).distinct()
    for author, reviewer, unit, area in rows:
        assert can_report(users[author], responsible_unit_id=unit)
        if reviewer is not None:
            assert can_validate(users[reviewer], validating_area_id=area)
    coordinator = User.objects.get(email="coordinacion@demo.imss.gob.mx")
    assert set(
        ExtensionRequest.objects.exclude(status=ExtensionStatus.PENDING).values_list(
            "decided_by", flat=True
        )
    ) == {coordinator.pk}
    assert set(
        Commitment.objects.filter(cancelled_on__isnull=False).values_list("cancelled_by", flat=True)
    ) == {coordinator.pk}
    for comment in Comment.objects.select_related("commitment__agreement", "author")[:500]:
        commitment = comment.commitment
        assert can_report(
            comment.author, responsible_unit_id=commitment.responsible_unit_id
        ) or can_validate(
            comment.author, validating_area_id=commitment.agreement.validating_area_id
        )


def test_it_keeps_every_due_date_of_the_extensions(seeded):
    by_commitment: dict[int, list[ExtensionRequest]] = defaultdict(list)
    for request in ExtensionRequest.objects.select_related("commitment").order_by("created_at"):
        by_commitment[request.commitment_id].append(request)
    for requests in by_commitment.values():
        in_force = requests[0].commitment.due_date
        for request in requests:
            assert request.previous_due_date == in_force
            assert request.new_due_date > request.commitment.start_date
            if request.status == ExtensionStatus.PENDING:
                assert request.decided_on is None and request is requests[-1]
                continue
            assert request.decided_on is not None
            assert request.decided_on >= request.created_at.astimezone(MEXICO_CITY).date()
            if request.status == ExtensionStatus.APPROVED:
                in_force = request.new_due_date
            else:
                assert request.decision_comment


def test_it_stores_real_evidence_files_shared_by_content(seeded):
    names = Counter(Evidence.objects.values_list("file", flat=True))
    assert len(names) < sum(names.values()) / 2
    assert all(re.fullmatch(r"evidencias/[0-9a-f]{32}\.(pdf|png)", name) for name in names)
    stored = {p.name for p in (seeded.media / "evidencias").iterdir()}
    assert {name.removeprefix("evidencias/") for name in names} == stored
    rng = random.Random(5)
    rows = {e.file.name: e for e in Evidence.objects.order_by("pk")}
    for name in rng.sample(sorted(rows), 40):
        evidence = rows[name]
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
        assert hashlib.sha256(content).hexdigest() == evidence.sha256
        assert len(content) == evidence.size
        _, content_type, _ = evidence_files.detect(content, evidence.original_name)
        assert content_type == evidence.content_type
    kinds = Counter(Evidence.objects.values_list("content_type", flat=True))
    assert set(kinds) == {"application/pdf", "image/png"}
    assert Evidence.objects.filter(original_name__startswith="acta_entrega_recepcion").exists()
    assert not Evidence.objects.exclude(uploaded_by=F("report__author")).exists()


def test_it_audits_every_write_of_the_history(seeded):
    events = Counter(AuditEvent.objects.filter(source="seed").values_list("action", flat=True))
    states = Counter(ProgressReport.objects.values_list("state", flat=True))
    sent = sum(states.values()) - states[ReportState.DRAFT]
    assert events["progress.submitted"] == sent
    for state in (ReportState.VALIDATED, ReportState.RETURNED, ReportState.REJECTED):
        assert events[f"progress.{state}"] == states[state]
    drafted_then_sent = ProgressReport.objects.filter(
        Q(state=ReportState.SUBMITTED, version=2)
        | Q(
            state__in=[ReportState.VALIDATED, ReportState.RETURNED, ReportState.REJECTED],
            version=3,
        )
    ).count()
    assert events["progress.drafted"] == states[ReportState.DRAFT] + drafted_then_sent
    extensions = Counter(ExtensionRequest.objects.values_list("status", flat=True))
    assert events["commitment.extension_requested"] == sum(extensions.values())
    assert events["commitment.extended"] == extensions[ExtensionStatus.APPROVED]
    assert events["commitment.extension_denied"] == extensions[ExtensionStatus.DENIED]
    assert (
        events["commitment.cancelled"]
        == Commitment.objects.filter(cancelled_on__isnull=False).count()
    )
    assert events["comment.created"] == Comment.objects.count()
    history = AuditEvent.objects.filter(
        source="seed", action__regex=r"^(progress|comment)\.|^commitment\.(ext|cancel)"
    )
    assert not history.filter(Q(actor__isnull=True) | Q(commitment_id__isnull=True)).exists()
    event = history.filter(action="progress.submitted").order_by("pk").first()
    report = ProgressReport.objects.get(pk=event.target_id)
    assert event.commitment_id == report.commitment_id and event.actor_id == report.author_id
    assert event.context["on"] == report.submitted_on.isoformat()
    assert {e["sha256"] for e in event.context["evidence"]} == set(
        report.evidence.values_list("sha256", flat=True)
    )


def test_it_notifies_the_demo_logins(seeded):
    notifications = Notification.objects.select_related("recipient")
    logins = {login.email for login in DEMO_LOGINS}
    assert notifications.exists()
    assert {n.recipient.email for n in notifications} <= logins
    unread = notifications.filter(read_at__isnull=True)
    assert unread.exists() and notifications.filter(read_at__isnull=False).exists()
    assert all((AS_OF_DATE - n.created_at.astimezone(MEXICO_CITY).date()).days <= 7 for n in unread)
    titles = list(notifications.values_list("title", flat=True))
    assert any(t.startswith("Avance por validar: ") for t in titles)
    assert any("devolvió con observaciones su avance de" in t for t in titles)
    assert any(t.startswith("Solicitud de reprogramación: ") for t in titles)
    assert not notifications.exclude(email_status=EmailStatus.SKIPPED).exists()
    per_user = Counter(notifications.values_list("recipient", flat=True))
    assert max(per_user.values()) <= 40
    validator = User.objects.get(email="validacion.da@demo.imss.gob.mx")
    assert unread.filter(recipient=validator, kind="progress.submitted").exists()


def test_it_gives_every_unit_with_commitments_an_enlace(seeded):
    units = Unit.objects.filter(commitments__isnull=False).distinct()
    assert units.count() > 50
    liaisons = Membership.objects.filter(role=Role.LIAISON, is_active=True)
    assert set(units.values_list("pk", flat=True)) <= set(liaisons.values_list("unit", flat=True))
    generic = User.objects.filter(email__regex=r"^enlace\.(ooad|umae)-")
    assert generic.count() == Unit.objects.filter(
        kind__in=[UnitKind.OOAD, UnitKind.UMAE], commitments__isnull=False
    ).distinct().count() - len(
        {login.unit_code for login in DEMO_LOGINS if login.role == Role.LIAISON}
    )
    assert not any(user.has_usable_password() for user in generic)
    assert generic.filter(memberships__role=Role.LIAISON).count() == generic.count()
    created = AuditEvent.objects.filter(
        action="user.created",
        target_id__in=[str(pk) for pk in generic.values_list("pk", flat=True)],
    )
    assert created.count() == generic.count()


def rules_commitments() -> list[tuple[Commitment, rules.Commitment]]:
    """Every commitment as the pure rules see it, read from the database rows."""
    milestones: dict[int, list[tuple[int, Fraction]]] = defaultdict(list)
    for pk, commitment_id, weight in Milestone.objects.values_list("pk", "commitment_id", "weight"):
        milestones[commitment_id].append((pk, Fraction(weight)))
    done: dict[int, set[int]] = defaultdict(set)
    through = ProgressReport.milestones_done.through
    for report_id, milestone_id in through.objects.values_list("progressreport_id", "milestone_id"):
        done[report_id].add(milestone_id)
    reports: dict[int, list[rules.Report]] = defaultdict(list)
    for report in ProgressReport.objects.exclude(state=ReportState.DRAFT).order_by("pk"):
        if report.percent is not None:
            value: Fraction | frozenset[int] | None = Fraction(report.percent)
        elif report.indicator_value is not None:
            value = Fraction(report.indicator_value)
        else:
            value = frozenset(done[report.pk])
        reports[report.commitment_id].append(
            rules.Report(
                as_of=report.as_of,
                value=value,
                submitted_on=report.submitted_on,
                validated_on=report.validated_on,
                sequence=report.pk,
            )
        )
    extensions: dict[int, list[rules.Extension]] = defaultdict(list)
    for request in ExtensionRequest.objects.filter(status=ExtensionStatus.APPROVED):
        extensions[request.commitment_id].append(
            rules.Extension(
                decided_on=request.decided_on, new_due=request.new_due_date, sequence=request.pk
            )
        )
    result = []
    for c in Commitment.objects.order_by("pk"):
        target = rules.Target(
            kind=c.target_kind,
            baseline=Fraction(c.baseline) if c.baseline is not None else None,
            target=Fraction(c.target_value) if c.target_value is not None else None,
            milestone_weights=tuple(milestones[c.pk]),
        )
        result.append(
            (
                c,
                rules.Commitment(
                    start=c.start_date,
                    due=c.due_date,
                    target=target,
                    weight=Fraction(c.weight),
                    cancelled_on=c.cancelled_on,
                    reports=tuple(reports[c.pk]),
                    extensions=tuple(extensions[c.pk]),
                ),
            )
        )
    return result


def test_it_evaluates_to_the_national_picture_it_prints(seeded):
    evaluations = [rules.evaluate(c, AS_OF_DATE) for _, c in rules_commitments()]
    figures = rules.aggregate(evaluations)
    total = len(evaluations)
    for status in rules.Status:
        assert figures.counts[status] > 0.02 * total, status
    levels = [figures.compliance_level, figures.average_progress, figures.timeliness]
    compliance, average, timeliness = (Fraction(-1) if v is None else v for v in levels)
    assert 40 <= compliance <= 80
    assert 40 <= average <= 90
    assert 50 <= timeliness <= 95
    assert figures.fulfilled_on_time > figures.fulfilled_late > 0
    stale = sum(e.stale for e in evaluations)
    assert 0.05 * total < stale < 0.4 * total
    assert figures.overdue_days_max > 60
    printed = re.search(
        r"cumplimiento ([\d.]+) %, avance promedio ([\d.]+) %, oportunidad del reporte "
        r"([\d.]+) %; en tiempo ([\d,]+), en riesgo ([\d,]+), vencido ([\d,]+), "
        r"cumplido ([\d,]+), cancelado ([\d,]+)\.",
        seeded.output,
    )
    assert printed is not None, seeded.output
    assert [str(rules.shown(level)) for level in levels] == list(printed.groups()[:3])
    assert [figures.counts[s] for s in rules.STATUS_ORDER] == [
        int(n.replace(",", "")) for n in printed.groups()[3:]
    ]
