"""spj: the kop surat of an event and its signature blocks

Revision ID: spj_01
Revises: certbundle_01
"""

import sqlalchemy as sa
from alembic import op

revision = "spj_01"
down_revision = "certserved_01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spj_letterheads",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("contacts", sa.String(length=300), nullable=False),
        sa.Column("logo_file_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_spj_letterheads_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["logo_file_id"],
            ["stored_files.id"],
            name=op.f("fk_spj_letterheads_logo_file_id_stored_files"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_spj_letterheads")),
    )
    op.create_table(
        "spj_signature_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("heading", sa.String(length=120), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=200), nullable=False),
        sa.Column("office", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("stamp_file_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_spj_signature_blocks_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stamp_file_id"],
            ["stored_files.id"],
            name=op.f("fk_spj_signature_blocks_stamp_file_id_stored_files"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spj_signature_blocks")),
    )
    with op.batch_alter_table("spj_signature_blocks") as batch:
        batch.create_index(batch.f("ix_spj_signature_blocks_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("spj_signature_blocks") as batch:
        batch.drop_index(batch.f("ix_spj_signature_blocks_event_id"))
    op.drop_table("spj_signature_blocks")
    op.drop_table("spj_letterheads")
