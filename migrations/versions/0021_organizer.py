"""organizer: a post-test may open before the pre-test closes only by a manager's choice;
a reactivated registration's place at the end of the waitlist

Revision ID: 0021
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(
            sa.Column(
                "opens_before_pre_closes",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("waitlist_seq", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("waitlist_seq")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("opens_before_pre_closes")
