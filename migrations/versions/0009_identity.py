"""account claim: one-time activation codes; consent time on participants

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "activation_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_activation_codes_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_activation_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activation_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_activation_codes_code_hash")),
    )
    with op.batch_alter_table("activation_codes") as batch:
        batch.create_index(batch.f("ix_activation_codes_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("consented_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("consented_at")
    with op.batch_alter_table("activation_codes") as batch:
        batch.drop_index(batch.f("ix_activation_codes_user_id"))
    op.drop_table("activation_codes")
