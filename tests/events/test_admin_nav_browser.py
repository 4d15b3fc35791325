"""The event's tab bar: at 1366 px one row with the rest under "Lainnya"; at 360 px it
scrolls sideways with a shadow at the edge, and every tab is reached with the keyboard."""

import pytest

from tests import factories
from tests.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

TITLE = "Mitigasi dan Penanganan Konflik Sosial pada Penyelenggaraan Pilkada 2024 (Angkatan II)"


def _open(page, base, code="TAB24"):
    event = factories.make_event(code, title=TITLE)
    admin = factories.make_staff("admin", f"{code.lower()}@bimtek.local")
    log_in(page, base, admin.email)
    page.goto(f"{base}/admin/kegiatan/{event.code}/peserta")
    return event


def test_one_row_and_lainnya_at_1366(page_at, live_server):
    page, base = page_at(1366, 768), live_server.url
    event = _open(page, base)
    links = page.locator(".tabs a")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1  # no wrapping
    assert page.locator(".subnav-title").inner_text().endswith("(Angkatan II)")
    page.locator(".tabs-more summary").click()
    screenshot(page, "nav-1366-lainnya", full_page=False)
    page.locator(".tabs-more-list a", has_text="Log").click()
    page.wait_for_url(f"{base}/admin/kegiatan/{event.code}/log")
    assert "Log" in page.locator(".tabs-more summary.active").inner_text()
    screenshot(page, "nav-1366-log", full_page=False)


def test_scrolls_with_a_hint_and_the_keyboard_at_360(phone, live_server):
    page, base = phone, live_server.url
    _open(page, base, "TAB25")
    bar = page.locator(".tabs")
    assert bar.evaluate("el => el.scrollWidth > el.clientWidth")
    assert "radial-gradient" in bar.evaluate("el => getComputedStyle(el).backgroundImage")
    assert page.locator(".tabs-more summary").is_visible()
    screenshot(page, "nav-360", full_page=False)
    last = page.locator(".tabs a").last
    last.focus()
    assert bar.evaluate("el => el.scrollLeft") > 0  # the focused tab scrolled into view
    screenshot(page, "nav-360-scrolled", full_page=False)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator(".tabs-more").evaluate("el => el.open")
    page.keyboard.press("Escape")
    assert not page.locator(".tabs-more").evaluate("el => el.open")
