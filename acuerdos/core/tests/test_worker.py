"""The background worker: real huey consumers pick up and run jobs, each exactly once.

The Redis tests start two consumers (`manage.py run_huey`) on a Redis database of their own and
a database file they share with the test (a transactional test, so the consumers see its rows).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from acuerdos.core.models import JobFailure, ScheduleSlot
from acuerdos.core.tasks import HEARTBEAT_TASK, claim_slot, record_job_failure
from acuerdos.notifications.models import EmailAttempt, OutgoingEmail, OutgoingStatus
from acuerdos.notifications.services import notify
from acuerdos.notifications.tests.smtp import running_smtp
from acuerdos.organization.models import User
from acuerdos.organization.tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 11
# Queues of this test process only: concurrent runs (SQLite, PostgreSQL) never share one.
HUEY_NAME = f"acuerdos-test-{os.getpid()}"


def _redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis(REDIS_HOST, REDIS_PORT, db=REDIS_DB, socket_timeout=1).ping())
    except Exception:
        return False


needs_redis = pytest.mark.skipif(
    not _redis_reachable(), reason=f"Redis no responde en {REDIS_HOST}:{REDIS_PORT}"
)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "acuerdos.settings_test",
        "HUEY_IMMEDIATE": "false",
        "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
        "HUEY_PERIODIC": "false",
    }
    env.pop("REDIS_URL", None)
    return env


def test_it_runs_a_job_on_a_real_consumer(tmp_path):
    env = _env(tmp_path)
    consumer = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        producer = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from acuerdos.core.tasks import ping; "
                "print(ping('hola-worker').get(blocking=True, timeout=30))",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        consumer.terminate()
        consumer.wait(timeout=10)
    assert producer.returncode == 0, producer.stderr
    assert producer.stdout.strip().splitlines()[-1] == "hola-worker"


@pytest.mark.django_db
def test_it_runs_a_periodic_slot_once():
    assert claim_slot("reminders", "2026-03-02") is True
    assert claim_slot("reminders", "2026-03-02") is False
    assert claim_slot("reminders", "2026-03-03") is True
    assert ScheduleSlot.objects.get(task_name="reminders", slot="2026-03-02").duplicates == 1


@pytest.mark.django_db
def test_it_records_a_failed_job_for_coordinators():
    class Job:
        name = "send_email"
        id = "abc"
        args = (7,)
        kwargs: dict[str, object] = {}
        retries = 2

    try:
        raise ConnectionError("Redis se fue")
    except ConnectionError as error:
        record_job_failure("error", Job(), error)
    failure = JobFailure.objects.get()
    assert failure.task_name.endswith(".send_email") and failure.args == "((7,), {})"
    assert failure.error == "ConnectionError: Redis se fue" and "Traceback" in failure.traceback
    assert failure.retries_left == 2 and failure.final is False


# --- Two consumers on Redis ---------------------------------------------------------------------


def _database_url() -> str:
    config = connection.settings_dict
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{config['NAME']}"
    return (
        f"postgres://{config['USER']}:{config['PASSWORD']}@{config['HOST'] or '127.0.0.1'}:"
        f"{config['PORT'] or 5432}/{config['NAME']}"
    )


def _redis_env(smtp_port: int, *, periodic: bool) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "acuerdos.notifications.tests.worker_settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        "HUEY_IMMEDIATE": "false",
        "HUEY_NAME": HUEY_NAME,
        "HUEY_PERIODIC": "true" if periodic else "false",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }


@contextmanager
def _consumers(tmp_path: Path, smtp_port: int, periodic: list[bool]) -> Iterator[list[Path]]:
    """Start one `run_huey` per entry (periodic on/off); yield their log files."""
    processes: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    try:
        for index, is_periodic in enumerate(periodic):
            log = tmp_path / f"consumer-{index}.log"
            logs.append(log)
            with log.open("wb") as handle:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "manage.py", "run_huey", "--workers", "2"],
                        cwd=ROOT,
                        env=_redis_env(smtp_port, periodic=is_periodic),
                        stdout=handle,
                        stderr=subprocess.STDOUT,
                    )
                )
        yield logs
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _produce(smtp_port: int, code: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=_redis_env(smtp_port, periodic=False),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def _wait(condition, timeout: float, message: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    tails = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in logs)
    raise AssertionError(f"{message}\n{tails}")


PERIODIC_LINE = re.compile(r"Enqueueing periodic task acuerdos\.core\.tasks\.scheduler_heartbeat")


@pytest.fixture
def redis_db() -> Iterator[None]:
    import redis

    client = redis.Redis(REDIS_HOST, REDIS_PORT, db=REDIS_DB)

    def clear() -> None:
        for key in client.scan_iter(match=f"*{HUEY_NAME}*"):
            client.delete(key)

    clear()
    yield
    clear()


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_it_sends_each_email_once_and_runs_each_periodic_slot_once_with_two_consumers(
    tmp_path, redis_db
):
    emails = [
        OutgoingEmail.objects.create(
            to=f"persona{i}@imss.gob.mx",
            subject=f"Aviso {i}",
            body="Prueba de dos trabajadores.",
            next_attempt_at=timezone.now(),
        )
        for i in range(24)
    ]
    ids = [e.pk for e in emails]
    people: list[User] = [UserFactory(email=f"enlace{i}@imss.gob.mx") for i in range(5)]
    for person in people:
        notify(recipients=[person], kind="progress.validated", title="Se validó su reporte")
    with running_smtp() as server, _consumers(tmp_path, server.port, [True, True, False]) as logs:
        # Every e-mail is queued twice (a re-queue racing the first job), and the daily job
        # twice (as two schedulers would): each e-mail goes once, each person gets one digest.
        _produce(
            server.port,
            "from acuerdos.notifications.tasks import daily_notifications, send_email\n"
            f"for pk in {ids!r} * 2:\n    send_email(pk)\n"
            "daily_notifications()\ndaily_notifications()\n"
            # A job that raises (ping needs its token) leaves a JobFailure behind.
            "from acuerdos.core.tasks import ping\nping()\n",
        )
        total = len(ids) + len(people)
        _wait(
            lambda: (
                OutgoingEmail.objects.filter(status=OutgoingStatus.SENT).count() == total
                and ScheduleSlot.objects.filter(
                    task_name="notifications.daily", duplicates=1
                ).exists()
                and JobFailure.objects.exists()
            ),
            60,
            "los correos no se enviaron",
            logs,
        )

        # Both periodic consumers enqueue the heartbeat at the next minute; the third does not.
        def both_scheduled() -> bool:
            texts = [log.read_text(errors="replace") for log in logs[:2]]
            return all(PERIODIC_LINE.search(text) for text in texts)

        _wait(both_scheduled, 75, "los dos programadores no encolaron el latido", logs)
        _wait(
            lambda: ScheduleSlot.objects.filter(
                task_name=HEARTBEAT_TASK, duplicates__gt=0
            ).exists(),
            20,
            "el segundo latido del mismo minuto no se detectó",
            logs,
        )
        time.sleep(1)
        outputs = [log.read_text(errors="replace") for log in logs]

    expected = sorted([str(e.to) for e in emails] + [str(p.email) for p in people])
    assert sorted(str(m["To"]) for m in server.messages) == expected
    assert set(OutgoingEmail.objects.values_list("attempts", flat=True)) == {1}
    assert EmailAttempt.objects.count() == total
    assert OutgoingEmail.objects.filter(dedupe_key__startswith="digest:").count() == len(people)
    # Each minute slot ran once: the second scheduler's run was counted and kept out.
    for slot in ScheduleSlot.objects.filter(task_name=HEARTBEAT_TASK):
        assert slot.duplicates <= 1
    assert "Periodic tasks are disabled" in outputs[2]
    assert not PERIODIC_LINE.search(outputs[2])
    (failure,) = JobFailure.objects.all()
    assert failure.task_name == "acuerdos.core.tasks.ping"
    assert failure.error.startswith("TypeError:") and failure.final
