"""Which dispatcher holds which outbox rows. A claim is a lease: a live dispatcher renews
it while it works through its batch (a heartbeat), so a slow batch is never taken from
it, and a dispatcher that died (kill -9, a lost machine) loses its rows to the next one
within OUTBOX_CLAIM_LEASE_SECONDS instead of holding them for good."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from certtrack.extensions import db
from certtrack.models import OutboxMessage, OutboxStatus
from certtrack.models.base import utcnow


def lease_length() -> timedelta:
    return timedelta(seconds=int(current_app.config["OUTBOX_CLAIM_LEASE_SECONDS"]))


def release_stale_claims(now: datetime) -> None:
    """Rows whose lease ran out belong to a dispatcher that died: back to pending."""
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at < now - lease_length(),
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


class Lease:
    """The claims of one dispatcher's batch, renewed every quarter lease as it goes.

    Its clock starts at the caller's `now` (a test's, or the real one) and moves on with
    the real clock, so the heartbeat sees the time the batch really takes."""

    def __init__(self, token: str, ids: list[int], now: datetime) -> None:
        self.token = token
        self.held = set(ids)
        self.renewed = now
        self.offset = now - utcnow()

    def now(self) -> datetime:
        return utcnow() + self.offset

    def holds(self, row_id: int) -> bool:
        """Whether the row is still ours to send, renewing the claims when due. A row
        released meanwhile (this process stalled past the lease) is someone else's now:
        sending it too would send it twice."""
        now = self.now()
        if now - self.renewed >= lease_length() / 4:
            renewed = db.session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.claimed_by == self.token,
                    OutboxMessage.status == OutboxStatus.SENDING,
                )
                .values(claimed_at=now)
                .returning(OutboxMessage.id)
            )
            self.held = set(renewed.scalars())
            db.session.commit()
            self.renewed = now
        return row_id in self.held
