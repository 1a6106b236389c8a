"""The open applications by state, with their cluster and assignment: the board's and
the dashboards' counts read this small partial index alone (an index-only scan on
PostgreSQL) instead of every open application's row.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 19:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

OPEN_ONLY = "state NOT IN ('expired', 'rejected', 'renewed', 'upgraded', 'withdrawn')"


def upgrade():
    op.create_index(
        "ix_application_open_state",
        "application",
        ["state", "cluster_id", "assigned_at"],
        sqlite_where=sa.text(OPEN_ONLY),
        postgresql_where=sa.text(OPEN_ONLY),
    )


def downgrade():
    op.drop_index("ix_application_open_state", table_name="application")
