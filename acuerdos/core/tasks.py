"""Worker plumbing: a heartbeat that shows the scheduler is alive, and a ping for probes/tests.

Jobs take ids, never model instances (STYLE.md); domain jobs live in each app's tasks.py.
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.constants import EmptyData
from huey.contrib.djhuey import HUEY, db_periodic_task, task

HEARTBEAT_KEY = "acuerdos:scheduler-heartbeat"


@db_periodic_task(crontab(minute="*"))
def scheduler_heartbeat() -> None:
    """Every minute, the consumer that runs the schedule leaves a timestamp behind."""
    HUEY.storage.put_data(HEARTBEAT_KEY, timezone.now().isoformat().encode())


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
