"""The Gold assessment visit's first and last day.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visit_starts_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("visit_ends_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_column("visit_ends_on")
        batch_op.drop_column("visit_starts_on")
