"""The team page's import on a phone (360 px), with CSRF on: upload, preview, confirm."""

import pytest
from playwright.sync_api import expect

from bimtek.events.contributors import contributors_of
from tests.certificates.test_browser import sign_in
from tests.conftest import screenshot, wider_than
from tests.events.test_contributor_import import team_xlsx

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_manager_imports_the_team_on_a_phone(live_server, phone, event, manager, tmp_path):
    path = tmp_path / "tim.xlsx"
    path.write_bytes(
        team_xlsx(
            [
                ["narasumber", "Prof. Dr. Ir. Hj. Nurul Hidayati Kusumaningrum, M.Sc., Ph.D."]
                + ["Universitas Mulawarman", "197505172000031001", "nurul@unmul.ac.id", "M1"],
                ["panitia", "Rina Wati", "Smart Academy", "", "", ""],
                ["moderator", "Siti", "", "", "bukan-email", "M9"],
            ]
        )
    )
    page = phone
    sign_in(page, live_server, manager.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{event.code}/tim")
    page.locator("#team-import-form").get_by_label("Berkas Excel (.xlsx)").set_input_files(
        str(path)
    )
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "team-import-upload")
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("#valid-count")).to_have_text("2")
    expect(page.locator("#invalid-count")).to_have_text("1")
    expect(page.locator("#problems")).to_contain_text("'M9' tidak ada")
    expect(page.locator("#problems")).to_contain_text("Alamat email tidak valid.")
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "team-import-preview")
    page.get_by_role("button", name="Tambahkan 2 orang").click()
    expect(page.locator(".flash-success")).to_contain_text("2 orang ditambahkan dari tim.xlsx")
    assert not (too_wide := wider_than(page)), too_wide
    assert {c.name for c in contributors_of(event)} == {
        "Prof. Dr. Ir. Hj. Nurul Hidayati Kusumaningrum, M.Sc., Ph.D.",
        "Rina Wati",
    }
