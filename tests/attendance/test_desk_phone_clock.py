"""The desk on a 360 px phone whose clock is a day behind (issue 20): online check-ins take the
server's time; offline, the page says so, waiting scans are counted and listed as waiting
with full names, and they are sent with the phone's time corrected by the offset measured
at the last answer. The registration number's digits find the person, online and offline."""

import json
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from bimtek.core.timeutil import utcnow
from tests.attendance.test_browser import (  # noqa: F401 (fixtures)
    app_config,
    open_desk,
    rows,
    scan,
)
from tests.attendance.test_desk_phone import crowd  # noqa: F401 (fixture)
from tests.conftest import screenshot, wider_than

pytestmark = pytest.mark.browser

QUEUE = """() => Object.keys(localStorage).filter(k => k.startsWith('bimtek.checkin.queue:'))
  .map(k => localStorage.getItem(k))[0] || '[]'"""
CUT_NAMES = """() => Array.from(document.querySelectorAll('#recent .recent-name'))
  .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""


def _near_now(moment, slack=timedelta(minutes=2)) -> bool:
    return abs(moment - utcnow()) < slack


def test_a_phone_a_day_behind_checks_in_online_and_queues_corrected_times(
    phone,
    live_server,
    event,
    running,
    crowd,  # noqa: F811
    panitia,
):
    page = phone
    page.clock.install(time=utcnow() - timedelta(days=1))  # the phone's own clock
    assert page.evaluate("new Date().getTime()") == pytest.approx(
        (utcnow() - timedelta(days=1)).timestamp() * 1000, abs=120_000
    )
    open_desk(page, live_server, event, running, panitia)
    page.wait_for_selector("#desk[data-offline=ready]")
    assert page.is_hidden("#net-note")

    first, second, third = crowd[1], crowd[3], crowd[0]
    scan(page, first.ticket_code)
    page.wait_for_selector(f"#answer.answer-ok >> text={first.full_name}")
    assert "Gagal" not in page.inner_text("#answer")
    (row,) = rows()
    assert _near_now(row.checked_in_at) and row.status == "hadir"
    screenshot(page, "desk-clock-online")

    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#desk[data-offline=ready]")
    expect(page.locator("#net-note")).to_be_visible()
    assert "Offline" in page.inner_text("#net-note")
    screenshot(page, "desk-clock-offline-reload")

    scan(page, second.ticket_code)
    page.wait_for_selector(f"#answer.answer-queued >> text={second.full_name}")
    page.fill("#scan-input", str(third.registration_number))  # "1" for UJI24-0001
    page.press("#scan-input", "Enter")
    pick = page.locator("#result-list li").first
    expect(pick).to_contain_text(third.full_name)
    pick.locator("button.pick").click()
    page.wait_for_selector(f"#answer.answer-queued >> text={third.full_name}")

    # counted, and marked as waiting; full names in the list, nothing cut
    expect(page.locator("#c-checked_in")).to_have_text("3")
    expect(page.locator("#c-queued")).to_have_text("termasuk 2 menunggu dikirim")
    waiting = page.locator("#recent li.recent-queued")
    expect(waiting).to_have_count(2)
    expect(waiting.first).to_contain_text(third.full_name)
    expect(waiting.first).to_contain_text("Menunggu dikirim")
    assert page.evaluate(CUT_NAMES) == []
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "desk-clock-offline-queued")

    queued = json.loads(page.evaluate(QUEUE))
    assert len(queued) == 2
    for item in queued:  # the phone said yesterday; the desk corrected it
        assert _near_now(datetime.fromisoformat(item["body"]["scanned_at"].replace("Z", "+00:00")))
    assert len(rows()) == 1

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#queue-note", state="hidden", timeout=20_000)
    expect(page.locator("#net-note")).to_be_hidden()
    expect(page.locator("#c-queued")).to_be_hidden()
    stored = rows()
    assert {r.participant_id for r in stored} == {first.id, second.id, third.id}
    assert all(_near_now(r.checked_in_at) and r.status == "hadir" for r in stored)
    screenshot(page, "desk-clock-synced")


def test_full_names_in_the_undo_list_and_a_registration_number_by_its_digits(
    phone,
    live_server,
    event,
    running,
    crowd,  # noqa: F811
    panitia,
):
    page = phone
    open_desk(page, live_server, event, running, panitia)
    long_names = crowd[:2] + [crowd[4]]
    for person in long_names:
        scan(page, person.ticket_code)
        page.wait_for_selector(f"#answer.answer-ok >> text={person.full_name}")
    names = page.locator("#recent .recent-name").all_inner_texts()
    assert set(names) == {p.full_name for p in long_names}
    assert page.evaluate(CUT_NAMES) == []
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "desk-undo-full-names")

    wanted = crowd[6]
    page.fill("#scan-input", str(wanted.registration_number))  # typed, no Enter
    first = page.locator("#result-list li").first
    expect(first).to_contain_text(wanted.full_name)
    expect(first).to_contain_text(f"{event.code}-{wanted.registration_number:04d}")
    screenshot(page, "desk-registration-digits")
    first.locator("button.pick").click()
    page.wait_for_selector(f"#answer.answer-ok >> text={wanted.full_name}")
