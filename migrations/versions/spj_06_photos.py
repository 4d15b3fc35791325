"""spj: dokumentasi photos per session

Revision ID: spj_06
Revises: spj_05
"""

import sqlalchemy as sa
from alembic import op

revision = "spj_06"
down_revision = "spj_05"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spj_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("caption", sa.String(length=300), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_files.id"], name=op.f("fk_spj_photos_file_id_stored_files")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["event_sessions.id"],
            name=op.f("fk_spj_photos_session_id_event_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spj_photos")),
    )
    with op.batch_alter_table("spj_photos") as batch:
        batch.create_index(batch.f("ix_spj_photos_session_id"), ["session_id"], unique=False)


def downgrade():
    with op.batch_alter_table("spj_photos") as batch:
        batch.drop_index(batch.f("ix_spj_photos_session_id"))
    op.drop_table("spj_photos")
