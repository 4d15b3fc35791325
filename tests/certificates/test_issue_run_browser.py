"""Issuing for all in Chromium (CSRF on): the manager clicks "Terbitkan" at 1366 px and
watches the progress page fill in and finish; the same page on a phone (360 px) and without
JavaScript (it refreshes itself)."""

import time

import pytest
from playwright.sync_api import expect

from bimtek.certificates import issuing
from bimtek.certificates.models import CertificateSettings
from bimtek.extensions import db
from tests import factories
from tests.certificates.conftest import sign
from tests.conftest import log_in, screenshot, watch_console, wider_than

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "CERT_ISSUE_CHUNK": 2}


@pytest.fixture
def eligible(five_sessions, manager):
    sign(five_sessions)
    settings = db.session.get(CertificateSettings, five_sessions.id)
    settings.min_attendance_percent, settings.post_test_required = 0, False
    people = [
        factories.make_participant(five_sessions, full_name=name)
        for name in (
            "Dr. H. M. Agus Hari Kesuma, M.Si",
            "Nguyễn Thị Ánh",
            "Siti Rahmawati, S.Sos.",
            "AKP Budi Santoso, S.H.",
            "Ni Luh Putu Ayu Kartika",
        )
    ]
    db.session.commit()
    return people


@pytest.fixture
def manager(five_sessions):
    return factories.make_staff("manager", "manager.sertifikat@bimtek.local", event=five_sessions)


@pytest.fixture
def slow_signing(monkeypatch):
    """Each chunk takes a moment, so the page is seen under way."""

    real = issuing.sign_issued

    def slow(event, certificates, signer):
        time.sleep(0.4)
        return real(event, certificates, signer)

    monkeypatch.setattr(issuing, "sign_issued", slow)


def test_the_manager_issues_for_all_and_watches_it_finish(
    live_server, page_at, five_sessions, manager, eligible, slow_signing
):
    page = page_at(1366, 860)
    problems = watch_console(page)
    log_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{five_sessions.code}/sertifikat")
    page.get_by_role("link", name="Terbitkan untuk semua yang memenuhi syarat (5)…").click()
    page.get_by_role("button", name="Ya, terbitkan 5 sertifikat").click()
    expect(page.get_by_role("heading", name="Penerbitan sertifikat")).to_be_visible()
    expect(page.locator("#run-lines tr.run-issued").first).to_be_visible(timeout=30_000)
    url = page.url
    screenshot(page, "issue-run-1366-under-way")

    phone = page_at(360, 740, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(phone, live_server.url, manager.email)
    phone.goto(url)
    expect(phone.get_by_role("heading", name="Penerbitan sertifikat")).to_be_visible()

    expect(page.locator("[data-run=state]")).to_have_text("Selesai.", timeout=60_000)
    expect(page.locator("[data-run=issued]")).to_have_text("5")
    expect(page.locator("#run-lines tr.run-issued")).to_have_count(5)
    for seq in range(1, 6):
        expect(page.locator("#run-lines")).to_contain_text(f"{seq:03d}/BIMTEK-SERT24/")
    expect(page.locator("#run-lines")).to_contain_text("Nguyễn Thị Ánh")
    screenshot(page, "issue-run-1366-done")
    assert problems == []

    phone.reload()
    expect(phone.locator("[data-run=state]")).to_have_text("Selesai.")
    assert not (too_wide := wider_than(phone)), too_wide
    screenshot(phone, "issue-run-360-done")

    page.get_by_role("link", name="‹ Sertifikat").click()
    expect(page.get_by_text("Penerbitan sertifikat sedang berjalan")).to_have_count(0)
    expect(page.get_by_role("link", name="Sudah terbit (5)")).to_be_visible()


def test_without_javascript_the_page_refreshes_until_done(
    live_server, page_at, five_sessions, manager, eligible, slow_signing
):
    page = page_at(1366, 860, java_script_enabled=False)
    log_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{five_sessions.code}/sertifikat/terbitkan")
    page.get_by_role("button", name="Ya, terbitkan 5 sertifikat").click()
    expect(page.get_by_role("heading", name="Penerbitan sertifikat")).to_be_visible()
    expect(page.locator("[data-run=state]")).to_have_text("Selesai.", timeout=60_000)
    expect(page.locator("#run-lines tr.run-issued")).to_have_count(5)
