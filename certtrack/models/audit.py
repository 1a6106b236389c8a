"""The audit trail: one row per workflow step, also the input of notifications."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.models.base import Base, str_enum
from certtrack.models.enums import State

if TYPE_CHECKING:
    from certtrack.models.application import Application
    from certtrack.models.user import User


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    # An application's history in order, with the states of each step: the time in a
    # stage finds the step that began a stay from the index alone. It begins with the
    # application, so it also serves the lookups by application.
    __table_args__ = (
        Index(
            "ix_audit_entry_application_history",
            "application_id",
            "at",
            "id",
            "from_state",
            "to_state",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    # None for the step that created the application.
    from_state: Mapped[State | None] = mapped_column(str_enum(State))
    to_state: Mapped[State] = mapped_column(str_enum(State))
    # None when the system (the daily pass) fired the event.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    application: Mapped["Application"] = relationship(back_populates="history")
    actor: Mapped["User | None"] = relationship()
