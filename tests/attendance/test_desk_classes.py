"""Classes (kelas) at the check-in desk and in the API: the offline roster carries each
person's class, so a scan at another class's session is refused on the phone with the
server's message, even offline; the desk search shows the class; the API's session and
attendance list say whose session it is and each participant's class."""

import pytest
import sqlalchemy as sa

from bimtek.attendance import roster
from bimtek.attendance.errors import not_in_class
from bimtek.attendance.models import Attendance
from bimtek.extensions import db
from bimtek.participants import classes
from tests import factories
from tests.attendance.test_browser import open_desk, scan
from tests.conftest import screenshot, wider_than

QUEUE = """() => Object.keys(localStorage).filter(k => k.startsWith('bimtek.checkin.queue:'))
  .map(k => localStorage.getItem(k))[0] || '[]'"""


@pytest.fixture
def kelas(event):
    """Kelas A (Ruang Mahakam) and Kelas B (Ruang Kelay)."""
    kelas_a = classes.save_class(event, {"name": "Kelas A", "room": "Ruang Mahakam"})
    kelas_b = classes.save_class(event, {"name": "Kelas B", "room": "Ruang Kelay"})
    db.session.commit()
    return kelas_a, kelas_b


def _in_class(event, full_name, event_class):
    person = factories.make_participant(event, full_name=full_name)
    if event_class is not None:
        classes.assign_classes(event, {person.id: event_class.id}, how="hand")
    db.session.commit()
    return person


def test_the_roster_carries_each_persons_class(event, kelas):
    kelas_a, kelas_b = kelas
    budi = _in_class(event, "Budi Santoso", kelas_b)
    tanpa = _in_class(event, "Tanpa Kelas", None)
    people = {p["id"]: p for p in roster.roster_snapshot(event)["participants"]}
    assert people[budi.id]["class_id"] == kelas_b.id
    assert people[budi.id]["class_name"] == "Kelas B"
    assert people[budi.id]["class_room"] == "Ruang Kelay"
    assert people[tanpa.id]["class_id"] is None
    assert people[tanpa.id]["class_name"] is None


def test_the_api_says_whose_session_and_each_participants_class(client, auth_headers, event, kelas):
    kelas_a, kelas_b = kelas
    plenary, for_a = event.sessions[0], event.sessions[1]
    for_a.class_id = kelas_a.id
    ani = _in_class(event, "Ani Kelas A", kelas_a)
    _in_class(event, "Tanpa Kelas", None)

    body = client.get(f"/api/v1/sessions/{for_a.id}/attendance", headers=auth_headers).get_json()
    assert body["session"]["class_name"] == "Kelas A"
    (row,) = body["attendance"]
    assert row["participant"]["id"] == ani.id
    assert row["participant"]["class_id"] == kelas_a.id
    assert row["participant"]["class_name"] == "Kelas A"

    body = client.get(f"/api/v1/sessions/{plenary.id}/attendance", headers=auth_headers).get_json()
    assert body["session"]["class_name"] is None
    by_name = {r["participant"]["full_name"]: r["participant"] for r in body["attendance"]}
    assert by_name["Ani Kelas A"]["class_name"] == "Kelas A"
    assert by_name["Tanpa Kelas"]["class_id"] is None
    assert by_name["Tanpa Kelas"]["class_name"] is None


def test_the_public_event_says_each_sessions_class(client, event, kelas):
    kelas_a, _ = kelas
    event.sessions[1].class_id = kelas_a.id
    db.session.commit()
    sessions = client.get(f"/api/v1/events/{event.code}").get_json()["sessions"]
    names = {s["id"]: s["class_name"] for s in sessions}
    assert names[event.sessions[0].id] is None
    assert names[event.sessions[1].id] == "Kelas A"


def test_the_desk_search_shows_the_class(panitia_client, event, session, kelas):
    _, kelas_b = kelas
    budi = _in_class(event, "Budi Santoso", kelas_b)
    answer = panitia_client.get(f"/kegiatan/{event.code}/check-in/{session.id}/search?q=Budi")
    (found,) = answer.get_json()["results"]
    assert found["participant"]["id"] == budi.id
    assert found["participant"]["class_name"] == "Kelas B"


@pytest.mark.browser
def test_offline_a_scan_at_another_class_is_refused_on_the_phone(
    phone, live_server, event, running, kelas, panitia
):
    kelas_a, kelas_b = kelas
    running.class_id = kelas_a.id
    db.session.commit()
    budi = _in_class(event, "Budi Santoso, S.Sos.", kelas_b)
    ani = _in_class(event, "Ani Lestari", kelas_a)
    tanpa = _in_class(event, "Tono Tanpa Kelas", None)
    page = phone
    open_desk(page, live_server, event, running, panitia)
    page.wait_for_selector("#desk[data-offline=ready]")
    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")

    scan(page, budi.ticket_code)
    page.wait_for_selector("#answer.answer-bad")
    answer = page.inner_text("#answer")
    assert not_in_class(running, budi).message in answer  # the server's very words
    assert (
        "Bukan kelasnya: sesi ini khusus Kelas A, sedangkan Budi Santoso, S.Sos. di Kelas B "
        "(Ruang Kelay). Arahkan ke sesi kelasnya."
    ) in answer
    assert page.evaluate(QUEUE) == "[]"
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "kelas-desk-offline-not-their-class-360")

    scan(page, tanpa.ticket_code)
    page.wait_for_selector("#answer.answer-bad >> text=Tono Tanpa Kelas")
    assert not_in_class(running, tanpa).message in page.inner_text("#answer")
    assert (
        "Bukan kelasnya: sesi ini khusus Kelas A, sedangkan Tono Tanpa Kelas belum masuk kelas "
        "mana pun. Minta pengelola kegiatan memasukkannya ke kelas."
    ) in page.inner_text("#answer")
    assert page.evaluate(QUEUE) == "[]"

    # the search shows each person's class, offline too
    page.fill("#scan-input", "Budi")
    page.press("#scan-input", "Enter")
    page.wait_for_selector("#result-list li >> text=Kelas B")
    screenshot(page, "kelas-desk-offline-search-360")

    scan(page, ani.ticket_code)  # her own class's session: queued as ever
    page.wait_for_selector("#answer.answer-queued >> text=Ani Lestari")
    assert not (too_wide := wider_than(page)), too_wide
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0
