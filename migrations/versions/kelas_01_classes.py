"""Classes (kelas): an event's groups of participants; a session is plenary or for one class.

Revision ID: kelas_01
Revises: certbundle_01
"""

import sqlalchemy as sa
from alembic import op

revision = "kelas_01"
down_revision = "organizer_01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("room", sa.String(length=120), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "name"),
    )
    op.create_index("ix_event_classes_event_id", "event_classes", ["event_id"])
    with op.batch_alter_table("event_sessions") as batch:
        batch.add_column(sa.Column("class_id", sa.Integer(), nullable=True))
        batch.create_index("ix_event_sessions_class_id", ["class_id"])
        batch.create_foreign_key("fk_event_sessions_class_id", "event_classes", ["class_id"], ["id"])
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("class_id", sa.Integer(), nullable=True))
        batch.create_index("ix_participants_class_id", ["class_id"])
        batch.create_foreign_key(
            "fk_participants_class_id", "event_classes", ["class_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("participants") as batch:
        batch.drop_constraint("fk_participants_class_id", type_="foreignkey")
        batch.drop_index("ix_participants_class_id")
        batch.drop_column("class_id")
    with op.batch_alter_table("event_sessions") as batch:
        batch.drop_constraint("fk_event_sessions_class_id", type_="foreignkey")
        batch.drop_index("ix_event_sessions_class_id")
        batch.drop_column("class_id")
    op.drop_index("ix_event_classes_event_id", table_name="event_classes")
    op.drop_table("event_classes")
