"""Fixtures of the notifications tests: a real SMTP server on loopback, wired into settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from acuerdos.notifications.tests.smtp import SmtpServer, running_smtp


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    """An aiosmtpd server on 127.0.0.1; Django sends through it for the test."""
    with running_smtp() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server
