"""A portfolio file uploaded for import, kept between its preview and its confirmation."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from certtrack.models.base import Base, utcnow


class PortfolioUpload(Base):
    """The uploaded bytes, keyed by a random token only its uploader can use. Confirming
    re-reads and re-checks them, then deletes the row in the same transaction, so a
    preview is imported at most once."""

    __tablename__ = "portfolio_upload"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
