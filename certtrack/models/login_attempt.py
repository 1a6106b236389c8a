"""Failed sign-ins, counted to slow down password guessing across all web workers: one
counter per email address and one per client address, each for a window of time."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from certtrack.models.base import Base


class LoginAttempt(Base):
    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "email:<address>" or "ip:<address>".
    key: Mapped[str] = mapped_column(String(300), unique=True)
    # Attempts counted in the window, the one being checked included.
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(index=True)
