"""spj: kontribusi per agency: fee, numbered tagihan, payment

Revision ID: spj_04
Revises: spj_03
"""

import sqlalchemy as sa
from alembic import op

revision = "spj_04"
down_revision = "spj_03"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spj_fee_settings",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("fee_per_participant", sa.BigInteger(), nullable=False),
        sa.Column("number_format", sa.String(length=120), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_spj_fee_settings_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_spj_fee_settings")),
    )
    op.create_table(
        "spj_invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=200), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=160), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("fee_per_participant", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("payment_method", sa.String(length=20), nullable=False),
        sa.Column("payment_note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_spj_invoices_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spj_invoices")),
        sa.UniqueConstraint(
            "event_id", "institution", name=op.f("uq_spj_invoices_event_id_institution")
        ),
        sa.UniqueConstraint("event_id", "seq", name=op.f("uq_spj_invoices_event_id_seq")),
    )
    with op.batch_alter_table("spj_invoices") as batch:
        batch.create_index(batch.f("ix_spj_invoices_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("spj_invoices") as batch:
        batch.drop_index(batch.f("ix_spj_invoices_event_id"))
    op.drop_table("spj_invoices")
    op.drop_table("spj_fee_settings")
