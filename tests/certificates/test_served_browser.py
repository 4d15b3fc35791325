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
from tests.conftest import screenshot, wider_than
from tests.notifications.conftest import (  # noqa: F401 (mailbox and smtp_port: fixtures)
    mail_settings,
    mailbox,
    smtp_port,
    wait_for,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(monkeypatch, smtp_port):  # noqa: F811 (the fixture)
    """CSRF on, and mail to the test's SMTP server (the notifications tests' settings)."""
    return {**mail_settings(monkeypatch, smtp_port), "WTF_CSRF_ENABLED": True}


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
    assert not (too_wide := wider_than(phone)), too_wide
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
    assert not (too_wide := wider_than(phone)), too_wide
    screenshot(phone, "served-own-phone")
    with phone.expect_download() as download:
        card.get_by_role("link", name="Unduh sertifikat (PDF)").click()
    with open(download.value.path(), "rb") as f:
        assert f.read() == certificate.document


def test_a_manager_on_a_phone_adds_an_email_and_sends_the_certificate_again(
    live_server,
    phone,
    five_sessions,
    admin,
    mailbox,  # noqa: F811 (the fixture)
):
    """At 360 px: the email field of the team page, the address and "Kirim ulang" on the
    served certificates page; the message reaches the SMTP server with the signed file."""
    sign(five_sessions)
    team.add_contributor(
        five_sessions,
        {
            "role": "narasumber",
            "name": "Kombes Pol. Dr. Budi Hartono, S.I.K., M.H.",
            "module_id": str(five_sessions.modules[0].id),
        },
    )
    keys = [p.key for p in served.served_people(five_sessions, "narasumber")]
    (certificate,) = served_issuing.issue_served(five_sessions, "narasumber", keys).issued
    db.session.commit()
    sign_in(phone, live_server, admin.email)
    phone.goto(f"{live_server.url}/admin/kegiatan/{five_sessions.code}/tim")
    field = phone.get_by_label("Email Kombes Pol. Dr. Budi Hartono, S.I.K., M.H.")
    field.fill("budi.hartono@polri.go.id")
    field.press("Enter")
    expect(phone.locator(".flash-success")).to_be_visible()
    assert not (too_wide := wider_than(phone)), too_wide
    screenshot(phone, "served-email-team-phone")
    phone.goto(f"{live_server.url}/admin/kegiatan/{five_sessions.code}/sertifikat/bertugas")
    expect(phone.locator("#narasumber")).to_contain_text("budi.hartono@polri.go.id")
    phone.locator("#narasumber").get_by_role("button", name="Kirim ulang").click()
    expect(phone.locator(".flash-success")).to_be_visible()
    assert not (too_wide := wider_than(phone)), too_wide
    screenshot(phone, "served-email-resend-phone")
    (message,) = wait_for(lambda: mailbox.to("budi.hartono@polri.go.id"))
    (attachment,) = [part for part in message.iter_attachments()]
    assert attachment.get_payload(decode=True) == certificate.document
