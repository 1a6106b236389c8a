"""Portfolio imports: the day an application was imported, and uploads awaiting
confirmation.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 15:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("imported_on", sa.Date(), nullable=True))
    op.create_table(
        "portfolio_upload",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_portfolio_upload_agency_id_agency"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_portfolio_upload_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_portfolio_upload")),
    )
    with op.batch_alter_table("portfolio_upload", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portfolio_upload_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_portfolio_upload_user_id"), ["user_id"], unique=False)


def downgrade():
    op.drop_table("portfolio_upload")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_column("imported_on")
