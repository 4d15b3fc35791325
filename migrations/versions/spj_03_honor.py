"""spj: honor narasumber per JP and the event's PPh 21 rates

Revision ID: spj_03
Revises: spj_02
"""

import sqlalchemy as sa
from alembic import op

revision = "spj_03"
down_revision = "spj_02"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spj_honor_settings",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("bp_gol_i", sa.Integer(), nullable=False),
        sa.Column("bp_gol_ii", sa.Integer(), nullable=False),
        sa.Column("bp_gol_iii", sa.Integer(), nullable=False),
        sa.Column("bp_gol_iv", sa.Integer(), nullable=False),
        sa.Column("bp_non_asn", sa.Integer(), nullable=False),
        sa.Column("source_asn", sa.String(length=200), nullable=False),
        sa.Column("source_non_asn", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_spj_honor_settings_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_spj_honor_settings")),
    )
    op.create_table(
        "spj_honoraria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("office", sa.String(length=200), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("is_asn", sa.Boolean(), nullable=False),
        sa.Column("golongan", sa.String(length=3), nullable=False),
        sa.Column("jp", sa.Integer(), nullable=False),
        sa.Column("rate_per_jp", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_spj_honoraria_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["modules.id"],
            name=op.f("fk_spj_honoraria_module_id_modules"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spj_honoraria")),
    )
    with op.batch_alter_table("spj_honoraria") as batch:
        batch.create_index(batch.f("ix_spj_honoraria_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("spj_honoraria") as batch:
        batch.drop_index(batch.f("ix_spj_honoraria_event_id"))
    op.drop_table("spj_honoraria")
    op.drop_table("spj_honor_settings")
