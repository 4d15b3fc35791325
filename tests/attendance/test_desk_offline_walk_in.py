"""The desk's roster snapshot (offline lookups), walk-ins, the service worker and logout:
services without HTTP, then the routes."""

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from bimtek.attendance import checkin, roster
from bimtek.attendance.models import Attendance
from bimtek.audit.models import AuditLog
from bimtek.core.timeutil import local_to_utc, utcnow
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.registration import DuplicateNik, EventFull
from tests import factories
from tests.conftest import login

PERSONAL = ("nik", "nip", "phone", "email")


def walk_in_data(**overrides):
    data = factories.registration_data(**overrides)
    data.pop("password", None)
    data.pop("password_confirm", None)
    return {**data, "consent": True}


def count(model):
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- services ----------------------------------------------------------------------------------


def test_roster_snapshot_has_codes_names_status_and_no_personal_data(
    event, session, person, on_time
):
    checkin.check_in(session, person.ticket_code, actor=None, now=on_time)
    cancelled = factories.make_participant(event, full_name="Budi Batal", email="b@x.id")
    cancelled.status = "cancelled"
    db.session.commit()
    snapshot = roster.roster_snapshot(event)
    entries = {p["ticket_code"]: p for p in snapshot["participants"]}
    siti = entries[person.ticket_code]
    assert siti["full_name"] == "Siti Aminah" and siti["institution"] == "Bawaslu Kutai Timur"
    assert siti["status"] == "registered" and siti["registration_number"].startswith(event.code)
    assert entries[cancelled.ticket_code]["status"] == "cancelled"
    assert snapshot["attendance"][str(session.id)] == {str(person.id): "hadir"}
    text = repr(snapshot)
    for field in PERSONAL:
        assert all(field not in entry for entry in snapshot["participants"])
    assert person.nik not in text and person.phone not in text and "b@x.id" not in text


def test_roster_expires_after_24_hours_or_the_last_day(event):

    now = utcnow()
    assert roster.roster_expiry(event, now) <= now + timedelta(hours=24)
    event.end_date = event.start_date  # a one-day event: gone at the local midnight after it
    late_evening = local_to_utc(datetime.combine(event.end_date, time(22, 0)), event.timezone)
    last_midnight = event.local(roster.roster_expiry(event, late_evening))
    assert (last_midnight.hour, last_midnight.minute) == (0, 0)
    assert last_midnight.date() == event.end_date + timedelta(days=1)


def test_walk_in_registers_and_checks_in_at_once(event, session, panitia):
    outcome, result = checkin.walk_in(
        session, walk_in_data(full_name="Datang Langsung"), actor=panitia
    )
    db.session.commit()
    person = outcome.participant
    assert person.status == "registered" and result.status in ("hadir", "terlambat")
    assert (
        db.session.scalar(
            sa.select(Attendance).where(Attendance.participant_id == person.id)
        ).session_id
        == session.id
    )
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "participant.register"))
    assert entry.channel == "desk" and entry.actor_id == panitia.id


def test_walk_in_checks_the_form_rules_and_writes_nothing_when_wrong(event, session, panitia):
    with pytest.raises(InvalidInput) as problem:
        checkin.walk_in(session, walk_in_data(nik="123"), actor=panitia)
    assert "nik" in problem.value.fields
    db.session.rollback()
    with pytest.raises(InvalidInput) as problem:
        checkin.walk_in(session, {**walk_in_data(), "consent": False}, actor=panitia)
    assert "consent" in problem.value.fields
    assert count(Participant) == 0 and count(Attendance) == 0


def test_walk_in_twice_is_a_duplicate(event, session, panitia):
    data = walk_in_data()
    checkin.walk_in(session, data, actor=panitia)
    db.session.commit()
    with pytest.raises(DuplicateNik):
        checkin.walk_in(session, data, actor=panitia)


@pytest.fixture
def full(event):
    event.capacity = 1
    db.session.commit()
    factories.make_participant(event, full_name="Sudah Ada")
    return event


def test_full_event_refuses_walk_ins_from_panitia_even_with_a_reason(full, session, panitia):
    with pytest.raises(EventFull):
        checkin.walk_in(session, walk_in_data(), actor=panitia, over_capacity_reason="VIP")
    assert count(Participant) == 1 and count(Attendance) == 0


def test_full_event_takes_a_walk_in_from_a_manager_with_a_reason(full, session, manager):
    with pytest.raises(InvalidInput) as problem:
        checkin.walk_in(session, walk_in_data(), actor=manager)
    assert "over_capacity_reason" in problem.value.fields
    db.session.rollback()
    outcome, _result = checkin.walk_in(
        session, walk_in_data(), actor=manager, over_capacity_reason="Utusan pengganti"
    )
    db.session.commit()
    assert outcome.participant.status == "registered"
    assert count(Participant) == 2 and count(Attendance) == 1
    entry = db.session.scalar(
        sa.select(AuditLog).where(
            AuditLog.action == "participant.register",
            AuditLog.target_id == outcome.participant.id,
        )
    )
    assert entry.details["over_capacity_reason"] == "Utusan pengganti"


# --- routes ------------------------------------------------------------------------------------


def test_roster_route_is_for_the_event_staff_and_never_cached(client, event, person, panitia):
    url = f"/kegiatan/{event.code}/check-in/roster.json"
    assert client.get(url).status_code == 401
    login(client, person.nik)
    assert client.get(url).status_code == 403
    client.post("/keluar")
    login(client, panitia.email)
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.get_json()
    assert body["csrf_token"] and body["event"] == event.code
    assert [p["full_name"] for p in body["participants"]] == ["Siti Aminah"]
    assert person.nik not in answer.get_data(as_text=True)
    assert person.phone not in answer.get_data(as_text=True)
    other = factories.make_event("LAIN24")
    assert client.get(f"/kegiatan/{other.code}/check-in/roster.json").status_code == 404


def test_walk_in_route_answers_without_nik_or_phone(panitia_client, event, session):
    data = walk_in_data(full_name="Rina Walk-in", email="rina@contoh.id", phone="081299990000")
    answer = panitia_client.post(f"/kegiatan/{event.code}/check-in/{session.id}/walk-in", json=data)
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["participant"]["full_name"] == "Rina Walk-in"
    assert body["ticket_url"].endswith(".pdf") and body["emailed"] is True
    text = answer.get_data(as_text=True)
    assert data["nik"] not in text and "081299990000" not in text and "rina@contoh.id" not in text
    assert panitia_client.get(body["ticket_url"]).headers["Content-Type"] == "application/pdf"
    assert count(Attendance) == 1


def test_walk_in_route_bad_input_is_422_with_fields(panitia_client, event, session):
    answer = panitia_client.post(
        f"/kegiatan/{event.code}/check-in/{session.id}/walk-in", json={"full_name": "X"}
    )
    assert answer.status_code == 422
    assert "nik" in answer.get_json()["error"]["fields"]
    assert count(Participant) == 0


def test_walk_in_route_in_a_full_event(full, client, session, panitia, manager):
    url = f"/kegiatan/{full.code}/check-in/{session.id}/walk-in"
    login(client, panitia.email)
    answer = client.post(url, json={**walk_in_data(), "over_capacity_reason": "VIP"})
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "event_full"
    client.post("/keluar")
    login(client, manager.email)
    answer = client.post(url, json={**walk_in_data(), "over_capacity_reason": "Pengganti"})
    assert answer.status_code == 201


def test_service_worker_is_served_for_the_desks_scope(client):
    answer = client.get("/kegiatan/desk-sw.js")
    assert answer.status_code == 200
    assert answer.mimetype == "text/javascript"
    assert answer.headers["Cache-Control"] == "no-cache"
    assert "bimtek-desk" in answer.get_data(as_text=True)


def test_desk_page_offers_offline_and_walk_in(panitia_client, event):
    html = panitia_client.get(f"/kegiatan/{event.code}/check-in").get_data(as_text=True)
    assert 'data-roster-url="/kegiatan/UJI24/check-in/roster.json"' in html
    assert 'data-worker-url="/kegiatan/desk-sw.js"' in html
    assert 'data-worker-scope="/kegiatan/"' in html
    assert 'id="walk-in-form"' in html
    assert "over_capacity_reason" not in html  # a manager's choice only


def test_logout_clears_what_the_browser_kept(panitia_client):
    answer = panitia_client.post("/keluar")
    assert answer.status_code == 302
    assert answer.headers["Clear-Site-Data"] == '"cache", "storage"'
