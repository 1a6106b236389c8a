"""When each application entered its current state (the board's time in the stage),
backfilled from the history: the latest step into the current state, else creation.
(Migration 0017 indexes it with the state, in the board's order.)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 19:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state_entered_at", sa.DateTime(), nullable=True))
    # A step that keeps the state (a reassignment, the delivered report) is no new stage.
    op.execute(
        "UPDATE application SET state_entered_at = COALESCE("
        "(SELECT MAX(audit_entry.at) FROM audit_entry"
        " WHERE audit_entry.application_id = application.id"
        " AND audit_entry.to_state = application.state"
        " AND (audit_entry.from_state IS NULL OR audit_entry.from_state <> audit_entry.to_state)),"
        " created_at)"
    )
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.alter_column("state_entered_at", existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_column("state_entered_at")
