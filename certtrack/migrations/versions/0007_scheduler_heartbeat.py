"""The scheduler's leadership lease and heartbeat (one row).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduler_heartbeat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("beat_at", sa.DateTime(), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("pass_started_at", sa.DateTime(), nullable=True),
        sa.Column("pass_ended_at", sa.DateTime(), nullable=True),
        sa.Column("pass_outcome", sa.String(length=200), nullable=True),
        sa.Column("dispatch_started_at", sa.DateTime(), nullable=True),
        sa.Column("dispatch_ended_at", sa.DateTime(), nullable=True),
        sa.Column("dispatch_outcome", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduler_heartbeat")),
    )


def downgrade():
    op.drop_table("scheduler_heartbeat")
