"""The demo progress history as a plan: deterministic, cut cleanly at the as-of date, true to
each target kind, and evaluating (with the pure rules of PRODUCT.md §3) to a plausible country.

These tests plan the history of the whole round at scale 1 without writing it; the tests of what
`seed_demo` writes are in `test_seed_demo.py`.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import shutil
import subprocess
from collections import Counter
from decimal import Decimal

import pytest
from PIL import Image

from acuerdos.commitments.models import TargetKind
from acuerdos.core import uploads as evidence_files
from acuerdos.demo import documents
from acuerdos.demo.history import (
    COORDINATOR,
    HEAD,
    LIAISON,
    VALIDATOR,
    CommitmentHistory,
    Profile,
    commitment_history,
    rules_commitment,
)
from acuerdos.demo.plan import AgreementPlan, CommitmentPlan, demo_plans
from acuerdos.demo.services import catalog_snapshot, history_context
from acuerdos.evaluation import rules
from acuerdos.progress.models import ReportState

AS_OF = dt.date(2026, 11, 22)
EARLIER = dt.date(2026, 9, 30)

Planned = list[tuple[AgreementPlan, CommitmentPlan, CommitmentHistory]]


@pytest.fixture(scope="module")
def round_plans(django_db_setup, django_db_blocker):
    from django.db import transaction

    from acuerdos.organization.services import catalog_load

    with django_db_blocker.unblock(), transaction.atomic():
        catalog_load()
        catalog = catalog_snapshot()
        transaction.set_rollback(True)
    return catalog, list(demo_plans(catalog, scale=1, seed=1))


def plan_history(round_plans, *, as_of: dt.date = AS_OF, seed: int = 1) -> Planned:
    catalog, plans = round_plans
    context = history_context(catalog, seed=seed, as_of=as_of)
    return [
        (agreement, commitment, commitment_history(context, agreement, commitment))
        for meeting in plans
        for agreement in meeting.agreements
        for commitment in agreement.commitments
    ]


@pytest.fixture(scope="module")
def planned(round_plans) -> Planned:
    return plan_history(round_plans)


def test_it_plans_the_same_history_for_the_same_seed_and_date(round_plans, planned):
    again = plan_history(round_plans)
    assert [h for _, _, h in again] == [h for _, _, h in planned]
    other = plan_history(round_plans, seed=2)
    assert [h for _, _, h in other] != [h for _, _, h in planned]


def test_it_keeps_the_past_when_the_as_of_date_moves_on(round_plans, planned):
    """The history up to a date does not depend on how far the seed goes: what was sent by
    then is the same report (its state may have moved on since)."""
    earlier = plan_history(round_plans, as_of=EARLIER)

    def sent_by(history: CommitmentHistory, day: dt.date):
        return [
            (r.as_of, r.percent, r.indicator_value, r.milestones_done, r.narrative, r.submitted_at)
            for r in history.reports
            if r.submitted_on is not None and r.submitted_on <= day
        ]

    for (_, _, before), (_, _, after) in zip(earlier, planned, strict=True):
        assert sent_by(before, EARLIER) == sent_by(after, EARLIER)
        assert before.profile == after.profile
        assert [e.requested_at for e in before.extensions] == [
            e.requested_at for e in after.extensions if e.requested_at.date() <= EARLIER
        ]


def test_it_never_plans_anything_after_the_as_of_date(planned):
    for _, commitment, history in planned:
        for report in history.reports:
            assert commitment.start_date < report.as_of <= AS_OF
            assert report.created_at.date() <= AS_OF
            assert report.as_of <= report.created_at.date()
            for moment in (report.submitted_at, report.reviewed_at):
                assert moment is None or moment.date() <= AS_OF
        for extension in history.extensions:
            assert extension.requested_at.date() <= AS_OF
            assert extension.decided_on is None or extension.decided_on <= AS_OF
        assert all(c.at.date() <= AS_OF for c in history.comments)
        assert history.cancellation is None or history.cancellation.on <= AS_OF


def test_it_orders_the_dates_of_every_report(planned):
    for _, _, history in planned:
        for report in history.reports:
            if report.state == ReportState.DRAFT:
                assert report.submitted_at is None and report.reviewed_at is None
                continue
            assert report.submitted_on is not None and report.submitted_on > report.as_of
            assert report.created_at <= report.submitted_at
            if report.state == ReportState.SUBMITTED:
                assert report.reviewed_at is None and not report.review_comment
                continue
            assert report.reviewed_at is not None and report.reviewed_at > report.submitted_at
            assert report.reviewer in (VALIDATOR, COORDINATOR)
            if report.state in (ReportState.RETURNED, ReportState.REJECTED):
                assert report.review_comment
            assert (report.validated_on is not None) == (report.state == ReportState.VALIDATED)
            assert report.author in (LIAISON, HEAD)


def test_it_answers_returned_reports_with_a_new_report_for_the_same_period(planned):
    answered = 0
    for _, _, history in planned:
        reports = history.reports
        for report in reports:
            if report.answers is None:
                continue
            original = reports[report.answers]
            assert original.state == ReportState.RETURNED
            assert original.as_of == report.as_of
            assert original.reviewed_at is not None and report.created_at > original.reviewed_at
            answered += 1
        answers = [r.answers for r in reports if r.answers is not None]
        assert len(answers) == len(set(answers))
    assert answered > 100


def test_it_fits_the_reported_values_to_the_target(planned):
    for _, commitment, history in planned:
        sent = [r for r in history.reports if r.state != ReportState.DRAFT]
        kind = commitment.target_kind
        for report in history.reports:
            assert (report.percent is not None) == (kind == TargetKind.PERCENT)
            assert (report.indicator_value is not None) == (kind == TargetKind.INDICATOR)
            if kind != TargetKind.MILESTONES:
                assert report.milestones_done == ()
        if kind == TargetKind.PERCENT:
            values = [r.percent for r in sorted(sent, key=lambda r: r.as_of)]
            assert all(Decimal(0) <= v <= Decimal(100) for v in values)
            assert values == sorted(values), "percent never goes down"
        elif kind == TargetKind.MILESTONES:
            count = len(commitment.milestones)
            done = [set(r.milestones_done) for r in sorted(sent, key=lambda r: r.as_of)]
            assert all(d <= set(range(count)) for d in done)
            assert all(a <= b for a, b in itertools.pairwise(done)), "sets only grow"
        elif sent:
            assert commitment.baseline is not None and commitment.target_value is not None
            first = rules_commitment(commitment, history)
            progress = [rules.report_progress(first.target, r.value) for r in first.reports]
            assert all(0 <= p <= 100 for p in progress)
            assert all(v.indicator_value >= 0 for v in sent)
            if commitment.unit_of_measure == "%":
                assert all(v.indicator_value <= 100 for v in sent)


def test_it_moves_indicators_from_the_baseline_toward_the_target(planned):
    lower = higher = 0
    for _, commitment, history in planned:
        if commitment.target_kind != TargetKind.INDICATOR or commitment.baseline is None:
            continue
        assert commitment.target_value is not None
        sent = sorted(
            (r for r in history.reports if r.state == ReportState.VALIDATED),
            key=lambda r: r.as_of,
        )
        if len(sent) < 2:
            continue
        first, last = sent[0].indicator_value, sent[-1].indicator_value
        assert first is not None and last is not None
        if commitment.target_value < commitment.baseline:
            lower += 1
            assert last <= commitment.baseline
        else:
            higher += 1
            assert last >= commitment.baseline
    assert lower > 20 and higher > 20


def test_it_mixes_the_lives_of_commitments(planned):
    profiles = Counter(h.profile for _, _, h in planned)
    assert set(profiles) == set(Profile)
    states = Counter(r.state for _, _, h in planned for r in h.reports)
    assert set(states) == set(ReportState.values)
    assert (
        states[ReportState.VALIDATED] > states[ReportState.RETURNED] > states[ReportState.REJECTED]
    )
    extensions = Counter(
        "pending" if e.approved is None else e.approved for _, _, h in planned for e in h.extensions
    )
    assert extensions[True] > 50 and extensions[False] > 20 and extensions["pending"] > 0
    for _, _, history in planned:
        approved = [e for e in history.extensions if e.approved]
        for previous, extension in zip(history.extensions, history.extensions[1:], strict=False):
            assert extension.requested_at > (previous.decided_at or previous.requested_at)
        if approved:
            assert approved[0].previous_due_date < approved[0].new_due_date
    cancelled = [h for _, _, h in planned if h.cancellation is not None]
    assert 20 < len(cancelled) < 0.06 * len(planned)
    for history in cancelled:
        assert history.cancellation is not None
        assert all(r.created_at < history.cancellation.at for r in history.reports)
    reports = Counter(len(h.reports) for _, _, h in planned)
    assert sum(n for k, n in reports.items() if k >= 3) > 0.6 * len(planned)


def test_it_evaluates_to_a_plausible_national_picture(planned):
    evaluations = [
        rules.evaluate(rules_commitment(commitment, history), AS_OF)
        for _, commitment, history in planned
    ]
    figures = rules.aggregate(evaluations)
    assert all(figures.counts[status] > 0.02 * len(planned) for status in rules.Status)
    assert figures.compliance_level is not None and 40 <= figures.compliance_level <= 80
    assert figures.average_progress is not None and 40 <= figures.average_progress <= 90
    assert figures.timeliness is not None and 50 <= figures.timeliness <= 95
    assert figures.fulfilled_on_time > figures.fulfilled_late > 0
    stale = sum(e.stale for e in evaluations)
    assert 0.05 * len(planned) < stale < 0.4 * len(planned)


def test_it_writes_narratives_in_spanish_from_parts(planned):
    narratives = [r.narrative for _, _, h in planned for r in h.reports]
    assert len(set(narratives)) > 0.8 * len(narratives)
    for text in narratives[:2000]:
        assert text.endswith(".") and text[0].isupper()
        assert "{" not in text and "  " not in text
        assert " de el " not in text and " a el " not in text
        assert "lorem" not in text.lower()
    comments = [c.text for _, _, h in planned for c in h.comments]
    assert comments and all("{" not in c and c.lstrip("¿¡")[0].isupper() for c in comments)


def test_it_names_evidence_files_like_people_do(planned):
    names = Counter(e.original_name for _, _, h in planned for r in h.reports for e in r.evidence)
    assert any(name.startswith("acta_entrega_recepcion") for name in names)
    assert any(name.endswith(".png") for name in names)
    assert all(name.endswith((".pdf", ".png")) and " " not in name for name in names)
    keys = {e.key for _, _, h in planned for r in h.reports for e in r.evidence}
    assert len(keys) < sum(names.values()) / 2, "evidence is shared by content"


def test_it_builds_real_pdf_and_png_files():
    pdf = documents.pdf_document(
        "Acta de entrega-recepción", "OOAD Jalisco · junio de 2026", ("Párrafo (con acentos).",)
    )
    checked = evidence_files.check_upload(io.BytesIO(pdf), "acta_entrega_recepcion_junio.pdf")
    assert checked.content_type == "application/pdf" and pdf.endswith(b"%%EOF\n")
    assert pdf == documents.pdf_document(
        "Acta de entrega-recepción", "OOAD Jalisco · junio de 2026", ("Párrafo (con acentos).",)
    )
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "Acta de entrega-recepción" in text and "OOAD Jalisco · junio de 2026" in text
    png = documents.png_photo("Avance de obra", "Fotografía de la unidad")
    checked = evidence_files.check_upload(io.BytesIO(png), "foto_obra_avance.png")
    assert checked.content_type == "image/png"
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == documents.PHOTO_SIZE
