"""Indexes for the pages at scale: labels by status and end day, applications by state
in the board's order (the longest in its stage first), users in the admin list's order.
The composite indexes replace the single-column ones on label.status and
application.state, which they begin with.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 19:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_label_status_valid_until", "label", ["status", "valid_until"])
    op.drop_index("ix_label_status", table_name="label")
    op.create_index(
        "ix_application_state_entered",
        "application",
        ["state", "state_entered_at", "id", "cluster_id"],
    )
    op.drop_index("ix_application_state", table_name="application")
    op.create_index("ix_user_account_name_id", "user_account", ["name", "id"])


def downgrade():
    op.drop_index("ix_user_account_name_id", table_name="user_account")
    op.create_index("ix_application_state", "application", ["state"])
    op.drop_index("ix_application_state_entered", table_name="application")
    op.create_index("ix_label_status", "label", ["status"])
    op.drop_index("ix_label_status_valid_until", table_name="label")
