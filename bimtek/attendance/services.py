"""Attendance rules: checking in, undoing, izin/sakit, and the figures other domains read.

Check-in is the hot path (8 desks, 400 people, a weak network). A repeat is answered from
one read, without a write lock. A first scan takes one ``INSERT ... ON CONFLICT DO NOTHING
RETURNING`` and, only when another desk inserted the same row a moment earlier, one read
back: two desks scanning the same ticket at the same moment cannot both insert, and
neither gets an IntegrityError. On PostgreSQL that INSERT and the check-in's audit entry are
one statement (``_attendance_and_audit_insert``). A queued offline scan carries a
client-made ``scan_id``, unique per session, so a retry is answered as a repeat instead of
counting twice.

Public functions other domains call: ``attendance_summary``, ``session_counts``,
``attendance_matrix`` (see their docstrings).
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import contains_eager, joinedload

from bimtek.attendance.models import EXCUSED, PRESENT, SOURCES, STATUS_LABELS, Attendance
from bimtek.audit.models import AuditLog
from bimtek.audit.services import record
from bimtek.auth.models import ApiToken, User
from bimtek.auth.tokens import live_token
from bimtek.core import numbers
from bimtek.core.timeutil import format_clock, local_to_utc, utcnow
from bimtek.errors import Conflict, InvalidInput, NotFound
from bimtek.events.access import load_in_event, right_column
from bimtek.events.models import Event, Session
from bimtek.extensions import db
from bimtek.participants.models import INSTITUTION_CATEGORIES, Participant, category_labels
from bimtek.participants.queries import participant_query
from bimtek.participants.registration import register

SCAN_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
CODE_MAX = 64
#: a queued scan may be this far in the server's future (device clocks drift)
CLOCK_SKEW = timedelta(minutes=5)
#: and no older than this before the session starts
EARLIEST_BEFORE_START = timedelta(hours=12)
NOTE_MAX = 500


class UnknownCode(NotFound):
    code = "unknown_code"


class ParticipantConflict(Conflict):
    """A check-in refused for a known person; ``participant`` lets the desk show who."""

    def __init__(self, message: str, *, participant: Participant, **kwargs):
        super().__init__(message, **kwargs)
        self.participant = participant


class NotRegistered(ParticipantConflict):
    code = "not_registered"


class WrongEvent(ParticipantConflict):
    code = "wrong_event"


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


@dataclass(frozen=True)
class AttendanceSummary:
    participant_id: int
    #: mandatory sessions of the event (finished or not)
    mandatory_total: int
    #: hadir + terlambat at mandatory sessions
    present: int
    late: int
    #: izin
    excused: int
    #: sakit
    sick: int
    #: alpa: finished mandatory sessions with no row
    absent: int
    #: present of mandatory_total as a whole percentage (core/numbers.py; 0: no mandatory session)
    percent: int


@dataclass
class MatrixRow:
    participant: Participant
    #: per session of ``AttendanceMatrix.sessions``: hadir/terlambat/izin/sakit/alpa, or
    #: None for a session that has not finished and has no row yet
    statuses: list[str | None]
    summary: AttendanceSummary


@dataclass
class CategoryTotal:
    category: str
    label: str
    participants: int
    present: int
    mandatory_total: int
    #: present of mandatory_total over the category's participants (core/numbers.py)
    percent: int


@dataclass
class AttendanceMatrix:
    sessions: list[Session]
    rows: list[MatrixRow]
    #: per session (same order): expected, hadir, terlambat, izin, sakit, alpa, checked_in
    session_totals: list[dict]
    categories: list[CategoryTotal] = field(default_factory=list)


# --- finding -------------------------------------------------------------------------------


def load_session(session_id) -> Session:
    """A session with its event, in one query; NotFound for junk or unknown ids."""
    try:
        session_id = int(session_id)
    except (TypeError, ValueError):
        session_id = None
    found = None
    if session_id is not None and 0 < session_id < 2**31:
        found = db.session.scalar(_SESSION_BY_ID, {"id": session_id})
    if found is None:
        raise NotFound(_("Sesi tidak ditemukan."), code="unknown_session")
    return found


_SESSION_AND_PARTICIPANT = (
    sa.select(Session, Participant, Attendance.id, Attendance.status, Attendance.checked_in_at)
    .select_from(Session)
    .options(joinedload(Session.event))
    .outerjoin(Participant, Participant.ticket_code == sa.bindparam("code"))
    .outerjoin(
        Attendance,
        sa.and_(Attendance.session_id == Session.id, Attendance.participant_id == Participant.id),
    )
    .where(Session.id == sa.bindparam("id"))
)


@dataclass(frozen=True)
class ScanTarget:
    """What ``load_for_scan`` found: pass it to ``check_in`` in place of the code."""

    participant: Participant
    #: (id, status, checked_in_at) of the row already there, or None
    existing: tuple | None


def load_for_scan(session_id, code) -> tuple[Session, ScanTarget]:
    """The session (with its event), the ticket's participant and any row they already have
    there, in one query: the API's hot path. Raises NotFound unknown_session, InvalidInput
    or UnknownCode."""
    code = _clean_code(code)
    try:
        session_id = int(session_id)
    except (TypeError, ValueError):
        session_id = 0
    row = None
    if 0 < session_id < 2**31:
        row = db.session.execute(_SESSION_AND_PARTICIPANT, {"id": session_id, "code": code}).first()
    if row is None:
        raise NotFound(_("Sesi tidak ditemukan."), code="unknown_session")
    session, participant, row_id, status, checked_in_at = row
    if participant is None:
        raise UnknownCode(_("Tiket tidak dikenal."))
    existing = _Existing(row_id, status, checked_in_at) if row_id is not None else None
    return session, ScanTarget(participant, existing)


def load_scan_by_token(token_hash: str, session_id: int, code: str):
    """The check-in API's one read: the live API token with its user, the user's right in
    the session's event (``events.access.right_column``), the session with its event, the
    ticket's participant and any row they already have there.

    Returns None for no live token, else ``(token, session or None, right, ScanTarget)``
    whose participant is None for an unknown code. Deciding is the caller's: the right
    through ``events.access``, an unknown code with ``UnknownCode``. ``code`` is a cleaned
    code (``clean_code``)."""
    row = db.session.execute(
        _TOKEN_SESSION_AND_PARTICIPANT,
        {"token_hash": token_hash, "id": session_id if 0 < session_id < 2**31 else 0, "code": code},
    ).first()
    if row is None:
        return None
    token, session, right, participant, row_id, status, checked_in_at = row
    existing = _Existing(row_id, status, checked_in_at) if row_id is not None else None
    return token, session, right, ScanTarget(participant, existing)


@dataclass(frozen=True)
class _Existing:
    id: int
    status: str
    checked_in_at: datetime


def event_session(event: Event, session_id) -> Session:
    """A session that belongs to ``event`` (404 ``unknown_session`` otherwise)."""
    return load_in_event(Session, session_id, event)


def late_after(session: Session) -> datetime:
    """The moment after which a check-in is late: start plus the event's grace minutes."""
    return session.starts_at + timedelta(minutes=session.event.late_grace_minutes)


def is_running(session: Session, now: datetime | None = None) -> bool:
    """Open for check-in by the clock: from 30 minutes before the start until the end."""
    now = now or utcnow()
    return session.starts_at - timedelta(minutes=30) <= now < session.ends_at


def is_late(session: Session, moment: datetime) -> bool:
    """Late = after the session's start plus the event's grace minutes."""
    return moment > late_after(session)


def clean_code(raw) -> str:
    """A ticket code as scanned: trimmed, upper case; InvalidInput when empty or too long."""
    return _clean_code(raw)


def _clean_code(raw) -> str:
    if not isinstance(raw, str):
        raise InvalidInput(
            _("Kode tiket wajib diisi."), fields={"code": _("Kode tiket wajib diisi.")}
        )
    code = raw.strip().upper()
    if not code:
        raise InvalidInput(
            _("Kode tiket wajib diisi."), fields={"code": _("Kode tiket wajib diisi.")}
        )
    if len(code) > CODE_MAX:
        raise InvalidInput(_("Kode tiket terlalu panjang."), fields={"code": _("Terlalu panjang.")})
    return code


def _clean_scan_id(raw) -> str | None:
    if raw in (None, ""):
        return None
    if not isinstance(raw, str) or not SCAN_ID_PATTERN.match(raw):
        message = _("scan_id: 1–64 karakter huruf, angka, titik, titik dua, _ atau -.")
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
        message = _("scanned_at harus waktu ISO 8601 dengan zona waktu, mis. 2024-10-28T00:03:00Z.")
        raise InvalidInput(message, fields={"scanned_at": message})
    if moment > now + CLOCK_SKEW:
        message = _("scanned_at berada di masa depan; periksa jam perangkat.")
        raise InvalidInput(message, fields={"scanned_at": message})
    if moment < session.starts_at - EARLIEST_BEFORE_START:
        message = _("scanned_at terlalu jauh sebelum sesi dimulai.")
        raise InvalidInput(message, fields={"scanned_at": message})
    return moment


# The hot path's statements are built once and executed with parameters: constructing
# SQLAlchemy statements per request was a measurable share of a check-in's time.
_SESSION_BY_ID = (
    sa.select(Session).options(joinedload(Session.event)).where(Session.id == sa.bindparam("id"))
)
_PARTICIPANT_BY_CODE = sa.select(Participant).where(Participant.ticket_code == sa.bindparam("code"))
_EXISTING = sa.select(Attendance.id, Attendance.status, Attendance.checked_in_at).where(
    Attendance.session_id == sa.bindparam("session_id"),
    Attendance.participant_id == sa.bindparam("participant_id"),
)
_AUDIT_INSERT = sa.insert(AuditLog.__table__)
_UPSERTS = {
    name: dialect.insert(Attendance.__table__)
    .on_conflict_do_nothing()
    .returning(Attendance.__table__.c.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


# A token, its right, the session, the ticket and any earlier row: ``load_scan_by_token``.
_TOKEN_SESSION_AND_PARTICIPANT = (
    live_token(
        sa.select(
            ApiToken,
            Session,
            right_column(User.role, User.id, Session.event_id),
            Participant,
            Attendance.id,
            Attendance.status,
            Attendance.checked_in_at,
        ).select_from(ApiToken)
    )
    .outerjoin(Session, Session.id == sa.bindparam("id"))
    .outerjoin(Event, Event.id == Session.event_id)
    .outerjoin(Participant, Participant.ticket_code == sa.bindparam("code"))
    .outerjoin(
        Attendance,
        sa.and_(Attendance.session_id == Session.id, Attendance.participant_id == Participant.id),
    )
    .options(contains_eager(Session.event))
)


def _audit_columns(prefix: str) -> dict:
    table = AuditLog.__table__
    return {
        name: sa.bindparam(prefix + name, type_=table.c[name].type)
        for name in ("at", "actor_id", "channel", "action", "event_id", "target_type")
        + ("target_id", "details")
    }


def _attendance_and_audit_insert():
    """PostgreSQL: the attendance row and its audit entry in ONE statement (one round trip)::

        WITH new AS (INSERT INTO attendances ... ON CONFLICT DO NOTHING RETURNING id),
             logged AS (INSERT INTO audit_log (...) SELECT ... FROM new)
        SELECT id FROM new

    The audit row is written exactly when the attendance row is (none on a conflict)."""
    table = Attendance.__table__
    new = (
        postgresql.insert(table)
        .values({c.name: sa.bindparam(c.name, type_=c.type) for c in table.c if c.name != "id"})
        .on_conflict_do_nothing()
        .returning(table.c.id)
        .cte("new")
    )
    audit = _audit_columns("audit_")
    logged = sa.insert(AuditLog.__table__).from_select(
        list(audit), sa.select(*audit.values()).select_from(new)
    )
    return sa.select(new.c.id).add_cte(logged.cte("logged"))


_ATTENDANCE_AND_AUDIT = _attendance_and_audit_insert()


def _insert_or_nothing(values: dict):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id (PostgreSQL and SQLite): the new id, or
    None when the (session, participant) or (session, scan_id) row already exists."""
    name = db.session.get_bind().dialect.name
    return db.session.execute(_UPSERTS[name], values).scalar()


def _check_participant(session: Session, participant: Participant) -> None:
    if participant.event_id != session.event_id:
        raise WrongEvent(_("Peserta ini terdaftar di kegiatan lain."), participant=participant)
    if participant.status == "cancelled":
        raise NotRegistered(_("Peserta dibatalkan."), participant=participant)
    if participant.status != "registered":
        raise NotRegistered(
            _("Peserta masih di daftar tunggu, belum mendapat kursi."), participant=participant
        )


# --- changing ------------------------------------------------------------------------------


_NOT_LOADED = object()


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
        code = _clean_code(code_or_participant)
        participant = db.session.scalar(_PARTICIPANT_BY_CODE, {"code": code})
        if participant is None:
            raise UnknownCode(_("Tiket tidak dikenal."))
    _check_participant(session, participant)

    status = "terlambat" if is_late(session, moment) else "hadir"
    key = {"session_id": session.id, "participant_id": participant.id}
    # a repeat (the common retry) is answered from a read, taking no write lock at all
    existing = known if known is not _NOT_LOADED else db.session.execute(_EXISTING, key).first()
    if existing is None:
        new_id = _insert_checked_in(
            {
                **key,
                "status": status,
                "checked_in_at": moment,
                "recorded_by_id": getattr(actor, "id", None),
                "note": "",
                "scan_id": scan_id,
                "source": source,
                "created_at": now,
            },
            _check_in_audit(session, participant, actor, source, now, status, scan_id),
        )
        if new_id is not None:
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


def _check_in_audit(session, participant, actor, source, now, status, scan_id) -> dict:
    """The audit entry of a first check-in: the row ``bimtek.audit.services.record`` would
    write, as Core values (the ORM unit of work was the largest cost of a check-in)."""
    return {
        "at": now,
        "action": "checkin.create",
        "actor_id": getattr(actor, "id", None),
        "channel": "api" if source == "api" else "web",
        "event_id": session.event_id,
        "target_type": "participant",
        "target_id": participant.id,
        "details": {"session_id": session.id, "status": status, "scan_id": scan_id},
    }


def _insert_checked_in(values: dict, audit: dict):
    """Insert the attendance row unless it exists and, when it was inserted, its audit entry.
    The new id, or None. One statement on PostgreSQL; two local calls on SQLite, which has
    no INSERT inside WITH (and no network round trip to save)."""
    if db.session.get_bind().dialect.name == "postgresql":
        params = {**values, **{f"audit_{name}": value for name, value in audit.items()}}
        return db.session.execute(_ATTENDANCE_AND_AUDIT, params).scalar()
    new_id = _insert_or_nothing(values)
    if new_id is not None:
        db.session.execute(_AUDIT_INSERT, audit)
    return new_id


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
    _check_participant(session, participant)
    inserted = _insert_or_nothing(
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


# --- reading -------------------------------------------------------------------------------


def status_at(session: Session, recorded: str | None, now: datetime) -> str | None:
    """The one rule for a person's status at a session: the status of their row
    (``recorded``), else "alpa" once the session has finished, else None (not yet).
    "alpa" is never stored (``attendance.models``); every page, PDF, export and API derives
    it here."""
    if recorded is not None:
        return recorded
    return "alpa" if session.ends_at <= now else None


def _registered_ids(event_id: int):
    return sa.select(Participant.id).where(
        Participant.event_id == event_id, Participant.status == "registered"
    )


def session_counts(session: Session, now: datetime | None = None) -> dict:
    """Counts at one session among registered participants.

    Keys: expected (registered), checked_in (hadir + terlambat), hadir, terlambat, izin,
    sakit, alpa (no row at a finished session; 0 before it ends), belum (no row yet at a
    session still open), finished (bool).
    """
    now = now or utcnow()
    expected = db.session.scalar(
        sa.select(sa.func.count()).select_from(_registered_ids(session.event_id).subquery())
    )
    rows = db.session.execute(
        sa.select(Attendance.status, sa.func.count())
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(Attendance.session_id == session.id, Participant.status == "registered")
        .group_by(Attendance.status)
    ).all()
    counts = dict.fromkeys(STATUS_LABELS, 0)
    counts.update(dict(rows))
    recorded = sum(counts[s] for s in ("hadir", "terlambat", "izin", "sakit"))
    finished = status_at(session, None, now) == "alpa"
    missing = max(0, expected - recorded)
    counts.update(
        expected=expected,
        checked_in=counts["hadir"] + counts["terlambat"],
        alpa=missing if finished else 0,
        belum=0 if finished else missing,
        finished=finished,
    )
    return counts


def recent_checkins(session: Session, limit: int = 10) -> list[Attendance]:
    """The latest rows at a session, newest first, with their participants."""
    return list(
        db.session.scalars(
            sa.select(Attendance)
            .options(joinedload(Attendance.participant))
            .where(Attendance.session_id == session.id)
            .order_by(Attendance.created_at.desc(), Attendance.id.desc())
            .limit(limit)
        )
    )


def session_attendance(session: Session) -> list[tuple[Participant, Attendance | None]]:
    """Every registered participant, sorted by name, with their row at this session."""
    rows = db.session.execute(
        sa.select(Participant, Attendance)
        .outerjoin(
            Attendance,
            sa.and_(
                Attendance.participant_id == Participant.id, Attendance.session_id == session.id
            ),
        )
        .where(Participant.event_id == session.event_id, Participant.status == "registered")
        .order_by(Participant.sort_name, Participant.id)
    ).all()
    return [(p, a) for p, a in rows]


def find_participants(
    event: Event,
    term: str,
    session: Session | None = None,
    limit: int = 8,
    *,
    personal: bool = False,
) -> list[tuple[Participant, Attendance | None]]:
    """Desk search by name, NIK, registration number or institution (all statuses).

    Without ``personal`` (the panitia) a NIK matches only in full, see
    ``participants.visibility``."""

    term = " ".join(str(term or "").split())[:100]
    if len(term) < 2:
        return []
    query = participant_query(event.id, search=term, sort="name", personal=personal)
    people = list(db.session.scalars(query.limit(limit)))
    rows = {}
    if session is not None and people:
        rows = {
            a.participant_id: a
            for a in db.session.scalars(
                sa.select(Attendance).where(
                    Attendance.session_id == session.id,
                    Attendance.participant_id.in_([p.id for p in people]),
                )
            )
        }
    return [(p, rows.get(p.id)) for p in people]


def _status_by_cell(event: Event, session_ids: list[int]) -> dict[tuple[int, int], str]:
    if not session_ids:
        return {}
    rows = db.session.execute(
        sa.select(Attendance.participant_id, Attendance.session_id, Attendance.status)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(
            Participant.event_id == event.id,
            Participant.status == "registered",
            Attendance.session_id.in_(session_ids),
        )
    ).all()
    return {(pid, sid): status for pid, sid, status in rows}


def _summarize(participant_id, mandatory, cells, now) -> AttendanceSummary:
    tally = Counter(status_at(s, cells.get((participant_id, s.id)), now) for s in mandatory)
    present = tally["hadir"] + tally["terlambat"]
    absent = tally["alpa"]
    total = len(mandatory)
    return AttendanceSummary(
        participant_id=participant_id,
        mandatory_total=total,
        present=present,
        late=tally["terlambat"],
        excused=tally["izin"],
        sick=tally["sakit"],
        absent=absent,
        percent=numbers.percent(present, total),
    )


def attendance_summary(event: Event, now: datetime | None = None) -> dict[int, AttendanceSummary]:
    """Per registered participant id: their attendance at the event's mandatory sessions.

    ``percent`` counts hadir and terlambat against every mandatory session of the event, so
    it only reaches its final value when the last session is over. Two queries in all.
    """
    now = now or utcnow()
    mandatory = [s for s in event.sessions if s.mandatory]
    cells = _status_by_cell(event, [s.id for s in mandatory])
    ids = db.session.scalars(_registered_ids(event.id)).all()
    return {pid: _summarize(pid, mandatory, cells, now) for pid in ids}


def attendance_matrix(event: Event, now: datetime | None = None) -> AttendanceMatrix:
    """Participants (registered, by name) × every session of the event, for the recap and
    the .xlsx export: each cell hadir/terlambat/izin/sakit/alpa or None (not finished, no
    row yet); each row's summary over mandatory sessions; totals per session and per
    institution category.
    """
    now = now or utcnow()
    sessions = list(event.sessions)
    mandatory = [s for s in sessions if s.mandatory]
    cells = _status_by_cell(event, [s.id for s in sessions])
    people = db.session.scalars(
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "registered")
        .order_by(Participant.sort_name, Participant.id)
    ).all()
    rows = []
    totals = [
        dict.fromkeys(("expected", "hadir", "terlambat", "izin", "sakit", "alpa"), 0)
        for _ in sessions
    ]
    for person in people:
        statuses = []
        for index, session in enumerate(sessions):
            status = status_at(session, cells.get((person.id, session.id)), now)
            statuses.append(status)
            totals[index]["expected"] += 1
            if status:
                totals[index][status] += 1
        summary = _summarize(person.id, mandatory, cells, now)
        rows.append(MatrixRow(person, statuses, summary))
    for total in totals:
        total["checked_in"] = total["hadir"] + total["terlambat"]
    return AttendanceMatrix(sessions, rows, totals, _category_totals(rows))


def _category_totals(rows: list[MatrixRow]) -> list[CategoryTotal]:
    grouped: dict[str, list[MatrixRow]] = {}
    for row in rows:
        grouped.setdefault(row.participant.institution_category, []).append(row)
    order = list(INSTITUTION_CATEGORIES)
    result = []
    for category in sorted(grouped, key=lambda c: order.index(c) if c in order else len(order)):
        members = grouped[category]
        result.append(
            CategoryTotal(
                category=category,
                label=category_labels().get(category, category),
                participants=len(members),
                present=sum(r.summary.present for r in members),
                mandatory_total=sum(r.summary.mandatory_total for r in members),
                percent=numbers.percent(
                    sum(r.summary.present for r in members),
                    sum(r.summary.mandatory_total for r in members),
                ),
            )
        )
    return result


def participant_attendance(
    participant: Participant, now: datetime | None = None
) -> list[tuple[Session, str | None, Attendance | None]]:
    """A participant's own record: every session of their event with its status."""
    now = now or utcnow()
    rows = {
        a.session_id: a
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.participant_id == participant.id)
        )
    }
    result = []
    for session in participant.event.sessions:
        row = rows.get(session.id)
        status = status_at(session, row.status if row else None, now)
        result.append((session, status, row))
    return result


# --- the desk offline and at the door ----------------------------------------------------------

#: how long a roster snapshot may serve the desk offline at most
ROSTER_LIFETIME = timedelta(hours=24)


def roster_expiry(event: Event, now: datetime | None = None) -> datetime:
    """When a roster snapshot taken ``now`` stops serving the desk: 24 hours later, or the
    end of the event's last day (its local midnight), whichever comes first."""

    now = now or utcnow()
    last_midnight = local_to_utc(
        datetime.combine(event.end_date + timedelta(days=1), datetime.min.time()), event.timezone
    )
    return min(now + ROSTER_LIFETIME, last_midnight)


def roster_snapshot(event: Event, now: datetime | None = None) -> dict:
    """Who the desk may look up offline: ticket code, name, institution, status; and who is
    checked in at which session. Never NIK, NIP, phone or e-mail (the panitia use it)."""
    now = now or utcnow()
    people = db.session.execute(
        sa.select(
            Participant.id,
            Participant.ticket_code,
            Participant.full_name,
            Participant.institution,
            Participant.institution_category,
            Participant.registration_number,
            Participant.status,
        )
        .where(Participant.event_id == event.id)
        .order_by(Participant.full_name, Participant.id)
    ).all()
    session_ids = [s.id for s in event.sessions]
    checked: dict[str, dict[str, str]] = {str(i): {} for i in session_ids}
    if session_ids:
        for participant_id, session_id, status in db.session.execute(
            sa.select(Attendance.participant_id, Attendance.session_id, Attendance.status).where(
                Attendance.session_id.in_(session_ids)
            )
        ):
            checked[str(session_id)][str(participant_id)] = status
    categories = category_labels()
    return {
        "event": event.code,
        "generated_at": now.isoformat(),
        "expires_at": roster_expiry(event, now).isoformat(),
        "participants": [
            {
                "id": p.id,
                "ticket_code": p.ticket_code,
                "full_name": p.full_name,
                "institution": p.institution,
                "category_label": categories.get(p.institution_category, p.institution_category),
                "registration_number": f"{event.code}-{p.registration_number:04d}",
                "status": p.status,
            }
            for p in people
        ],
        "attendance": checked,
    }


def walk_in(
    session: Session,
    data,
    *,
    actor,
    over_capacity_reason: str | None = None,
    now: datetime | None = None,
):
    """Register a person who came to the desk unregistered and check them in at once.

    The registration form's rules (``participants.services.register``, channel "desk"), a
    seat or nothing: a full event takes a walk-in only from a manager, with a reason. Returns
    (RegistrationOutcome, CheckInResult). Flushes; the caller commits (or rolls back)."""

    consent = data.get("consent") in (True, "1", "on", "true", "y")
    outcome = register(
        session.event,
        {**data, "password": ""},
        now=now,
        channel="desk",
        actor=actor,
        enforce_window=False,
        consent=consent,
        seat_required=True,
        over_capacity_reason=over_capacity_reason,
    )
    result = check_in(session, outcome.participant, actor=actor, now=now, channel="manual")
    return outcome, result
