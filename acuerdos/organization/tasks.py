"""Jobs of the organisation app: e-mail a password-reset link. Taking ids, never instances."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from acuerdos.organization import services


@db_task(retries=3, retry_delay=60)
def send_password_reset(user_id: int, base_url: str | None) -> bool:
    """Send the reset e-mail of one account (a fresh link made now; nothing if deactivated)."""
    return services.password_reset_send(user_id=user_id, base_url=base_url)
