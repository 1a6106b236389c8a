"""A file shared on an application: evidence, evidence of progress on a recommendation,
the signed report or an annex. Replacing keeps the earlier version as its own row;
deleting keeps the row (the history names it) and may remove the stored bytes."""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.models.base import Base, str_enum, utcnow

if TYPE_CHECKING:
    from certtrack.models.application import Application, ImprovementArea
    from certtrack.models.indicator import IndicatorDefinition
    from certtrack.models.report import Recommendation
    from certtrack.models.user import User


class DocumentPurpose(StrEnum):
    EVIDENCE = "evidence"  # for the application, a quality indicator or an improvement area
    PROGRESS = "progress"  # evidence of progress on a recommendation
    SIGNED_REPORT = "signed_report"
    REPORT_ANNEX = "report_annex"


class Document(Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[DocumentPurpose] = mapped_column(
        str_enum(DocumentPurpose), default=DocumentPurpose.EVIDENCE
    )
    # What it is evidence for (at most one): a Gold quality indicator, a Silver
    # improvement area (areas are rewritten with the review, hence SET NULL), a
    # recommendation.
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator_definition.id"), index=True
    )
    improvement_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("improvement_area.id", ondelete="SET NULL"), index=True
    )
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    # As the uploader's browser named it (made safe to display); never a storage path.
    file_name: Mapped[str] = mapped_column(String(255))
    # Detected from the content, not taken from the name or the browser.
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The version this one replaced (each version is replaced at most once).
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), unique=True)
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    application: Mapped["Application"] = relationship()
    indicator: Mapped["IndicatorDefinition | None"] = relationship()
    improvement_area: Mapped["ImprovementArea | None"] = relationship()
    recommendation: Mapped["Recommendation | None"] = relationship()
    uploaded_by: Mapped["User | None"] = relationship(foreign_keys=[uploaded_by_id])
    deleted_by: Mapped["User | None"] = relationship(foreign_keys=[deleted_by_id])
    replaces: Mapped["Document | None"] = relationship(
        remote_side=[id], back_populates="replaced_by"
    )
    replaced_by: Mapped["Document | None"] = relationship(back_populates="replaces")

    @property
    def is_current(self) -> bool:
        """The newest version of a document that is not deleted."""
        return self.deleted_at is None and self.replaced_by is None

    def earlier_versions(self) -> list["Document"]:
        """The versions this one replaced, newest first."""
        versions = []
        version = self.replaces
        while version is not None:
            versions.append(version)
            version = version.replaces
        return versions

    @property
    def version_number(self) -> int:
        return len(self.earlier_versions()) + 1

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.title!r}>"
