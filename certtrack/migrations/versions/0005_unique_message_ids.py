"""Outbox rows carry their own globally unique Message-ID.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00.000000

"""

import uuid
from email.utils import parseaddr

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

outbox = sa.table(
    "outbox_message",
    sa.column("id", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("message_id", sa.String()),
)


def _domain() -> str:
    """The domain of MAIL_DEFAULT_SENDER, as the application uses for new rows."""
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") if has_app_context() else None
    address = sender[1] if isinstance(sender, tuple) else parseaddr(sender or "")[1]
    return address.rpartition("@")[2] or "localhost"


def upgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=255), nullable=True))

    # Sent rows keep the id they went out with; the others get a fresh unique one.
    connection = op.get_bind()
    domain = _domain()
    for row_id, status in connection.execute(sa.select(outbox.c.id, outbox.c.status)).all():
        value = (
            f"<outbox-{row_id}@certtrack>" if status == "sent" else f"<{uuid.uuid4().hex}@{domain}>"
        )
        connection.execute(outbox.update().where(outbox.c.id == row_id).values(message_id=value))

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.alter_column("message_id", existing_type=sa.String(length=255), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_outbox_message_message_id"), ["message_id"]
        )


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_outbox_message_message_id"), type_="unique")
        batch_op.drop_column("message_id")
