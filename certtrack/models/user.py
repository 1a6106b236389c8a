"""People: admins, agency coordinators, consultants and cluster managers."""

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.models.base import Base, str_enum, utcnow
from certtrack.models.enums import Role

if TYPE_CHECKING:
    from certtrack.models.organisation import Agency, Cluster

# Declared conflicts of interest: a consultant may never review these clusters.
consultant_conflict = Table(
    "consultant_conflict",
    Base.metadata,
    Column("consultant_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("cluster_id", ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "role != 'coordinator' OR agency_id IS NOT NULL", name="coordinator_has_agency"
        ),
        CheckConstraint("role != 'manager' OR cluster_id IS NOT NULL", name="manager_has_cluster"),
        # The admin's list of users, in this order: a deep page reads the index, not a sort.
        Index("ix_user_account_name_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # None until an invited user sets a password.
    password_hash: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    # Consultants: where they work from, what they speak, who employs them.
    country: Mapped[str | None] = mapped_column(String(2))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    affiliation: Mapped[str | None] = mapped_column(String(200))
    # Empty until chosen: the language in use at the first sign-in is stored then.
    locale: Mapped[str] = mapped_column(String(5), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Opt-outs; expiry notices and workflow notices cannot be turned off.
    wants_digest: Mapped[bool] = mapped_column(default=True, server_default=true())
    wants_recommendation_reminders: Mapped[bool] = mapped_column(
        default=True, server_default=true()
    )
    wants_conversation_messages: Mapped[bool] = mapped_column(default=True, server_default=true())

    agency: Mapped["Agency | None"] = relationship(back_populates="coordinators")
    cluster: Mapped["Cluster | None"] = relationship(back_populates="managers")
    conflicts: Mapped[list["Cluster"]] = relationship(secondary=consultant_conflict)

    if TYPE_CHECKING:
        # Not a column: the secret of the sign-in session being started, set by
        # services.sessions.start (declared for type checkers only, so the ORM ignores it).
        session_token: str

    @property
    def is_active(self) -> bool:
        return self.active

    def get_session_token(self) -> str:
        """What Flask-Login keeps in the session and remember cookies instead of the id
        (login_manager.id_attribute): the secret of a server-side session, so that ending
        the session ends every cookie made from it. Unset unless a session was started."""
        return self.session_token

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
