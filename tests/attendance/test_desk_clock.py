"""The desk does not trust the phone's clock, says things in words, and finds a person by the
digits of their registration number (issue 20)."""

from datetime import datetime, timedelta

import pytest

from bimtek.attendance import checkin, queries, roster
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput
from tests import factories


def desk_url(event, session, action):
    return f"/kegiatan/{event.code}/check-in/{session.id}/{action}"


def _near_now(text: str) -> bool:
    return abs(datetime.fromisoformat(text) - utcnow()) < timedelta(minutes=1)


@pytest.mark.parametrize("clock", ["not-a-time", "a-day-behind", "a-day-ahead"])
def test_a_refused_scan_time_is_said_in_words(session, person, panitia, clock):
    """A day behind is counted from the session's start, not from now: the session starts
    at 08:00 WITA today, so "now minus a day" passes or not by the time of day."""
    scanned_at = {
        "not-a-time": "kemarin",
        "a-day-behind": (session.starts_at - timedelta(days=1)).isoformat(),
        "a-day-ahead": (utcnow() + timedelta(days=1)).isoformat(),
    }[clock]
    with pytest.raises(InvalidInput) as refused:
        checkin.check_in(session, person.ticket_code, actor=panitia, scanned_at=scanned_at)
    message = refused.value.message
    assert "scanned_at" not in message and "_" not in message, message
    assert "Waktu pindaian" in message


def test_a_refused_scan_id_is_said_in_words(session, person, panitia):
    with pytest.raises(InvalidInput) as refused:
        checkin.check_in(session, person.ticket_code, actor=panitia, scan_id="bukan id!")
    assert "scan_id" not in refused.value.message


def test_desk_answers_tell_the_server_time(panitia_client, event, session, person):
    """The desk measures its clock's offset from every answer; an online scan sends no time
    and is stamped with the server's."""
    scan = panitia_client.post(desk_url(event, session, "scan"), json={"code": person.ticket_code})
    assert scan.status_code == 201
    body = scan.get_json()
    assert _near_now(body["server_time"])
    assert _near_now(body["checked_in_at"])
    status = panitia_client.get(desk_url(event, session, "status")).get_json()
    assert _near_now(status["server_time"])
    snapshot = panitia_client.get(f"/kegiatan/{event.code}/check-in/roster.json").get_json()
    assert _near_now(snapshot["server_time"])


def test_the_roster_snapshot_tells_the_server_time_even_for_a_fixed_now(event):
    taken = roster.roster_snapshot(event, now=utcnow() - timedelta(hours=3))
    assert _near_now(taken["server_time"])


@pytest.fixture
def twelve(event):
    return [factories.make_participant(event, full_name=f"Peserta {n:02d}") for n in range(12)]


def test_the_registration_numbers_digits_find_the_person(event, session, twelve):
    seventh = next(p for p in twelve if p.registration_number == 7)
    for typed in ("7", "07", "0007", f"{event.code}-0007", f"{event.code.lower()}-7", " 7 "):
        found = queries.find_participants(event, typed, session)
        assert found and found[0][0] is seventh, typed
    assert queries.find_participants(event, "0", session) == []
    assert queries.find_participants(event, "a", session) == []


def test_the_desk_search_finds_by_registration_digits(panitia_client, event, session, twelve):
    eleventh = next(p for p in twelve if p.registration_number == 11)
    found = panitia_client.get(desk_url(event, session, "search") + "?q=11").get_json()
    assert found["results"][0]["participant"]["id"] == eleventh.id
    found = panitia_client.get(desk_url(event, session, "search") + "?q=3").get_json()
    assert found["results"][0]["participant"]["registration_number"] == f"{event.code}-0003"
