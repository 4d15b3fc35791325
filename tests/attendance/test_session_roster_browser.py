"""The session roster in Chromium, CSRF on: keys H/T/I/S/A and arrows on a laptop; big
buttons under a thumb at 360 px; without JavaScript, radio buttons and a submit."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bimtek.attendance.models import Attendance
from bimtek.audit.models import AuditLog
from bimtek.extensions import db
from tests import factories
from tests.conftest import log_in, screenshot, watch_console, wider_than

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def past(app):
    return factories.make_event("KERTAS24", start=date.today() - timedelta(days=3))


@pytest.fixture
def people(past):
    names = ["Andi Saputra", "Budi Santoso", "Citra Lestari", "Dewi Kartika", "Eko Prasetyo"]
    return [
        factories.make_participant(past, full_name=name, institution="KPU Kutai Timur")
        for name in names
    ]


@pytest.fixture
def manager(past):
    return factories.make_staff("manager", "roster-browser@bimtek.local", event=past)


def _statuses(session):
    db.session.rollback()  # see what the server committed
    return dict(
        db.session.execute(
            sa.select(Attendance.participant_id, Attendance.status).where(
                Attendance.session_id == session.id
            )
        ).all()
    )


def _open(page, live_server, past, manager):
    log_in(page, live_server.url, manager.email)
    session = past.sessions[0]
    page.goto(f"{live_server.url}/kegiatan/{past.code}/rekap-kehadiran/sesi/{session.id}")
    return session


def test_keyboard_on_a_laptop(desktop, live_server, past, people, manager):
    page = desktop
    errors = watch_console(page)
    session = _open(page, live_server, past, manager)
    page.focus(f"input[name=status-{people[0].id}][value=alpa]")
    page.keyboard.press("h")  # Andi: hadir, moves to Budi
    page.keyboard.press("t")  # Budi: terlambat, moves to Citra
    page.keyboard.press("ArrowDown")  # skip Citra
    page.keyboard.press("s")  # Dewi: sakit, moves to Eko
    page.keyboard.press("ArrowUp")  # back to Dewi
    page.keyboard.press("ArrowUp")  # Citra
    page.keyboard.press("i")  # Citra: izin
    assert page.inner_text("#roster-count") == "4 perubahan"
    assert page.locator(".roster-row.changed").count() == 4
    screenshot(page, "roster-laptop")
    page.click("#roster-form button[type=submit]")  # reason missing: the browser asks for it
    assert _statuses(session) == {}
    page.fill("#roster-reason", "Daftar hadir kertas hari 1")
    with page.expect_navigation():
        page.click("#roster-form button[type=submit]")
    assert "4 perubahan kehadiran disimpan" in page.inner_text("main")
    assert _statuses(session) == {
        people[0].id: "hadir",
        people[1].id: "terlambat",
        people[2].id: "izin",
        people[3].id: "sakit",
    }
    entries = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "attendance.correct")
    ).all()
    assert len(entries) == 4
    assert errors == []


def test_thumb_at_360px(phone, live_server, past, people, manager):
    page = phone
    errors = watch_console(page)
    session = _open(page, live_server, past, manager)
    assert not (too_wide := wider_than(page)), too_wide
    button = page.locator(f"input[name=status-{people[1].id}][value=hadir]").locator("..")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    page.locator("#roster-rest-present").tap()  # everyone not yet marked: hadir
    page.locator(f"input[name=status-{people[1].id}][value=sakit]").locator("..").tap()
    assert page.inner_text("#roster-count") == "5 perubahan"
    screenshot(page, "roster-phone", full_page=False)
    page.fill("#roster-reason", "Kertas")
    screenshot(page, "roster-phone-full")
    with page.expect_navigation():
        page.locator("#roster-form button[type=submit]").tap()
    statuses = _statuses(session)
    assert statuses[people[1].id] == "sakit"
    assert [statuses[p.id] for p in people if p != people[1]] == ["hadir"] * 4
    screenshot(page, "roster-phone-saved", full_page=False)
    assert errors == []


def test_without_javascript(browser, live_server, past, people, manager):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", java_script_enabled=False
    )
    try:
        page = context.new_page()
        session = _open(page, live_server, past, manager)
        assert page.locator("#roster-rest-present").is_hidden()
        page.check(f"input[name=status-{people[4].id}][value=izin]")
        page.fill("#roster-reason", "Surat izin")
        with page.expect_navigation():
            page.click("#roster-form button[type=submit]")
        assert _statuses(session) == {people[4].id: "izin"}
        screenshot(page, "roster-nojs")
    finally:
        context.close()
