"""The public list on a phone: the next event on top, a finished one marked "Selesai"."""

from datetime import date, timedelta

import pytest

from tests.conftest import screenshot
from tests.factories import make_event

pytestmark = pytest.mark.browser


def test_home_on_a_phone(phone, live_server):
    today = date.today()
    make_event("LALU24", start=today - timedelta(days=20), title="Bimtek Mitigasi (Angkatan I)")
    make_event("DEPAN24", start=today + timedelta(days=7), title="Bimtek Mitigasi (Angkatan II)")
    page = phone
    page.goto(live_server.url + "/")
    cards = page.locator("article.event-card")
    assert "Angkatan II" in cards.nth(0).inner_text()
    finished = cards.nth(1)
    assert "Selesai" in finished.inner_text() and "daftar" not in finished.inner_text().lower()
    assert finished.get_by_role("link", name="Lihat kegiatan").is_visible()
    screenshot(page, "home-360")
