"""The paper daftar hadir typed in: one session, every participant, one reason, one
transaction through the correction rule (audited per row; eligibility follows)."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bimtek.attendance import session_roster
from bimtek.attendance.checkin import check_in
from bimtek.attendance.corrections import SessionNotStarted
from bimtek.attendance.models import Attendance
from bimtek.attendance.queries import attendance_summary
from bimtek.attendance.session_roster import roster_rows, save_roster
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


@pytest.fixture
def people(past):
    return [make_participant(past, full_name=f"Peserta {n:02d}") for n in range(1, 6)]


def _statuses(session):
    db.session.expire_all()
    return dict(
        db.session.execute(
            sa.select(Attendance.participant_id, Attendance.status).where(
                Attendance.session_id == session.id
            )
        ).all()
    )


def _audit(action):
    return db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
    ).all()


def test_a_batch_writes_only_the_changed_rows_each_audited(past, people):
    manager = factories.make_staff("manager", event=past)
    session = past.sessions[0]
    check_in(session, people[0], actor=manager, now=session.starts_at)
    db.session.commit()
    before = _statuses(session)[people[0].id]
    marks = {
        people[0].id: "hadir",  # unchanged: already hadir
        people[1].id: "hadir",
        people[2].id: "terlambat",
        people[3].id: "sakit",
        people[4].id: "alpa",  # unchanged: no row already means alpa
    }
    result = save_roster(session, marks, "Daftar hadir kertas hari 1", actor=manager)
    db.session.commit()
    assert set(result.changed) == {people[1].id, people[2].id, people[3].id}
    assert result.unchanged == 2
    statuses = _statuses(session)
    assert statuses == {
        people[0].id: before,
        people[1].id: "hadir",
        people[2].id: "terlambat",
        people[3].id: "sakit",
    }
    entries = _audit("attendance.correct")
    assert len(entries) == 3
    assert {e.target_id for e in entries} == {people[1].id, people[2].id, people[3].id}
    assert all(e.details["reason"] == "Daftar hadir kertas hari 1" for e in entries)
    assert all(e.actor_id == manager.id for e in entries)
    (batch,) = _audit("attendance.roster")
    assert batch.details["changed"] == 3 and batch.details["unchanged"] == 2


def test_eligibility_follows_the_roster(past, people):
    person = people[0]
    assert [r for r in eligibility_for(person).reasons if r.startswith("kehadiran")]
    for session in past.sessions:
        save_roster(session, {person.id: "hadir"}, "Kertas", actor=None)
    db.session.commit()
    assert attendance_summary(past)[person.id].present == 2
    assert not [r for r in eligibility_for(person).reasons if r.startswith("kehadiran")]


def test_reason_is_required_when_something_changes(past, people):
    session = past.sessions[0]
    with pytest.raises(InvalidInput) as caught:
        save_roster(session, {people[0].id: "hadir"}, "   ", actor=None)
    assert set(caught.value.fields) == {"reason"}
    assert _statuses(session) == {}
    # nothing changed: no reason needed, nothing written
    result = save_roster(session, {people[0].id: "alpa"}, "", actor=None)
    assert result.changed == {} and _audit("attendance.roster") == []


def test_a_bad_row_leaves_nothing_written(past, people):
    session = past.sessions[0]
    other = make_event("LAIN24", start=date.today() - timedelta(days=7))
    stranger = make_participant(other)
    waiting = make_participant(past)
    waiting.status = "waitlisted"
    db.session.commit()
    for bad in ({stranger.id: "hadir"}, {waiting.id: "hadir"}, {people[3].id: "pulang"}):
        marks = {people[0].id: "hadir", people[1].id: "izin", **bad}
        with pytest.raises(InvalidInput) as caught:
            save_roster(session, marks, "Kertas", actor=None)
        assert f"status-{next(iter(bad))}" in caught.value.fields
        db.session.rollback()
        assert _statuses(session) == {}
        assert _audit("attendance.correct") == []


def test_a_failure_midway_rolls_back_the_rows_already_written(past, people, monkeypatch):

    session = past.sessions[0]
    real = session_roster.correct_attendance
    calls = []

    def failing(session, participant, *args, **kwargs):
        calls.append(participant.id)
        if len(calls) == 2:
            raise InvalidInput("boom")
        return real(session, participant, *args, **kwargs)

    monkeypatch.setattr(session_roster, "correct_attendance", failing)
    with pytest.raises(InvalidInput):
        save_roster(session, {p.id: "hadir" for p in people[:3]}, "Kertas", actor=None)
    db.session.commit()  # what the caller would find in its transaction
    assert _statuses(session) == {}
    assert _audit("attendance.correct") == []


def test_a_row_the_page_showed_unchanged_is_not_written_over_the_desk(past, people):
    """The desk checked someone in after the page was loaded: the manager did not touch
    that row, so the page's stale mark does not overwrite it."""
    session = past.sessions[0]
    shown = {p.id: "alpa" for p in people}
    check_in(session, people[0], actor=None, now=session.starts_at)
    db.session.commit()
    marks = {p.id: "alpa" for p in people}
    marks[people[1].id] = "izin"
    result = save_roster(session, marks, "Kertas", seen=shown, actor=None)
    db.session.commit()
    assert set(result.changed) == {people[1].id}
    assert _statuses(session) == {people[0].id: "hadir", people[1].id: "izin"}


def test_a_session_not_yet_started_is_refused(app):
    event = make_event("NANTI24", start=date.today() + timedelta(days=7))
    person = make_participant(event)
    with pytest.raises(SessionNotStarted):
        save_roster(event.sessions[0], {person.id: "hadir"}, "Kertas", actor=None)


def test_roster_rows_list_everyone_registered_with_their_status(past, people):
    session = past.sessions[0]
    check_in(session, people[2], actor=None, now=session.starts_at)
    db.session.commit()
    rows = roster_rows(session)
    assert [r.participant.id for r in rows] == [p.id for p in people]
    assert {r.participant.id: r.status for r in rows}[people[2].id] == "hadir"
    assert {r.status for r in rows} == {"hadir", "alpa"}


# ------------------------------------------------------------------------------- page


def test_manager_fills_the_roster_from_the_page(client, past, people):
    manager = factories.make_staff("manager", "roster@bimtek.local", event=past)
    login(client, manager.email)
    session = past.sessions[0]
    url = f"/kegiatan/{past.code}/rekap-kehadiran/sesi/{session.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Peserta 01" in page and f'name="status-{people[0].id}"' in page
    assert people[0].nik not in page and people[0].phone not in page
    form = {f"seen-{p.id}": "alpa" for p in people}
    form.update({f"status-{p.id}": "alpa" for p in people})
    form[f"status-{people[0].id}"] = "hadir"
    bad = client.post(url, data={**form, "reason": ""})
    assert bad.status_code == 422 and "Alasan koreksi wajib diisi" in bad.get_data(as_text=True)
    assert _statuses(session) == {}
    done = client.post(url, data={**form, "reason": "Kertas"})
    assert done.status_code == 302
    assert _statuses(session) == {people[0].id: "hadir"}
    recap = client.get(f"/kegiatan/{past.code}/rekap-kehadiran").get_data(as_text=True)
    assert url in recap


def test_panitia_may_not_fill_the_roster(panitia_client, event):
    url = f"/kegiatan/{event.code}/rekap-kehadiran/sesi/{event.sessions[0].id}"
    assert panitia_client.get(url).status_code == 403
    recap = panitia_client.get(f"/kegiatan/{event.code}/rekap-kehadiran").get_data(as_text=True)
    assert "/rekap-kehadiran/sesi/" not in recap
