"""The package-wide seed shared by the tests of what `seed_demo` writes (see conftest.py), and
fingerprints of everything it decides — read from the database, or computed from the plan —
without database ids, stored file names or times of day."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from acuerdos.commitments.models import (
    Agreement,
    Commitment,
    ExtensionRequest,
    ExtensionStatus,
    Milestone,
)
from acuerdos.core import uploads as evidence_files
from acuerdos.demo.history import COORDINATOR, VALIDATOR, EvidencePlan, commitment_history
from acuerdos.demo.history_services import evidence_content, people_resolve
from acuerdos.demo.plan import demo_plans
from acuerdos.demo.services import catalog_snapshot, history_context
from acuerdos.progress.models import Comment, Evidence, ProgressReport

AS_OF = "2026-11-22"
AS_OF_DATE = dt.date.fromisoformat(AS_OF)

Rows = list[tuple[object, ...]]


@dataclass
class Seeded:
    output: str
    fingerprint: tuple[Rows, ...]
    media: Path


def _rows(rows: Iterable[Iterable[object]]) -> Rows:
    """Rows with decimals written canonically (the database pads them with zeros), sorted."""
    normal = [
        tuple(format(v.normalize(), "f") if isinstance(v, Decimal) else v for v in row)
        for row in rows
    ]
    return sorted(normal, key=repr)


def fingerprint() -> tuple[Rows, ...]:
    """Everything the seeder decides, read from the database."""
    through = Commitment.co_responsible_units.through
    key = ("commitment__agreement__folio", "commitment__responsible_unit__code")
    report_key = (*(f"report__{k}" for k in key), "report__as_of", "report__state")
    done = ProgressReport.milestones_done.through
    return (
        _rows(
            Agreement.objects.values_list(
                "folio",
                "meeting__code",
                "text",
                "deliverable",
                "theme__code",
                "validating_area__code",
                "priority",
            )
        ),
        _rows(
            Commitment.objects.values_list(
                "agreement__folio",
                "responsible_unit__code",
                "start_date",
                "due_date",
                "weight",
                "target_kind",
                "indicator_name",
                "unit_of_measure",
                "baseline",
                "target_value",
            )
        ),
        _rows(through.objects.values_list(*key, "unit__code")),
        _rows(Milestone.objects.values_list(*key, "order", "name", "due_date", "weight")),
        _rows(
            ProgressReport.objects.values_list(
                *key,
                "as_of",
                "state",
                "percent",
                "indicator_value",
                "narrative",
                "author__email",
                "submitted_on",
                "reviewed_by__email",
                "validated_on",
                "review_comment",
                "answers__as_of",
                "answers__state",
                "version",
            )
        ),
        _rows(
            done.objects.values_list(
                *(f"progressreport__{k}" for k in key),
                "progressreport__as_of",
                "progressreport__state",
                "milestone__name",
            )
        ),
        _rows(
            Evidence.objects.values_list(
                *report_key, "original_name", "sha256", "size", "content_type"
            )
        ),
        _rows(
            ExtensionRequest.objects.values_list(
                *key,
                "previous_due_date",
                "new_due_date",
                "status",
                "decided_on",
                "justification",
                "decision_comment",
                "requested_by__email",
            )
        ),
        _rows(Comment.objects.values_list(*key, "author__email", "text")),
        _rows(
            Commitment.objects.filter(cancelled_on__isnull=False).values_list(
                "agreement__folio",
                "responsible_unit__code",
                "cancelled_on",
                "cancelled_by__email",
                "cancellation_reason",
            )
        ),
    )


def planned_fingerprint(*, seed: int = 1, as_of: dt.date = AS_OF_DATE) -> tuple[Rows, ...]:
    """The same fingerprint, computed from the plan alone (with the demo users of the
    database standing for the roles the plan names)."""
    catalog = catalog_snapshot()
    people = people_resolve(catalog)
    context = history_context(catalog, seed=seed, as_of=as_of)
    files: dict[str, tuple[str, int, str]] = {}

    def stored(plan: EvidencePlan) -> tuple[str, int, str]:
        if plan.key not in files:
            content = evidence_content(plan)
            checked = evidence_files.check_upload(io.BytesIO(content), plan.original_name)
            files[plan.key] = (checked.sha256, checked.size, checked.content_type)
        return files[plan.key]

    tables: tuple[Rows, ...] = tuple([] for _ in range(10))
    agreements, commitments, co, milestones, reports, done, evidence, extensions = tables[:8]
    comments, cancellations = tables[8:]
    for meeting in demo_plans(catalog, scale=1, seed=seed):
        for a in meeting.agreements:
            agreements.append(
                (
                    a.folio,
                    meeting.spec.code,
                    a.text,
                    a.deliverable,
                    a.theme_code,
                    a.validating_area_code,
                    a.priority,
                )
            )
            for c in a.commitments:
                unit = c.unit_code
                commitments.append(
                    (
                        a.folio,
                        unit,
                        c.start_date,
                        c.due_date,
                        c.weight,
                        c.target_kind,
                        c.indicator_name,
                        c.unit_of_measure,
                        c.baseline,
                        c.target_value,
                    )
                )
                co += [(a.folio, unit, code) for code in c.co_responsible]
                milestones += [
                    (a.folio, unit, order, m.name, m.due_date, m.weight)
                    for order, m in enumerate(c.milestones, start=1)
                ]
                history = commitment_history(context, a, c)
                for r in history.reports:
                    answered = history.reports[r.answers] if r.answers is not None else None
                    reviewer = people.area_user(a.validating_area_code, r.reviewer)
                    reports.append(
                        (
                            a.folio,
                            unit,
                            r.as_of,
                            r.state,
                            r.percent,
                            r.indicator_value,
                            r.narrative,
                            people.unit_user(unit, r.author).email,
                            r.submitted_on,
                            reviewer.email if r.reviewer else None,
                            r.validated_on,
                            r.review_comment,
                            answered.as_of if answered else None,
                            answered.state if answered else None,
                            r.version,
                        )
                    )
                    done += [
                        (a.folio, unit, r.as_of, r.state, c.milestones[i].name)
                        for i in r.milestones_done
                    ]
                    evidence += [
                        (a.folio, unit, r.as_of, r.state, e.original_name, *stored(e))
                        for e in r.evidence
                    ]
                for e in history.extensions:
                    if e.approved is None:
                        status = ExtensionStatus.PENDING
                    else:
                        status = ExtensionStatus.APPROVED if e.approved else ExtensionStatus.DENIED
                    extensions.append(
                        (
                            a.folio,
                            unit,
                            e.previous_due_date,
                            e.new_due_date,
                            status,
                            e.decided_on,
                            e.justification,
                            e.decision_comment,
                            people.unit_user(unit, e.requested_by).email,
                        )
                    )
                for m in history.comments:
                    if m.author in (VALIDATOR, COORDINATOR):
                        author = people.area_user(a.validating_area_code, m.author)
                    else:
                        author = people.unit_user(unit, m.author)
                    comments.append((a.folio, unit, author.email, m.text))
                if history.cancellation is not None:
                    cancellations.append(
                        (
                            a.folio,
                            unit,
                            history.cancellation.on,
                            people.coordinator.email,
                            history.cancellation.reason,
                        )
                    )
    return tuple(_rows(table) for table in tables)


@pytest.fixture(scope="package")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("seed_demo", "--seed", "1", "--as-of", AS_OF, stdout=out)
        yield Seeded(output=out.getvalue(), fingerprint=fingerprint(), media=media)
        transaction.set_rollback(True)
