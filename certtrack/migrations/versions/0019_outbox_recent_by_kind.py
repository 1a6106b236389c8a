"""The outbox's recent messages of a kind, with what they are about: the daily pass's
"none written in the last `every` days" check reads this instead of the whole outbox,
which grows with every day of history.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 23:15:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_outbox_message_kind_created",
        "outbox_message",
        ["kind", "created_at", "application_id"],
    )


def downgrade():
    op.drop_index("ix_outbox_message_kind_created", table_name="outbox_message")
