"""Sending the outbox: claim due rows safely across processes, send each through
Flask-Mail, and record the outcome. A row is marked sent only after the SMTP server
accepted it; a temporary failure is retried with exponential backoff up to a limit,
a refused address fails at once; both stay visible to admins and coordinators."""

import smtplib
import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Connection, Message
from sqlalchemy import select, update

from certtrack.clock import local_date
from certtrack.extensions import db, mail
from certtrack.models import OutboxMessage, OutboxStatus
from certtrack.models.base import utcnow
from certtrack.services.messages import compose
from certtrack.services.outbox import external_url
from certtrack.workflow.policy import Policy, load_policy

# A claim older than this belongs to a dispatcher that died: its rows go back to pending.
CLAIM_TIMEOUT = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=12)


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0


def send_due(now: datetime | None = None, limit: int | None = None) -> Outcome:
    """Send what is due now. Safe to run in several processes at once."""
    now = now or utcnow()
    limit = limit or int(current_app.config["OUTBOX_BATCH_SIZE"])
    release_stale_claims(now)
    token = uuid.uuid4().hex
    ids = claim(now, limit, token)
    outcome = Outcome()
    if not ids:
        return outcome
    today, policy = local_date(now), load_policy()
    try:
        connection = mail.connect().__enter__()  # one SMTP session for the batch
    except (OSError, smtplib.SMTPException) as error:
        for message_id in ids:
            _retry(message_id, token, now, f"SMTP server unreachable: {error}", outcome)
        return outcome
    try:
        for message_id in ids:
            _deliver(message_id, token, connection, now, today, policy, outcome)
    finally:
        if connection.host is not None:
            # The server may have gone away; every row has its outcome already.
            with suppress(OSError, smtplib.SMTPException):
                connection.host.quit()
    return outcome


def release_stale_claims(now: datetime) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at < now - CLAIM_TIMEOUT,
        )
        .values(status=OutboxStatus.PENDING, claimed_by=None, claimed_at=None)
    )
    db.session.commit()


def claim(now: datetime, limit: int, token: str) -> list[int]:
    """Take up to `limit` due rows for this dispatcher. On PostgreSQL rows locked by
    another dispatcher are skipped; on SQLite the conditional update decides."""
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    candidates = list(db.session.scalars(due))
    if candidates:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(candidates), OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SENDING, claimed_by=token, claimed_at=now)
        )
    db.session.commit()
    mine = select(OutboxMessage.id).where(
        OutboxMessage.claimed_by == token, OutboxMessage.status == OutboxStatus.SENDING
    )
    return list(db.session.scalars(mine.order_by(OutboxMessage.id)))


def _deliver(
    message_id: int,
    token: str,
    connection: Connection,
    now: datetime,
    today: date,
    policy: Policy,
    outcome: Outcome,
) -> None:
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None
    recipient = message.recipient
    with force_locale(recipient.locale):
        content = compose(message, today, policy)
        if content is None:
            _release(message_id, token, OutboxStatus.CANCELLED)
            outcome.cancelled += 1
            return
        link = external_url(message.link)
        context = {
            "recipient": recipient,
            "content": content,
            "link": link,
            "settings_link": external_url("/notifications/settings"),
        }
        email = Message(
            subject=content.subject,
            recipients=[recipient.email],
            body=render_template("email/message.txt", **context),
            html=render_template("email/message.html", **context),
        )
        # A stable id lets mail clients drop a copy resent after a crash.
        email.msgId = f"<outbox-{message.id}@certtrack>"
    try:
        connection.send(email)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        if all(code >= 500 for code in codes):
            _fail(message_id, token, f"Address refused: {error.recipients}", outcome)
        else:
            _retry(message_id, token, now, f"Address deferred: {error.recipients}", outcome)
    except smtplib.SMTPResponseException as error:
        reply = f"{error.smtp_code} {error.smtp_error!r}"
        if error.smtp_code >= 500:
            _fail(message_id, token, f"Refused: {reply}", outcome)
        else:
            _retry(message_id, token, now, f"Deferred: {reply}", outcome)
    except (OSError, smtplib.SMTPException) as error:
        _retry(message_id, token, now, f"Sending failed: {error}", outcome)
    else:
        _release(message_id, token, OutboxStatus.SENT, sent_at=now)
        outcome.sent += 1


def _retry(message_id: int, token: str, now: datetime, error: str, outcome: Outcome) -> None:
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None
    attempts = message.attempts + 1
    if attempts >= int(current_app.config["OUTBOX_MAX_ATTEMPTS"]):
        _fail(message_id, token, error, outcome, attempts=attempts)
        return
    delay = min(timedelta(minutes=2**attempts), MAX_BACKOFF)
    _release(
        message_id,
        token,
        OutboxStatus.PENDING,
        attempts=attempts,
        next_attempt_at=now + delay,
        last_error=error,
    )
    outcome.retried += 1


def _fail(message_id: int, token: str, error: str, outcome: Outcome, **values: object) -> None:
    _release(message_id, token, OutboxStatus.FAILED, last_error=error, **values)
    outcome.failed += 1


def _release(message_id: int, token: str, status: OutboxStatus, **values: object) -> None:
    """Record an outcome and give the claim up, only while the claim is still ours."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == token)
        .values(status=status, claimed_by=None, claimed_at=None, **values)
    )
    db.session.commit()


def retry_failed(message: OutboxMessage, now: datetime | None = None) -> None:
    """An admin sends a failed message again (after fixing the address, say)."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == OutboxStatus.FAILED)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now or utcnow())
    )
    db.session.commit()
