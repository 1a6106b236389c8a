"""The day's median time in each stage, per agency (0: every agency together), kept in
the database so that every process reads the figures the day's first view worked out
instead of working them out again.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 03:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "daily_stage_median",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scope", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("median_days", sa.Double(), nullable=True),
        sa.Column("stays", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "scope", "stage", name=op.f("pk_daily_stage_median")),
    )


def downgrade():
    op.drop_table("daily_stage_median")
