"""The background worker: a real huey consumer picks up and runs a job."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


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
