"""The SPJ's own rows: the organizer's letterhead (kop surat) and the signature blocks."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db


class Letterhead(db.Model):
    """The kop surat of one event: printed at the top of every SPJ document."""

    __tablename__ = "spj_letterheads"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    #: the line above the name, e.g. "PEMERINTAH KABUPATEN KUTAI TIMUR" (may be empty)
    authority: Mapped[str] = mapped_column(sa.String(200), default="")
    #: the organizer's name in large capitals, e.g. "BADAN KESATUAN BANGSA DAN POLITIK"
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    #: street address, one line
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    #: telephone, email, website: one line under the address
    contacts: Mapped[str] = mapped_column(sa.String(300), default="")
    #: the logo, cleaned (PNG, EXIF stripped), kept by ``bimtek.storage``
    logo_file_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SignatureBlock(db.Model):
    """One signature on the event's SPJ documents, e.g. "Mengetahui, / a.n. Bupati Kutai
    Timur / Kepala Badan Kesbangpol / (name) / NIP ..."; the stamp (cap) prints beside it."""

    __tablename__ = "spj_signature_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: left to right under a document
    position: Mapped[int] = mapped_column(default=0)
    #: the line above everything, e.g. "Mengetahui," or "Setuju dibayar," (may be empty)
    heading: Mapped[str] = mapped_column(sa.String(120), default="")
    #: the "a.n." line, e.g. "a.n. Bupati Kutai Timur" (may be empty)
    on_behalf_of: Mapped[str] = mapped_column(sa.String(200), default="")
    #: the office held (jabatan), e.g. "Kepala Badan Kesbangpol"
    office: Mapped[str] = mapped_column(sa.String(200), default="")
    name: Mapped[str] = mapped_column(sa.String(200))
    #: 18 digits for a civil servant, else empty (no NIP line)
    nip: Mapped[str] = mapped_column(sa.String(18), default="")
    #: the stamp (cap), cleaned PNG kept by ``bimtek.storage``; printed beside the signature
    stamp_file_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="SET NULL")
    )


#: kinds of money paid to participants: transport (per day, or once), uang saku or uang
#: harian per day attended
RATE_KINDS = ("transport", "saku", "harian")
#: how an event's rates differ between participants
RATE_BASES = ("semua", "kategori", "asal")
#: the groups of the basis "asal": inside or outside the regency
ORIGINS = ("dalam", "luar")


class MoneySettings(db.Model):
    """How an event pays its participants: on what the rates differ, and the kecamatan that
    count as inside the regency."""

    __tablename__ = "spj_money_settings"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    #: one of RATE_BASES
    rate_basis: Mapped[str] = mapped_column(sa.String(20), default="semua")
    #: the kecamatan inside the regency, one per line (basis "asal"); a participant from any
    #: other, or with none given, is "luar"
    home_districts: Mapped[str] = mapped_column(sa.Text, default="")
    #: transport paid for every day attended (True) or once, on the first day attended
    transport_per_day: Mapped[bool] = mapped_column(default=True)


class Rate(db.Model):
    """One amount in whole rupiah: what a participant of ``group_key`` receives as ``kind``."""

    __tablename__ = "spj_rates"
    __table_args__ = (sa.UniqueConstraint("event_id", "kind", "group_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: one of RATE_KINDS
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: "" (everyone), an institution category code, or "dalam"/"luar"
    group_key: Mapped[str] = mapped_column(sa.String(40), default="")
    #: whole rupiah
    amount: Mapped[int] = mapped_column(sa.BigInteger, default=0)


#: golongan (civil-service grade) of an ASN narasumber
GOLONGAN = ("I", "II", "III", "IV")


class HonorSettings(db.Model):
    """An event's PPh 21 rates on honorarium, in basis points (1/100 of a percent: 500 is
    5 %), and the rules they come from, named on every page and kuitansi."""

    __tablename__ = "spj_honor_settings"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    #: ASN by golongan (PMK 262/PMK.03/2010: I and II 0 %, III 5 %, IV 15 %)
    bp_gol_i: Mapped[int] = mapped_column(default=0)
    bp_gol_ii: Mapped[int] = mapped_column(default=0)
    bp_gol_iii: Mapped[int] = mapped_column(default=500)
    bp_gol_iv: Mapped[int] = mapped_column(default=1500)
    #: others (bukan pegawai, PMK 168 Tahun 2023: 50 % of the gross × the Pasal 17 rate,
    #: 2.5 % in its first bracket)
    bp_non_asn: Mapped[int] = mapped_column(default=250)
    source_asn: Mapped[str] = mapped_column(sa.String(200), default="PMK 262/PMK.03/2010")
    source_non_asn: Mapped[str] = mapped_column(
        sa.String(200), default="PMK 168 Tahun 2023 (50% × tarif Pasal 17 UU PPh)"
    )


class Honorarium(db.Model):
    """The honor of one narasumber for one module: JP × rate, PPh 21 withheld, net paid."""

    __tablename__ = "spj_honoraria"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("modules.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(200))
    #: the office or institution printed under the name
    office: Mapped[str] = mapped_column(sa.String(200), default="")
    nip: Mapped[str] = mapped_column(sa.String(18), default="")
    #: a civil servant (ASN): taxed by golongan; else by the non-ASN rate
    is_asn: Mapped[bool] = mapped_column(default=False)
    #: one of GOLONGAN for an ASN, else ""
    golongan: Mapped[str] = mapped_column(sa.String(3), default="")
    jp: Mapped[int] = mapped_column(default=0)
    #: whole rupiah per JP
    rate_per_jp: Mapped[int] = mapped_column(sa.BigInteger, default=0)


#: how a kontribusi was paid
PAYMENT_METHODS = ("transfer", "tunai", "lainnya")


class FeeSettings(db.Model):
    """An event's kontribusi: what an agency pays per participant, and its tagihan numbers."""

    __tablename__ = "spj_fee_settings"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    #: whole rupiah per registered participant
    fee_per_participant: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    #: str.format pattern of a tagihan's number (fields as certificate numbers')
    number_format: Mapped[str] = mapped_column(
        sa.String(120), default="{seq:03d}/TAGIHAN/{code}/{month_roman}/{year}"
    )
    #: last tagihan number handed out; never reused
    last_seq: Mapped[int] = mapped_column(default=0)


class Invoice(db.Model):
    """The tagihan (invoice) of one agency's kontribusi; paid once, then its kuitansi."""

    __tablename__ = "spj_invoices"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "institution"),
        sa.UniqueConstraint("event_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: the agency (instansi) as its participants registered it
    institution: Mapped[str] = mapped_column(sa.String(200))
    seq: Mapped[int] = mapped_column()
    number: Mapped[str] = mapped_column(sa.String(160))
    #: registered participants counted when the tagihan was issued
    participants: Mapped[int] = mapped_column()
    fee_per_participant: Mapped[int] = mapped_column(sa.BigInteger)
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    issued_on: Mapped[date] = mapped_column()
    paid_on: Mapped[date | None] = mapped_column()
    #: one of PAYMENT_METHODS, once paid
    payment_method: Mapped[str] = mapped_column(sa.String(20), default="")
    #: a transfer's reference, who paid in cash…
    payment_note: Mapped[str] = mapped_column(sa.String(200), default="")


#: kinds of letter: an invitation to an agency, a statement for a participant
LETTER_KINDS = ("undangan", "keterangan")


class LetterSettings(db.Model):
    """How an event numbers its letters: one agenda sequence, a format per kind."""

    __tablename__ = "spj_letter_settings"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    invitation_format: Mapped[str] = mapped_column(
        sa.String(120), default="{seq:03d}/UND/{code}/{month_roman}/{year}"
    )
    statement_format: Mapped[str] = mapped_column(
        sa.String(120), default="{seq:03d}/KET/{code}/{month_roman}/{year}"
    )
    #: last agenda number handed out; never reused
    last_seq: Mapped[int] = mapped_column(default=0)


class Letter(db.Model):
    """One numbered letter: the undangan of an agency or the keterangan of a participant.
    Its number stays with it; the text is drawn from the event's data when downloaded."""

    __tablename__ = "spj_letters"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "seq"),
        sa.UniqueConstraint("event_id", "kind", "subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: one of LETTER_KINDS
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: the agency's name (undangan) or the participant's id (keterangan)
    subject: Mapped[str] = mapped_column(sa.String(200))
    seq: Mapped[int] = mapped_column()
    number: Mapped[str] = mapped_column(sa.String(160))
    issued_on: Mapped[date] = mapped_column()


class Photo(db.Model):
    """A dokumentasi photo of one session: resized JPEG without EXIF, with its caption."""

    __tablename__ = "spj_photos"
    #: how ``bimtek.events.access.load_in_event`` reaches its event
    __event_parent__ = "session"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_sessions.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"))
    caption: Mapped[str] = mapped_column(sa.String(300), default="")
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session = relationship("Session")


class FrozenOrigin(db.Model):
    """A participant's rate group under the basis "asal" ("dalam"/"luar"), written when the
    purge erases their kecamatan, so a purged event's daftar penerimaan pays the same."""

    __tablename__ = "spj_frozen_origins"

    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    #: one of ORIGINS
    origin: Mapped[str] = mapped_column(sa.String(5))
