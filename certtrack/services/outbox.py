"""Writing messages to the outbox. Nothing here sends: the dispatcher does, later.

Rows are inserted "if absent" on their unique key in one statement, so deciding the same
message twice, late, or in two processes at once still leaves exactly one row."""

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from email.utils import parseaddr
from typing import Any, cast

from flask import current_app
from sqlalchemy import Table

from certtrack.extensions import db
from certtrack.models import OutboxMessage, OutboxStatus, User
from certtrack.models.base import utcnow
from certtrack.services.sql import insert_or_skip


@dataclass(frozen=True)
class Draft:
    """One message to write: its key makes it unique for good."""

    key: str
    kind: str
    recipient_id: int
    link: str
    context: dict[str, Any] = field(default_factory=dict)
    application_id: int | None = None
    label_id: int | None = None
    recommendation_id: int | None = None


def write(drafts: Sequence[Draft], now: datetime | None = None) -> int:
    """Insert the drafts whose key is new, in the caller's transaction. Returns how many
    rows were written."""
    if not drafts:
        return 0
    now = now or utcnow()
    rows = [
        {
            **asdict(draft),
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "message_id": new_message_id(),
        }
        for draft in drafts
    ]
    dialect = db.session.get_bind().dialect.name
    table = cast(Table, OutboxMessage.__table__)
    statement = insert_or_skip(table, dialect, ["key"]).returning(table.c.id)
    # Many rows go out as multi-row INSERTs in pages (SQLAlchemy's insertmanyvalues);
    # RETURNING counts the rows actually written on both databases.
    result = db.session.connection().execute(statement, rows)
    return len(result.all())


def enqueue(
    kind: str,
    recipient: User,
    *,
    key: str,
    link: str,
    context: dict[str, Any] | None = None,
) -> bool:
    """Queue one message for `recipient`; False when a message with `key` exists.
    Joins the caller's transaction (does not commit)."""
    draft = Draft(key=key, kind=kind, recipient_id=recipient.id, link=link, context=context or {})
    return write([draft]) == 1


def external_url(path: str) -> str:
    """An absolute link for an email: the scheduler has no request to take a host from."""
    return current_app.config["CERTTRACK_BASE_URL"].rstrip("/") + path


def new_message_id() -> str:
    """A Message-ID no other message anywhere has (mail clients and archives drop
    duplicates by it), under the domain the messages are sent from."""
    return f"<{uuid.uuid4().hex}@{sending_domain()}>"


def sending_domain() -> str:
    """The domain of MAIL_DEFAULT_SENDER (a string or Flask-Mail's (name, address))."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    address = sender[1] if isinstance(sender, tuple) else parseaddr(sender or "")[1]
    return address.rpartition("@")[2] or "localhost"
