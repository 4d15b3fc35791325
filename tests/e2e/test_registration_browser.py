"""In headless Chromium on a 360×740 phone: register, see the ticket, log in to the portal;
and the admin finds the participant."""

import re

import pytest

from tests.conftest import screenshot, wider_than
from tests.factories import PASSWORD, make_participant, valid_nik

pytestmark = pytest.mark.browser


def fill_registration(page, *, name, nik, gender="L", phone="0812 3456 7890"):
    page.get_by_label("Nama lengkap").fill(name)
    page.get_by_label("NIK").fill(nik)
    page.get_by_label("Jenis kelamin").select_option(gender)
    page.locator("#institution").fill("Bawaslu Kabupaten Kutai Timur")
    page.get_by_label("Kategori instansi").select_option("bawaslu")
    page.get_by_label("Jabatan").fill("Panwaslu Kecamatan")
    page.get_by_label("Nomor HP").fill(phone)
    page.get_by_label("Kecamatan asal").fill("Sangatta Utara")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill(PASSWORD)
    page.get_by_label("Saya menyetujui pemrosesan data pribadi").check()


def test_register_on_a_phone_see_ticket_and_portal(phone, live_server, event):
    page = phone
    page.goto(f"{live_server.url}/kegiatan/{event.code}")
    page.get_by_role("link", name="Daftar sekarang").click()
    page.wait_for_url(re.compile(r"/daftar$"))
    screenshot(page, "registration-form-phone")
    nik = valid_nik(4242, gender="P")
    fill_registration(page, name="Hj. Siti Nur'aini, S.Sos", nik=nik, gender="P")
    page.get_by_role("button", name="Daftar", exact=True).click()
    page.wait_for_url(re.compile(r"/tiket/[A-Z0-9]{16}$"))
    assert page.locator(".ticket-name").inner_text() == "Hj. Siti Nur'aini, S.Sos"
    assert page.locator(".qr svg").is_visible()
    assert "Pendaftaran berhasil" in page.content()
    code = page.locator(".ticket-code").inner_text()
    screenshot(page, "ticket-phone")
    # the page fits the phone: nothing wider than the viewport
    assert not (too_wide := wider_than(page)), too_wide

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh tiket (PDF)").click()
    assert download.value.suggested_filename == "tiket-UJI24-0001.pdf"

    page.get_by_role("button", name="Keluar").click()
    page.goto(f"{live_server.url}/masuk")
    page.get_by_label("Email atau NIK").fill(nik)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/portal$"))
    assert "UJI24-0001" in page.content()
    page.get_by_role("link", name="Lihat tiket & QR").click()
    assert page.locator(".ticket-code").inner_text() == code
    screenshot(page, "portal-phone")


def test_form_errors_are_shown_next_to_fields(phone, live_server, event):
    page = phone
    page.goto(f"{live_server.url}/kegiatan/{event.code}/daftar")
    fill_registration(page, name="Budi", nik="1234", phone="021-555")
    page.get_by_role("button", name="Daftar", exact=True).click()
    assert page.locator(".field.has-error").count() == 2
    assert page.locator("small.error").get_by_text("NIK harus 16 digit angka.").is_visible()
    assert page.locator("small.error").get_by_text("Nomor HP harus nomor seluler").is_visible()
    assert page.get_by_label("Nama lengkap").input_value() == "Budi"  # nothing retyped
    screenshot(page, "registration-errors-phone")


def test_admin_finds_the_participant(desktop, live_server, event, admin):
    make_participant(event, full_name="Ir. Rudy Hartono Daeng Tompo")
    make_participant(event, full_name="Lain Orang")
    page = desktop
    page.goto(f"{live_server.url}/masuk")
    page.get_by_label("Email atau NIK").fill(admin.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/admin/kegiatan/{event.code}/peserta")
    page.get_by_placeholder("Cari nama").fill("rudy")
    page.get_by_role("button", name="Terapkan").click()
    rows = page.locator("table.participants tbody tr")
    assert rows.count() == 1
    assert "Ir. Rudy Hartono Daeng Tompo" in rows.first.inner_text()
    screenshot(page, "admin-participants")
