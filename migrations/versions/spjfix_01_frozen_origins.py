"""spj: a purged participant's rate group under the basis "asal"

Revision ID: spjfix_01
Revises: certlib_01
"""

import sqlalchemy as sa
from alembic import op

revision = "spjfix_01"
down_revision = "certlib_01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spj_frozen_origins",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_spj_frozen_origins_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_spj_frozen_origins")),
    )


def downgrade():
    op.drop_table("spj_frozen_origins")
