"""Two real huey consumers on Redis generate a cut-off's reports and each region's follow-up
meeting pack: each is drawn, stored and delivered exactly once, however many times its jobs are
queued (issue 7: "two workers running at once, each report generated exactly once")."""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any

import pytest

from acuerdos.audit.models import AuditEvent
from acuerdos.core.tests.test_worker import _consumers, _produce, _wait, needs_redis, redis_db
from acuerdos.evaluation.tests.boards_data import build_graded, grow
from acuerdos.notifications.models import OutgoingEmail, OutgoingStatus
from acuerdos.notifications.tests.smtp import running_smtp
from acuerdos.reporting.models import Audience, Report, ReportDelivery
from acuerdos.reporting.selectors import audiences

__all__ = ["redis_db"]  # the fixture, imported for this module's tests

# A retried job's line carries its eta ("<id> @2026-11-23 00:59:34.188007 1 retries").
EXECUTED = re.compile(
    r"acuerdos\.reporting\.tasks\.generate_audience_report: \S+( @\S+ \S+)?( \d+ retries)? "
    r"executed in"
)
PACK_EXECUTED = re.compile(
    r"acuerdos\.reporting\.tasks\.generate_cutoff_pack: \S+( @\S+ \S+)?( \d+ retries)? "
    r"executed in"
)


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_it_generates_and_delivers_each_report_once_with_two_workers(
    world: Any, tmp_path: Any, redis_db: None
) -> None:
    grow(world.meeting, 2, world.users["liaison"])
    cutoff = build_graded(world).cutoff
    refs = audiences(cutoff)
    expected = len(refs)
    regions = sum(1 for ref in refs if ref.kind == Audience.REGION)
    assert expected >= 5 and regions >= 1
    with running_smtp() as server, _consumers(tmp_path, server.port, [True, False]) as logs:
        # The cut-off's fan-out queued twice (a retry racing the first run, or two closings):
        # every audience's job runs twice, on whichever consumer takes it.
        _produce(
            server.port,
            "from acuerdos.reporting.tasks import generate_cutoff_reports\n"
            f"generate_cutoff_reports({cutoff.pk})\ngenerate_cutoff_reports({cutoff.pk})\n",
        )

        def every_job_ran() -> bool:
            texts = [log.read_text(errors="replace") for log in logs]
            ran = sum(len(EXECUTED.findall(text)) for text in texts)
            packs = sum(len(PACK_EXECUTED.findall(text)) for text in texts)
            return ran == 2 * expected and packs == 2 * regions

        _wait(every_job_ran, 240, "los trabajos de informes no terminaron", logs)
        _wait(
            lambda: not OutgoingEmail.objects.exclude(status=OutgoingStatus.SENT).exists(),
            60,
            "los correos de los informes no se enviaron",
            logs,
        )
        time.sleep(1)
        outputs = [log.read_text(errors="replace") for log in logs]

    # Both consumers did some of the work.
    assert all(EXECUTED.search(output) for output in outputs), "one consumer ran every job"
    reports = Report.objects.filter(cutoff=cutoff).exclude(audience=Audience.MEETING_PACK)
    assert reports.count() == 2 * expected  # a PDF and an XLSX per audience, once
    generated = AuditEvent.objects.filter(action="report.generated")
    assert generated.count() == 2 * expected  # drawn and stored once each, never twice
    packs = Report.objects.filter(cutoff=cutoff, audience=Audience.MEETING_PACK)
    assert packs.count() == 2 * regions  # each region's pack: a PDF and an XLSX, once
    assert AuditEvent.objects.filter(action="report.pack_generated").count() == 2 * regions
    assert ReportDelivery.objects.filter(report__in=packs).exists()
    deliveries = Counter(ReportDelivery.objects.values_list("report_id", "user_id", "channel"))
    assert deliveries and max(deliveries.values()) == 1
    sent = Counter((str(m["To"]), str(m["Subject"])) for m in server.messages)
    assert sent and max(sent.values()) == 1
