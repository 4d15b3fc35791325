"""A participant (peserta): one person registered, waitlisted or cancelled in one event."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from bimtek.core.i18n import N_, translated, translated_label
from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db
from bimtek.participants.names import sort_key

#: a registration's status
STATUSES = ("registered", "waitlisted", "cancelled")

#: institution categories (kategori instansi): code -> label in Bahasa Indonesia
INSTITUTION_CATEGORIES = {
    "kpu": N_("KPU"),
    "bawaslu": N_("Bawaslu"),
    "tni": N_("TNI"),
    "polri": N_("Polri"),
    "pemda": N_("Pemerintah Daerah"),
    "kecamatan_desa": N_("Kecamatan/Desa"),
    "tokoh_masyarakat": N_("Tokoh Masyarakat"),
    "lainnya": N_("Lainnya"),
}
GENDERS = {"L": N_("Laki-laki"), "P": N_("Perempuan")}


def category_labels() -> dict[str, str]:
    """Institution category → its name in the reader's language."""
    return translated(INSTITUTION_CATEGORIES)


def gender_labels() -> dict[str, str]:
    """Gender code → its word in the reader's language."""
    return translated(GENDERS)


class Participant(db.Model):
    __tablename__ = "participants"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "nik"),
        sa.UniqueConstraint("event_id", "registration_number"),
        sa.Index("ix_participants_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: sequential within the event, in order of registration (waitlisted ones too)
    registration_number: Mapped[int] = mapped_column()
    #: unguessable code printed as the ticket QR; what the check-in desk scans
    ticket_code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    #: registered, waitlisted or cancelled
    status: Mapped[str] = mapped_column(sa.String(20))
    #: the name exactly as it should print on the certificate, titles included
    full_name: Mapped[str] = mapped_column(sa.String(200))
    #: what the name sorts by, without titles and degrees (``names.sort_key``); kept in
    #: step with ``full_name`` by ``_keep_sort_name``
    sort_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: 16-digit national ID (Nomor Induk Kependudukan)
    nik: Mapped[str] = mapped_column(sa.String(16))
    #: 18-digit civil servant number (Nomor Induk Pegawai), when the person has one
    nip: Mapped[str | None] = mapped_column(sa.String(18))
    #: "L" (laki-laki) or "P" (perempuan)
    gender: Mapped[str] = mapped_column(sa.String(1))
    institution: Mapped[str] = mapped_column(sa.String(200))
    #: one of INSTITUTION_CATEGORIES
    institution_category: Mapped[str] = mapped_column(sa.String(30), index=True)
    #: jabatan
    job_title: Mapped[str] = mapped_column(sa.String(200), default="")
    #: mobile number normalised to +62…
    phone: Mapped[str] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    #: kecamatan asal
    district: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when the person joined the waitlist
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: place in the waitlist's order when it is not the registration number: a reactivated
    #: registration joins at the end (see participants.queries.WAITLIST_ORDER)
    waitlist_seq: Mapped[int | None] = mapped_column()
    #: when a waitlisted person got a seat
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: when the person agreed, on the form or through the API, to the processing of their
    #: personal data (UU 27/2022); None when an organizer registered them (import, CLI)
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: who gave what this registration holds (its ticket and its email address) and so what
    #: it proves of the account (``participants.accounts.ticket_proves_account``): "owner"
    #: (the person registered themself), "staff" (a desk, a manager, an import, the CLI, or a
    #: manager's edit of the address) or "revoked" (the account was handed back)
    proof_source: Mapped[str] = mapped_column(
        sa.String(10), default="staff", server_default="staff"
    )
    #: the class (kelas) the person is taught in; None: no class yet (plenary sessions only)
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event_classes.id", ondelete="SET NULL"), index=True
    )

    event = relationship("Event")
    user = relationship("User")
    event_class = relationship("EventClass")

    @validates("full_name")
    def _keep_sort_name(self, _key, value):
        self.sort_name = sort_key(value or "")
        return value

    @property
    def category_label(self) -> str:
        """The category's name in the reader's language (one lookup: every check-in's answer
        carries it)."""
        return translated_label(INSTITUTION_CATEGORIES, self.institution_category)

    @property
    def gender_label(self) -> str:
        return translated_label(GENDERS, self.gender)

    @property
    def registration_label(self) -> str:
        """The registration number as printed: KUTIM24A-0007."""
        return f"{self.event.code}-{self.registration_number:04d}"

    def __repr__(self) -> str:
        return f"<Participant {self.id} {self.status} {self.full_name!r}>"
