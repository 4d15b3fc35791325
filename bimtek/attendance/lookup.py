"""Finding what a check-in names: the session (with its event), the ticket's participant,
any row they already have there and, for the API, the caller's token and right, each in one
query. Reads only; ``attendance.checkin`` acts on what they find.

The hot path's statements are built once and executed with parameters: constructing
SQLAlchemy statements per request was a measurable share of a check-in's time.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload

from bimtek.attendance.errors import UnknownCode
from bimtek.attendance.models import Attendance
from bimtek.auth.models import ApiToken, User
from bimtek.auth.tokens import live_token
from bimtek.errors import InvalidInput, NotFound
from bimtek.events.access import load_in_event, right_column
from bimtek.events.models import Event, Session
from bimtek.extensions import db
from bimtek.participants.models import Participant

CODE_MAX = 64

_SESSION_BY_ID = (
    sa.select(Session).options(joinedload(Session.event)).where(Session.id == sa.bindparam("id"))
)

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

    participant: Participant
    #: (id, status, checked_in_at) of the row already there, or None
    existing: tuple | None


def load_for_scan(session_id, code) -> tuple[Session, ScanTarget]:
    """The session (with its event), the ticket's participant and any row they already have
    there, in one query: the API's hot path. Raises NotFound unknown_session, InvalidInput
    or UnknownCode."""
    code = clean_code(code)
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
