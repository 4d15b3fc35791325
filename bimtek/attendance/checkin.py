"""Recording attendance: checking in, undoing, izin/sakit, and the walk-in at the desk.

Check-in is the hot path (8 desks, 400 people, a weak network). The API and the desk page
take one path, ``scan``: one joined read (``lookup.load_for_scan``), the event's rights rule
(``events.access.authorize``, through ``load_row``), then ``check_in``, in the request's one
transaction. A repeat is answered from that read, without a write lock. A first scan takes
one ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` and its audit entry
(``audit.services.record``) and, only when another desk inserted the same row a moment
earlier, one read back: two desks scanning the same ticket at the same moment cannot both
insert, and neither gets an IntegrityError. A queued offline scan carries a client-made
``scan_id``, unique per session, so a retry is answered as a repeat instead of counting
twice, and its ``scanned_at``: the desk's clock corrected by the offset it measured against
the server's (an online scan sends none and takes the server's time).

"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from bimtek.attendance.errors import NotRegistered, UnknownCode, WrongEvent, not_in_class
from bimtek.attendance.models import EXCUSED, PRESENT, SOURCES, Attendance
from bimtek.attendance.queries import is_late
from bimtek.attendance.scan_targets import ScanTarget, clean_code, load_for_scan
from bimtek.audit.services import record
from bimtek.core.timeutil import format_clock, utcnow
from bimtek.errors import Conflict, InvalidInput, NotFound
from bimtek.events.access import load_row, not_in_event
from bimtek.events.classes import session_is_for
from bimtek.events.models import Event, Session
from bimtek.extensions import db
from bimtek.participants.classes import assign_classes
from bimtek.participants.models import Participant
from bimtek.participants.registration import RegistrationTerms, register

SCAN_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

#: a queued scan may be this far in the server's future (device clocks drift)
CLOCK_SKEW = timedelta(minutes=5)
#: and no older than this before the session starts
EARLIEST_BEFORE_START = timedelta(hours=12)
NOTE_MAX = 500


@dataclass(frozen=True)
class CheckInResult:
    participant: Participant
    #: hadir or terlambat (or izin/sakit on a repeat of an excused person)
    status: str
    #: the first check-in's time on a repeat
    checked_in_at: datetime
    #: true when the person was already checked in at this session
    already: bool
    attendance_id: int


def _clean_scan_id(raw) -> str | None:
    if raw in (None, ""):
        return None
    if not isinstance(raw, str) or not SCAN_ID_PATTERN.match(raw):
        message = _("Kode pindaian tidak sah; muat ulang halaman lalu pindai lagi.")
        raise InvalidInput(message, fields={"scan_id": message})
    return raw


def _clean_scanned_at(raw, session: Session, now: datetime) -> datetime | None:
    if raw in (None, ""):
        return None
    moment = raw
    if isinstance(raw, str):
        try:
            moment = datetime.fromisoformat(raw.strip())
        except ValueError:
            moment = None
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        message = _("Waktu pindaian tidak terbaca; muat ulang halaman lalu pindai lagi.")
        raise InvalidInput(message, fields={"scanned_at": message})
    if moment > now + CLOCK_SKEW:
        message = _("Waktu pindaian berada di masa depan; periksa jam perangkat.")
        raise InvalidInput(message, fields={"scanned_at": message})
    if moment < session.starts_at - EARLIEST_BEFORE_START:
        message = _("Waktu pindaian jauh sebelum sesi dimulai; periksa jam perangkat.")
        raise InvalidInput(message, fields={"scanned_at": message})
    return moment


# The hot path's statements are built once and executed with parameters (see
# ``attendance.scan_targets``).
_PARTICIPANT_BY_CODE = sa.select(Participant).where(Participant.ticket_code == sa.bindparam("code"))
_EXISTING = sa.select(Attendance.id, Attendance.status, Attendance.checked_in_at).where(
    Attendance.session_id == sa.bindparam("session_id"),
    Attendance.participant_id == sa.bindparam("participant_id"),
)
_UPSERTS = {
    name: dialect.insert(Attendance.__table__)
    .on_conflict_do_nothing()
    .returning(Attendance.__table__.c.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def insert_or_nothing(values: dict):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id (PostgreSQL and SQLite): the new id, or
    None when the (session, participant) or (session, scan_id) row already exists."""
    name = db.session.get_bind().dialect.name
    return db.session.execute(_UPSERTS[name], values).scalar()


def check_participant(session: Session, participant: Participant) -> None:
    """WrongEvent or NotRegistered unless the participant holds a seat at the session's event;
    NotInClass when the session is another class's (no override: see ``errors.NotInClass``)."""
    if participant.event_id != session.event_id:
        raise WrongEvent(_("Peserta ini terdaftar di kegiatan lain."), participant=participant)
    if participant.status == "cancelled":
        raise NotRegistered(_("Peserta dibatalkan."), participant=participant)
    if participant.status != "registered":
        raise NotRegistered(
            _("Peserta masih di daftar tunggu, belum mendapat kursi."), participant=participant
        )
    if not session_is_for(session, participant.class_id):
        raise not_in_class(session, participant)


_NOT_LOADED = object()


def scan(
    session_id,
    *,
    actor,
    code=None,
    participant_id=None,
    event: Event | None = None,
    scan_id: str | None = None,
    scanned_at=None,
    channel: str = "desk",
    now: datetime | None = None,
) -> tuple[Session, CheckInResult]:
    """The one check-in path of the API and the desk page: a ticket ``code`` (or a
    ``participant_id`` picked by hand) at a session, by ``actor``.

    One joined read finds the session, its event, the person and any row they already have;
    then the rights rule (``load_row``: 404 ``unknown_session`` for a session that is not
    theirs, or not in ``event`` when given, 403 for a lesser right) before anything is said
    about the ticket (422 for a malformed code, 404 ``unknown_code``); then ``check_in``.
    Flushes; the caller commits. Returns the session and the CheckInResult."""
    if participant_id is None:
        try:
            code = clean_code(code)
        except InvalidInput:
            load_row(Session, session_id, actor, "panitia")  # 404 before the 422
            raise
    session, target = load_for_scan(session_id, code=code, participant_id=participant_id)
    if session is None or (event is not None and session.event_id != event.id):
        raise not_in_event(Session)
    load_row(Session, session.id, actor, "panitia", row=session)
    if target.participant is None:
        if participant_id is not None:
            raise not_in_event(Participant)
        raise UnknownCode(_("Tiket tidak dikenal."))
    result = check_in(
        session,
        target,
        actor=actor,
        scan_id=scan_id,
        scanned_at=scanned_at,
        now=now,
        channel=channel,
    )
    return session, result


def check_in(
    session: Session,
    code_or_participant,
    *,
    actor,
    scan_id: str | None = None,
    scanned_at=None,
    now: datetime | None = None,
    channel: str = "desk",
) -> CheckInResult:
    """Check a participant in at a session, by ticket code, a Participant picked by hand, or
    the ScanTarget of ``load_for_scan`` (which saves the lookups).

    ``scanned_at`` (aware datetime or ISO text) is the scan's original time for a scan that
    waited in an offline queue; it decides hadir/terlambat. ``channel`` is desk, api,
    camera or manual. A repeat answers ``already=True`` with the first time. Raises
    UnknownCode, NotRegistered, WrongEvent or InvalidInput. Flushes; the caller commits.
    """
    now = now or utcnow()
    source = channel if channel in SOURCES else "desk"
    scan_id = _clean_scan_id(scan_id)
    moment = _clean_scanned_at(scanned_at, session, now) or now
    known = _NOT_LOADED
    if isinstance(code_or_participant, ScanTarget):
        participant, known = code_or_participant.participant, code_or_participant.existing
    elif isinstance(code_or_participant, Participant):
        participant = code_or_participant
    else:
        code = clean_code(code_or_participant)
        participant = db.session.scalar(_PARTICIPANT_BY_CODE, {"code": code})
        if participant is None:
            raise UnknownCode(_("Tiket tidak dikenal."))
    check_participant(session, participant)

    status = "terlambat" if is_late(session, moment) else "hadir"
    key = {"session_id": session.id, "participant_id": participant.id}
    # a repeat (the common retry) is answered from a read, taking no write lock at all
    existing = known if known is not _NOT_LOADED else db.session.execute(_EXISTING, key).first()
    if existing is None:
        new_id = insert_or_nothing(
            {
                **key,
                "status": status,
                "checked_in_at": moment,
                "recorded_by_id": getattr(actor, "id", None),
                "note": "",
                "scan_id": scan_id,
                "source": source,
                "created_at": now,
            }
        )
        if new_id is not None:
            record(
                "checkin.create",
                actor=actor,
                channel="api" if source == "api" else "web",
                event_id=session.event_id,
                target=participant,
                details={"session_id": session.id, "status": status, "scan_id": scan_id},
            )
            db.session.flush()
            return CheckInResult(participant, status, moment, False, new_id)
        # another desk won the race a moment ago: answer with its row
        existing = db.session.execute(_EXISTING, key).one_or_none()
    if existing is None:
        # the scan_id was taken by a scan of somebody else: a client bug, not a retry
        message = _("scan_id ini sudah dipakai untuk peserta lain di sesi ini.")
        raise InvalidInput(message, fields={"scan_id": message})
    if existing.status in EXCUSED:
        return _excused_arrives(session, participant, existing, status, moment, actor, source)
    return CheckInResult(participant, existing.status, existing.checked_in_at, True, existing.id)


def _excused_arrives(session, participant, existing, status, moment, actor, source):
    """Someone marked izin/sakit turned up after all: they are present from now on."""
    db.session.execute(
        sa.update(Attendance)
        .where(Attendance.id == existing.id)
        .values(
            status=status,
            checked_in_at=moment,
            recorded_by_id=getattr(actor, "id", None),
            source=source,
        )
    )
    record(
        "checkin.create",
        actor=actor,
        channel="api" if source == "api" else "web",
        event_id=session.event_id,
        target=participant,
        details={"session_id": session.id, "status": status, "replaces": existing.status},
    )
    return CheckInResult(participant, status, moment, False, existing.id)


def undo_check_in(session: Session, participant: Participant, *, actor, channel: str = "web"):
    """Remove a participant's row at a session (a mistaken scan, or a wrong izin/sakit).

    The audit log keeps who did it and what the row said. NotFound when there is no row.
    """
    row = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.session_id == session.id, Attendance.participant_id == participant.id
        )
    )
    if row is None:
        raise NotFound(_("Peserta ini belum tercatat di sesi ini."), code="not_checked_in")
    record(
        "checkin.undo",
        actor=actor,
        channel=channel,
        event_id=session.event_id,
        target=participant,
        details={
            "session_id": session.id,
            "status": row.status,
            "checked_in_at": row.checked_in_at.isoformat(),
            "scan_id": row.scan_id,
            "recorded_by_id": row.recorded_by_id,
            "note": row.note,
        },
    )
    db.session.delete(row)
    db.session.flush()
    return row


def mark_excused(
    session: Session,
    participant: Participant,
    status: str,
    note: str,
    *,
    actor,
    channel: str = "web",
    now: datetime | None = None,
) -> Attendance:
    """Record izin (excused) or sakit (sick) with a note; changes an earlier izin/sakit.

    Conflict ``already_present`` when the person was checked in (undo that first).
    """
    now = now or utcnow()
    errors = {}
    if status not in EXCUSED:
        errors["status"] = _("Pilih izin atau sakit.")
    note = " ".join(str(note or "").split())
    if not note:
        errors["note"] = _("Keterangan wajib diisi (mis. surat tugas, surat dokter).")
    elif len(note) > NOTE_MAX:
        errors["note"] = _("Keterangan paling banyak %(n)s karakter.", n=NOTE_MAX)
    if errors:
        raise InvalidInput(_("Periksa kembali isian izin/sakit."), fields=errors)
    check_participant(session, participant)
    inserted = insert_or_nothing(
        {
            "session_id": session.id,
            "participant_id": participant.id,
            "status": status,
            "checked_in_at": now,
            "recorded_by_id": getattr(actor, "id", None),
            "note": note,
            "scan_id": None,
            "source": "manual",
            "created_at": now,
        }
    )
    row = db.session.scalar(
        sa.select(Attendance)
        .where(Attendance.session_id == session.id, Attendance.participant_id == participant.id)
        .execution_options(populate_existing=True)
    )
    if row.status in PRESENT:
        local = session.event.local(row.checked_in_at)
        raise Conflict(
            _(
                "Peserta sudah check-in pukul %(time)s; batalkan check-in dulu bila keliru.",
                time=format_clock(local),
            ),
            code="already_present",
        )
    previous = None if inserted is not None else {"status": row.status, "note": row.note}
    row.status, row.note = status, note
    row.recorded_by_id = getattr(actor, "id", None)
    record(
        f"attendance.{status}",
        actor=actor,
        channel=channel,
        event_id=session.event_id,
        target=participant,
        details={"session_id": session.id, "note": note, "previous": previous},
    )
    db.session.flush()
    return row


def walk_in(
    session: Session,
    data,
    *,
    actor,
    over_capacity_reason: str | None = None,
    now: datetime | None = None,
):
    """Register a person who came to the desk unregistered and check them in at once.

    The registration form's rules (``participants.registration.register``, channel "desk"), a
    seat or nothing: a full event takes a walk-in only from a manager, with a reason. Returns
    (RegistrationOutcome, CheckInResult). Flushes; the caller commits (or rolls back)."""

    consent = data.get("consent") in (True, "1", "on", "true", "y")
    outcome = register(
        session.event,
        {**data, "password": ""},
        RegistrationTerms(
            now=now,
            channel="desk",
            actor=actor,
            enforce_window=False,
            consent=consent,
            seat_required=True,
            over_capacity_reason=over_capacity_reason,
        ),
    )
    if session.class_id is not None and outcome.participant.status == "registered":
        # a walk-in at a class's session joins that class (capacity and audit as any move)
        assign_classes(
            session.event,
            {outcome.participant.id: session.class_id},
            how="walk_in",
            actor=actor,
            channel="web",
        )
    result = check_in(session, outcome.participant, actor=actor, now=now, channel="manual")
    return outcome, result
