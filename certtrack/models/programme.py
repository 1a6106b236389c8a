"""An agency's programme targets: what its coordinators aim for, and by when."""

from datetime import date, datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from certtrack.models.base import Base, str_enum, utcnow
from certtrack.models.enums import Level, TargetKind


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
