"""In headless Chromium: upload a participant list, read the preview, import; the dashboard
on a tablet at the desk (1024×768) and on a phone (360 wide), with its live refresh."""

import re

import pytest

from tests.conftest import log_in, screenshot, watch_console
from tests.participants.sheets import person_row, xlsx_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}  # the real forms, tokens included


def test_upload_preview_and_import(desktop, live_server, event, admin):
    page = desktop
    problems = watch_console(page)
    log_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{event.code}/impor")
    rows = [
        person_row(full_name="Hj. Siti Aminah, S.Sos"),
        person_row(full_name="Bripka Andi Saputra"),
        person_row(phone="1234"),
    ]
    page.get_by_label("Berkas Excel (.xlsx)").set_input_files(
        files=[
            {
                "name": "peserta-kpu.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": xlsx_bytes(rows),
            }
        ]
    )
    screenshot(page, "reports-import-upload")
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_url(re.compile(r"/impor/[A-Za-z0-9_-]{32}$"))
    assert page.locator("#valid-count").inner_text() == "2"
    assert page.locator("#invalid-count").inner_text() == "1"
    problem = page.locator("#problems tbody tr").first
    assert problem.get_attribute("data-row") == "4"
    assert "H (Nomor HP)" in problem.inner_text()
    screenshot(page, "reports-import-preview")
    page.get_by_role("button", name="Impor 2 baris valid").click()
    page.wait_for_url(re.compile(r"/kegiatan/UJI24/peserta$"))
    assert "2 peserta diimpor" in page.locator(".flash-success").inner_text()
    assert page.get_by_text("Hj. Siti Aminah, S.Sos").is_visible()
    assert problems == []


def test_a_bad_file_is_explained(desktop, live_server, event, admin):
    page = desktop
    log_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{event.code}/impor")
    page.get_by_label("Berkas Excel (.xlsx)").set_input_files(
        files=[{"name": "peserta.xlsx", "mimeType": "text/csv", "buffer": b"Nama,NIK\nA,1\n"}]
    )
    page.get_by_role("button", name="Periksa berkas").click()
    assert "teks/CSV" in page.locator("#import-error").inner_text()


@pytest.mark.parametrize(("width", "height", "name"), [(1024, 768, "tablet"), (360, 740, "phone")])
def test_dashboard_on_a_tablet_and_a_phone(
    page_at, live_server, busy_event, admin, width, height, name
):
    page = page_at(width, height)
    problems = watch_console(page)
    log_in(page, live_server.url, admin.email)
    with page.expect_response(re.compile(r"/ringkasan/langsung\.json$")) as live:
        page.goto(f"{live_server.url}/admin/kegiatan/{busy_event.code}/ringkasan")
    assert live.value.ok
    page.wait_for_function(
        "document.querySelector('[data-live=generated_at]').textContent.length > 0"
    )
    first = page.locator("#today [data-session]").first
    assert first.locator('[data-count="checked_in"]').inner_text() == "2"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"reports-dashboard-{name}")
    assert problems == []
