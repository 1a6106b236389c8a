"""Each application's conversation, who muted it, and the opt-out from its notices.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "conversation_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_conversation_message_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_conversation_message_author_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_message")),
    )
    with op.batch_alter_table("conversation_message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_message_application_created",
            ["application_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_conversation_message_author_id"), ["author_id"], unique=False
        )

    op.create_table(
        "conversation_mute",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_conversation_mute_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_conversation_mute_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "application_id", name=op.f("pk_conversation_mute")),
    )
    with op.batch_alter_table("conversation_mute", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_mute_application_id"), ["application_id"], unique=False
        )

    # A plain ADD COLUMN, not a batch: rebuilding user_account on SQLite would delete
    # the rows that cascade from it (outbox messages, sessions).
    op.add_column(
        "user_account",
        sa.Column(
            "wants_conversation_messages", sa.Boolean(), server_default=sa.true(), nullable=False
        ),
    )


def downgrade():
    op.drop_column("user_account", "wants_conversation_messages")

    with op.batch_alter_table("conversation_mute", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_mute_application_id"))
    op.drop_table("conversation_mute")

    with op.batch_alter_table("conversation_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_message_author_id"))
        batch_op.drop_index("ix_conversation_message_application_created")
    op.drop_table("conversation_message")
