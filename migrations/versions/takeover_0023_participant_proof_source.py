"""Who gave a registration's ticket and address: what it proves of the account (issue 18).

Revision ID: takeover_0023
Revises: storage_0023
Create Date: 2026-12-07 01:40:00

Existing registrations count as made by staff, except those the audit log shows the person
made themself (a public or API registration whose actor is the account).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "takeover_0023"
down_revision = "storage_0023"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("proof_source", sa.String(length=10), nullable=False, server_default="staff")
        )
    op.execute(
        sa.text(
            "UPDATE participants SET proof_source = 'owner' WHERE EXISTS ("
            " SELECT 1 FROM audit_log WHERE audit_log.action = 'participant.register'"
            " AND audit_log.target_type = 'participant'"
            " AND audit_log.target_id = participants.id"
            " AND audit_log.actor_id = participants.user_id"
            " AND audit_log.channel IN ('public', 'api'))"
        )
    )


def downgrade():
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("proof_source")
