"""An index on each application's history in order, with the states of each step, so
the median time in each stage reads the step that began a stay from the index alone.
It begins with the application and replaces the single-column index on it.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 23:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_audit_entry_application_history",
        "audit_entry",
        ["application_id", "at", "id", "from_state", "to_state"],
    )
    op.drop_index("ix_audit_entry_application_id", table_name="audit_entry")


def downgrade():
    op.create_index("ix_audit_entry_application_id", "audit_entry", ["application_id"])
    op.drop_index("ix_audit_entry_application_history", table_name="audit_entry")
