"""Issued labels: the public record of a cluster's level and how long it holds."""

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.models.base import Base, str_enum
from certtrack.models.enums import LabelStatus, Level

if TYPE_CHECKING:
    from certtrack.models.application import Application
    from certtrack.models.organisation import Cluster


class Label(Base):
    __tablename__ = "label"
    __table_args__ = (
        # The expiring and lapsed lists and their counts: one status, a range of end
        # days, in the lists' order (end day, then id), so a page reads only its rows;
        # with the cluster, the counts per agency read nothing else. It also serves a
        # lookup by status alone.
        Index("ix_label_status_ending", "status", "valid_until", "id", "cluster_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("cluster.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    level: Mapped[Level] = mapped_column(str_enum(Level))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    # First day of the interview (Bronze) or assessment (Silver, Gold) month.
    interview_month: Mapped[date]
    issued_on: Mapped[date]
    valid_until: Mapped[date] = mapped_column(index=True)
    status: Mapped[LabelStatus] = mapped_column(str_enum(LabelStatus), default=LabelStatus.VALID)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("label.id"))
    # Set when an admin revokes the label (status REVOKED); shown on the public page.
    revoked_on: Mapped[date | None]
    revocation_reason: Mapped[str | None] = mapped_column(String(300))

    cluster: Mapped["Cluster"] = relationship(back_populates="labels")
    application: Mapped["Application"] = relationship(back_populates="label")
    superseded_by: Mapped["Label | None"] = relationship(remote_side=[id])
