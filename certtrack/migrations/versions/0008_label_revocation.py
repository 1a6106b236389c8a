"""A revoked label's date and reason.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 11:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("label", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("revocation_reason", sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table("label", schema=None) as batch_op:
        batch_op.drop_column("revocation_reason")
        batch_op.drop_column("revoked_on")
