"""The consultant's report and the recommendations the cluster then works off."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.models.base import Base, str_enum, utcnow
from certtrack.models.enums import Priority, RecommendationStatus

if TYPE_CHECKING:
    from certtrack.models.application import Application
    from certtrack.models.user import User


class Report(Base):
    __tablename__ = "report"
    # A consultant's delivered reports, the latest first, read in order (the dashboard).
    __table_args__ = (Index("ix_report_delivered_by", "delivered_by_id", "delivered_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), unique=True
    )
    summary: Mapped[str | None] = mapped_column(Text)
    # None while the consultant is still drafting.
    delivered_at: Mapped[datetime | None]
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    application: Mapped["Application"] = relationship(back_populates="report")
    delivered_by: Mapped["User | None"] = relationship()
    recommendations: Mapped[list["Recommendation"]] = relationship(
        back_populates="report",
        order_by="Recommendation.position",
        cascade="all, delete-orphan",
    )


class Recommendation(Base):
    __tablename__ = "recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[Priority] = mapped_column(str_enum(Priority), default=Priority.MEDIUM)
    # The person in the cluster who owns the follow-up (free text: often not a user).
    owner: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[RecommendationStatus] = mapped_column(
        str_enum(RecommendationStatus), default=RecommendationStatus.OPEN, index=True
    )
    evidence: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None]

    report: Mapped[Report] = relationship(back_populates="recommendations")
    notes: Mapped[list["ProgressNote"]] = relationship(
        back_populates="recommendation", order_by="ProgressNote.id", cascade="all, delete-orphan"
    )


class ProgressNote(Base):
    __tablename__ = "progress_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    recommendation: Mapped[Recommendation] = relationship(back_populates="notes")
    author: Mapped["User | None"] = relationship()
