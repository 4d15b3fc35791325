"""Reading attendance: the one status rule (``status_at``), the clock rules (late,
running), and the figures other domains read: ``session_counts`` (dashboard, API),
``attendance_summary`` (certificate eligibility), ``attendance_matrix`` (recap, exports,
activity report) and ``participant_attendance`` (a person's own record). Reads only.

Each person is counted at their own sessions only: the plenary ones and their class's
(``bimtek.events.classes``, the one rule of which session is whose).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bimtek.attendance.models import STATUS_LABELS, Attendance
from bimtek.attendance.scan_targets import by_registration_number
from bimtek.core import numbers
from bimtek.core.timeutil import utcnow
from bimtek.events.classes import audience_clause, session_is_for, sessions_for
from bimtek.events.models import Event, Session
from bimtek.extensions import db
from bimtek.participants.models import INSTITUTION_CATEGORIES, Participant, category_labels
from bimtek.participants.queries import participant_query


@dataclass(frozen=True)
class AttendanceSummary:
    participant_id: int
    #: mandatory sessions of the event that are the person's (plenary or their class's),
    #: finished or not
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
    #: None for a session that has not finished and has no row yet, or that is another
    #: class's
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


def status_at(session: Session, recorded: str | None, now: datetime) -> str | None:
    """The one rule for a person's status at a session: the status of their row
    (``recorded``), else "alpa" once the session has finished, else None (not yet).
    "alpa" is never stored (``attendance.models``); every page, PDF, export and API derives
    it here."""
    if recorded is not None:
        return recorded
    return "alpa" if session.ends_at <= now else None


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


def _registered_ids(event_id: int):
    return sa.select(Participant.id).where(
        Participant.event_id == event_id, Participant.status == "registered"
    )


def session_counts(session: Session, now: datetime | None = None) -> dict:
    """Counts at one session among the registered participants it is for (everyone at a
    plenary session, the class's people at a class's session).

    Keys: expected (registered and expected there), checked_in (hadir + terlambat), hadir,
    terlambat, izin, sakit, alpa (no row at a finished session; 0 before it ends), belum (no
    row yet at a session still open), finished (bool).
    """
    now = now or utcnow()
    audience = audience_clause(session, Participant.class_id)
    expected = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            _registered_ids(session.event_id).where(audience).subquery()
        )
    )
    rows = db.session.execute(
        sa.select(Attendance.status, sa.func.count())
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(Attendance.session_id == session.id, Participant.status == "registered", audience)
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
    """Every registered participant the session is for (its class's people, or everyone at
    a plenary session), sorted by name, with their row at this session."""
    rows = db.session.execute(
        sa.select(Participant, Attendance)
        .outerjoin(
            Attendance,
            sa.and_(
                Attendance.participant_id == Participant.id, Attendance.session_id == session.id
            ),
        )
        .where(
            Participant.event_id == session.event_id,
            Participant.status == "registered",
            audience_clause(session, Participant.class_id),
        )
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

    The person whose registration number the term names ("31" or "KUTIM24C-0031",
    ``lookup.by_registration_number``) comes first. Without ``personal`` (the panitia) a NIK
    matches only in full, see ``participants.visibility``."""

    term = " ".join(str(term or "").split())[:100]
    numbered = by_registration_number(event, term)
    if len(term) < 2 and numbered is None:
        return []
    people = [numbered] if numbered is not None else []
    if len(term) >= 2:
        query = participant_query(event.id, search=term, sort="name", personal=personal)
        people += [p for p in db.session.scalars(query.limit(limit)) if p is not numbered]
    people = people[:limit]
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
    """Per registered participant id: their attendance at their own mandatory sessions (the
    plenary ones and their class's).

    ``percent`` counts hadir and terlambat against every mandatory session of theirs, so
    it only reaches its final value when the last session is over. Two queries in all.
    """
    now = now or utcnow()
    mandatory = [s for s in event.sessions if s.mandatory]
    cells = _status_by_cell(event, [s.id for s in mandatory])
    people = db.session.execute(
        sa.select(Participant.id, Participant.class_id).where(
            Participant.event_id == event.id, Participant.status == "registered"
        )
    ).all()
    theirs: dict = {}
    return {
        pid: _summarize(
            pid,
            theirs.setdefault(class_id, sessions_for(mandatory, class_id)),
            cells,
            now,
        )
        for pid, class_id in people
    }


def attendance_matrix(event: Event, now: datetime | None = None) -> AttendanceMatrix:
    """Participants (registered, by name) × every session of the event, for the recap and
    the .xlsx export: each cell hadir/terlambat/izin/sakit/alpa or None (not finished, no
    row yet, or not the person's session: another class's); each row's summary over their
    own mandatory sessions; totals per session (over the people it is for) and per
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
    theirs: dict = {}
    for person in people:
        statuses = []
        for index, session in enumerate(sessions):
            if not session_is_for(session, person.class_id):
                statuses.append(None)
                continue
            status = status_at(session, cells.get((person.id, session.id)), now)
            statuses.append(status)
            totals[index]["expected"] += 1
            if status:
                totals[index][status] += 1
        own = theirs.setdefault(person.class_id, sessions_for(mandatory, person.class_id))
        summary = _summarize(person.id, own, cells, now)
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
    """A participant's own record: every session of theirs (plenary or their class's) with
    its status."""
    now = now or utcnow()
    rows = {
        a.session_id: a
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.participant_id == participant.id)
        )
    }
    result = []
    for session in sessions_for(participant.event.sessions, participant.class_id):
        row = rows.get(session.id)
        status = status_at(session, row.status if row else None, now)
        result.append((session, status, row))
    return result
