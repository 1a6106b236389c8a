"""Documents posted with a conversation message.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 13:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_document_message_id"), ["message_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_document_message_id_conversation_message"),
            "conversation_message",
            ["message_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_document_message_id_conversation_message"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_document_message_id"))
        batch_op.drop_column("message_id")
