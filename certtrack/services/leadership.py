"""Which scheduler process leads: a lease on the one scheduler_heartbeat row.

The leader renews its lease every quarter of CERTTRACK_SCHEDULER_TAKEOVER_SECONDS for
half of it; the others try as often and win once the lease ran out. However the leader
goes (stopped, SIGKILL, a host that lost power or its network), another process leads
within three quarters of the setting. A lease row rather than an advisory lock: a lock
held on a dead host's half-open connection lasts until PostgreSQL's TCP keepalive gives
up (two hours by default), and session locks do not survive a pooler in transaction
mode. The same row is the heartbeat that /readyz, /metrics and the System page read."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from certtrack.extensions import db
from certtrack.models import SchedulerHeartbeat
from certtrack.models.heartbeat import HEARTBEAT_ID
from certtrack.services.sql import insert_or_skip

# Outcomes are kept short: a line for the operator, never a traceback.
OUTCOME_LENGTH = 200


@dataclass(frozen=True)
class Candidate:
    """One scheduler process: a random id, and where it runs for the operator."""

    holder: str
    host: str
    pid: int


def takeover_after() -> timedelta:
    """How long the others wait at most before they take over from a leader gone silent."""
    return timedelta(seconds=float(current_app.config["CERTTRACK_SCHEDULER_TAKEOVER_SECONDS"]))


def renew_every() -> timedelta:
    """Leader and followers try this often; the lease lasts twice as long."""
    return takeover_after() / 4


def try_lead(me: Candidate, now: datetime, *, force: bool = False) -> bool:
    """Take or renew the lease if it is ours or ran out (always with `force`); whether
    `me` leads now. One conditional update: of two processes racing, one wins."""
    _ensure_row()
    condition = or_(
        SchedulerHeartbeat.holder == me.holder,
        SchedulerHeartbeat.lease_until.is_(None),
        SchedulerHeartbeat.lease_until < now,
    )
    statement = (
        update(SchedulerHeartbeat)
        .where(SchedulerHeartbeat.id == HEARTBEAT_ID)
        .values(
            holder=me.holder,
            host=me.host[:255],
            pid=me.pid,
            beat_at=now,
            lease_until=now + 2 * renew_every(),
        )
    )
    if not force:
        statement = statement.where(condition)
    won = db.session.execute(statement).rowcount == 1  # type: ignore[attr-defined]
    db.session.commit()
    return won


def release(me: Candidate, now: datetime) -> None:
    """Give the lease up at once (a clean stop): the next process need not wait."""
    db.session.execute(
        update(SchedulerHeartbeat)
        .where(SchedulerHeartbeat.id == HEARTBEAT_ID, SchedulerHeartbeat.holder == me.holder)
        .values(lease_until=now)
    )
    db.session.commit()


def pass_started(now: datetime) -> None:
    _record(pass_started_at=now)


def pass_ended(now: datetime, outcome: str) -> None:
    _record(pass_ended_at=now, pass_outcome=outcome[:OUTCOME_LENGTH])


def dispatched(started: datetime, ended: datetime, outcome: str) -> None:
    _record(
        dispatch_started_at=started,
        dispatch_ended_at=ended,
        dispatch_outcome=outcome[:OUTCOME_LENGTH],
    )


def current() -> SchedulerHeartbeat | None:
    """The heartbeat row, or None if no scheduler ever ran against this database."""
    return db.session.scalar(
        select(SchedulerHeartbeat).where(SchedulerHeartbeat.id == HEARTBEAT_ID)
    )


def _record(**values: object) -> None:
    _ensure_row()
    db.session.execute(
        update(SchedulerHeartbeat).where(SchedulerHeartbeat.id == HEARTBEAT_ID).values(**values)
    )
    db.session.commit()


def _ensure_row() -> None:
    dialect = db.session.get_bind().dialect.name
    db.session.execute(insert_or_skip(SchedulerHeartbeat, dialect).values(id=HEARTBEAT_ID))
