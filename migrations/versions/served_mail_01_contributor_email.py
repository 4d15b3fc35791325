"""Served certificates by email: a contributor's address, a delivery's certificate

Revision ID: served_mail_01
Revises: spjfix_01

Narasumber, moderators and panitia get an optional email address (event_contributors.email,
"" for none), where their certificate is mailed; a message in the delivery log may name the
certificate it carries (deliveries.certificate_id), as a served certificate's holder is no
participant.
"""

import sqlalchemy as sa
from alembic import op

revision = "served_mail_01"
down_revision = "spjfix_01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("event_contributors") as batch:
        batch.add_column(
            sa.Column("email", sa.String(length=254), nullable=False, server_default="")
        )
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("certificate_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_deliveries_certificate_id_certificates"),
            "certificates",
            ["certificate_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(batch.f("ix_deliveries_certificate_id"), ["certificate_id"])


def downgrade():
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_index(batch.f("ix_deliveries_certificate_id"))
        batch.drop_constraint(
            batch.f("fk_deliveries_certificate_id_certificates"), type_="foreignkey"
        )
        batch.drop_column("certificate_id")
    with op.batch_alter_table("event_contributors") as batch:
        batch.drop_column("email")
