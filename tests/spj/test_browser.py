"""In Chromium with CSRF on: on a 360 px phone a manager sets the rates, takes a session
photo with the camera input, and sees the day's total in words; on a laptop a manager
produces the SPJ of the demo's finished batch and downloads it."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from bimtek.core.timeutil import utcnow
from bimtek.demo import load_demo
from bimtek.extensions import db
from bimtek.spj import dokumentasi
from tests import factories
from tests.conftest import log_in, screenshot, watch_console, wider_than
from tests.spj.helpers import jpeg_with_exif

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_a_manager_on_a_phone_sets_rates_and_adds_a_photo(
    phone, live_server, two_days, event, manager, tmp_path
):
    problems = watch_console(phone)
    log_in(phone, live_server.url, manager.email)
    base = f"{live_server.url}/admin/kegiatan/{event.code}/spj"
    phone.goto(f"{base}/uang")
    phone.get_by_label("Uang saku · Semua peserta").fill("150.000")
    phone.get_by_label("Uang transport · Semua peserta").fill("100000")
    phone.get_by_role("button", name="Simpan tarif").click()
    phone.wait_for_load_state()
    assert "Tarif disimpan." in phone.content()
    assert "Tujuh ratus lima puluh ribu rupiah" in phone.content()
    screenshot(phone, "spj-money-phone")
    phone.goto(f"{base}/dokumentasi")
    picture = tmp_path / "IMG_0001.jpg"
    picture.write_bytes(jpeg_with_exif())
    first = phone.locator("form[enctype='multipart/form-data']").first
    first.locator("input[type=file]").set_input_files(str(picture))
    first.get_by_label("Keterangan foto").fill("Pembukaan")
    first.get_by_role("button", name="Unggah foto").click()
    phone.wait_for_load_state()
    assert "Foto disimpan." in phone.content()
    assert phone.locator("figure img").count() == 1
    screenshot(phone, "spj-photos-phone")
    assert [len(g.photos) for g in dokumentasi.photos_by_session(event)][0] == 1
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert problems == []
    assert width <= 360 + 1, f"the page scrolls sideways: {width}px"


def test_a_manager_produces_the_spj_of_the_demos_finished_batch(desktop, live_server):
    event, _created = load_demo(participant_count=12)
    manager = factories.make_staff("manager", "spj-demo@bimtek.local", event=event)
    db.session.commit()
    problems = watch_console(desktop)
    log_in(desktop, live_server.url, manager.email)
    desktop.goto(f"{live_server.url}/admin/kegiatan/{event.code}/spj")
    desktop.get_by_role("button", name="Siapkan SPJ (PDF)").click()
    download_link = desktop.get_by_role("link", name="Unduh")
    download_link.wait_for(timeout=120_000)
    screenshot(desktop, "spj-demo-ready-1280")
    with desktop.expect_download() as waiting:
        download_link.click()
    data = Path(waiting.value.path()).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 10
    cover = reader.pages[0].extract_text().replace("\n", " ")
    assert "BADAN KESATUAN BANGSA DAN POLITIK" in cover
    assert problems == []


def test_a_treasurer_on_a_phone_bills_an_agency_and_records_its_payment_after_the_event(
    phone, live_server
):
    """The demo's finished batch is locked: a new tagihan asks a reason, the payment that
    arrives after the Bimtek does not (360 px, no sideways scroll outside the table)."""
    event, _created = load_demo(participant_count=12)
    manager = factories.make_staff("manager", "bendahara@bimtek.local", event=event)
    db.session.commit()
    problems = watch_console(phone)
    log_in(phone, live_server.url, manager.email)
    phone.goto(f"{live_server.url}/admin/kegiatan/{event.code}/spj/kontribusi")
    unbilled = phone.locator("tr", has=phone.get_by_role("button", name="Buat tagihan")).first
    unbilled.get_by_label("Alasan koreksi").fill("Tagihan susulan untuk instansi yang terlewat")
    unbilled.get_by_role("button", name="Buat tagihan").click()
    phone.wait_for_load_state()
    unpaid = phone.locator("tr", has=phone.get_by_role("button", name="Catat pembayaran")).first
    assert unpaid.get_by_label("Alasan koreksi").count() == 0
    receipts = phone.get_by_role("link", name="Kuitansi").count()
    # the tagihan is dated the event's local today (WITA), a day ahead of UTC after 16:00
    unpaid.get_by_label("Tanggal bayar").fill(event.local(utcnow()).date().isoformat())
    unpaid.get_by_label("Keterangan").fill("Transfer Bank Kaltimtara")
    unpaid.get_by_role("button", name="Catat pembayaran").click()
    phone.wait_for_load_state()
    assert phone.locator(".flash-error, .error-summary").count() == 0
    assert phone.get_by_role("link", name="Kuitansi").count() == receipts + 1
    screenshot(phone, "spj-kontribusi-paid-phone")
    assert problems == []
    assert not (too_wide := wider_than(phone)), too_wide
