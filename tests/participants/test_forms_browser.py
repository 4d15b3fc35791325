"""On a 360 px phone in Chromium: a rejected registration shows what to fix at the top,
focused, each line leading to its field; the home page says until when one can register
and where to check a certificate."""

import pytest
from playwright.sync_api import expect

from tests.conftest import screenshot, wider_than
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _fits(page):
    assert not (too_wide := wider_than(page)), too_wide


def test_a_rejected_registration_leads_to_the_bad_fields(phone, live_server, event):
    page = phone
    page.goto(f"{live_server.url}/kegiatan/{event.code}/daftar")
    page.get_by_label("Nama lengkap").fill("Hj. Siti Aminah, S.Pd")
    page.locator("#nik").fill("6408 0117")  # too short
    page.locator("#phone").fill("12345")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#registration-form button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(page.locator(".error-summary li").count())
    expect(summary.locator('a[href="#nik"]')).to_be_visible()
    _fits(page)
    screenshot(page, "registration-error-summary-phone")
    screenshot(page, "registration-error-summary-top", full_page=False)
    summary.locator('a[href="#phone"]').click()
    expect(page.locator("#phone")).to_be_focused()
    expect(page.locator("#phone")).to_be_in_viewport()
    expect(page.locator("#phone")).to_have_attribute("aria-invalid", "true")


def test_home_page_on_a_phone(phone, live_server, event):
    page = phone
    page.goto(f"{live_server.url}/")
    expect(page.locator(".registration-until").first).to_contain_text("Pendaftaran sampai")
    expect(
        page.locator("footer").get_by_role("link", name="Cek keaslian sertifikat")
    ).to_be_visible()
    _fits(page)
    screenshot(page, "home-phone")
