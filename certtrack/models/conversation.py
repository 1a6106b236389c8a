"""Each application's conversation: messages between the cluster, its agency and the
consultant, some of them internal notes the cluster never sees, and who muted it."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.models.base import Base, utcnow

if TYPE_CHECKING:
    from certtrack.models.application import Application
    from certtrack.models.user import User


class ConversationMessage(Base):
    __tablename__ = "conversation_message"
    # The thread is read in order, page by page.
    __table_args__ = (
        Index("ix_conversation_message_application_created", "application_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The Markdown source as written; pages, the API and emails render it sanitised.
    body: Mapped[str] = mapped_column(Text)
    # Only the agency, the assigned consultant and admins see it, never the cluster.
    internal: Mapped[bool] = mapped_column(default=False)
    edited_at: Mapped[datetime | None]

    application: Mapped["Application"] = relationship()
    author: Mapped["User"] = relationship()


class ConversationMute(Base):
    """`user` hears nothing of new messages in this application's conversation."""

    __tablename__ = "conversation_mute"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
