"""In headless Chromium on a 360 px phone: the consent on the form, the portal's personal
data, account claim with the ticket code, and password recovery."""

import re

import pytest

from bimtek.extensions import db
from bimtek.participants.registration import register_many
from tests import factories
from tests.conftest import screenshot, wider_than
from tests.factories import PASSWORD, registration_data, valid_nik

pytestmark = pytest.mark.browser


def _fits(page):
    assert not (too_wide := wider_than(page)), too_wide


def test_consent_then_portal_shows_personal_data(phone, live_server, event):
    page = phone
    page.goto(f"{live_server.url}/kegiatan/{event.code}/daftar")
    nik = valid_nik(4343)
    page.get_by_label("Nama lengkap").fill("Andi Daeng Ma'ruf, S.IP")
    page.get_by_label("NIK").fill(nik)
    page.get_by_label("Jenis kelamin").select_option("L")
    page.locator("#institution").fill("KPU Kabupaten Kutai Timur")
    page.get_by_label("Kategori instansi").select_option("kpu")
    page.get_by_label("Jabatan").fill("Anggota PPK")
    page.get_by_label("Nomor HP").fill("0812 3456 7890")
    page.get_by_label("Kecamatan asal").fill("Sangatta Utara")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill(PASSWORD)
    page.get_by_role("button", name="Daftar", exact=True).click()
    assert (
        page.locator("small.error")
        .get_by_text("Persetujuan pemrosesan data pribadi wajib diberikan.")
        .is_visible()
    )
    page.locator("#consent-notice").scroll_into_view_if_needed()
    screenshot(page, "registration-consent-phone")
    _fits(page)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill(PASSWORD)
    page.get_by_label("Saya menyetujui pemrosesan data pribadi").check()
    page.get_by_role("button", name="Daftar", exact=True).click()
    page.wait_for_url(re.compile(r"/tiket/[A-Z0-9]{16}$"))
    page.goto(f"{live_server.url}/portal")
    assert nik in page.locator("#data-pribadi").inner_text()
    screenshot(page, "portal-personal-data-phone")
    _fits(page)
    page.get_by_role("button", name="Keluar dari semua perangkat").click()
    page.wait_for_url(re.compile(r"/masuk$"))


def test_claim_with_ticket_code_on_a_phone(phone, live_server, event):
    person = register_many(event, [registration_data()], channel="import")[0].participant
    db.session.commit()
    page = phone
    page.goto(f"{live_server.url}/masuk")
    page.get_by_role("link", name="Aktivasi akun").click()
    page.wait_for_url(re.compile(r"/akun/aktivasi"))
    page.locator("#f-nik").fill(person.nik)
    page.get_by_label("Kode tiket atau kode aktivasi").fill("SALAH")
    page.locator("#f-password").fill("Lembayung77")
    page.locator("#f-confirm").fill("Lembayung77")
    page.get_by_role("button", name="Simpan dan masuk").click()
    assert page.locator("small.error").get_by_text("NIK atau kode tidak cocok").is_visible()
    screenshot(page, "account-claim-phone")
    _fits(page)
    page.get_by_label("Kode tiket atau kode aktivasi").fill(person.ticket_code.lower())
    page.locator("#f-password").fill("Lembayung77")
    page.locator("#f-confirm").fill("Lembayung77")
    page.get_by_role("button", name="Simpan dan masuk").click()
    page.wait_for_url(re.compile(r"/portal$"))
    assert person.full_name in page.content()


def test_recovery_page_on_a_phone(phone, live_server, registered):
    page = phone
    page.goto(f"{live_server.url}/masuk")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.wait_for_url(re.compile(r"/akun/lupa-kata-sandi"))
    screenshot(page, "password-recovery-phone")
    _fits(page)
    page.locator("#f-nik").fill(registered.nik)
    page.get_by_label("Kode tiket atau kode aktivasi").fill(registered.ticket_code)
    page.locator("#f-password").fill("Lembayung-senja")
    page.locator("#f-confirm").fill("Lembayung-senja")
    page.get_by_role("button", name="Simpan dan masuk").click()
    page.wait_for_url(re.compile(r"/portal$"))


def test_manager_prints_an_activation_code(phone, live_server, event, imported, admin):
    page = phone
    page.goto(f"{live_server.url}/masuk")
    page.get_by_label("Email atau NIK").fill(admin.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/admin/kegiatan/{event.code}/peserta/{imported.id}")
    page.get_by_role("button", name="Buat kode aktivasi akun").click()
    code = page.locator(".activation-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert page.locator(".qr svg").is_visible()
    screenshot(page, "activation-code-phone")
    _fits(page)


def test_the_409_tells_the_owner_about_the_ktp_on_a_phone(phone, live_server, registered):
    """Someone already holds this NIK's account: the registration answers what to do."""
    event = registered.event
    data = factories.registration_data(nik=registered.nik)
    page = phone
    page.goto(f"{live_server.url}/kegiatan/{event.code}/daftar")
    page.get_by_label("Nama lengkap").fill(data["full_name"])
    page.get_by_label("NIK").fill(registered.nik)
    page.get_by_label("Jenis kelamin").select_option("L")
    page.locator("#institution").fill("KPU Kabupaten Kutai Timur")
    page.get_by_label("Kategori instansi").select_option("kpu")
    page.get_by_label("Jabatan").fill("Anggota PPK")
    page.get_by_label("Nomor HP").fill("0812 3456 7890")
    page.get_by_label("Kecamatan asal").fill("Sangatta Utara")
    page.locator("#password").fill("Lembayung-77")
    page.locator("#password_confirm").fill("Lembayung-77")
    page.locator("#consent").check()
    page.get_by_role("button", name="Daftar", exact=True).click()
    page.wait_for_url(re.compile(r"/masuk"))
    assert page.get_by_text("KTP asli").is_visible()
    screenshot(page, "registration-account-exists-phone")
    _fits(page)


def test_manager_hands_an_account_back_on_a_phone(phone, live_server, event, registered, manager):
    page = phone
    page.goto(f"{live_server.url}/masuk")
    page.get_by_label("Email atau NIK").fill(manager.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/admin/kegiatan/{event.code}/peserta/{registered.id}")
    page.get_by_role("link", name="Serahkan akun ke pemilik NIK…").click()
    page.get_by_role("button", name="Serahkan akun dan buat kode aktivasi").click()
    assert page.locator("small.error").first.is_visible()
    screenshot(page, "hand-back-refused-phone")
    _fits(page)
    page.get_by_label("Alasan").fill("KTP asli diperiksa di meja panitia")
    page.get_by_label("Saya sudah memeriksa KTP asli").check()
    page.get_by_role("button", name="Serahkan akun dan buat kode aktivasi").click()
    code = page.locator(".activation-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    screenshot(page, "hand-back-code-phone")
    _fits(page)
