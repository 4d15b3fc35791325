"""The served certificates in Chromium with CSRF on: the manager enters a narasumber,
chooses and issues on the certificates page; the public verifies it on a phone (360 px)."""

import pytest
from playwright.sync_api import expect

from bimtek.certificates import served, served_issuing
from bimtek.certificates.models import Certificate
from bimtek.events import contributors as team
from bimtek.extensions import db
from tests import factories
from tests.certificates.conftest import sign
from tests.certificates.test_browser import sign_in
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_manager_enters_issues_and_the_public_sees_the_role(
    live_server, desktop, phone, five_sessions, admin
):
    sign(five_sessions)
    page = desktop
    sign_in(page, live_server, admin.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{five_sessions.code}/tim")
    page.select_option("#f-role", "narasumber")
    page.fill("#f-name", "Prof. Dr. Ir. Hj. Nurul Hidayati Kusumaningrum, M.Sc., Ph.D.")
    page.fill("#f-institution", "Universitas Mulawarman")
    page.select_option("#f-module_id", str(five_sessions.modules[0].id))
    page.get_by_role("button", name="Tambah", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("ditambahkan")
    screenshot(page, "served-contributors")
    page.goto(f"{live_server.url}/admin/kegiatan/{five_sessions.code}/sertifikat/bertugas")
    expect(page.locator("#narasumber")).to_contain_text("Universitas Mulawarman")
    screenshot(page, "served-before")
    page.locator("#narasumber").get_by_role("button", name="Terbitkan untuk yang dipilih").click()
    expect(page.locator(".flash-success")).to_contain_text("1 sertifikat diterbitkan")
    expect(page.locator("#narasumber")).to_contain_text(f"001/BIMTEK-{five_sessions.code}/NS/")
    screenshot(page, "served-issued")

    code = db.session.scalars(db.select(Certificate.verification_code)).one()
    phone.goto(f"{live_server.url}/verify/{code}")
    expect(phone.locator(".cert-role")).to_have_text("Narasumber")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(phone, "served-verify-phone")


def test_a_panitia_member_downloads_their_certificate_on_a_phone(
    live_server, phone, five_sessions, admin
):

    sign(five_sessions)
    member = factories.make_staff("panitia", event=five_sessions)
    member.full_name = "Dra. Hj. Rina Kartikasari Wulandari, M.Si."
    team.add_staff_as_panitia(five_sessions)
    keys = [p.key for p in served.served_people(five_sessions, "panitia")]
    (certificate,) = served_issuing.issue_served(five_sessions, "panitia", keys).issued
    db.session.commit()
    sign_in(phone, live_server, member.email)
    phone.get_by_role("link", name="Sertifikat saya").click()
    card = phone.locator(f"[data-certificate='{certificate.id}']")
    expect(card).to_contain_text(certificate.number)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "served-own-phone")
    with phone.expect_download() as download:
        card.get_by_role("link", name="Unduh sertifikat (PDF)").click()
    with open(download.value.path(), "rb") as f:
        assert f.read() == certificate.document
