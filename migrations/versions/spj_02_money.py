"""spj: rates of uang transport, saku and harian per event

Revision ID: spj_02
Revises: spj_01
"""

import sqlalchemy as sa
from alembic import op

revision = "spj_02"
down_revision = "spj_01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spj_money_settings",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("rate_basis", sa.String(length=20), nullable=False),
        sa.Column("home_districts", sa.Text(), nullable=False),
        sa.Column("transport_per_day", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_spj_money_settings_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_spj_money_settings")),
    )
    op.create_table(
        "spj_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("group_key", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_spj_rates_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spj_rates")),
        sa.UniqueConstraint(
            "event_id", "kind", "group_key", name=op.f("uq_spj_rates_event_id_kind_group_key")
        ),
    )
    with op.batch_alter_table("spj_rates") as batch:
        batch.create_index(batch.f("ix_spj_rates_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("spj_rates") as batch:
        batch.drop_index(batch.f("ix_spj_rates_event_id"))
    op.drop_table("spj_rates")
    op.drop_table("spj_money_settings")
