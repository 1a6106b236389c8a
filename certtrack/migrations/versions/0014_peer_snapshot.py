"""The peer snapshot: each benchmarked cluster's latest delivered benchmarking with its
values ranked per peer group, filled from the existing reports and labels.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 13:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Kept literally here so that this migration means the same thing forever.
FILL_CLUSTERS = """
INSERT INTO peer_cluster (cluster_id, application_id, country, sector, excellent)
SELECT c.id, latest.application_id, c.country, c.sector,
       EXISTS (SELECT 1 FROM label l WHERE l.cluster_id = c.id
               AND l.level IN ('silver', 'gold') AND l.status IN ('valid', 'lapsed'))
FROM cluster c JOIN (
    SELECT a.id AS application_id, a.cluster_id,
           ROW_NUMBER() OVER (PARTITION BY a.cluster_id
                              ORDER BY r.delivered_at DESC, a.id DESC) AS recency
    FROM application a JOIN report r ON r.application_id = a.id
    WHERE r.delivered_at IS NOT NULL AND a.level IN ('bronze', 'silver')
) latest ON latest.cluster_id = c.id
WHERE latest.recency = 1
"""
FILL_VALUES = """
INSERT INTO peer_value (cluster_id, indicator_id, number, country, sector, excellent,
                        rank_all, rank_country, rank_sector, rank_excellent)
SELECT p.cluster_id, v.indicator_id, v.number, p.country, p.sector, p.excellent,
       ROW_NUMBER() OVER (PARTITION BY v.indicator_id ORDER BY v.number, p.cluster_id),
       ROW_NUMBER() OVER (PARTITION BY v.indicator_id, p.country
                          ORDER BY v.number, p.cluster_id),
       ROW_NUMBER() OVER (PARTITION BY v.indicator_id, p.sector
                          ORDER BY v.number, p.cluster_id),
       CASE WHEN p.excellent THEN ROW_NUMBER() OVER (PARTITION BY v.indicator_id, p.excellent
                                                     ORDER BY v.number, p.cluster_id) END
FROM peer_cluster p JOIN indicator_value v ON v.application_id = p.application_id
WHERE v.number IS NOT NULL
"""
INDEXES = {
    "rank_all": ["indicator_id", "rank_all", "number"],
    "number_all": ["indicator_id", "number", "rank_all"],
    "rank_country": ["indicator_id", "country", "rank_country", "number"],
    "number_country": ["indicator_id", "country", "number", "rank_country"],
    "rank_sector": ["indicator_id", "sector", "rank_sector", "number"],
    "number_sector": ["indicator_id", "sector", "number", "rank_sector"],
    "rank_excellent": ["indicator_id", "excellent", "rank_excellent", "number"],
    "number_excellent": ["indicator_id", "excellent", "number", "rank_excellent"],
}


def upgrade():
    op.create_table(
        "peer_cluster",
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("sector", sa.String(length=200), nullable=True),
        sa.Column("excellent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_peer_cluster_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["cluster.id"],
            name=op.f("fk_peer_cluster_cluster_id_cluster"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cluster_id", name=op.f("pk_peer_cluster")),
    )
    op.create_table(
        "peer_value",
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("sector", sa.String(length=200), nullable=True),
        sa.Column("excellent", sa.Boolean(), nullable=False),
        sa.Column("rank_all", sa.Integer(), nullable=False),
        sa.Column("rank_country", sa.Integer(), nullable=False),
        sa.Column("rank_sector", sa.Integer(), nullable=False),
        sa.Column("rank_excellent", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["peer_cluster.cluster_id"],
            name=op.f("fk_peer_value_cluster_id_peer_cluster"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator_definition.id"],
            name=op.f("fk_peer_value_indicator_id_indicator_definition"),
        ),
        sa.PrimaryKeyConstraint("cluster_id", "indicator_id", name=op.f("pk_peer_value")),
    )
    op.execute(FILL_CLUSTERS)
    op.execute(FILL_VALUES)
    with op.batch_alter_table("peer_value", schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(f"ix_peer_value_{name}", columns, unique=False)


def downgrade():
    with op.batch_alter_table("peer_value", schema=None) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(f"ix_peer_value_{name}")
    op.drop_table("peer_value")
    op.drop_table("peer_cluster")
