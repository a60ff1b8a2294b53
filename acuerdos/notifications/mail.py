"""The e-mail outbox: every e-mail is stored first, then sent by the worker, retried until it goes.

`email_enqueue` is the only way the system sends mail (reports, digests, reminders). It stores an
`OutgoingEmail` row and, once the caller's transaction commits, asks the worker to send it. The
worker calls `email_send`, which takes a short lease on the row (two workers never send the same
e-mail), hands it to the SMTP server configured by `EMAIL_URL` and records the attempt. A
transient error (server down, timeout, 4xx) keeps the e-mail pending and schedules the next try
with exponential backoff; a permanent one (5xx) or too many attempts marks it failed, listed for
coordinators, who can send it again. A periodic sweep re-queues whatever is due, so that a lost
job never loses an e-mail.

The outbox is its own log (one `EmailAttempt` per try), so sending is not written to the audit
trail; only a coordinator's manual re-send is.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from acuerdos.audit import services as audit
from acuerdos.notifications.models import EmailAttempt, OutgoingEmail, OutgoingStatus
from acuerdos.organization.models import User

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
# A job that was enqueued but never ran (worker down, queue flushed) is picked up by the sweep
# after this grace period.
SWEEP_GRACE = timedelta(minutes=2)


def max_attempts() -> int:
    """Transient failures before an e-mail is marked failed (setting EMAIL_MAX_ATTEMPTS)."""
    return int(getattr(settings, "EMAIL_MAX_ATTEMPTS", 12))


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the n-th failed attempt: 1, 2, 4, 8… minutes, at most 6 hours."""
    delay: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, LONGEST_RETRY)


def _clean_attachments(attachments: Sequence[tuple[str, str, str]]) -> list[list[str]]:
    cleaned: list[list[str]] = []
    for item in attachments:
        if len(item) != 3 or not all(isinstance(part, str) and part for part in item):
            raise ValidationError(
                _("Cada adjunto lleva nombre, archivo guardado y tipo: %(item)r") % {"item": item}
            )
        cleaned.append([item[0], item[1], item[2]])
    return cleaned


def email_enqueue(
    *,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    attachments: Sequence[tuple[str, str, str]] = (),
    dedupe_key: str | None = None,
    user: User | None = None,
) -> OutgoingEmail:
    """Put an e-mail in the outbox and, on commit, ask the worker to send it.

    `attachments` are `(file name, storage name in default_storage, mimetype)`; the files are read
    when the e-mail is sent. With a `dedupe_key`, enqueueing the same key again returns the
    existing row and sends nothing new.
    """
    if dedupe_key:
        existing = OutgoingEmail.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    email = OutgoingEmail(
        to=to.strip(),
        subject=" ".join(subject.split())[:300],
        body=body,
        html=html,
        attachments=_clean_attachments(attachments),
        dedupe_key=dedupe_key or None,
        user=user,
        next_attempt_at=timezone.now(),
    )
    # The key's uniqueness is left to the insert below: checked here too, a key committed by
    # another worker between the lookup above and this check would fail the job instead of
    # returning that worker's row.
    email.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        # Another process enqueued the same key between the check and the insert.
        if not dedupe_key:
            raise
        return OutgoingEmail.objects.get(dedupe_key=dedupe_key)
    email_id = email.pk
    transaction.on_commit(lambda: _enqueue_job(email_id))
    return email


def _enqueue_job(email_id: int) -> None:
    """Ask the worker to send the e-mail. The row is already committed: if the queue is down, the
    periodic sweep sends it later, so the caller's request must not fail for it."""
    from acuerdos.notifications.tasks import send_email

    try:
        send_email(email_id)
    except Exception:
        logger.exception("could not queue e-mail %s; the sweep will send it", email_id)


def _claim(email_id: int, now: datetime) -> bool:
    """Take the lease on a due, pending e-mail; False when it is sent, not due, or taken."""
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id, status=OutgoingStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + LEASE)
    )
    return claimed == 1


class PermanentError(Exception):
    """The e-mail can never be delivered as it is (missing attachment, address refused)."""


def is_permanent(error: BaseException) -> bool:
    """5xx answers are permanent; connection errors, timeouts, 4xx and bad credentials are not
    (the server or the configuration will be fixed, and the e-mail must then go)."""
    if isinstance(error, PermanentError):
        return True
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(
            code >= 500 for code, _msg in error.recipients.values()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _message(email: OutgoingEmail, connection: Any) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        connection=connection,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for name, stored, mimetype in email.attachments:
        try:
            with default_storage.open(stored, "rb") as handle:
                content = handle.read()
        except FileNotFoundError as error:
            missing = _("No se encontró el adjunto %(name)s.") % {"name": name}
            raise PermanentError(missing) from error
        message.attach(name, content, mimetype)
    return message


def _deliver(email: OutgoingEmail) -> None:
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or 30
    connection = get_connection(fail_silently=False, timeout=timeout)
    _message(email, connection).send(fail_silently=False)


def email_send(email_id: int, *, now: datetime | None = None) -> OutgoingEmail | None:
    """Try to send one outgoing e-mail now; record the attempt and what comes next.

    Returns the updated row, or None when there was nothing to do (already sent, not due yet,
    or another worker holds it): calling it twice never sends twice.
    """
    now = now or timezone.now()
    if not _claim(email_id, now):
        return None
    email = OutgoingEmail.objects.get(pk=email_id)
    error: BaseException | None = None
    try:
        _deliver(email)
    except (smtplib.SMTPException, OSError, PermanentError) as exc:
        error = exc
    finished = timezone.now()
    with transaction.atomic():
        email.attempts += 1
        email.claimed_until = None
        if error is None:
            email.status = OutgoingStatus.SENT
            email.sent_at = finished
            email.last_error = ""
            email.next_attempt_at = None
        else:
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if is_permanent(error) or email.attempts >= max_attempts():
                email.status = OutgoingStatus.FAILED
                email.next_attempt_at = None
            else:
                email.next_attempt_at = finished + retry_delay(email.attempts)
        email.save(
            update_fields=[
                "attempts",
                "claimed_until",
                "status",
                "sent_at",
                "last_error",
                "next_attempt_at",
            ]
        )
        EmailAttempt.objects.create(
            email=email, ok=error is None, error="" if error is None else email.last_error
        )
    return email


def emails_due(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Pending e-mails whose next try is due (past the grace period of a fresh enqueue)."""
    now = now or timezone.now()
    return list(
        OutgoingEmail.objects.filter(
            status=OutgoingStatus.PENDING, next_attempt_at__lte=now - SWEEP_GRACE
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def email_retry(*, email_id: int, actor: User) -> OutgoingEmail:
    """A coordinator sends a failed e-mail again (after the address or the server was fixed)."""
    email = OutgoingEmail.objects.select_for_update().get(pk=email_id)
    if email.status != OutgoingStatus.FAILED:
        raise ValidationError(_("Solo se reintenta un correo que falló."))
    email.status = OutgoingStatus.PENDING
    email.next_attempt_at = timezone.now()
    email.claimed_until = None
    email.save(update_fields=["status", "next_attempt_at", "claimed_until"])
    audit.record(
        actor=actor,
        action="email.retried",
        target=email,
        context={"to": email.to, "subject": email.subject, "attempts": email.attempts},
    )
    transaction.on_commit(lambda: _enqueue_job(email_id))
    return email


def email_enqueue_many(emails: Sequence[OutgoingEmail]) -> list[OutgoingEmail]:
    """Put many unsaved e-mails in the outbox at once (digests): validated, inserted in bulk,
    each sent by the worker after the caller's transaction commits."""
    now = timezone.now()
    for email in emails:
        email.next_attempt_at = now
        # Uniqueness (dedupe_key) is the database's job here: one query per row otherwise.
        email.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    created = OutgoingEmail.objects.bulk_create(list(emails), batch_size=500)
    ids = [email.pk for email in created]

    def enqueue_all() -> None:
        for email_id in ids:
            _enqueue_job(email_id)

    transaction.on_commit(enqueue_all)
    return created
