"""Issuing certificates as a job: the run of one "Terbitkan" and its participants

Revision ID: certjob_01
Revises: certbundle_01
"""

import sqlalchemy as sa
from alembic import op

revision = "certjob_01"
down_revision = "reach_01"
branch_labels = None
depends_on = None

BUSY = sa.text("status IN ('queued', 'running')")


def upgrade():
    op.create_table(
        "certificate_issue_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "event_id", sa.Integer(), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime()),
        sa.Column("finished_at", sa.DateTime()),
        sa.Column("heartbeat_at", sa.DateTime()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
    )
    op.create_index("ix_certificate_issue_runs_event_id", "certificate_issue_runs", ["event_id"])
    op.create_index(
        "uq_certificate_issue_runs_busy",
        "certificate_issue_runs",
        ["event_id"],
        unique=True,
        sqlite_where=BUSY,
        postgresql_where=BUSY,
    )
    op.create_table(
        "certificate_issue_run_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "run_id",
            sa.Integer(),
            sa.ForeignKey("certificate_issue_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participants.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column(
            "certificate_id", sa.Integer(), sa.ForeignKey("certificates.id", ondelete="SET NULL")
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("done_at", sa.DateTime()),
        sa.UniqueConstraint("run_id", "participant_id"),
    )
    op.create_index(
        "ix_certificate_issue_run_items_run_status",
        "certificate_issue_run_items",
        ["run_id", "status", "position"],
    )
    op.create_index(
        "ix_certificate_issue_run_items_participant_id",
        "certificate_issue_run_items",
        ["participant_id"],
    )


def downgrade():
    op.drop_table("certificate_issue_run_items")
    op.drop_table("certificate_issue_runs")
