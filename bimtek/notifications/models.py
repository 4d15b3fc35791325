"""The delivery log (one row per message, once) and the announcements managers write."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db

KINDS = (
    "registration",
    "waitlist",
    "promotion",
    "certificate",
    "test_open",
    "announcement",
    "account_link",
    "served_certificate",
)
AUDIENCES = ("registered", "waitlisted", "all")
#: how an announcement goes out: by email (a job), on WhatsApp (a manager, in turn), or both
CHANNELS = ("email", "whatsapp", "both")
#: a delivery's status in words
STATUS_LABELS = {
    "sent": _l("terkirim"),
    "queued": _l("antre"),
    "sending": _l("sedang dikirim"),
    "failed": _l("gagal"),
    "bounced": _l("ditolak"),
}


def status_labels() -> dict[str, str]:
    """A delivery's status → its word in the reader's language."""
    return {status: str(label) for status, label in STATUS_LABELS.items()}


#: where a person stands in a WhatsApp round: the manager opened the chat, or skipped them
TURN_STATES = ("opened", "skipped")


class Announcement(db.Model):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: who receives it: registered, waitlisted or all (both)
    audience: Mapped[str] = mapped_column(sa.String(20))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: one of CHANNELS
    channels: Mapped[str] = mapped_column(sa.String(10), default="email", server_default="email")

    author = relationship("User")

    @property
    def by_email(self) -> bool:
        return self.channels in ("email", "both")

    @property
    def by_whatsapp(self) -> bool:
        return self.channels in ("whatsapp", "both")


class Delivery(db.Model):
    """One message to one person, sent at most once: ``key`` names it (``registration:17``).
    The person is a participant, or someone who served the event (narasumber, moderator,
    panitia), whose certificate the message carries (``certificate_id``)."""

    __tablename__ = "deliveries"
    __table_args__ = (sa.Index("ix_deliveries_event_status", "event_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    announcement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("announcements.id", ondelete="CASCADE"), index=True
    )
    #: the certificate a "served_certificate" message carries (its holder is no participant)
    certificate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificates.id", ondelete="CASCADE"), index=True
    )
    #: one of KINDS
    kind: Mapped[str] = mapped_column(sa.String(30))
    #: unique name of this message, so a retried job never sends it twice
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    #: language the message is written in (the person's)
    locale: Mapped[str] = mapped_column(sa.String(5), default="id")
    subject: Mapped[str] = mapped_column(sa.String(250), default="")
    #: queued, sending (claimed by a job), sent, failed (retried), bounced (refused for good)
    status: Mapped[str] = mapped_column(sa.String(20), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    #: why the last attempt failed, as the mail server said it
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when a job took it for sending; a claim older than a few minutes may be taken again
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    participant = relationship("Participant")
    announcement = relationship("Announcement")
    certificate = relationship("Certificate")

    def __repr__(self) -> str:
        return f"<Delivery {self.id} {self.key} {self.status}>"


class WhatsAppTurn(db.Model):
    """One person in a WhatsApp round (``round`` names it: ``pengumuman-12``, ``tes-3``,
    ``tiket``, ``sertifikat``): the manager opened the chat with the message, or skipped
    them. A round is resumable from any phone: who is next is whoever has no row yet."""

    __tablename__ = "whatsapp_turns"
    __table_args__ = (sa.UniqueConstraint("round", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    #: the round's key within the event
    round: Mapped[str] = mapped_column(sa.String(40))
    #: one of TURN_STATES
    state: Mapped[str] = mapped_column(sa.String(10))
    #: the staff member who opened (or skipped) it
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
