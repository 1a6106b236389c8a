"""An agency's programme targets (what its coordinators aim for, and by when) and the
day's median time in each stage, kept for every process."""

from datetime import date, datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from certtrack.models.base import Base, str_enum, utcnow
from certtrack.models.enums import Level, State, TargetKind


class ProgrammeTarget(Base):
    """One target of an agency: its kind, the level and number where the kind has them,
    and the day it is due. Progress is computed, never stored."""

    __tablename__ = "programme_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TargetKind] = mapped_column(str_enum(TargetKind))
    level: Mapped[Level | None] = mapped_column(str_enum(Level))
    number: Mapped[int | None]
    due_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The scope of the figures of every agency together (an admin's), beside agencies' ids.
EVERY_AGENCY = 0


class DailyStageMedian(Base):
    """The median days in one stage for one agency (or EVERY_AGENCY) on one day, as
    services.programme.stage_medians worked them out at the day's first view: every
    process reads them from here. Rows of earlier days are deleted when a day's first
    figures are written."""

    __tablename__ = "daily_stage_median"

    day: Mapped[date] = mapped_column(primary_key=True)
    # The agency's id, or EVERY_AGENCY; no foreign key, since EVERY_AGENCY is none, and
    # a removed agency's figures go with the day.
    scope: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    stage: Mapped[State] = mapped_column(str_enum(State), primary_key=True)
    median_days: Mapped[float | None]  # None: no stay in the stage ended in the window
    stays: Mapped[int]
