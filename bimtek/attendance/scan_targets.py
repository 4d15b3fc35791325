"""Finding what a check-in names: the session (with its event), the ticket's participant
and any row they already have there, in one query; and a person by the digits of their
registration number. Reads only; ``attendance.checkin`` decides and acts on what they find.

The hot path's statements are built once and executed with parameters: constructing
SQLAlchemy statements per request was a measurable share of a check-in's time.
"""

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from bimtek.attendance.models import Attendance
from bimtek.errors import InvalidInput, NotFound
from bimtek.events.access import load_in_event
from bimtek.events.models import Event, Session
from bimtek.extensions import db
from bimtek.participants.models import Participant

CODE_MAX = 64

_SESSION_BY_ID = (
    sa.select(Session).options(joinedload(Session.event)).where(Session.id == sa.bindparam("id"))
)


def _session_and(participant_match):
    """Session (with its event) outer-joined to the participant ``participant_match`` names
    and any row they already have at the session: one statement."""
    return (
        sa.select(Session, Participant, Attendance.id, Attendance.status, Attendance.checked_in_at)
        .select_from(Session)
        .options(joinedload(Session.event))
        .outerjoin(Participant, participant_match)
        .outerjoin(
            Attendance,
            sa.and_(
                Attendance.session_id == Session.id, Attendance.participant_id == Participant.id
            ),
        )
        .where(Session.id == sa.bindparam("id"))
    )


#: by ticket code, in any event (a ticket of another event is refused as wrong_event)
_SESSION_AND_TICKET = _session_and(Participant.ticket_code == sa.bindparam("code"))
#: by id, within the session's event (picked from the desk's search)
_SESSION_AND_PICKED = _session_and(
    sa.and_(
        Participant.id == sa.bindparam("participant_id"),
        Participant.event_id == Session.event_id,
    )
)


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


def event_session(event: Event, session_id) -> Session:
    """A session that belongs to ``event`` (404 ``unknown_session`` otherwise)."""
    return load_in_event(Session, session_id, event)


@dataclass(frozen=True)
class ScanTarget:
    """What ``load_for_scan`` found: pass it to ``check_in`` in place of the code."""

    #: None when the code or id named nobody
    participant: Participant | None
    #: (id, status, checked_in_at) of the row already there, or None
    existing: tuple | None


def load_for_scan(
    session_id, *, code: str | None = None, participant_id: int | None = None
) -> tuple[Session | None, ScanTarget]:
    """The session (with its event), the participant named by a cleaned ticket ``code`` (any
    event) or by ``participant_id`` (the session's event only), and any row they already have
    there, in one query. The session is None when there is none with this id, the
    participant None when nobody matches: deciding (rights first) is the caller's
    (``attendance.checkin.scan``)."""
    session_id = _int_id(session_id)
    if participant_id is not None:
        statement = _SESSION_AND_PICKED
        params = {"id": session_id, "participant_id": _int_id(participant_id)}
    else:
        statement, params = _SESSION_AND_TICKET, {"id": session_id, "code": code}
    row = db.session.execute(statement, params).first() if session_id else None
    if row is None:
        return None, ScanTarget(None, None)
    session, participant, row_id, status, checked_in_at = row
    existing = _Existing(row_id, status, checked_in_at) if row_id is not None else None
    return session, ScanTarget(participant, existing)


def _int_id(raw) -> int:
    """An id as a positive int of the database's range, or 0 (matches nothing)."""
    try:
        value = int(raw)
    except (TypeError, ValueError, OverflowError):
        return 0
    return value if 0 < value < 2**31 else 0


#: what a panitia types for a registration number: its digits ("31", "0031") or the printed
#: label ("KUTIM24C-0031")
_REGISTRATION = re.compile(r"^(?:[A-Za-z0-9]+-)?0*([0-9]{1,6})$")


def registration_number_in(term: str, event: Event) -> int | None:
    """The registration number ``term`` names, or None: its digits, or the printed label of
    this event."""
    term = "".join(str(term or "").split())
    match = _REGISTRATION.match(term)
    if match is None or match.group(1) == "" or int(match.group(1)) == 0:
        return None
    if "-" in term and term.rsplit("-", 1)[0].upper() != event.code.upper():
        return None
    return int(match.group(1))


def by_registration_number(event: Event, term: str) -> Participant | None:
    """The participant of ``event`` whose registration number ``term`` names ("31" finds
    KUTIM24C-0031), or None."""
    number = registration_number_in(term, event)
    if number is None:
        return None
    return db.session.scalar(
        sa.select(Participant).where(
            Participant.event_id == event.id, Participant.registration_number == number
        )
    )


@dataclass(frozen=True)
class _Existing:
    id: int
    status: str
    checked_in_at: datetime


def clean_code(raw) -> str:
    """A ticket code as scanned: trimmed, upper case; InvalidInput when empty or too long."""
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
