"""What to review in an event made by "Salin kegiatan": one row per item, with what was
copied and whether a manager has ticked it.

Revision ID: organizer_01
Revises: certbundle_01
"""

import sqlalchemy as sa
from alembic import op

revision = "organizer_01"
down_revision = "certbundle_01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "clone_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey(
                "events.id", ondelete="CASCADE", name=op.f("fk_clone_reviews_event_id_events")
            ),
            nullable=False,
        ),
        sa.Column("item", sa.String(20), nullable=False),
        sa.Column("source_code", sa.String(20), nullable=False),
        sa.Column("copied", sa.JSON(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column(
            "reviewed_by_id",
            sa.Integer(),
            sa.ForeignKey(
                "users.id", ondelete="SET NULL", name=op.f("fk_clone_reviews_reviewed_by_id_users")
            ),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clone_reviews")),
        sa.UniqueConstraint("event_id", "item", name=op.f("uq_clone_reviews_event_id_item")),
    )


def downgrade():
    op.drop_table("clone_reviews")
