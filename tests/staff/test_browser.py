"""In headless Chromium at 1366×768 and on a 360 px phone: an administrator creates a staff
account and assigns it, a manager adds panitia to their event, a token is made and revoked."""

import re

import pytest

from bimtek.auth import tokens
from bimtek.extensions import db
from tests import factories
from tests.conftest import log_in, screenshot, watch_console, wider_than

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}  # the real forms, tokens included


@pytest.fixture
def laptop(page_at):
    return page_at(1366, 768)


def test_admin_creates_assigns_and_resets_a_staff_account(laptop, live_server, event, admin):
    page = laptop
    problems = watch_console(page)
    factories.make_staff("manager", "manajer@bimtek.local", event=event)
    log_in(page, live_server.url, admin.email)
    page.get_by_role("link", name="Staf", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/staf$"))
    screenshot(page, "staff-index-1366")
    page.get_by_role("link", name="Akun staf baru").click()
    page.get_by_label("Nama lengkap").fill("Rina Wulandari")
    page.get_by_label("Email (untuk masuk)").fill("rina@bimtek.local")
    page.get_by_role("button", name="Buat akun").click()
    password = page.locator("#password").inner_text()
    assert len(password) >= 10
    screenshot(page, "staff-created-1366")
    page.get_by_role("link", name=re.compile("Sudah dicatat")).click()
    page.get_by_label("Kegiatan").select_option("UJI24")
    page.get_by_label("Hak").select_option("panitia")
    page.get_by_role("button", name="Tugaskan").click()
    assert "kini panitia UJI24" in page.locator(".flash-success").inner_text()
    screenshot(page, "staff-account-1366")
    page.get_by_role("button", name="Reset kata sandi").click()
    assert page.locator("#password").inner_text() != password
    page.goto(f"{live_server.url}/admin/staf")
    assert "rina@bimtek.local" in page.locator("#staff-accounts").inner_text()
    assert problems == []


def test_manager_adds_panitia_to_their_event(laptop, live_server, event):
    page = laptop
    manager = factories.make_staff("manager", "manajer@bimtek.local", event=event)
    factories.make_staff("panitia", "meja1@bimtek.local")
    log_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{event.code}/staf")
    page.get_by_label("Email akun staf").fill("meja1@bimtek.local")
    page.get_by_role("button", name="Tugaskan").click()
    page.wait_for_url(re.compile(r"/staf$"))
    assert "meja1@bimtek.local" in page.locator("#event-staff").inner_text()
    page.get_by_label("Email akun staf").fill("tidakada@bimtek.local")
    page.get_by_role("button", name="Tugaskan").click()
    assert "Tidak ada akun staf aktif" in page.locator(".flash-error").inner_text()
    screenshot(page, "staff-event-1366")


def test_tokens_on_a_phone(phone, live_server, event, admin):
    page = phone
    desk = factories.make_staff("panitia", event=event)
    tokens.issue_api_token(desk, "Pemindai meja 2")
    db.session.commit()
    log_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/admin/token-api")
    page.get_by_label(re.compile("Nama token")).fill("Tablet pendaftaran")
    page.get_by_role("button", name="Buat token").click()
    plain = page.locator("#token-plain").inner_text()
    assert plain.startswith("bmt_")
    screenshot(page, "staff-tokens-360")
    assert not (too_wide := wider_than(page)), too_wide
    page.locator("#my-tokens").get_by_role("button", name="Cabut").click()
    assert "dicabut" in page.locator(".flash-success").inner_text()
    page.goto(f"{live_server.url}/admin/staf")
    screenshot(page, "staff-index-360")
    assert not (too_wide := wider_than(page)), too_wide
    page.goto(f"{live_server.url}/admin/staf/{desk.id}")
    screenshot(page, "staff-account-360")
    assert not (too_wide := wider_than(page)), too_wide
    page.goto(f"{live_server.url}/admin/kegiatan/{event.code}/staf")
    screenshot(page, "staff-event-360")
    assert not (too_wide := wider_than(page)), too_wide
