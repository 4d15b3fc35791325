"""Certificate pages in Chromium with CSRF on: the admin issues all and revokes one, the
participant downloads theirs on a phone, the public verifies by QR link and by code."""

import pytest
from playwright.sync_api import expect

from bimtek.certificates import issuing, queries
from bimtek.certificates.models import Certificate
from bimtek.extensions import db
from tests import factories
from tests.certificates.conftest import attend, qualify
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def sign_in(page, live_server, identifier):
    page.goto(f"{live_server.url}/masuk")
    page.fill("#identifier", identifier)
    page.fill("#password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")  # not the language switch in the top bar


def test_admin_issues_revokes_and_public_verifies(
    live_server, desktop, phone, five_sessions, admin
):
    people = [
        factories.make_participant(five_sessions, full_name=name)
        for name in ("Dr. H. M. Agus Hari Kesuma, M.Si", "Nguyễn Thị Ánh", "Budi Lambat")
    ]
    qualify(five_sessions, people[0])
    qualify(five_sessions, people[1])
    attend(five_sessions, people[2], 3)

    page = desktop
    sign_in(page, live_server, admin.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{five_sessions.code}/sertifikat")
    expect(page.get_by_text("kehadiran 60% < 80%")).to_be_visible()
    screenshot(page, "certificates-admin-before")
    page.get_by_role("link", name="Terbitkan untuk semua yang memenuhi syarat (2)…").click()
    expect(page.get_by_role("heading", name="Terbitkan 2 sertifikat?")).to_be_visible()
    expect(page.locator("main")).to_contain_text("001/BIMTEK-SERT24/XII/2026")
    expect(page.locator("main")).to_contain_text("002/BIMTEK-SERT24/XII/2026")
    screenshot(page, "certificates-confirm-issue")
    page.get_by_role("button", name="Ya, terbitkan 2 sertifikat").click()
    expect(page.locator("[data-run=state]")).to_have_text("Selesai.", timeout=30_000)
    expect(page.locator("#run-lines")).to_contain_text("002/BIMTEK-SERT24/XII/2026")
    page.get_by_role("link", name="‹ Sertifikat").click()
    screenshot(page, "certificates-admin-issued")

    page.locator("details.cert-revoke summary").first.click()
    page.locator("details.cert-revoke input[name=reason]").first.fill("Nama salah ketik")
    page.get_by_role("button", name="Cabut sertifikat").first.click()
    expect(page.locator(".flash-success")).to_contain_text("dicabut")

    page.goto(f"{live_server.url}/admin/kegiatan/{five_sessions.code}/sertifikat/pengaturan")
    expect(page.locator("#f-number_format")).to_have_value(
        "{seq:03d}/BIMTEK-{code}/{month_roman}/{year}"
    )
    page.fill("#f-min_post_score", "70")
    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.locator(".flash-success")).to_contain_text("disimpan")
    screenshot(page, "certificates-settings")

    db.session.rollback()
    revoked = db.session.scalar(db.select(Certificate).where(Certificate.revoked_at.is_not(None)))
    valid = db.session.scalar(db.select(Certificate).where(Certificate.revoked_at.is_(None)))
    phone.goto(f"{live_server.url}/verify/{valid.verification_code}")
    expect(phone.locator(".cert-valid")).to_be_visible()
    expect(phone.locator(".cert-name")).to_have_text(valid.name)
    screenshot(phone, "certificates-verify-valid")
    phone.goto(f"{live_server.url}/verify/{revoked.verification_code}")
    expect(phone.locator(".cert-revoked")).to_contain_text("DICABUT")
    expect(phone.locator(".cert-name")).to_have_text(revoked.name)
    expect(phone.get_by_text("Nama salah ketik")).to_have_count(0)  # no reason in public
    screenshot(phone, "certificates-verify-revoked")
    phone.goto(f"{live_server.url}/verify")
    screenshot(phone, "certificates-verify-form")
    phone.fill("#f-kode", valid.verification_code.lower())
    phone.get_by_role("button", name="Periksa").click()
    expect(phone.locator(".cert-valid")).to_be_visible()
    # the most visible number, typed as people type it
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name="Cek keaslian sertifikat").first.click()
    phone.fill("#f-kode", " " + valid.number.lower().replace("-", " - ") + " ")
    phone.get_by_role("button", name="Periksa").click()
    expect(phone.locator(".cert-valid")).to_be_visible()
    expect(phone.locator(".cert-name")).to_have_text(queries.masked_name(valid.name))
    screenshot(phone, "certificates-verify-by-number")


def test_participant_downloads_on_a_phone(live_server, phone, five_sessions):
    person = factories.make_participant(five_sessions, full_name="Siti Rahmawati")
    qualify(five_sessions, person)

    issuing.issue(person)
    db.session.commit()
    sign_in(phone, live_server, person.nik)
    phone.goto(f"{live_server.url}/portal")
    phone.get_by_role("link", name="Sertifikat", exact=True).click()
    expect(phone.locator(".flash-success")).to_contain_text("sudah terbit")
    screenshot(phone, "certificates-mine")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Unduh sertifikat (PDF)").click()
    assert download.value.suggested_filename.endswith("Siti_Rahmawati.pdf")
