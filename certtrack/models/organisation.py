"""Agencies and the cluster organisations they follow."""

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.models.base import Base, utcnow

if TYPE_CHECKING:
    from certtrack.models.application import Application
    from certtrack.models.label import Label
    from certtrack.models.user import User


class Agency(Base):
    """A regional development agency running a labelling programme (e.g. Informest)."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(40), unique=True)
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(300))

    clusters: Mapped[list["Cluster"]] = relationship(
        back_populates="agency", order_by="Cluster.name"
    )
    coordinators: Mapped[list["User"]] = relationship(back_populates="agency")


class Cluster(Base):
    """A cluster organisation and its profile, which the eligibility checks read."""

    __tablename__ = "cluster"
    # The regions and sectors of an agency's clusters (the board's filters), read from
    # the index alone.
    __table_args__ = (Index("ix_cluster_agency_region_sector", "agency_id", "region", "sector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(120))
    sector: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    website_in_english: Mapped[bool] = mapped_column(default=False)
    eccp_listed: Mapped[bool] = mapped_column(default=False)
    staff_fte: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    committed_members: Mapped[int | None]
    # MemberType values; a list because a cluster mixes SMEs, research, public bodies...
    member_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agency: Mapped[Agency] = relationship(back_populates="clusters")
    managers: Mapped[list["User"]] = relationship(back_populates="cluster")
    applications: Mapped[list["Application"]] = relationship(
        back_populates="cluster", order_by="Application.id"
    )
    labels: Mapped[list["Label"]] = relationship(back_populates="cluster", order_by="Label.id")
