"""Jobs of the notifications app: send one outgoing e-mail, re-queue what is due, reminders and
the daily digest. Jobs take ids and are idempotent: running one twice sends nothing twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from acuerdos.core.dates import today
from acuerdos.core.tasks import claim_slot
from acuerdos.notifications import digest, mail
from acuerdos.notifications.models import OutgoingStatus


@db_task(retries=3, retry_delay=30)
def send_email(email_id: int) -> str:
    """Send one outgoing e-mail; on a transient error, schedule the next try (backoff)."""
    email = mail.email_send(email_id)
    if email is None:
        return "skipped"
    if email.status == OutgoingStatus.PENDING and email.next_attempt_at is not None:
        delay = mail.retry_delay(email.attempts).total_seconds()
        send_email.schedule(args=(email_id,), delay=delay)
    return str(email.status)


@db_periodic_task(crontab(minute="*/5"))
def requeue_due_emails() -> int:
    """Every five minutes: re-queue pending e-mails whose try is due (a lost job loses nothing)."""
    due = mail.emails_due()
    for email_id in due:
        send_email(email_id)
    return len(due)


# 13:00 UTC is 07:00 in Mexico City (UTC−6 all year): huey evaluates crontabs in UTC. Offered
# every hour until the evening, so that a worker that was down at 07:00 still sends the day's
# reminders when it comes back; the day's slot lets only the first run do the work.
@db_periodic_task(crontab(hour="13-23", minute="0"))
def daily_notifications() -> str:
    """Once a day: reminders, then the digests — once per day even if two schedulers run."""
    on = today()
    if not claim_slot("notifications.daily", on.isoformat()):
        return "skipped"
    result = digest.daily_notifications(on=on)
    return f"{result.reminders} recordatorios, {result.digest.emails} correos"
