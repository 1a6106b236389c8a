"""One labelling process: a cluster going for a level, from draft to its outcome."""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.models.base import Base, str_enum, utcnow
from certtrack.models.enums import CLOSED_STATES, Level, State

if TYPE_CHECKING:
    from certtrack.models.audit import AuditEntry
    from certtrack.models.indicator import IndicatorValue
    from certtrack.models.label import Label
    from certtrack.models.organisation import Cluster
    from certtrack.models.report import Report
    from certtrack.models.user import User

_CLOSED = ", ".join(f"'{s.value}'" for s in sorted(CLOSED_STATES))
_OPEN_ONLY = text(f"state NOT IN ({_CLOSED})")


def _created_at(context: DefaultExecutionContext) -> datetime:
    """A new application entered its first state when it was created."""
    return context.get_current_parameters().get("created_at") or utcnow()


class Application(Base):
    __tablename__ = "application"
    __table_args__ = (
        # A cluster runs at most one process at a time; the database enforces it even
        # when two requests race.
        Index(
            "uq_application_one_open_per_cluster",
            "cluster_id",
            unique=True,
            sqlite_where=_OPEN_ONLY,
            postgresql_where=_OPEN_ONLY,
        ),
        # The board: a column's page in the board's order (the longest waiting first)
        # reads the index from its offset; the counts per state (the closed tally reads
        # every renewed application) read nothing else, filters on the level and the
        # consultant included, nor do the reviews under way per consultant. It also
        # serves a lookup by state alone.
        Index(
            "ix_application_board",
            "state",
            "state_entered_at",
            "id",
            "cluster_id",
            "level",
            "consultant_id",
        ),
        # The counts of the open columns and of the reviews under way: the few open
        # applications, each with its cluster (a coordinator's agency is the cluster's)
        # and its assignment (stalled or not), without reading the table or the closed ones.
        Index(
            "ix_application_open_state",
            "state",
            "cluster_id",
            "assigned_at",
            sqlite_where=_OPEN_ONLY,
            postgresql_where=_OPEN_ONLY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("cluster.id"), index=True)
    level: Mapped[Level] = mapped_column(str_enum(Level))
    state: Mapped[State] = mapped_column(str_enum(State), default=State.DRAFT)
    # Optimistic concurrency: every transition bumps it, a stale writer fails.
    version: Mapped[int] = mapped_column(default=1)
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    assigned_at: Mapped[datetime | None]
    # The application this one renews or upgrades.
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), unique=True)
    interview_date: Mapped[date | None]
    # Gold: the on-site visit of the two experts; the evidence is due before it.
    visit_starts_on: Mapped[date | None]
    visit_ends_on: Mapped[date | None]
    fee_eur: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When it entered its current state (the board's "days in this stage"): the engine
    # and the daily pass set it on every change of state; a new one entered at creation.
    state_entered_at: Mapped[datetime] = mapped_column(default=_created_at)
    # Bytes its stored documents take (all versions, not the deleted ones): the quota is
    # checked with one conditional UPDATE of it, so racing uploads cannot both pass.
    documents_bytes: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The day an agency imported this labelled application from its own records: the
    # daily pass sends no reminder whose day came before it.
    imported_on: Mapped[date | None]

    __mapper_args__ = {"version_id_col": version}

    cluster: Mapped["Cluster"] = relationship(back_populates="applications")
    consultant: Mapped["User | None"] = relationship()
    previous: Mapped["Application | None"] = relationship(remote_side=[id], back_populates="next")
    next: Mapped["Application | None"] = relationship(back_populates="previous")
    improvement_areas: Mapped[list["ImprovementArea"]] = relationship(
        back_populates="application",
        order_by="ImprovementArea.position",
        cascade="all, delete-orphan",
    )
    indicator_values: Mapped[list["IndicatorValue"]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    report: Mapped["Report | None"] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    label: Mapped["Label | None"] = relationship(back_populates="application")
    history: Mapped[list["AuditEntry"]] = relationship(
        back_populates="application", order_by="AuditEntry.id"
    )

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES

    @property
    def report_delivered(self) -> bool:
        return self.report is not None and self.report.delivered_at is not None

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.level} {self.state}>"


class ImprovementArea(Base):
    """Silver: one of the three areas the cluster chose to improve, and its effect."""

    __tablename__ = "improvement_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    effect: Mapped[str] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="improvement_areas")
