"""The paper daftar hadir typed in: a manager marks every participant of one session at once.

Each changed row goes through the one correction rule (``corrections.correct_attendance``:
the session's own time, the reason, an ``attendance.correct`` audit row with what the row
said before), so certificate eligibility follows as it does for a single correction. The
whole batch is one transaction: every row is checked before the first is written, and the
writes run in a savepoint, so a bad row leaves nothing half-written.

A row counts as changed when its mark differs from what the page showed (``seen``); a row
the manager did not touch is never written, even if the desk changed it since the page was
loaded.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.attendance.corrections import (
    CORRECTABLE,
    REASON_MAX,
    SessionNotStarted,
    correct_attendance,
    is_correctable,
)
from bimtek.attendance.models import Attendance
from bimtek.attendance.queries import session_attendance, status_at
from bimtek.audit.services import record
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput
from bimtek.events.models import Session
from bimtek.extensions import db
from bimtek.participants.models import Participant

#: key a manager types for each status (the recap's letters)
KEYS = {"hadir": "h", "terlambat": "t", "izin": "i", "sakit": "s", "alpa": "a"}


@dataclass
class RosterRow:
    participant: Participant
    #: hadir/terlambat/izin/sakit/alpa, or None (no row yet at a session still running)
    status: str | None
    row: Attendance | None


@dataclass
class RosterResult:
    #: participant id -> (status before, status after), for the rows written
    changed: dict[int, tuple[str | None, str]]
    #: rows posted whose mark was what the page showed (left untouched)
    unchanged: int


def roster_rows(session: Session, now: datetime | None = None) -> list[RosterRow]:
    """Every registered participant of the session's event, by name, with their status."""
    now = now or utcnow()
    return [
        RosterRow(person, status_at(session, row.status if row else None, now), row)
        for person, row in session_attendance(session)
    ]


def _reason_error(reason: str) -> str | None:
    if not reason:
        return _("Alasan koreksi wajib diisi (satu alasan untuk semua perubahan).")
    if len(reason) > REASON_MAX:
        return _("Alasan paling banyak %(n)s karakter.", n=REASON_MAX)
    return None


def save_roster(
    session: Session,
    marks: dict[int, str],
    reason: str,
    *,
    seen: dict[int, str | None] | None = None,
    actor,
    channel: str = "web",
    now: datetime | None = None,
) -> RosterResult:
    """Write the marks (participant id -> hadir/terlambat/izin/sakit/alpa) that changed.

    ``seen`` is what the page showed for each participant (None: no status yet); a mark
    equal to it is not a change. Without ``seen`` the stored status is compared. Raises
    InvalidInput (reason, an unknown status, someone without a seat at this event) or
    SessionNotStarted before anything is written.
    """
    now = now or utcnow()
    if not is_correctable(session, now):
        raise SessionNotStarted(_("Sesi ini belum dimulai; kehadirannya belum dapat dikoreksi."))
    seen = seen or {}
    errors = {}
    for participant_id, status in marks.items():
        if status not in CORRECTABLE:
            errors[f"status-{participant_id}"] = _(
                "Pilih status: hadir, terlambat, izin, sakit atau alpa."
            )
    ids = list(marks)
    people = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Participant).where(
                Participant.id.in_(ids),
                Participant.event_id == session.event_id,
                Participant.status == "registered",
            )
        )
    }
    for participant_id in ids:
        if participant_id not in people:
            errors[f"status-{participant_id}"] = _(
                "Peserta ini tidak terdaftar (atau tidak memegang kursi) di kegiatan ini."
            )
    stored = dict(
        db.session.execute(
            sa.select(Attendance.participant_id, Attendance.status).where(
                Attendance.session_id == session.id, Attendance.participant_id.in_(ids)
            )
        ).all()
    )
    current = {pid: status_at(session, stored.get(pid), now) for pid in ids}
    wanted = {}
    for participant_id, status in marks.items():
        shown = seen.get(participant_id, current[participant_id])
        if status == shown or status == current[participant_id]:
            continue
        if status == "alpa" and participant_id not in stored:
            continue  # no row already means absent
        wanted[participant_id] = status
    reason = " ".join(str(reason or "").split())
    if wanted and _reason_error(reason):
        errors["reason"] = _reason_error(reason)
    if errors:
        message = (
            errors["reason"]
            if list(errors) == ["reason"]
            else _("Ada baris yang tidak dapat disimpan; tidak ada yang diubah.")
        )
        raise InvalidInput(message, fields=errors)
    if not wanted:
        return RosterResult(changed={}, unchanged=len(marks))
    changed = {}
    with db.session.begin_nested():
        for participant_id, status in wanted.items():
            correct_attendance(
                session,
                people[participant_id],
                status,
                reason,
                actor=actor,
                channel=channel,
                now=now,
            )
            changed[participant_id] = (current[participant_id], status)
        record(
            "attendance.roster",
            actor=actor,
            channel=channel,
            event_id=session.event_id,
            target=session,
            details={
                "session_id": session.id,
                "reason": reason,
                "changed": len(changed),
                "unchanged": len(marks) - len(changed),
            },
        )
    db.session.flush()
    return RosterResult(changed=changed, unchanged=len(marks) - len(changed))
