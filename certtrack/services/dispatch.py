"""Sending the outbox: claim due rows safely across processes, send each through
Flask-Mail, and record the outcome. A row is marked sent only after the SMTP server
accepted it; a temporary failure is retried with exponential backoff up to a limit,
a refused address, or a message that cannot be composed or has a header the mail
library refuses, fails at once; both stay visible to admins and coordinators."""

import smtplib
import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Connection, Message
from sqlalchemy import update

from certtrack.clock import local_date
from certtrack.extensions import db, mail
from certtrack.i18n import reading_locale
from certtrack.models import OutboxMessage, OutboxStatus
from certtrack.models.base import utcnow
from certtrack.services import unsubscribe
from certtrack.services.claims import Lease, claim, lease_length, release_stale_claims
from certtrack.services.messages import compose
from certtrack.services.outbox import external_url
from certtrack.workflow.policy import Policy, load_policy

MAX_BACKOFF = timedelta(hours=12)


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0


def send_due(now: datetime | None = None, limit: int | None = None) -> Outcome:
    """Send what is due now. Safe to run in several processes at once. Whatever goes
    wrong with one message is that message's outcome; the others still go out."""
    now = now or utcnow()
    limit = limit or int(current_app.config["OUTBOX_BATCH_SIZE"])
    release_stale_claims(now)
    token = uuid.uuid4().hex
    ids = claim(now, limit, token)
    outcome = Outcome()
    if not ids:
        return outcome
    today, policy = local_date(now), load_policy()
    lease = Lease(token, ids, now)
    try:
        connection = mail.connect().__enter__()  # one SMTP session for the batch
    except (OSError, smtplib.SMTPException) as error:
        for row_id in ids:
            _retry(row_id, token, now, f"SMTP server unreachable: {error}", outcome)
        return outcome
    if connection.host is not None and connection.host.sock is not None:
        # No single SMTP exchange may outlast the lease: the rows would be sent twice.
        connection.host.sock.settimeout(lease_length().total_seconds() / 10)
    try:
        for row_id in ids:
            if lease.holds(row_id):
                _deliver(row_id, token, connection, now, today, policy, outcome)
    finally:
        if connection.host is not None:
            # The server may have gone away; every row has its outcome already.
            with suppress(OSError, smtplib.SMTPException):
                connection.host.quit()
    return outcome


def _email(message: OutboxMessage, today: date, policy: Policy) -> Message | None:
    """The email for a row in its recipient's language, or None when its reason is gone."""
    recipient = message.recipient
    with force_locale(reading_locale(recipient.locale)):
        content = compose(message, today, policy)
        if content is None:
            return None
        unsubscribe_link = unsubscribe.link_for(message)
        context = {
            "recipient": recipient,
            "content": content,
            "link": external_url(message.link),
            "settings_link": external_url("/notifications/settings"),
            "unsubscribe_link": unsubscribe_link,
        }
        email = Message(
            subject=content.subject,
            recipients=[recipient.email],
            body=render_template("email/message.txt", **context),
            html=render_template("email/message.html", **context),
            extra_headers=(
                {
                    "List-Unsubscribe": f"<{unsubscribe_link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                }
                if unsubscribe_link
                else None
            ),
        )
    # The row's own id, the same on every retry: mail clients drop a copy resent after
    # a crash, and no other message anywhere has it.
    email.msgId = message.message_id
    return email


def _deliver(
    row_id: int,
    token: str,
    connection: Connection,
    now: datetime,
    today: date,
    policy: Policy,
    outcome: Outcome,
) -> None:
    message = db.session.get(OutboxMessage, row_id)
    assert message is not None
    try:
        email = _email(message, today, policy)
    except Exception as error:  # bad data or a bug in one message; trying again cannot help
        db.session.rollback()
        current_app.logger.exception("outbox message %s could not be composed", row_id)
        _fail(row_id, token, f"Could not compose the message: {_described(error)}", outcome)
        return
    if email is None:
        _release(row_id, token, OutboxStatus.CANCELLED)
        outcome.cancelled += 1
        return
    try:
        connection.send(email)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        if all(code >= 500 for code in codes):
            _fail(row_id, token, f"Address refused: {error.recipients}", outcome)
        else:
            _retry(row_id, token, now, f"Address deferred: {error.recipients}", outcome)
    except smtplib.SMTPResponseException as error:
        reply = f"{error.smtp_code} {error.smtp_error!r}"
        if error.smtp_code >= 500:
            _fail(row_id, token, f"Refused: {reply}", outcome)
        else:
            _retry(row_id, token, now, f"Deferred: {reply}", outcome)
    except (OSError, smtplib.SMTPException) as error:
        _retry(row_id, token, now, f"Sending failed: {error}", outcome)
    except Exception as error:  # a header Flask-Mail refuses, ...: the message itself is bad
        current_app.logger.exception("outbox message %s could not be sent", row_id)
        _fail(row_id, token, f"Could not send the message: {_described(error)}", outcome)
    else:
        _release(row_id, token, OutboxStatus.SENT, sent_at=now)
        outcome.sent += 1


def _described(error: Exception) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _retry(row_id: int, token: str, now: datetime, error: str, outcome: Outcome) -> None:
    message = db.session.get(OutboxMessage, row_id)
    assert message is not None
    attempts = message.attempts + 1
    if attempts >= int(current_app.config["OUTBOX_MAX_ATTEMPTS"]):
        _fail(row_id, token, error, outcome, attempts=attempts)
        return
    delay = min(timedelta(minutes=2**attempts), MAX_BACKOFF)
    _release(
        row_id,
        token,
        OutboxStatus.PENDING,
        attempts=attempts,
        next_attempt_at=now + delay,
        last_error=error,
    )
    outcome.retried += 1


def _fail(row_id: int, token: str, error: str, outcome: Outcome, **values: object) -> None:
    _release(row_id, token, OutboxStatus.FAILED, last_error=error, **values)
    outcome.failed += 1


def _release(row_id: int, token: str, status: OutboxStatus, **values: object) -> None:
    """Record an outcome and give the claim up, only while the claim is still ours."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == token)
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
