"""The board's index: the index on state and time in stage also holds each
application's level and consultant, so the counts per state (the closed tally reads
every renewed application), with the board's filters on the application, are read from
the index alone. It replaces the index it extends.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 03:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_application_board",
        "application",
        ["state", "state_entered_at", "id", "cluster_id", "level", "consultant_id"],
    )
    op.drop_index("ix_application_state_entered", table_name="application")


def downgrade():
    op.create_index(
        "ix_application_state_entered",
        "application",
        ["state", "state_entered_at", "id", "cluster_id"],
    )
    op.drop_index("ix_application_board", table_name="application")
