"""Several sessions at once: one room, or moved by N days with their times kept; refused,
writing nothing, when a session would leave the event's dates."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.errors import InvalidInput
from bimtek.events.models import Session
from bimtek.events.services import save_session
from bimtek.events.session_batch import edit_sessions
from bimtek.extensions import db
from tests import factories
from tests.conftest import login
from tests.factories import make_event

START = date(2026, 3, 2)


@pytest.fixture
def week(app):
    """Four days (2–5 March), two sessions on the first day and one on the second."""
    event = make_event("GESER26", start=START)

    save_session(
        event,
        {
            "title": "Simulasi",
            "day": START + timedelta(days=1),
            "start_time": "13:00",
            "end_time": "15:00",
            "room": "Aula",
        },
    )
    db.session.commit()
    return event


def _sessions(event):
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Session).where(Session.event_id == event.id).order_by(Session.id)
        )
    )


def test_move_by_days_keeps_local_times(week):
    first, second, third = _sessions(week)
    times = [(s.local_start.time(), s.local_end.time()) for s in (first, second, third)]
    edit_sessions(week, [first.id, third.id], shift_days="2", actor=None)
    db.session.commit()
    first, second, third = _sessions(week)
    assert first.local_day == START + timedelta(days=2)
    assert third.local_day == START + timedelta(days=3)
    assert second.local_day == START  # not chosen: untouched
    assert [(s.local_start.time(), s.local_end.time()) for s in (first, second, third)] == times
    entries = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "session.update").order_by(AuditLog.id)
    ).all()[-2:]
    assert {e.target_id for e in entries} == {first.id, third.id}
    assert all(e.details["batch"] for e in entries)
    assert entries[0].details["before"]["starts_at"] != entries[0].details["after"]["starts_at"]


def test_one_room_for_all(week):
    edit_sessions(week, [], room="  Ruang   Mahakam ", everything=True, actor=None)
    db.session.commit()
    assert {s.room for s in _sessions(week)} == {"Ruang Mahakam"}


def test_a_move_past_the_events_dates_is_refused_and_writes_nothing(week):
    before = [(s.starts_at, s.room) for s in _sessions(week)]
    with pytest.raises(InvalidInput) as caught:
        edit_sessions(week, [], shift_days=3, room="Aula B", everything=True, actor=None)
    message = caught.value.fields["shift_days"]
    assert "Simulasi" in message and "06-03-2026" in message
    with pytest.raises(InvalidInput) as caught:
        edit_sessions(week, [], shift_days=-1, everything=True, actor=None)
    assert "01-03-2026" in caught.value.fields["shift_days"]
    db.session.rollback()
    assert [(s.starts_at, s.room) for s in _sessions(week)] == before
    updates = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "session.update"))
    assert not [e for e in updates if e.details.get("batch")]


def test_nothing_chosen_or_nothing_to_change_or_foreign_ids(week):
    other = make_event("LAIN26", start=START)
    with pytest.raises(InvalidInput) as caught:
        edit_sessions(week, [], room="Aula", actor=None)
    assert "session_ids" in caught.value.fields
    with pytest.raises(InvalidInput) as caught:
        edit_sessions(week, [week.sessions[0].id], actor=None)
    assert "room" in caught.value.fields
    with pytest.raises(InvalidInput) as caught:
        edit_sessions(week, [other.sessions[0].id], room="Aula", actor=None)
    assert "session_ids" in caught.value.fields
    with pytest.raises(InvalidInput) as caught:
        edit_sessions(week, [week.sessions[0].id], shift_days="dua", actor=None)
    assert "shift_days" in caught.value.fields


# ------------------------------------------------------------------------------- page


def test_the_page_moves_chosen_sessions(client, week):
    manager = factories.make_staff("manager", "jadwal@bimtek.local", event=week)
    login(client, manager.email)
    url = f"/admin/kegiatan/{week.code}/sesi/ubah-sekaligus"
    modules = client.get(f"/admin/kegiatan/{week.code}/materi").get_data(as_text=True)
    assert url in modules
    page = client.get(url)
    assert page.status_code == 200 and "Semua sesi" in page.get_data(as_text=True)
    first = _sessions(week)[0]
    bad = client.post(url, data={"session_id": [first.id], "shift_days": "9"})
    assert bad.status_code == 422
    assert "di luar tanggal kegiatan" in bad.get_data(as_text=True)
    assert f"/admin/kegiatan/{week.code}/ubah#f-start_date" in bad.get_data(as_text=True)
    done = client.post(url, data={"session_id": [first.id], "shift_days": "1", "room": "R2"})
    assert done.status_code == 302
    moved = _sessions(week)[0]
    assert moved.local_day == START + timedelta(days=1) and moved.room == "R2"
    done = client.post(url, data={"all": "1", "room": "Aula Utama"})
    assert done.status_code == 302
    assert {s.room for s in _sessions(week)} == {"Aula Utama"}
