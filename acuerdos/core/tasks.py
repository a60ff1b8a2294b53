"""Worker plumbing: the scheduler heartbeat, a ping for probes and tests, failures recorded in the
database (`JobFailure`), and the per-slot lock that keeps periodic jobs from running twice.

Jobs take ids, never model instances (STYLE.md); domain jobs live in each app's tasks.py.
Exactly one consumer runs the schedule (`HUEY_PERIODIC=false` on every other one); as a safety
net, a periodic job wraps its work in `claim_slot(name, slot)`, so that even two schedulers run
each slot once.
"""

from __future__ import annotations

import logging
import traceback as tb
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from huey import crontab
from huey.constants import EmptyData
from huey.contrib.djhuey import HUEY, db_periodic_task, signal, task
from huey.signals import SIGNAL_ERROR

from acuerdos.core.models import JobFailure, ScheduleSlot

HEARTBEAT_KEY = "acuerdos:scheduler-heartbeat"
HEARTBEAT_TASK = "core.scheduler_heartbeat"
SLOT_RETENTION = timedelta(days=30)
HEARTBEAT_RETENTION = timedelta(days=2)

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def scheduler_heartbeat() -> None:
    """Every minute, the consumer that runs the schedule leaves a timestamp behind."""
    now = timezone.now()
    if claim_slot(HEARTBEAT_TASK, now.strftime("%Y-%m-%dT%H:%M")):
        HUEY.storage.put_data(HEARTBEAT_KEY, now.isoformat().encode())


def last_heartbeat() -> str | None:
    """ISO timestamp of the last scheduler heartbeat, if any (read without consuming it)."""
    raw = HUEY.storage.peek_data(HEARTBEAT_KEY)
    if raw is EmptyData or not isinstance(raw, bytes):
        return None
    return raw.decode()


@task()
def ping(token: str) -> str:
    """Echo the token: proves a consumer picks up and runs jobs."""
    return token


def claim_slot(task_name: str, slot: str) -> bool:
    """Take the run of `task_name` for `slot` (e.g. a date): True for the first caller only,
    across processes and machines (a unique row in the shared database)."""
    try:
        with transaction.atomic():
            ScheduleSlot.objects.create(task_name=task_name, slot=slot)
    except IntegrityError:
        logger.warning("periodic job %s already ran for slot %s", task_name, slot)
        ScheduleSlot.objects.filter(task_name=task_name, slot=slot).update(
            duplicates=F("duplicates") + 1
        )
        return False
    return True


def forget_old_slots() -> int:
    """Drop slot locks older than the retention (they only guard the recent schedule)."""
    now = timezone.now()
    deleted, _ = ScheduleSlot.objects.filter(
        Q(claimed_at__lt=now - SLOT_RETENTION)
        | Q(task_name=HEARTBEAT_TASK, claimed_at__lt=now - HEARTBEAT_RETENTION)
    ).delete()
    return deleted


@signal(SIGNAL_ERROR)
def record_job_failure(signal_name: str, job: Any, exc: BaseException | None = None) -> None:
    """Every job that raises leaves a `JobFailure` row (and a log line) behind."""
    retries = int(getattr(job, "retries", 0) or 0)
    try:
        JobFailure.objects.create(
            task_name=f"{type(job).__module__}.{getattr(job, 'name', '?')}"[:200],
            task_id=str(getattr(job, "id", ""))[:64],
            args=repr((getattr(job, "args", ()), getattr(job, "kwargs", {})))[:2000],
            error=f"{type(exc).__name__}: {exc}"[:2000] if exc is not None else "?",
            traceback="".join(tb.format_exception(exc))[-8000:] if exc is not None else "",
            retries_left=retries,
            final=retries == 0,
        )
    except Exception:
        # Recording must never take the consumer down; the log still has the failure.
        logger.exception("could not record the failure of job %s", getattr(job, "id", "?"))


@db_periodic_task(crontab(hour="3", minute="40"))
def forget_old_schedule_slots() -> int:
    """Nightly: drop old slot locks."""
    return forget_old_slots()
