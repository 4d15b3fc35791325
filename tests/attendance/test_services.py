"""Check-in rules, called without HTTP. Times are worked out from the 08:00 WITA session."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bimtek.attendance import checkin, queries, scan_targets
from bimtek.attendance.models import Attendance
from bimtek.audit.models import AuditLog
from bimtek.auth.models import User
from bimtek.core.database import is_postgres
from bimtek.errors import Conflict, InvalidInput, NotFound
from bimtek.events import services as event_services
from bimtek.extensions import db
from bimtek.participants import cancellation
from tests import factories
from tests.conftest import requires_postgres


def rows(session=None):
    query = sa.select(Attendance)
    if session is not None:
        query = query.where(Attendance.session_id == session.id)
    return db.session.scalars(query).all()


def test_first_scan_is_hadir_and_the_repeat_answers_with_the_first_time(
    session, person, panitia, on_time
):
    first = checkin.check_in(session, person.ticket_code, actor=panitia, now=on_time)
    db.session.commit()
    assert (first.status, first.already, first.checked_in_at) == ("hadir", False, on_time)
    assert first.participant.id == person.id

    later = on_time + timedelta(minutes=30)
    again = checkin.check_in(session, person.ticket_code, actor=panitia, now=later)
    db.session.commit()
    assert (again.status, again.already, again.checked_in_at) == ("hadir", True, on_time)
    [row] = rows(session)
    assert (row.recorded_by_id, row.source, row.status) == (panitia.id, "desk", "hadir")


def test_late_is_after_start_plus_grace(event, session, panitia):
    people = [factories.make_participant(event) for _ in range(3)]
    start = session.starts_at
    exactly = checkin.check_in(
        session, people[0].ticket_code, actor=panitia, now=start + timedelta(minutes=15)
    )
    just_after = checkin.check_in(
        session, people[1].ticket_code, actor=panitia, now=start + timedelta(minutes=15, seconds=1)
    )
    early = checkin.check_in(
        session, people[2].ticket_code, actor=panitia, now=start - timedelta(minutes=40)
    )
    assert (exactly.status, just_after.status, early.status) == ("hadir", "terlambat", "hadir")


def test_grace_minutes_come_from_the_event(event, session, person, panitia):
    event.late_grace_minutes = 0
    db.session.commit()
    result = checkin.check_in(
        session, person.ticket_code, actor=panitia, now=session.starts_at + timedelta(minutes=1)
    )
    assert result.status == "terlambat"


def test_queued_scan_keeps_its_original_time(session, person, panitia, on_time):
    arrives = on_time + timedelta(minutes=40)  # the network came back late
    result = checkin.check_in(
        session,
        person.ticket_code,
        actor=panitia,
        scan_id="desk1-0001",
        scanned_at=on_time.isoformat().replace("+00:00", "Z"),
        now=arrives,
    )
    assert (result.status, result.checked_in_at) == ("hadir", on_time)
    [row] = rows(session)
    assert row.checked_in_at == on_time and row.created_at == arrives


def test_a_retried_scan_id_counts_once(session, person, panitia, on_time):
    for _ in range(3):
        result = checkin.check_in(
            session, person.ticket_code, actor=panitia, scan_id="abc-1", now=on_time
        )
        db.session.commit()
    assert result.already is True
    assert len(rows(session)) == 1


def test_a_scan_id_reused_for_someone_else_is_refused(event, session, person, panitia, on_time):
    other = factories.make_participant(event)
    checkin.check_in(session, person.ticket_code, actor=panitia, scan_id="same", now=on_time)
    with pytest.raises(InvalidInput) as caught:
        checkin.check_in(session, other.ticket_code, actor=panitia, scan_id="same", now=on_time)
    assert "scan_id" in caught.value.fields


def test_code_is_forgiving_of_case_and_spaces(session, person, panitia, on_time):
    result = checkin.check_in(
        session, f"  {person.ticket_code.lower()}\n", actor=panitia, now=on_time
    )
    assert result.participant.id == person.id


@pytest.mark.parametrize("code", ["", "   ", None, 12345, "X" * 65])
def test_bad_code_is_invalid(session, panitia, code):
    with pytest.raises(InvalidInput) as caught:
        checkin.check_in(session, code, actor=panitia)
    assert caught.value.code == "invalid"


def test_unknown_code(session, panitia):
    with pytest.raises(NotFound) as caught:
        checkin.check_in(session, "ZZZZZZZZZZZZZZZZ", actor=panitia)
    assert caught.value.code == "unknown_code"
    assert caught.value.message == "Tiket tidak dikenal."


def test_cancelled_and_waitlisted_are_not_registered(app, panitia):
    event = factories.make_event("KECIL", capacity=1)
    session = event.sessions[0]
    seated = factories.make_participant(event)
    waiting = factories.make_participant(event)
    assert waiting.status == "waitlisted"
    with pytest.raises(Conflict) as caught:
        checkin.check_in(session, waiting.ticket_code, actor=panitia)
    assert caught.value.code == "not_registered"
    assert caught.value.participant.id == waiting.id

    cancellation.cancel(waiting, actor=panitia)
    cancellation.cancel(seated, actor=panitia)
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        checkin.check_in(session, seated.ticket_code, actor=panitia)
    assert (caught.value.code, caught.value.message) == ("not_registered", "Peserta dibatalkan.")
    assert rows() == []


def test_participant_of_another_event(event, session, panitia):
    other_event = factories.make_event("LAIN24")
    stranger = factories.make_participant(other_event)
    with pytest.raises(Conflict) as caught:
        checkin.check_in(session, stranger.ticket_code, actor=panitia)
    assert caught.value.code == "wrong_event"


@pytest.mark.parametrize(
    "scanned_at",
    [
        "kemarin",
        "2024-10-28T08:00:00",  # no zone
        datetime(2024, 10, 28, 8, 0),  # naive
        12,
    ],
)
def test_bad_scanned_at_is_invalid(session, person, panitia, scanned_at):
    with pytest.raises(InvalidInput) as caught:
        checkin.check_in(session, person.ticket_code, actor=panitia, scanned_at=scanned_at)
    assert "scanned_at" in caught.value.fields


def test_scanned_at_in_the_future_or_long_before_the_session_is_invalid(
    session, person, panitia, on_time
):
    for moment in (on_time + timedelta(minutes=6), session.starts_at - timedelta(hours=13)):
        with pytest.raises(InvalidInput):
            checkin.check_in(
                session, person.ticket_code, actor=panitia, scanned_at=moment, now=on_time
            )
    # a device four minutes fast is tolerated
    result = checkin.check_in(
        session,
        person.ticket_code,
        actor=panitia,
        scanned_at=on_time + timedelta(minutes=4),
        now=on_time,
    )
    assert result.checked_in_at == on_time + timedelta(minutes=4)


@pytest.mark.parametrize("scan_id", ["has space", "x" * 65, "ünï", 7])
def test_bad_scan_id_is_invalid(session, person, panitia, scan_id):
    with pytest.raises(InvalidInput):
        checkin.check_in(session, person.ticket_code, actor=panitia, scan_id=scan_id)


def test_check_in_by_picked_participant(session, person, panitia, on_time):
    result = checkin.check_in(session, person, actor=panitia, now=on_time, channel="manual")
    assert result.status == "hadir"
    assert rows(session)[0].source == "manual"


def test_undo_removes_the_row_and_is_audited(session, person, panitia, admin, on_time):
    checkin.check_in(session, person.ticket_code, actor=panitia, scan_id="s1", now=on_time)
    db.session.commit()
    checkin.undo_check_in(session, person, actor=admin)
    db.session.commit()
    assert rows(session) == []
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "checkin.undo"))
    assert entry.actor_id == admin.id
    assert entry.target_id == person.id
    assert entry.details["status"] == "hadir"
    assert entry.details["recorded_by_id"] == panitia.id
    with pytest.raises(NotFound):
        checkin.undo_check_in(session, person, actor=admin)
    # after an undo the person can be checked in again
    again = checkin.check_in(session, person.ticket_code, actor=panitia, now=on_time)
    assert again.already is False


def test_check_in_is_audited(session, person, panitia, on_time):
    checkin.check_in(session, person.ticket_code, actor=panitia, now=on_time)
    checkin.check_in(session, person.ticket_code, actor=panitia, now=on_time)
    db.session.commit()
    entries = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "checkin.create")
    ).all()
    assert len(entries) == 1  # a repeat changes nothing
    assert entries[0].actor_id == panitia.id


def test_mark_izin_then_sakit_with_notes(session, person, panitia, admin):
    row = checkin.mark_excused(
        session, person, "izin", " Surat tugas  ke Samarinda ", actor=panitia
    )
    db.session.commit()
    assert (row.status, row.note, row.source) == ("izin", "Surat tugas ke Samarinda", "manual")
    row = checkin.mark_excused(session, person, "sakit", "Surat dokter", actor=admin)
    db.session.commit()
    assert (row.status, row.note, row.recorded_by_id) == ("sakit", "Surat dokter", admin.id)
    assert len(rows(session)) == 1
    actions = db.session.scalars(
        sa.select(AuditLog.action).where(AuditLog.action.like("attendance.%")).order_by(AuditLog.id)
    ).all()
    assert actions == ["attendance.izin", "attendance.sakit"]
    last = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "attendance.sakit"))
    assert last.details["previous"] == {"status": "izin", "note": "Surat tugas ke Samarinda"}


@pytest.mark.parametrize(
    ("status", "note", "field"),
    [
        ("alpa", "x", "status"),
        ("hadir", "x", "status"),
        ("izin", "  ", "note"),
        ("sakit", "x" * 501, "note"),
    ],
)
def test_mark_excused_bad_input(session, person, panitia, status, note, field):
    with pytest.raises(InvalidInput) as caught:
        checkin.mark_excused(session, person, status, note, actor=panitia)
    assert field in caught.value.fields


def test_mark_excused_refuses_someone_present(session, person, panitia, on_time):
    checkin.check_in(session, person.ticket_code, actor=panitia, now=on_time)
    with pytest.raises(Conflict) as caught:
        checkin.mark_excused(session, person, "izin", "Pulang cepat", actor=panitia)
    assert caught.value.code == "already_present"
    assert "pukul 08.05" in caught.value.message
    assert rows(session)[0].status == "hadir"


def test_excused_person_who_turns_up_is_present(session, person, panitia, late):
    checkin.mark_excused(session, person, "izin", "Rapat dinas", actor=panitia)
    result = checkin.check_in(session, person.ticket_code, actor=panitia, now=late)
    assert (result.status, result.already) == ("terlambat", False)
    assert rows(session)[0].status == "terlambat"


def _make_people(event, count, **overrides):
    return [factories.make_participant(event, **overrides) for _ in range(count)]


def test_session_counts_by_hand(event, session, panitia, on_time, late):
    a, b, c, d, e = _make_people(event, 5)
    checkin.check_in(session, a.ticket_code, actor=panitia, now=on_time)
    checkin.check_in(session, b.ticket_code, actor=panitia, now=late)
    checkin.mark_excused(session, c, "izin", "Tugas", actor=panitia)
    checkin.check_in(session, e.ticket_code, actor=panitia, now=on_time)
    db.session.commit()
    cancellation.cancel(e, actor=panitia)  # a cancelled person's row no longer counts
    db.session.commit()
    during = queries.session_counts(session, now=late)
    assert during == {
        "expected": 4,
        "checked_in": 2,
        "hadir": 1,
        "terlambat": 1,
        "izin": 1,
        "sakit": 0,
        "alpa": 0,
        "belum": 1,
        "finished": False,
    }
    after = queries.session_counts(session, now=session.ends_at)
    assert (after["alpa"], after["belum"], after["finished"]) == (1, 0, True)


def test_attendance_summary_and_matrix_by_hand(event, panitia):
    """Sessions: S1 08:00 (mandatory), S2 10:00 (mandatory), S3 13:00 (optional)."""

    s1, s2 = event.sessions
    s3 = event_services.save_session(
        event,
        {
            "title": "Diskusi",
            "day": s1.local_day,
            "start_time": "13:00",
            "end_time": "14:00",
            "mandatory": False,
        },
    )
    db.session.commit()
    ani, budi, citra = (
        factories.make_participant(event, full_name="Ani", institution_category="kpu"),
        factories.make_participant(event, full_name="Budi", institution_category="polri"),
        factories.make_participant(event, full_name="Citra", institution_category="kpu"),
    )
    # Ani: S1 hadir, S2 terlambat, S3 hadir -> 2 of 2 mandatory = 100 %
    # Budi: S1 sakit, S2 nothing -> alpa once S2 is over, 0 %
    # Citra: S1 hadir, S2 izin -> 1 of 2 = 50 %
    for person, session, minutes in ((ani, s1, 0), (ani, s2, 30), (ani, s3, 0), (citra, s1, 5)):
        checkin.check_in(
            session,
            person.ticket_code,
            actor=panitia,
            now=session.starts_at + timedelta(minutes=minutes),
        )
    checkin.mark_excused(s1, budi, "sakit", "Demam", actor=panitia)
    checkin.mark_excused(s2, citra, "izin", "Rapat", actor=panitia)
    db.session.commit()

    during_s2 = s2.starts_at + timedelta(minutes=45)
    summary = queries.attendance_summary(event, now=during_s2)
    assert summary[budi.id] == queries.AttendanceSummary(budi.id, 2, 0, 0, 0, 1, 0, 0.0)
    day_end = s3.ends_at + timedelta(hours=1)
    summary = queries.attendance_summary(event, now=day_end)
    assert summary[ani.id] == queries.AttendanceSummary(ani.id, 2, 2, 1, 0, 0, 0, 100.0)
    assert summary[budi.id] == queries.AttendanceSummary(budi.id, 2, 0, 0, 0, 1, 1, 0.0)
    assert summary[citra.id] == queries.AttendanceSummary(citra.id, 2, 1, 0, 1, 0, 0, 50.0)

    matrix = queries.attendance_matrix(event, now=day_end)
    assert [s.id for s in matrix.sessions] == [s1.id, s2.id, s3.id]
    assert [row.participant.full_name for row in matrix.rows] == ["Ani", "Budi", "Citra"]
    assert [row.statuses for row in matrix.rows] == [
        ["hadir", "terlambat", "hadir"],
        ["sakit", "alpa", "alpa"],
        ["hadir", "izin", "alpa"],
    ]
    assert matrix.session_totals[1] == {
        "expected": 3,
        "hadir": 0,
        "terlambat": 1,
        "izin": 1,
        "sakit": 0,
        "alpa": 1,
        "checked_in": 1,
    }
    kpu, polri = matrix.categories
    assert (kpu.label, kpu.participants, kpu.present, kpu.percent) == ("KPU", 2, 3, 75.0)
    assert (polri.label, polri.participants, polri.present, polri.percent) == ("Polri", 1, 0, 0.0)

    before = queries.attendance_matrix(event, now=s1.starts_at - timedelta(hours=1))
    assert before.rows[1].statuses == ["sakit", None, None]


def test_summary_without_mandatory_sessions_is_zero_percent(app, panitia):
    event = factories.make_event("KOSONG", sessions=0)
    person = factories.make_participant(event)
    summary = queries.attendance_summary(event)
    assert summary[person.id].percent == 0.0
    assert summary[person.id].mandatory_total == 0


def test_participant_attendance(event, person, panitia, on_time):
    s1, s2 = event.sessions
    checkin.check_in(s1, person.ticket_code, actor=panitia, now=on_time)
    db.session.commit()
    record = queries.participant_attendance(person, now=s2.ends_at)
    assert [(s.id, status) for s, status, _row in record] == [(s1.id, "hadir"), (s2.id, "alpa")]


def _hammer(app, session_id, code, actor_id, threads=8):
    """The same code from ``threads`` desks at the same moment; answers in order of arrival."""
    barrier = threading.Barrier(threads)
    answers, errors = [], []

    def desk():
        with app.app_context():
            try:
                session = scan_targets.load_session(session_id)
                actor = db.session.get(User, actor_id)
                barrier.wait(timeout=10)
                result = checkin.check_in(session, code, actor=actor, channel="api")
                answer = (result.already, result.status, result.checked_in_at)
                db.session.commit()
                answers.append(answer)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))
            finally:
                db.session.remove()

    workers = [threading.Thread(target=desk) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert not any(worker.is_alive() for worker in workers)
    return answers, errors


def _assert_one_row_and_right_answers(app, event, panitia):
    person = factories.make_participant(event)
    session = event.sessions[0]
    answers, errors = _hammer(app, session.id, person.ticket_code, panitia.id)
    assert errors == []
    assert len(answers) == 8
    firsts = [a for a in answers if not a[0]]
    assert len(firsts) == 1
    [row] = db.session.scalars(sa.select(Attendance)).all()
    assert all(a[2] == row.checked_in_at for a in answers)
    assert all(a[1] == row.status for a in answers)


def test_eight_desks_same_code_same_moment_one_row(app, event, panitia):
    _assert_one_row_and_right_answers(app, event, panitia)


@requires_postgres
@pytest.mark.postgres
def test_eight_desks_same_code_same_moment_one_row_postgres(app, event, panitia):

    assert is_postgres()
    _assert_one_row_and_right_answers(app, event, panitia)


def test_times_are_aware_utc(session, person, panitia):
    result = checkin.check_in(session, person.ticket_code, actor=panitia)
    assert result.checked_in_at.tzinfo is not None
    db.session.commit()
    assert rows(session)[0].checked_in_at.utcoffset() == timedelta(0)
    assert rows(session)[0].checked_in_at <= datetime.now(UTC)


def test_is_running_from_half_an_hour_before_until_the_end(session):
    start, end = session.starts_at, session.ends_at
    assert not queries.is_running(session, now=start - timedelta(minutes=31))
    assert queries.is_running(session, now=start - timedelta(minutes=30))
    assert queries.is_running(session, now=end - timedelta(seconds=1))
    assert not queries.is_running(session, now=end)
