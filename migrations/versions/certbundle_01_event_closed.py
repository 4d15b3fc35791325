"""An event a manager closed ("Tutup kegiatan"): participants may no longer cancel.

Revision ID: certbundle_01
Revises: takeover_0023
"""

import sqlalchemy as sa
from alembic import op

revision = "certbundle_01"
down_revision = "takeover_0023"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("events") as batch:
        batch.drop_column("closed_at")
