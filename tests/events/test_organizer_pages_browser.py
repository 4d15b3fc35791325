"""The clone checklist and the bulk edit of sessions in Chromium at 360 px (managers use
them from a phone too): nothing wider than the screen, "Semua sesi" ticks every box."""

from datetime import date

import pytest

from bimtek.events.cloning import clone_event
from bimtek.extensions import db
from tests import factories
from tests.conftest import log_in, screenshot, watch_console, wider_than

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def copy(app):
    source = factories.make_event(
        "ANGK1", start=date(2026, 3, 2), description="Angkatan pertama di Hotel Harris, Samarinda"
    )
    for session in source.sessions:
        session.room = "Ballroom Harris"
    admin = factories.make_staff("admin", "salin-browser@bimtek.local")
    data = {"code": "ANGK2", "title": "", "start_date": "2026-04-06", "end_date": "2026-04-09"}
    event = clone_event(source, data, actor=admin)
    db.session.commit()
    return event


def test_checklist_and_bulk_sessions_at_360px(phone, live_server, copy):
    page = phone
    errors = watch_console(page)
    manager = factories.make_staff("manager", "kelola-browser@bimtek.local", event=copy)
    log_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{copy.code}/periksa-salinan")
    assert "0 dari 6 sudah diperiksa" in page.inner_text("main")
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "clone-review-phone")
    page.locator("#butir-rooms a.button").tap()
    page.wait_for_url("**/sesi/ubah-sekaligus")
    page.locator("#f-all").tap()
    assert page.locator("input[name=session_id]:checked").count() == len(copy.sessions)
    page.fill("#f-room", "Aula Kantor Bupati")
    page.fill("#f-shift_days", "1")
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "sessions-batch-phone")
    with page.expect_navigation():
        page.locator("#sessions-batch button[type=submit]").tap()
    assert "2 sesi diubah" in page.inner_text("main")
    page.goto(f"{live_server.url}/admin/kegiatan/{copy.code}/periksa-salinan")
    assert "1 dari 6 sudah diperiksa" in page.inner_text("main")  # rooms changed
    with page.expect_navigation():
        page.locator("#butir-signatories button[type=submit]").tap()
    assert "2 dari 6 sudah diperiksa" in page.inner_text("main")
    screenshot(page, "clone-review-phone-after")
    assert errors == []
