"""An event (one Bimtek batch), its modules (materi) and its sessions (sesi)."""

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bimtek.core.timeutil import DEFAULT_TIMEZONE, UTCDateTime, local_to_utc, to_local, utcnow
from bimtek.extensions import db

if TYPE_CHECKING:
    from bimtek.auth.models import User


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: short code used in URLs, ticket numbers and certificate numbers, e.g. "KUTIM24A"
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: who holds the training, e.g. "Pemerintah Kabupaten Kutai Timur"
    organizer: Mapped[str] = mapped_column(sa.String(200), default="")
    #: the training provider, e.g. "Smart Academy"
    provider: Mapped[str] = mapped_column(sa.String(200), default="")
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="")
    start_date: Mapped[date] = mapped_column()
    end_date: Mapped[date] = mapped_column()
    #: IANA zone of the venue; Kalimantan Timur is Asia/Makassar (WITA)
    timezone: Mapped[str] = mapped_column(sa.String(40), default=DEFAULT_TIMEZONE)
    #: hard limit on registered participants; more registrants go to the waitlist
    capacity: Mapped[int] = mapped_column()
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: shown on the public list and open to registration
    published: Mapped[bool] = mapped_column(default=True)
    #: minutes in one lesson hour (JP); 45 is common, agencies differ
    minutes_per_jp: Mapped[int] = mapped_column(default=45)
    #: a check-in this many minutes after a session's start counts as late (terlambat)
    late_grace_minutes: Mapped[int] = mapped_column(default=15)
    #: last registration number handed out; bumped under a row lock on every registration
    registration_seq: Mapped[int] = mapped_column(default=0)
    #: when a manager closed the event ("Tutup kegiatan"); empty = open until its last day
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    modules: Mapped[list["Module"]] = relationship(
        back_populates="event", order_by="Module.position, Module.id", cascade="all, delete-orphan"
    )
    sessions: Mapped[list["Session"]] = relationship(
        back_populates="event",
        order_by="Session.starts_at, Session.id",
        cascade="all, delete-orphan",
    )

    classes: Mapped[list["EventClass"]] = relationship(
        back_populates="event",
        order_by="EventClass.name, EventClass.id",
        cascade="all, delete-orphan",
    )

    def registration_state(self, now: datetime | None = None) -> str:
        """'not_yet', 'open' or 'closed' for the registration window at ``now``."""
        now = now or utcnow()
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if now >= self.registration_deadline:
            return "closed"
        return "open"

    @property
    def registration_deadline(self) -> datetime:
        """When registration closes: the date set, else the end of the event's last day
        (midnight in the event's zone), so nobody registers for an event that is over."""
        if self.registration_closes_at:
            return self.registration_closes_at
        day_after = datetime.combine(self.end_date + timedelta(days=1), time())
        return local_to_utc(day_after, self.timezone)

    @property
    def place(self) -> str:
        """Venue and city, without naming the city twice ("Hotel Harris Samarinda")."""
        if self.city and self.city.lower() not in self.venue.lower():
            return ", ".join(part for part in (self.venue, self.city) if part)
        return self.venue or self.city

    @property
    def total_jp(self) -> int:
        return sum(module.jp for module in self.modules)

    def local(self, moment: datetime | None) -> datetime | None:
        return to_local(moment, self.timezone)

    def finished(self, now: datetime | None = None) -> bool:
        """Its last day has passed in its zone."""
        return self.local(now or utcnow()).date() > self.end_date

    def locked(self, now: datetime | None = None) -> bool:
        """Over (its last day has passed in its zone) or closed by a manager: participants
        may no longer cancel."""
        return self.closed_at is not None or self.local(now or utcnow()).date() > self.end_date

    def __repr__(self) -> str:
        return f"<Event {self.code}>"


EVENT_ROLES = ("manager", "panitia")


class EventStaff(db.Model):
    """A staff member's right in one event: manager (everything) or panitia (check-in desk)."""

    __tablename__ = "event_staff"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: "manager" or "panitia"
    role: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    user: Mapped["User"] = relationship()


class Module(db.Model):
    """A topic of the curriculum (materi) with its lesson hours (JP)."""

    __tablename__ = "modules"
    __table_args__ = (sa.UniqueConstraint("event_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: short code within the event, e.g. "M1"
    code: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: lesson hours (jam pelajaran)
    jp: Mapped[int] = mapped_column(default=0)
    #: names of the speakers (narasumber), one per line
    speakers: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="modules")
    sessions: Mapped[list["Session"]] = relationship(back_populates="module")
    materials: Mapped[list["Material"]] = relationship(
        back_populates="module", order_by="Material.id", cascade="all, delete-orphan"
    )

    @property
    def speaker_list(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]


class EventClass(db.Model):
    """A class (kelas): a group of an event's participants taught together. A session is
    plenary or for one class; a participant is in one class or none."""

    __tablename__ = "event_classes"
    __table_args__ = (sa.UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: e.g. "Kelas A"; unique within the event (the import names a class by it)
    name: Mapped[str] = mapped_column(sa.String(80))
    room: Mapped[str] = mapped_column(sa.String(120), default="")
    #: most registered participants the class takes; None: no limit
    capacity: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="classes")


#: what a contributor did: taught a module, moderated it, or sat on the organizing committee
CONTRIBUTOR_ROLES = ("narasumber", "moderator", "panitia")


class Contributor(db.Model):
    """Someone who served the event (for their certificate): the narasumber or moderator of
    one module, or a member of the organizing committee (panitia, no module). A person who
    teaches two modules has two rows with the same name; certificates group them by name.
    The narasumber rows of a module and ``Module.speakers`` are kept the same
    (``events/contributors.py``)."""

    __tablename__ = "event_contributors"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: the module taught or moderated; empty for panitia
    module_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("modules.id", ondelete="CASCADE"), index=True
    )
    #: "narasumber", "moderator" or "panitia"
    role: Mapped[str] = mapped_column(sa.String(20))
    #: the name as it prints on the certificate, with titles
    name: Mapped[str] = mapped_column(sa.String(200))
    institution: Mapped[str] = mapped_column(sa.String(200), default="")
    nip: Mapped[str] = mapped_column(sa.String(30), default="")
    #: where their certificate is mailed ("" for none); personal data: managers only, purged
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    #: the staff account of a panitia member, when they have one
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()
    module: Mapped["Module | None"] = relationship()


class Session(db.Model):
    """A scheduled block of time (sesi); attendance is taken per session."""

    __tablename__ = "event_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("modules.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room: Mapped[str] = mapped_column(sa.String(120), default="")
    #: counts toward the attendance needed for a certificate
    mandatory: Mapped[bool] = mapped_column(default=True)

    #: the class (kelas) the session is for; None: plenary, for everyone
    #: (``bimtek.events.classes.session_is_for``)
    class_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event_classes.id"), index=True)

    event: Mapped[Event] = relationship(back_populates="sessions")
    module: Mapped[Module | None] = relationship(back_populates="sessions")
    event_class: Mapped["EventClass | None"] = relationship()

    @property
    def local_start(self) -> datetime:
        return to_local(self.starts_at, self.event.timezone)

    @property
    def local_end(self) -> datetime:
        return to_local(self.ends_at, self.event.timezone)

    @property
    def local_day(self) -> date:
        return self.local_start.date()


class Material(db.Model):
    """A file handed out with a module (bahan ajar): slides or a reading, PDF or PowerPoint."""

    __tablename__ = "materials"
    #: how ``bimtek.events.access.load_in_event`` reaches its event
    __event_parent__ = "module"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("modules.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    #: the file name as uploaded, used for the download
    filename: Mapped[str] = mapped_column(sa.String(200))
    #: its bytes, kept through ``bimtek.storage.files`` (None: lost before the files moved
    #: into the database, answered as a 404)
    file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"), unique=True)
    #: "pdf", "ppt" or "pptx", as found in the file's content
    kind: Mapped[str] = mapped_column(sa.String(10))
    size_bytes: Mapped[int] = mapped_column()
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    module: Mapped[Module] = relationship(back_populates="materials")


class CloneReview(db.Model):
    """One thing to look at again in an event made by "Salin kegiatan" (dates, rooms,
    description, signatories, questions, capacity), with what was copied into it."""

    __tablename__ = "clone_reviews"
    __table_args__ = (sa.UniqueConstraint("event_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the new event (the copy)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    #: dates, rooms, description, signatories, questions or capacity
    item: Mapped[str] = mapped_column(sa.String(20))
    #: the code of the event it was copied from, as it was then
    source_code: Mapped[str] = mapped_column(sa.String(20), default="")
    #: what the copy received for this item, as JSON (e.g. {"rooms": [...]})
    copied: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: ticked by a manager: looked at and kept, or changed
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
