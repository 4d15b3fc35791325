"""rights per event (event_staff) and session versions

Staff accounts that were install-wide panitia become "staff" with the panitia right on
every existing event, so nobody loses access they had; admins stay install-wide.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="1")
        )
    op.create_table(
        "event_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "user_id"),
    )
    with op.batch_alter_table("event_staff") as batch:
        batch.create_index(batch.f("ix_event_staff_event_id"), ["event_id"], unique=False)
        batch.create_index(batch.f("ix_event_staff_user_id"), ["user_id"], unique=False)
    op.execute(
        "INSERT INTO event_staff (event_id, user_id, role, created_at) "
        "SELECT events.id, users.id, 'panitia', CURRENT_TIMESTAMP "
        "FROM users CROSS JOIN events WHERE users.role = 'panitia'"
    )
    op.execute("UPDATE users SET role = 'staff' WHERE role = 'panitia'")


def downgrade():
    op.execute(
        "UPDATE users SET role = 'panitia' WHERE role = 'staff' AND id IN "
        "(SELECT user_id FROM event_staff)"
    )
    op.drop_table("event_staff")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_version")
