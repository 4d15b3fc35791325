"""A manager corrects attendance at a past session: as of the session's time, with a reason,
audited; certificate eligibility follows."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bimtek.attendance.checkin import check_in
from bimtek.attendance.corrections import SessionNotStarted, correct_attendance
from bimtek.attendance.models import Attendance
from bimtek.attendance.queries import attendance_summary, is_late
from bimtek.audit.models import AuditLog
from bimtek.certificates.rules import eligibility_for
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from tests import factories
from tests.conftest import login
from tests.factories import make_event, make_participant


@pytest.fixture
def past(app):
    return make_event("LALU24", start=date.today() - timedelta(days=7))


def _row(session, person):
    return db.session.scalar(
        sa.select(Attendance).where(
            Attendance.session_id == session.id, Attendance.participant_id == person.id
        )
    )


def _attendance_reason(person):
    return [r for r in eligibility_for(person).reasons if r.startswith("kehadiran")]


def test_correction_is_dated_at_the_session_not_today(past):
    manager = factories.make_staff("manager", event=past)
    person = make_participant(past)
    first, second = past.sessions
    assert _attendance_reason(person)  # absent everywhere
    row = correct_attendance(first, person, "hadir", "Absen kertas", actor=manager)
    db.session.commit()
    assert row.status == "hadir" and row.checked_in_at == first.starts_at
    assert row.source == "manual" and row.note == "Absen kertas"
    assert not is_late(first, row.checked_in_at)
    late = correct_attendance(second, person, "terlambat", "Datang 09.20", actor=manager)
    db.session.commit()
    assert is_late(second, late.checked_in_at)
    assert late.checked_in_at.date() == second.starts_at.date()
    assert attendance_summary(past)[person.id].present == 2
    assert not _attendance_reason(person)  # eligibility follows
    entry = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "attendance.correct").order_by(AuditLog.id)
    ).all()[-1]
    assert entry.actor_id == manager.id and entry.details["reason"] == "Datang 09.20"
    assert entry.details["previous"] == {"status": "alpa"}


def test_correction_to_alpa_removes_the_row_and_keeps_it_in_the_log(past):
    manager = factories.make_staff("manager", event=past)
    person = make_participant(past)
    session = past.sessions[0]
    check_in(session, person, actor=manager, now=session.starts_at)
    db.session.commit()
    assert correct_attendance(session, person, "alpa", "Salah scan", actor=manager) is None
    db.session.commit()
    assert _row(session, person) is None
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "attendance.correct"))
    assert entry.details["previous"]["status"] == "hadir"


def test_correction_keeps_a_real_scan_time_that_agrees(past):
    person = make_participant(past)
    session = past.sessions[0]
    scanned = session.starts_at + timedelta(minutes=40)
    check_in(session, person, actor=None, now=scanned)
    db.session.commit()
    assert _row(session, person).status == "terlambat"
    row = correct_attendance(session, person, "izin", "Surat tugas", actor=None)
    assert row.status == "izin" and row.checked_in_at == session.starts_at
    row = correct_attendance(session, person, "hadir", "Dispensasi", actor=None)
    assert row.checked_in_at == session.starts_at


def test_correction_needs_a_reason_a_status_and_a_started_session(app):
    event = make_event("NANTI24", start=date.today() + timedelta(days=7))
    person = make_participant(event)
    with pytest.raises(InvalidInput) as caught:
        correct_attendance(event.sessions[0], person, "pulang", " ", actor=None)
    assert set(caught.value.fields) == {"status", "reason"}
    with pytest.raises(SessionNotStarted):
        correct_attendance(event.sessions[0], person, "hadir", "coba", actor=None)
    assert _row(event.sessions[0], person) is None


# ------------------------------------------------------------------------------- views


def test_manager_corrects_from_the_page(client, past):

    manager = factories.make_staff("manager", "koreksi@bimtek.local", event=past)
    person = make_participant(past)
    login(client, manager.email)
    url = f"/kegiatan/{past.code}/rekap-kehadiran/peserta/{person.id}"
    page = client.get(url)
    assert page.status_code == 200 and "Koreksi kehadiran" in page.get_data(as_text=True)
    session = past.sessions[0]
    bad = client.post(url, data={"session_id": session.id, "status": "hadir", "reason": ""})
    assert bad.status_code == 422 and "Alasan koreksi wajib diisi" in bad.get_data(as_text=True)
    assert _row(session, person) is None
    done = client.post(url, data={"session_id": session.id, "status": "sakit", "reason": "SKD"})
    assert done.status_code == 302
    db.session.expire_all()
    assert _row(session, person).status == "sakit"
    other = make_event("LAIN24", start=date.today() - timedelta(days=3))
    answer = client.post(
        url, data={"session_id": other.sessions[0].id, "status": "hadir", "reason": "x"}
    )
    assert answer.status_code == 404
    recap = client.get(f"/kegiatan/{past.code}/rekap-kehadiran").get_data(as_text=True)
    assert url in recap


def test_panitia_cannot_correct(panitia_client, event):
    person = make_participant(event)
    url = f"/kegiatan/{event.code}/rekap-kehadiran/peserta/{person.id}"
    assert panitia_client.get(url).status_code == 403
    recap = panitia_client.get(f"/kegiatan/{event.code}/rekap-kehadiran").get_data(as_text=True)
    assert "/rekap-kehadiran/peserta/" not in recap
