"""A consultant's delivered reports in the order of the dashboard's list (the latest
first): a page and its count read the consultant's own reports from this index instead
of every report.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 14:30:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_report_delivered_by", "report", ["delivered_by_id", "delivered_at", "id"])


def downgrade():
    op.drop_index("ix_report_delivered_by", table_name="report")
