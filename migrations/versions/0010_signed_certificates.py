"""Signed certificates: the issued file and its hash, and the design snapshot.

Revision ID: 0010
Revises: 0014
Create Date: 2026-12-01 13:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certificate_designs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_designs")),
        sa.UniqueConstraint("digest", name=op.f("uq_certificate_designs_digest")),
    )
    op.create_table(
        "certificate_images",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_certificate_images")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("design_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("document", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("document_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("signer_fingerprint", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.create_index(batch_op.f("ix_certificates_design_id"), ["design_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_certificates_document_sha256"), ["document_sha256"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_certificates_design_id_certificate_designs"),
            "certificate_designs",
            ["design_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_certificates_design_id_certificate_designs"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_certificates_document_sha256"))
        batch_op.drop_index(batch_op.f("ix_certificates_design_id"))
        batch_op.drop_column("signer_fingerprint")
        batch_op.drop_column("document_sha256")
        batch_op.drop_column("document")
        batch_op.drop_column("design_id")
    op.drop_table("certificate_images")
    op.drop_table("certificate_designs")
