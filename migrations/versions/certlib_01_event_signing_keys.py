"""An event's own signing key (certificate_signing_keys), and who signed each certificate
(certificates.signer_name, signer_organization)

Revision ID: certlib_01
Revises: certbundle_01
"""

import sqlalchemy as sa
from alembic import op

revision = "certlib_01"
down_revision = "spj_06"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certificate_signing_keys",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("passphrase_sealed", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("common_name", sa.String(length=200), nullable=False),
        sa.Column("organization", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("valid_until", sa.DateTime(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_certificate_signing_keys_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["stored_files.id"],
            name=op.f("fk_certificate_signing_keys_file_id_stored_files"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_certificate_signing_keys_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_certificate_signing_keys")),
        sa.UniqueConstraint("file_id", name=op.f("uq_certificate_signing_keys_file_id")),
    )
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(
            sa.Column("signer_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column(
                "signer_organization", sa.String(length=200), nullable=False, server_default=""
            )
        )


def downgrade():
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("signer_organization")
        batch.drop_column("signer_name")
    op.drop_table("certificate_signing_keys")
