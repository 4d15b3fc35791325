"""spj: numbered letters (surat undangan per agency, surat keterangan per participant)

Revision ID: spj_05
Revises: spj_04
"""

import sqlalchemy as sa
from alembic import op

revision = "spj_05"
down_revision = "spj_04"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spj_letter_settings",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("invitation_format", sa.String(length=120), nullable=False),
        sa.Column("statement_format", sa.String(length=120), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_spj_letter_settings_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_spj_letter_settings")),
    )
    op.create_table(
        "spj_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=160), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_spj_letters_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spj_letters")),
        sa.UniqueConstraint(
            "event_id", "kind", "subject", name=op.f("uq_spj_letters_event_id_kind_subject")
        ),
        sa.UniqueConstraint("event_id", "seq", name=op.f("uq_spj_letters_event_id_seq")),
    )
    with op.batch_alter_table("spj_letters") as batch:
        batch.create_index(batch.f("ix_spj_letters_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("spj_letters") as batch:
        batch.drop_index(batch.f("ix_spj_letters_event_id"))
    op.drop_table("spj_letters")
    op.drop_table("spj_letter_settings")
