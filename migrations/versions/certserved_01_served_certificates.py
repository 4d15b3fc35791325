"""Certificates for everyone who served: narasumber, moderator, panitia (issue 19).

Revision ID: certserved_01
Revises: certbundle_01

Who taught and moderated each module, and who sat on the committee (event_contributors);
each served role's text and number series (certificate_role_settings); certificates carry a
role, each role numbered in its own series. The speakers already named on modules become
their narasumber rows.
"""

import sqlalchemy as sa
from alembic import op

revision = "certserved_01"
down_revision = "certjob_01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_contributors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("institution", sa.String(length=200), nullable=False),
        sa.Column("nip", sa.String(length=30), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_contributors_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["modules.id"],
            name=op.f("fk_event_contributors_module_id_modules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_event_contributors_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_contributors")),
    )
    op.create_index(
        op.f("ix_event_contributors_event_id"), "event_contributors", ["event_id"], unique=False
    )
    op.create_index(
        op.f("ix_event_contributors_module_id"), "event_contributors", ["module_id"], unique=False
    )
    op.create_table(
        "certificate_role_settings",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("role_text", sa.String(length=60), nullable=False),
        sa.Column("body_text", sa.String(length=300), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_certificate_role_settings_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "role", name=op.f("pk_certificate_role_settings")),
    )
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(
            sa.Column("role", sa.String(length=20), nullable=False, server_default="participant")
        )
        batch.add_column(sa.Column("holder_key", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("institution", sa.String(length=200), nullable=False, server_default="")
        )
        batch.alter_column("participant_id", existing_type=sa.Integer(), nullable=True)
        batch.drop_constraint("uq_certificates_event_id_seq", type_="unique")
        batch.create_unique_constraint(
            "uq_certificates_event_id_role_seq", ["event_id", "role", "seq"]
        )
    op.create_index(
        "uq_certificates_active_holder",
        "certificates",
        ["event_id", "role", "holder_key"],
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    bind = op.get_bind()
    modules = bind.execute(sa.text("SELECT id, event_id, speakers FROM modules ORDER BY id")).all()
    contributors = sa.table(
        "event_contributors",
        sa.column("event_id", sa.Integer),
        sa.column("module_id", sa.Integer),
        sa.column("role", sa.String),
        sa.column("name", sa.String),
        sa.column("institution", sa.String),
        sa.column("nip", sa.String),
        sa.column("position", sa.Integer),
    )
    rows = []
    for module_id, event_id, speakers in modules:
        names = [line.strip() for line in (speakers or "").splitlines() if line.strip()]
        for position, name in enumerate(names):
            rows.append(
                {
                    "event_id": event_id,
                    "module_id": module_id,
                    "role": "narasumber",
                    "name": name[:200],
                    "institution": "",
                    "nip": "",
                    "position": position,
                }
            )
    if rows:
        op.bulk_insert(contributors, rows)


def downgrade():
    op.drop_index("uq_certificates_active_holder", table_name="certificates")
    op.execute(sa.text("DELETE FROM certificates WHERE role <> 'participant'"))
    with op.batch_alter_table("certificates") as batch:
        batch.drop_constraint("uq_certificates_event_id_role_seq", type_="unique")
        batch.create_unique_constraint("uq_certificates_event_id_seq", ["event_id", "seq"])
        batch.alter_column("participant_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("institution")
        batch.drop_column("holder_key")
        batch.drop_column("role")
    op.drop_table("certificate_role_settings")
    op.drop_index(op.f("ix_event_contributors_module_id"), table_name="event_contributors")
    op.drop_index(op.f("ix_event_contributors_event_id"), table_name="event_contributors")
    op.drop_table("event_contributors")
