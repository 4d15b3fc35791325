"""Participants sort by name without titles: the stored sort key.

Revision ID: 0022
Revises: 0015
Create Date: 2026-12-01 14:45:00

"""

import sqlalchemy as sa
from alembic import op

from bimtek.participants.names import sort_key

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sort_name", sa.String(length=200), nullable=False, server_default="")
        )
    participants = sa.table(
        "participants", sa.column("id", sa.Integer), sa.column("full_name"), sa.column("sort_name")
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(participants.c.id, participants.c.full_name)).all()
    for row in rows:
        connection.execute(
            participants.update()
            .where(participants.c.id == row.id)
            .values(sort_name=sort_key(row.full_name or ""))
        )


def downgrade():
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("sort_name")
