"""The check-in desk on a 360 × 740 phone: it fits, taps are big enough, every lookup starts
from a blank answer; offline through a reload; a walk-in; logging out forgets the roster."""

import gzip

import pytest
import sqlalchemy as sa
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from bimtek.extensions import db
from bimtek.participants.models import Participant
from tests import factories
from tests.attendance.test_browser import (  # noqa: F401 (fixtures)
    app_config,
    open_desk,
    rows,
    scan,
)
from tests.conftest import screenshot, wider_than

pytestmark = pytest.mark.browser

SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    '#desk button, #desk a.button, #desk input, #desk select, #desk summary'))
  .filter(e => e.offsetParent !== null && e.type !== 'checkbox' && e.type !== 'hidden')
  .map(e => [e.id || e.className || e.textContent.trim(), e.getBoundingClientRect()])
  .filter(([name, box]) => box.height < 44 || box.width < 44)
  .map(([name, box]) => name + ' ' + Math.round(box.width) + 'x' + Math.round(box.height))"""


@pytest.fixture
def crowd(event, running):
    """A long session title and long names, as at a real Bimtek."""
    running.title = (
        "Mitigasi Konflik Pemilihan dan Penanganan Pelanggaran Administrasi Pemilu Tingkat "
        "Kecamatan"
    )
    db.session.commit()
    names = [
        "Drs. H. Muhammad Nur'aini Syamsuddin Al-Banjari, S.Pd., M.Si.",
        "AKP Rahmat Hidayatullah Kusumawardhana, S.H., M.H.",
        "Siti Aminah",
        "Budi Santoso",
        "Dr. Ir. Hj. Sîtî Rahmawati, M.T.",
        "Andi Pratama",
        "Yohanes Kristianto",
        "Nyoman Sukadana",
        "Ketut Ariawan",
        "Wayan Sudarsana",
    ]
    return [
        factories.make_participant(
            event,
            full_name=name,
            institution="Panitia Pemilihan Kecamatan Sangatta Utara Kabupaten Kutai Timur",
        )
        for name in names
    ]


def test_desk_fits_a_phone_and_each_lookup_starts_blank(
    phone, live_server, event, running, crowd, panitia
):
    page = phone
    open_desk(page, live_server, event, running, panitia)
    assert not (too_wide := wider_than(page)), too_wide
    assert page.evaluate(SMALL_TARGETS) == []
    box = page.locator("#scan-go").bounding_box()
    assert box["x"] + box["width"] <= 360 and box["height"] >= 44
    screenshot(page, "desk-phone-online")

    for person in crowd[:4]:
        scan(page, person.ticket_code)
        page.wait_for_selector(f"#answer.answer-ok >> text={person.full_name}")
    assert not (too_wide := wider_than(page)), too_wide
    undo = page.locator("#recent li", has_text="Budi Santoso").locator("button.undo")
    box = undo.bounding_box()
    assert box["x"] + box["width"] <= 360 and box["height"] >= 44
    screenshot(page, "desk-phone-hit")

    # a search that finds nobody: a clear miss, not the last person's green card
    page.fill("#scan-input", "zzzzzz")
    page.press("#scan-input", "Enter")
    page.wait_for_selector("#answer.answer-miss")
    assert "Tidak ditemukan" in page.inner_text("#answer")
    assert "Budi" not in page.inner_text("#answer")
    assert page.is_hidden("#results")
    screenshot(page, "desk-phone-miss")

    # the apostrophe and the title do not matter; the results fit too
    page.fill("#scan-input", "nuraini")
    page.press("#scan-input", "Enter")
    page.wait_for_selector("#result-list .result >> text=Nur'aini")
    assert "answer-ok" not in page.get_attribute("#answer", "class")
    assert not (too_wide := wider_than(page)), too_wide
    assert page.evaluate(SMALL_TARGETS) == []

    scan(page, "ZZZZZZZZZZZZZZZZ")
    page.wait_for_selector("#answer.answer-bad >> text=Tiket tidak dikenal")

    undo.click()
    undo.click()
    page.wait_for_selector("#answer >> text=Check-in dibatalkan")
    assert len(rows()) == 3


def test_offline_through_a_reload_ten_check_ins_sync_once(
    phone, live_server, event, running, crowd, panitia
):
    page = phone
    open_desk(page, live_server, event, running, panitia)
    page.wait_for_selector("#desk[data-offline=ready]")
    ids = {p.id for p in crowd}

    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#desk[data-offline=ready]")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    tti = page.evaluate(
        "performance.getEntriesByName('desk-ready')[0].startTime"
    )  # navigation start -> the input usable
    print(f"\ndesk reload offline: input usable after {tti:.0f} ms")
    screenshot(page, "desk-phone-offline-reload")

    for person in crowd[:5]:  # by ticket code
        scan(page, person.ticket_code)
        page.wait_for_selector(f"#answer.answer-queued >> text={person.full_name}")
    scan(page, crowd[0].ticket_code)  # scanned twice: said, not queued again
    page.wait_for_selector("#answer.answer-already")
    by_name = ["andi pratama", "yohanes", "nyoman", "ketut", "wayan sudarsana"]
    for typed, person in zip(by_name, crowd[5:], strict=True):
        page.fill("#scan-input", typed)
        page.press("#scan-input", "Enter")
        page.locator("#result-list li", has_text=person.full_name).locator("button.pick").click()
        page.wait_for_selector(f"#answer.answer-queued >> text={person.full_name}")
    page.fill("#scan-input", "nuraini")  # found offline by the same rules as online
    page.press("#scan-input", "Enter")
    page.wait_for_selector("#result-list li >> text=Menunggu dikirim")
    page.wait_for_selector("#queue-note >> text=10 menunggu dikirim")
    screenshot(page, "desk-phone-offline-queued")
    assert rows() == []

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#queue-note", state="hidden", timeout=20_000)
    stored = rows()
    assert len(stored) == 10
    assert {r.participant_id for r in stored} == ids
    assert all(r.session_id == running.id for r in stored)


def test_walk_in_at_the_desk_on_a_phone(phone, live_server, event, running, panitia):
    page = phone
    open_desk(page, live_server, event, running, panitia)
    data = factories.registration_data(full_name="Rina Datang Langsung", email="rina@contoh.id")
    page.click("#walk-in summary")
    for name in ("full_name", "nik", "institution", "job_title", "phone", "email"):
        page.fill(f"#wi-{name}", data[name])
    page.select_option("#wi-gender", data["gender"])
    page.select_option("#wi-institution_category", data["institution_category"])
    page.click("#walk-in-form button[type=submit]")
    page.wait_for_selector("#wi-error-consent")  # consent is asked, as on the form
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 0
    page.check("#walk-in-form input[name=consent]")
    page.click("#walk-in-form button[type=submit]")
    page.wait_for_selector("#answer.answer-ok >> text=Rina Datang Langsung")
    link = page.locator("#answer a.ticket-link")
    assert link.get_attribute("href").endswith(".pdf")
    assert data["nik"] not in page.inner_text("#desk")
    assert not (too_wide := wider_than(page)), too_wide
    expect(page.locator("#c-checked_in")).to_have_text("1")
    screenshot(page, "desk-phone-walk-in")
    assert len(rows()) == 1


def test_logout_forgets_the_roster_and_the_offline_desk(
    phone, live_server, event, running, crowd, panitia
):
    page = phone
    open_desk(page, live_server, event, running, panitia)
    page.wait_for_selector("#desk[data-offline=ready]")
    scope = page.get_attribute("#desk", "data-device-scope")
    assert page.evaluate("caches.keys()") == [f"bimtek-desk:{scope}"]
    with page.expect_navigation():
        page.click("form[data-logout] button")
    page.wait_for_function("async () => (await caches.keys()).length === 0")
    registrations = "async () => (await navigator.serviceWorker.getRegistrations()).length"
    page.wait_for_function(f"async () => ({registrations})() === 0")
    assert page.evaluate("localStorage.length") == 0
    page.context.set_offline(True)  # nothing is left to serve the desk without the network
    with pytest.raises(PlaywrightError):
        page.goto(f"{live_server.url}/kegiatan/{event.code}/check-in")


def test_desk_page_weight(phone, live_server, event, running, crowd, panitia):
    """What the desk loads: the page, its files and the roster (printed for the record)."""
    page = phone
    open_desk(page, live_server, event, running, panitia)
    page.wait_for_selector("#desk[data-offline=ready]")
    urls = page.evaluate(
        """() => [location.href].concat(performance.getEntriesByType('resource')
             .map(e => e.name).filter(u => !u.includes('/status')))"""
    )
    raw = zipped = 0
    for url in dict.fromkeys(urls):
        body = page.request.get(url).body()
        raw += len(body)
        zipped += len(gzip.compress(body))
    print(f"\ndesk page weight: {raw} bytes, {zipped} bytes gzip ({len(set(urls))} files)")
    assert raw > 0
