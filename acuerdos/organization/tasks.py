"""Jobs of the organisation app: the password-reset e-mail. Jobs take plain values (ids, an
address), never model instances."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from acuerdos.organization import services


@db_task(retries=3, retry_delay=60)
def send_password_reset(email: str, base_url: str | None) -> bool:
    """Look the address up and, for an active account, e-mail a fresh one-time link."""
    return services.password_reset_request(email=email, base_url=base_url)
