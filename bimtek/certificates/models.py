"""Certificates (sertifikat): per-event rules and design, signatories, issued certificates."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db

DEFAULT_NUMBER_FORMAT = "{seq:03d}/BIMTEK-{code}/{month_roman}/{year}"
DEFAULT_TITLE = "SERTIFIKAT"
DEFAULT_AWARDED = "diberikan kepada"
DEFAULT_ROLE = "Peserta"
DEFAULT_BODY = "atas partisipasinya dalam kegiatan Bimbingan Teknis"

#: the kinds of certificate: participants, and those who served (see ``served.py``)
CERTIFICATE_ROLES = ("participant", "narasumber", "moderator", "panitia")
SERVED_ROLES = ("narasumber", "moderator", "panitia")
#: what each served role's number carries after the event's code (``numbering.served_format``)
SERVED_MARKS = {"narasumber": "NS", "moderator": "MOD", "panitia": "PAN"}
#: role -> (role printed under the name, the sentence before the event's title)
SERVED_DEFAULT_TEXTS = {
    "narasumber": ("Narasumber", "pada kegiatan Bimbingan Teknis"),
    "moderator": ("Moderator", "pada kegiatan Bimbingan Teknis"),
    "panitia": ("Panitia", "pada penyelenggaraan kegiatan Bimbingan Teknis"),
}


class CertificateSettings(db.Model):
    """Eligibility rules, numbering and the certificate's design for one event (1:1)."""

    __tablename__ = "certificate_settings"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    #: attendance at mandatory sessions needed, in percent (0–100)
    min_attendance_percent: Mapped[int] = mapped_column(default=80)
    #: an izin (excused) at a mandatory session counts as attended
    count_excused: Mapped[bool] = mapped_column(default=False)
    #: a sakit (sick) at a mandatory session counts as attended
    count_sick: Mapped[bool] = mapped_column(default=False)
    #: a submitted post-test is needed
    post_test_required: Mapped[bool] = mapped_column(default=True)
    #: lowest post-test score (0–100) that earns a certificate; empty = any score
    min_post_score: Mapped[float | None] = mapped_column(sa.Float)
    #: str.format pattern of the number; fields seq, code, month, month_roman, year
    number_format: Mapped[str] = mapped_column(sa.String(120), default=DEFAULT_NUMBER_FORMAT)
    #: last sequence number handed out; bumped under this row's lock, never reused
    last_seq: Mapped[int] = mapped_column(default=0)

    title_text: Mapped[str] = mapped_column(sa.String(60), default=DEFAULT_TITLE)
    #: the line above the name
    awarded_text: Mapped[str] = mapped_column(sa.String(120), default=DEFAULT_AWARDED)
    #: the role printed under the name ("Peserta")
    role_text: Mapped[str] = mapped_column(sa.String(60), default=DEFAULT_ROLE)
    #: the sentence that leads to the training's title
    body_text: Mapped[str] = mapped_column(sa.String(300), default=DEFAULT_BODY)
    #: place of signing; empty = the event's city
    signing_place: Mapped[str] = mapped_column(sa.String(100), default="")
    #: date of signing; empty = the event's last day
    signing_date: Mapped[date | None] = mapped_column()

    #: uploaded images (PNG or JPEG), kept in the database so every app server sees them
    logo_left: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    logo_left_type: Mapped[str] = mapped_column(sa.String(20), default="")
    logo_right: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    logo_right_type: Mapped[str] = mapped_column(sa.String(20), default="")
    background: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    background_type: Mapped[str] = mapped_column(sa.String(20), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event = relationship("Event")
    signatories: Mapped[list["Signatory"]] = relationship(
        back_populates="settings",
        order_by="Signatory.position, Signatory.id",
        cascade="all, delete-orphan",
    )


class Signatory(db.Model):
    """Someone who signs the certificates of an event (1 to 3 per event)."""

    __tablename__ = "certificate_signatories"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certificate_settings.event_id", ondelete="CASCADE"), index=True
    )
    #: left to right on the page
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: the office held, printed above the signature, e.g. "Bupati Kutai Timur"
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    nip: Mapped[str] = mapped_column(sa.String(30), default="")
    #: scanned signature (PNG with transparency is best)
    signature: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    signature_type: Mapped[str] = mapped_column(sa.String(20), default="")

    settings: Mapped[CertificateSettings] = relationship(back_populates="signatories")


class ServedCertificateSettings(db.Model):
    """The text and the number series of one served role's certificates in one event
    (narasumber, moderator, panitia); the rest of the design is the participants'."""

    __tablename__ = "certificate_role_settings"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    #: one of SERVED_ROLES
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    #: the role printed under the name ("Narasumber")
    role_text: Mapped[str] = mapped_column(sa.String(60))
    #: the sentence that leads to the training's title
    body_text: Mapped[str] = mapped_column(sa.String(300))
    #: last sequence number of this role's series; bumped under this row's lock
    last_seq: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    """An issued certificate. What was printed is kept as a snapshot."""

    __tablename__ = "certificates"
    __table_args__ = (
        # each role has its own series (participants', NS, MOD, PAN)
        sa.UniqueConstraint("event_id", "role", "seq"),
        # one certificate in force per participant; revoked ones stay as history
        sa.Index(
            "uq_certificates_active_participant",
            "event_id",
            "participant_id",
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
        # one certificate in force per person who served, per role
        sa.Index(
            "uq_certificates_active_holder",
            "event_id",
            "role",
            "holder_key",
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    #: "participant", or the role served: "narasumber", "moderator", "panitia"
    role: Mapped[str] = mapped_column(
        sa.String(20), default="participant", server_default="participant"
    )
    #: the participant's; empty on a certificate of someone who served
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    #: who served, for a served role: their name normalised (``served.holder_key``)
    holder_key: Mapped[str | None] = mapped_column(sa.String(64))
    #: the institution of someone who served, as known at issue
    institution: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: sequence within the event and role, from CertificateSettings.last_seq (participants)
    #: or ServedCertificateSettings.last_seq
    seq: Mapped[int] = mapped_column()
    #: the printed number, e.g. 007/BIMTEK-KUTIM24A/X/2024
    number: Mapped[str] = mapped_column(sa.String(160), unique=True)
    #: unguessable code in the QR and the public verification URL
    verification_code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    revoke_reason: Mapped[str] = mapped_column(sa.Text, default="")

    #: snapshot of what was printed, so later edits do not change an issued certificate
    name: Mapped[str] = mapped_column(sa.String(200))
    event_title: Mapped[str] = mapped_column(sa.String(300))
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column()
    total_jp: Mapped[int] = mapped_column()
    minutes_per_jp: Mapped[int] = mapped_column()
    #: [{"title": ..., "jp": ...}] as printed on page 2
    modules: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: the design (texts, signatories, logos) printed at issue; empty before signing existed
    design_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificate_designs.id", ondelete="RESTRICT"), index=True
    )
    #: the issued file, signed, exactly as handed out (about 120 KB)
    document: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    #: SHA-256 (hex) of ``document``: an uploaded copy with this hash is the issued file
    document_sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    #: SHA-256 (hex) of the certificate that signed the document
    signer_fingerprint: Mapped[str] = mapped_column(sa.String(64), default="")
    #: who signed, from the signing certificate's subject: its CN and O (the verify page
    #: names them); empty for certificates issued before they were kept
    signer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    signer_organization: Mapped[str] = mapped_column(sa.String(200), default="")

    event = relationship("Event")
    design = relationship("CertificateDesign")
    participant = relationship("Participant")
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])

    @property
    def status(self) -> str:
        return "revoked" if self.revoked_at else "valid"

    def __repr__(self) -> str:
        return f"<Certificate {self.number} {self.status}>"


class CertificateDesign(db.Model):
    """The design an event's certificates were issued with, shared by every certificate
    issued with the same design; never changed once written (content-addressed)."""

    __tablename__ = "certificate_designs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 (hex) of ``content``, so the same design is stored once
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: texts, signing place and date, signatories; images as CertificateImage digests
    content: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CertificateImage(db.Model):
    """A logo, background or scanned signature as printed on issued certificates; stored
    once by content, kept however the event's settings change later."""

    __tablename__ = "certificate_images"

    #: SHA-256 (hex) of ``data``
    digest: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)


#: an issuing run still to be finished by a job
ISSUE_RUN_BUSY = ("queued", "running")


class IssueRun(db.Model):
    """One "Terbitkan" for all: who asked, when, and (its items) the participants eligible at
    that moment; a job issues them in chunks (``certificates/runs.py``)."""

    __tablename__ = "certificate_issue_runs"
    __table_args__ = (
        # one run at a time per event: a second click joins the running one
        sa.Index(
            "uq_certificate_issue_runs_busy",
            "event_id",
            unique=True,
            sqlite_where=sa.text("status IN ('queued', 'running')"),
            postgresql_where=sa.text("status IN ('queued', 'running')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: queued, running, done or failed (stopped with ``error``; what is left is not issued)
    status: Mapped[str] = mapped_column(sa.String(20), default="queued")
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the lease of the job running it: a busy run whose lease lapsed was lost with its
    #: process and is queued again (as ``PreparedFile``)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: how often a job claimed it; only the newest claim may issue
    attempts: Mapped[int] = mapped_column(default=0)
    #: why it stopped, or the last problem before a retry, in the organizer's language
    error: Mapped[str] = mapped_column(sa.Text, default="")

    requested_by = relationship("User")


class IssueRunItem(db.Model):
    """A participant of an issuing run: pending, issued, already holding one, or failed."""

    __tablename__ = "certificate_issue_run_items"
    __table_args__ = (
        sa.UniqueConstraint("run_id", "participant_id"),
        sa.Index("ix_certificate_issue_run_items_run_status", "run_id", "status", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certificate_issue_runs.id", ondelete="CASCADE")
    )
    #: the order of issuing (the certificate list's order: by name)
    position: Mapped[int] = mapped_column()
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    #: pending, issued, already (held one in force by then) or failed (``reason``)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    certificate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificates.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    participant = relationship("Participant")
    certificate = relationship("Certificate")


class EventSigningKey(db.Model):
    """An event's own signing key (the organizer's PKCS#12), used instead of the install's.

    The PKCS#12 file is kept in ``stored_files``; its passphrase only encrypted
    (``signing_keys.seal``, a key derived from the app's SECRET_KEY). The certificate's facts
    are copied here so pages show them without opening the key."""

    __tablename__ = "certificate_signing_keys"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    #: the PKCS#12 file, as uploaded
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"), unique=True)
    #: the passphrase, encrypted (Fernet token); never stored in plain text
    passphrase_sealed: Mapped[str] = mapped_column(sa.Text)
    #: SHA-256 (hex) of the signing certificate (DER)
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    #: the signing certificate's subject CN and O, and its subject and issuer in full
    common_name: Mapped[str] = mapped_column(sa.String(200), default="")
    organization: Mapped[str] = mapped_column(sa.String(200), default="")
    subject: Mapped[str] = mapped_column(sa.String(500), default="")
    issuer: Mapped[str] = mapped_column(sa.String(500), default="")
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
