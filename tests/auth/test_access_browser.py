"""On a 360 px phone in headless Chromium: a panitia logs out everywhere with the token box
ticked (their scanner's token stops), and a locked login pair shows its way out."""

import re

import pytest

from bimtek.auth import tokens
from bimtek.extensions import db
from tests import factories
from tests.conftest import log_in, screenshot, watch_console, wider_than

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_LOGIN": "1000 per minute",
    }


def test_panitia_logs_out_everywhere_and_revokes_tokens(phone, live_server, client, event):
    page = phone
    problems = watch_console(page)
    desk = factories.make_staff("panitia", event=event)
    _token, plain = tokens.issue_api_token(desk, "Pemindai meja 1")
    db.session.commit()
    log_in(page, live_server.url, desk.email)
    page.goto(f"{live_server.url}/kata-sandi")
    box = page.get_by_label(re.compile("Cabut juga semua token API saya"))
    assert box.is_checked()
    screenshot(page, "logout-everywhere-tokens-360")
    page.get_by_role("button", name="Keluar dari semua perangkat").click()
    page.wait_for_url(re.compile(r"/masuk"))
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get(f"/api/v1/events/{event.code}/summary", headers=headers).status_code == 401
    assert problems == []


def test_a_locked_pair_shows_the_way_out(phone, live_server, event):
    page = phone
    person = factories.make_participant(event)
    page.goto(f"{live_server.url}/masuk")
    for _ in range(6):
        page.get_by_label("Email atau NIK").fill(person.nik)
        page.get_by_label("Kata sandi").fill("bukan-sandinya")
        page.get_by_role("button", name="Masuk", exact=True).click()
    alert = page.get_by_role("alert")
    assert "dari jaringan ini" in alert.inner_text()
    assert alert.get_by_role("link", name="Lupa kata sandi").is_visible()
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "login-pair-locked-360")
