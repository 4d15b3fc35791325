"""WhatsApp rounds and announcement channels; existing events keep their 12 evaluation items

Announcements say how they go out (email, whatsapp, both); ``whatsapp_turns`` keeps who a
manager has opened a WhatsApp chat with (or skipped) in each round, so a round resumes.

The default questionnaire asks fewer statements per narasumber from this revision on
(``evaluation.queries.DEFAULT_ITEMS``). An event that has stored no items of its own used the
old defaults, and its answers refer to them: those items are written to the event here, so
its questionnaire and its report stay as they were.

Revision ID: reach_01
Revises: certbundle_01
"""

import sqlalchemy as sa
from alembic import op

revision = "reach_01"
down_revision = "kelas_01"
branch_labels = None
depends_on = None

#: the defaults up to this revision, as the events created before it asked them
OLD_DEFAULT_ITEMS = (
    ("s1", "speaker", "Penguasaan materi"),
    ("s2", "speaker", "Sistematika penyajian"),
    ("s3", "speaker", "Ketepatan waktu"),
    ("s4", "speaker", "Relevansi materi dengan tugas peserta"),
    ("s5", "speaker", "Kemampuan menjawab pertanyaan"),
    ("s6", "speaker", "Penggunaan media dan alat bantu"),
    ("o1", "organizer", "Kesesuaian jadwal"),
    ("o2", "organizer", "Tempat dan fasilitas"),
    ("o3", "organizer", "Bahan/materi yang dibagikan"),
    ("o4", "organizer", "Pelayanan panitia"),
    ("o5", "organizer", "Konsumsi"),
    ("o6", "organizer", "Informasi kegiatan"),
)


def upgrade():
    with op.batch_alter_table("announcements") as batch:
        batch.add_column(
            sa.Column("channels", sa.String(length=10), nullable=False, server_default="email")
        )
    op.create_table(
        "whatsapp_turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round", "participant_id"),
    )
    with op.batch_alter_table("whatsapp_turns") as batch:
        batch.create_index(batch.f("ix_whatsapp_turns_event_id"), ["event_id"], unique=False)
        batch.create_index(
            batch.f("ix_whatsapp_turns_participant_id"), ["participant_id"], unique=False
        )
    events = sa.table("events", sa.column("id", sa.Integer))
    items = sa.table(
        "evaluation_items",
        sa.column("event_id", sa.Integer),
        sa.column("target", sa.String),
        sa.column("key", sa.String),
        sa.column("text", sa.String),
        sa.column("position", sa.Integer),
    )
    bind = op.get_bind()
    without = (
        bind.execute(
            sa.select(events.c.id).where(~sa.exists().where(items.c.event_id == events.c.id))
        )
        .scalars()
        .all()
    )
    rows = []
    for event_id in without:
        for position, (key, target, text) in enumerate(OLD_DEFAULT_ITEMS):
            base = 0 if target == "speaker" else 100 - 6
            rows.append(
                {
                    "event_id": event_id,
                    "target": target,
                    "key": key,
                    "text": text,
                    "position": base + position,
                }
            )
    if rows:
        op.bulk_insert(items, rows)


def downgrade():
    with op.batch_alter_table("whatsapp_turns") as batch:
        batch.drop_index(batch.f("ix_whatsapp_turns_participant_id"))
        batch.drop_index(batch.f("ix_whatsapp_turns_event_id"))
    op.drop_table("whatsapp_turns")
    with op.batch_alter_table("announcements") as batch:
        batch.drop_column("channels")
