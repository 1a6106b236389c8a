"""What an operator reads about the running system: the outbox by status and the
scheduler's heartbeat, for the admin's System page and the metrics."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import OutboxMessage, OutboxStatus, SchedulerHeartbeat
from certtrack.models.base import utcnow
from certtrack.services import leadership


def outbox_depth() -> dict[OutboxStatus, int]:
    """How many outbox messages are in each status, in one grouped query."""
    counts = dict.fromkeys(OutboxStatus, 0)
    grouped = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    for status, count in db.session.execute(grouped):
        counts[status] = count
    return counts


@dataclass(frozen=True)
class SchedulerStatus:
    """The heartbeat row as the operator reads it."""

    beat: SchedulerHeartbeat | None
    now: datetime

    @property
    def beat_age(self) -> timedelta | None:
        return age(self.now, self.beat.beat_at if self.beat else None)

    @property
    def alive(self) -> bool:
        limit = timedelta(seconds=float(current_app.config["CERTTRACK_HEARTBEAT_MAX_AGE_SECONDS"]))
        return self.beat_age is not None and self.beat_age <= limit

    @property
    def pass_duration(self) -> timedelta | None:
        return span(self.beat.pass_started_at, self.beat.pass_ended_at) if self.beat else None

    @property
    def pass_running(self) -> bool:
        """Started and not ended since: running now, or interrupted."""
        beat = self.beat
        return bool(beat and beat.pass_started_at and self.pass_duration is None)

    @property
    def dispatch_duration(self) -> timedelta | None:
        beat = self.beat
        return span(beat.dispatch_started_at, beat.dispatch_ended_at) if beat else None


def scheduler_status() -> SchedulerStatus:
    return SchedulerStatus(leadership.current(), utcnow())


def age(now: datetime, then: datetime | None) -> timedelta | None:
    return now - then if then else None


def span(start: datetime | None, end: datetime | None) -> timedelta | None:
    """From start to end, if the end belongs to that start."""
    return end - start if start and end and end >= start else None
