"""The check-in desk in Chromium, with CSRF on as in real use: scan, repeat, unknown ticket,
search, pick, undo, izin/sakit, and the offline queue that syncs when the network returns."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from bimtek.attendance import checkin
from bimtek.attendance.models import Attendance
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from tests import factories
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def running(event):
    """Make the first session run now (started five minutes ago) so scans are on time."""
    session = event.sessions[0]
    session.starts_at = utcnow() - timedelta(minutes=5)
    session.ends_at = utcnow() + timedelta(hours=2)
    db.session.commit()
    return session


@pytest.fixture
def people(event):
    return {
        "siti": factories.make_participant(
            event,
            full_name="Siti Aminah",
            institution="Bawaslu Kutai Timur",
            institution_category="bawaslu",
        ),
        "rahmat": factories.make_participant(
            event,
            full_name="AKP Rahmat Hidayat, S.H.",
            institution="Polres Kutai Timur",
            institution_category="polri",
        ),
        "budi": factories.make_participant(event, full_name="Budi Santoso"),
    }


def rows():
    db.session.rollback()  # see what the server committed
    return db.session.scalars(sa.select(Attendance).order_by(Attendance.id)).all()


def open_desk(page, live_server, event, session, panitia):
    page.goto(f"{live_server.url}/masuk")
    page.fill("#identifier", panitia.email)
    page.fill("#password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")  # not the language switch in the top bar
    page.goto(f"{live_server.url}/kegiatan/{event.code}/check-in?sesi={session.id}")
    page.wait_for_selector("#scan-input:focus")


def scan(page, text):
    page.fill("#scan-input", text)
    page.press("#scan-input", "Enter")


def test_scan_repeat_search_undo_and_sakit(desktop, live_server, event, running, people, panitia):
    page = desktop
    open_desk(page, live_server, event, running, panitia)

    scan(page, people["siti"].ticket_code.lower())  # scanners may type lower case
    page.wait_for_selector("#answer.answer-ok")
    assert "Hadir" in page.inner_text("#answer")
    assert "Siti Aminah" in page.inner_text("#answer")
    assert "Bawaslu" in page.inner_text("#answer")
    assert page.inner_text("#c-checked_in") == "1"
    assert page.inner_text("#c-expected") == "3"
    assert page.evaluate("document.activeElement.id") == "scan-input"

    scan(page, people["siti"].ticket_code)
    page.wait_for_selector("#answer.answer-already")
    first = rows()[0]
    local = event.local(first.checked_in_at).strftime(
        "%H.%M"
    )  # as Indonesians write it, as the rest of the page
    assert f"Sudah check-in {local}" in page.inner_text("#answer")
    screenshot(page, "attendance-desk-already")

    scan(page, "ZZZZZZZZZZZZZZZZ")
    page.wait_for_selector("#answer.answer-bad")
    assert "Tiket tidak dikenal" in page.inner_text("#answer")

    scan(page, "rahmat")
    page.wait_for_selector("#result-list .result")
    assert "AKP Rahmat Hidayat" in page.inner_text("#result-list")
    page.click("#result-list button.pick")
    page.wait_for_selector("#answer.answer-ok >> text=AKP Rahmat Hidayat, S.H.")
    expect(page.locator("#c-checked_in")).to_have_text("2")
    assert len(rows()) == 2

    undo = page.locator("#recent li", has_text="Rahmat").locator("button.undo")
    undo.click()
    assert undo.inner_text() == "Yakin batalkan?"
    undo.click()
    page.wait_for_selector("#answer >> text=Check-in dibatalkan")
    expect(page.locator("#c-checked_in")).to_have_text("1")
    assert [r.participant_id for r in rows()] == [people["siti"].id]

    page.fill("#scan-input", "Budi")  # live search while typing
    page.wait_for_selector("#result-list button.excuse")
    page.click("#result-list button.excuse")
    page.select_option("#excuse-status", "sakit")
    page.fill("#excuse-note", "Surat dokter")
    page.click("#excuse-form button[type=submit]")
    expect(page.locator("#c-sakit")).to_have_text("1")
    sick = [r for r in rows() if r.participant_id == people["budi"].id]
    assert sick[0].status == "sakit" and sick[0].note == "Surat dokter"
    screenshot(page, "attendance-desk")


def test_offline_scans_wait_and_sync_once(phone, live_server, event, running, people, panitia):
    page = phone
    open_desk(page, live_server, event, running, panitia)
    assert page.is_hidden("#queue-note")

    page.context.set_offline(True)
    before = utcnow()
    scan(page, people["siti"].ticket_code)
    page.wait_for_selector("#answer.answer-queued")
    scan(page, people["rahmat"].ticket_code)
    page.wait_for_selector("#queue-note >> text=2 menunggu dikirim")
    screenshot(page, "attendance-desk-offline")
    assert rows() == []
    page.wait_for_timeout(1500)  # the network stays down for a while

    back = utcnow()
    page.context.set_offline(False)
    page.wait_for_selector("#queue-note", state="hidden")
    expect(page.locator("#c-checked_in")).to_have_text("2")
    stored = rows()
    assert sorted(r.participant_id for r in stored) == sorted(
        [people["siti"].id, people["rahmat"].id]
    )
    for row in stored:
        # the scan's own time, not the time it reached the server
        assert before - timedelta(seconds=1) <= row.checked_in_at < back
        assert row.scan_id and row.created_at >= back - timedelta(seconds=1)
    queue = f"bimtek.checkin.queue:{panitia.id}:{event.code}"  # one per account and event
    assert page.evaluate(f"localStorage.getItem({queue!r})") == "[]"

    # the same queued scan sent again (a retry after a lost answer) counts once
    retry = page.evaluate(
        """async ([url, body]) => {
            const token = document.querySelector('meta[name=csrf-token]').content;
            const r = await fetch(url, {method: 'POST', credentials: 'same-origin',
              headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
              body: JSON.stringify(body)});
            return [r.status, (await r.json()).already];
        }""",
        [
            f"/kegiatan/{event.code}/check-in/{running.id}/scan",
            {"code": people["siti"].ticket_code, "scan_id": stored[0].scan_id},
        ],
    )
    assert retry == [200, True]
    assert len(rows()) == 2


def test_post_without_csrf_header_is_refused(desktop, live_server, event, running, people, panitia):
    page = desktop
    open_desk(page, live_server, event, running, panitia)
    status = page.evaluate(
        """async (url) => (await fetch(url, {method: 'POST', credentials: 'same-origin',
             headers: {'Content-Type': 'application/json'}, body: '{"code": "X"}'})).status""",
        f"/kegiatan/{event.code}/check-in/{running.id}/scan",
    )
    assert status == 400
    assert rows() == []


def test_recap_and_documents_look_right(desktop, live_server, event, running, people, panitia):

    checkin.check_in(running, people["siti"].ticket_code, actor=panitia)
    checkin.mark_excused(running, people["budi"], "izin", "Tugas kantor", actor=panitia)
    db.session.commit()
    page = desktop
    open_desk(page, live_server, event, running, panitia)
    page.goto(f"{live_server.url}/kegiatan/{event.code}/rekap-kehadiran")
    assert "Rekap Kehadiran" in page.inner_text("h1")
    assert "Siti Aminah" in page.inner_text("table.recap-table")
    screenshot(page, "attendance-recap")
    response = page.request.get(
        f"{live_server.url}/kegiatan/{event.code}/sesi/{running.id}/daftar-hadir.pdf"
    )
    assert response.ok and response.headers["content-type"] == "application/pdf"


def test_camera_button_only_where_qr_can_be_read(
    desktop, live_server, event, running, people, panitia
):
    page = desktop
    page.add_init_script("delete window.BarcodeDetector;")
    open_desk(page, live_server, event, running, panitia)
    assert page.is_hidden("#camera-button")

    fake = page.context.new_page()
    fake.add_init_script(
        """window.BarcodeDetector = class {
             static getSupportedFormats() { return Promise.resolve(['qr_code']); }
             detect() { return Promise.resolve([]); }
           };"""
    )
    fake.goto(f"{live_server.url}/kegiatan/{event.code}/check-in?sesi={running.id}")
    fake.wait_for_selector("#camera-button", state="visible")


def test_a_scan_after_the_login_expired_waits_for_the_next_login(
    desktop, live_server, event, running, people, panitia
):
    page = desktop
    open_desk(page, live_server, event, running, panitia)
    page.context.clear_cookies()  # the login session is gone (expired, logged out elsewhere)
    scan(page, people["siti"].ticket_code)
    page.wait_for_selector("#answer >> text=muat ulang")
    page.wait_for_selector("#queue-note >> text=1 menunggu dikirim")
    assert rows() == []

    open_desk(page, live_server, event, running, panitia)  # log in again, back to the desk
    page.wait_for_selector("#queue-note", state="hidden")
    expect(page.locator("#c-checked_in")).to_have_text("1")
    assert [r.participant_id for r in rows()] == [people["siti"].id]


def test_participant_sees_own_attendance_on_a_phone(phone, live_server, event, running, people):

    siti = people["siti"]
    checkin.check_in(running, siti.ticket_code, actor=None)
    db.session.commit()
    page = phone
    page.goto(f"{live_server.url}/masuk")
    page.fill("#identifier", siti.nik)
    page.fill("#password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.click("text=Kehadiran saya")
    page.wait_for_selector("h1 >> text=Kehadiran saya")
    assert "Hadir" in page.inner_text(".my-sessions")
    screenshot(page, "attendance-mine-phone")


def test_counters_follow_other_desks_without_reload(
    desktop, live_server, event, running, people, panitia
):

    page = desktop
    open_desk(page, live_server, event, running, panitia)
    expect(page.locator("#c-checked_in")).to_have_text("0")
    checkin.check_in(running, people["rahmat"].ticket_code, actor=panitia, channel="api")
    db.session.commit()  # another desk (a scanner on the API) checked someone in
    expect(page.locator("#c-checked_in")).to_have_text("1", timeout=12_000)
    expect(page.locator("#recent")).to_contain_text("AKP Rahmat Hidayat")
