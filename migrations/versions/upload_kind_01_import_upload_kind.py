"""An import upload names the import it was made for (import_uploads.kind)

Revision ID: upload_kind_01
Revises: served_mail_01

The participant list and the team list (narasumber, moderators, panitia) wait between
preview and confirm in the same table; a token now opens only on its own import's pages.
Uploads kept before this were all participant lists.
"""

import sqlalchemy as sa
from alembic import op

revision = "upload_kind_01"
down_revision = "served_mail_01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("import_uploads") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="participants")
        )


def downgrade():
    with op.batch_alter_table("import_uploads") as batch:
        batch.drop_column("kind")
