"""The scheduler's leadership lease and heartbeat: one row, written by the scheduler
processes, read by /readyz, /metrics and the admin's System page."""

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from certtrack.models.base import Base

# The table holds a single row with this id.
HEARTBEAT_ID = 1


class SchedulerHeartbeat(Base):
    __tablename__ = "scheduler_heartbeat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The leader: a random id per process, with its host and pid for the operator.
    holder: Mapped[str | None] = mapped_column(String(64))
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    # The leader renews both; another process takes over once lease_until is past.
    beat_at: Mapped[datetime | None] = mapped_column(DateTime)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)
    # The last daily pass; an end before the start means running or interrupted.
    pass_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    pass_ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    pass_outcome: Mapped[str | None] = mapped_column(String(200))
    # The last dispatcher run, by any scheduler process.
    dispatch_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    dispatch_ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    dispatch_outcome: Mapped[str | None] = mapped_column(String(200))
