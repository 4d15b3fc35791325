"""Attendance corrections: a manager sets what happened at a session that has begun.

The desk records the present moment; a correction records the session's own time, so
checking someone in afterwards does not make them "terlambat" at today's date. Every
correction needs a reason and is audited with what the row said before. Certificate
eligibility reads the same rows, so it follows.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.attendance.checkin import check_participant, insert_or_nothing
from bimtek.attendance.models import PRESENT, Attendance
from bimtek.attendance.queries import is_late, late_after, status_at
from bimtek.audit.services import record
from bimtek.core.timeutil import utcnow
from bimtek.errors import Conflict, InvalidInput
from bimtek.events.models import Session
from bimtek.extensions import db
from bimtek.participants.models import Participant

#: what a manager may set; "alpa" removes the row (absence is the lack of one)
CORRECTABLE = ("hadir", "terlambat", "izin", "sakit", "alpa")
REASON_MAX = 500


class SessionNotStarted(Conflict):
    code = "session_not_started"


def is_correctable(session: Session, now: datetime | None = None) -> bool:
    """A session can be corrected once it has begun (the desk handles the running one too)."""
    return session.starts_at <= (now or utcnow())


def _moment(session: Session, status: str, row: Attendance | None) -> datetime:
    """The time a corrected row carries: the session's time, not the correction's.

    A real scan time is kept when it agrees with the status; otherwise hadir, izin and sakit
    are as of the start, terlambat one minute after the grace period.
    """
    if row is not None and row.status in PRESENT:
        late = is_late(session, row.checked_in_at)
        if (status == "terlambat") == late and status in PRESENT:
            return row.checked_in_at
    if status == "terlambat":
        return late_after(session) + timedelta(minutes=1)
    return session.starts_at


def correct_attendance(
    session: Session,
    participant: Participant,
    status: str,
    reason: str,
    *,
    actor,
    channel: str = "web",
    now: datetime | None = None,
) -> Attendance | None:
    """Set ``participant``'s status at ``session`` (hadir, terlambat, izin, sakit or alpa).

    Returns the row, or None for alpa. Raises InvalidInput (status, reason),
    SessionNotStarted, or the desk's NotRegistered/WrongEvent for someone without a seat.
    """
    now = now or utcnow()
    reason = " ".join(str(reason or "").split())
    errors = {}
    if status not in CORRECTABLE:
        errors["status"] = _("Pilih status: hadir, terlambat, izin, sakit atau alpa.")
    if not reason:
        errors["reason"] = _("Alasan koreksi wajib diisi.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("Alasan paling banyak %(n)s karakter.", n=REASON_MAX)
    if errors:
        raise InvalidInput(_("Periksa kembali isian koreksi kehadiran."), fields=errors)
    check_participant(session, participant)
    if not is_correctable(session, now):
        raise SessionNotStarted(_("Sesi ini belum dimulai; kehadirannya belum dapat dikoreksi."))
    key = {"session_id": session.id, "participant_id": participant.id}
    row = db.session.scalar(
        sa.select(Attendance)
        .filter_by(**key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    previous = (
        {
            "status": row.status,
            "checked_in_at": row.checked_in_at.isoformat(),
            "note": row.note,
            "recorded_by_id": row.recorded_by_id,
        }
        if row is not None
        else {"status": status_at(session, None, now)}
    )
    result = None
    if status == "alpa":
        if row is not None:
            db.session.delete(row)
    else:
        moment = _moment(session, status, row)
        if row is None:
            insert_or_nothing(
                {
                    **key,
                    "status": status,
                    "checked_in_at": moment,
                    "recorded_by_id": getattr(actor, "id", None),
                    "note": reason,
                    "scan_id": None,
                    "source": "manual",
                    "created_at": now,
                }
            )
            row = db.session.scalar(
                sa.select(Attendance).filter_by(**key).execution_options(populate_existing=True)
            )
        row.status = status
        row.checked_in_at = moment
        row.note = reason
        row.source = "manual"
        row.recorded_by_id = getattr(actor, "id", None)
        result = row
    record(
        "attendance.correct",
        actor=actor,
        channel=channel,
        event_id=session.event_id,
        target=participant,
        details={
            "session_id": session.id,
            "status": status,
            "reason": reason,
            "previous": previous,
        },
    )
    db.session.flush()
    return result
