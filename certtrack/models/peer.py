"""The peer snapshot: each benchmarked cluster's latest delivered benchmarking, kept
ranked so that the report's peer statistics are index lookups instead of a sort of
every value on each request. Derived data, maintained by services/peer_snapshot.py."""

from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from certtrack.models.base import Base


class PeerCluster(Base):
    """A benchmarked cluster: the application of its latest delivered Bronze or Silver
    benchmarking, its country and sector, and whether it holds a live Silver or Gold
    label (the excellence group)."""

    __tablename__ = "peer_cluster"

    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True
    )
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    country: Mapped[str] = mapped_column(String(2))
    sector: Mapped[str | None] = mapped_column(String(200))
    excellent: Mapped[bool]


class PeerValue(Base):
    """One answered indicator of a benchmarked cluster, with its rank (from 1, ordered
    by number then cluster id) among all clusters, the same country, the same sector
    and, for excellent clusters, the excellence group. Each group has two covering
    indexes: by rank (the quartiles' order statistics) and by number (how many peers
    lie below a value)."""

    __tablename__ = "peer_value"
    __table_args__ = (
        Index("ix_peer_value_rank_all", "indicator_id", "rank_all", "number"),
        Index("ix_peer_value_number_all", "indicator_id", "number", "rank_all"),
        Index("ix_peer_value_rank_country", "indicator_id", "country", "rank_country", "number"),
        Index("ix_peer_value_number_country", "indicator_id", "country", "number", "rank_country"),
        Index("ix_peer_value_rank_sector", "indicator_id", "sector", "rank_sector", "number"),
        Index("ix_peer_value_number_sector", "indicator_id", "sector", "number", "rank_sector"),
        Index(
            "ix_peer_value_rank_excellent", "indicator_id", "excellent", "rank_excellent", "number"
        ),
        Index(
            "ix_peer_value_number_excellent",
            "indicator_id",
            "excellent",
            "number",
            "rank_excellent",
        ),
    )

    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("peer_cluster.cluster_id", ondelete="CASCADE"), primary_key=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator_definition.id"), primary_key=True
    )
    number: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    country: Mapped[str] = mapped_column(String(2))
    sector: Mapped[str | None] = mapped_column(String(200))
    excellent: Mapped[bool]
    rank_all: Mapped[int] = mapped_column(default=0)
    rank_country: Mapped[int] = mapped_column(default=0)
    rank_sector: Mapped[int] = mapped_column(default=0)
    # Null for a cluster outside the excellence group.
    rank_excellent: Mapped[int | None]
