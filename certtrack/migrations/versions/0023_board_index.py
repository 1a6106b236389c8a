"""The board's indexes: the index on state and time in stage also holds each
application's level and consultant, so the counts per state (the closed tally reads
every renewed application), with the board's filters on the application, are read from
the index alone (it replaces the index it extends); and the regions and sectors of an
agency's clusters, which the board's filters offer, are read from an index.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 03:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_application_board",
        "application",
        ["state", "state_entered_at", "id", "cluster_id", "level", "consultant_id"],
    )
    op.drop_index("ix_application_state_entered", table_name="application")
    op.create_index("ix_cluster_agency_region_sector", "cluster", ["agency_id", "region", "sector"])


def downgrade():
    op.drop_index("ix_cluster_agency_region_sector", table_name="cluster")
    op.create_index(
        "ix_application_state_entered",
        "application",
        ["state", "state_entered_at", "id", "cluster_id"],
    )
    op.drop_index("ix_application_board", table_name="application")
