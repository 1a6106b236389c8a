"""The labels of a status in the order of the expiring and lapsed lists (end day, then
id), with their cluster: a page of a list reads only its rows, and an agency's counts
read the index alone. It replaces the index on status and end day, which it begins with.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 02:30:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_label_status_ending", "label", ["status", "valid_until", "id", "cluster_id"]
    )
    op.drop_index("ix_label_status_valid_until", table_name="label")


def downgrade():
    op.create_index("ix_label_status_valid_until", "label", ["status", "valid_until"])
    op.drop_index("ix_label_status_ending", table_name="label")
