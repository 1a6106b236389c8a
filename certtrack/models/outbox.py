"""Messages decided by the daily pass or by workflow steps, waiting to be sent. The
unique key makes every message exist once, however often it is decided."""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.models.base import Base, str_enum, utcnow

if TYPE_CHECKING:
    from certtrack.models.user import User


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a dispatcher
    SENT = "sent"
    FAILED = "failed"  # gave up, or the address was refused: shown to admins
    CANCELLED = "cancelled"  # its reason went away before it was sent


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_status_due", "status", "next_attempt_at"),
        # The pass's "none of this kind written lately about this application" check.
        Index("ix_outbox_message_kind_created", "kind", "created_at", "application_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # The Message-ID header, made when the row is written: unique across installations
    # and database resets, and the same on every retry of the row.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # What the message is about, for the "does it still hold?" check and for listing.
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    label_id: Mapped[int | None] = mapped_column(ForeignKey("label.id", ondelete="CASCADE"))
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE")
    )
    # The page the message is about, as a path; made absolute when sent.
    link: Mapped[str] = mapped_column(String(500))
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, length=16), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    recipient: Mapped["User"] = relationship()
