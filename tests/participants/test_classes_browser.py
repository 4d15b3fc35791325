"""Classes (kelas) in Chromium with CSRF on: a manager creates two classes, assigns them by
institution category and sets a session's class (1366×768); the desk on a 360 px phone says
clearly that a scanned person is not in this session's class."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.attendance.models import Attendance
from bimtek.core.timeutil import utcnow
from bimtek.events.models import EventClass
from bimtek.extensions import db
from bimtek.participants import classes
from bimtek.participants.models import Participant
from tests import factories
from tests.attendance.test_browser import open_desk, scan
from tests.conftest import log_in, screenshot, wider_than

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def running(event):
    """The first session runs now (started five minutes ago)."""
    session = event.sessions[0]
    session.starts_at = utcnow() - timedelta(minutes=5)
    session.ends_at = utcnow() + timedelta(hours=2)
    db.session.commit()
    return session


def test_manager_sets_up_classes(page_at, live_server, event, manager):
    page, base = page_at(1366, 768), live_server.url
    for category, name in (("kpu", "Ani KPU"), ("kpu", "Agus KPU"), ("polri", "Rudi Polri")):
        factories.make_participant(event, full_name=name, institution_category=category)
    log_in(page, base, manager.email)

    page.goto(f"{base}/admin/kegiatan/{event.code}/materi")
    page.get_by_role("link", name="Kelas", exact=True).first.click()
    for name, room in (("Kelas A", "Ruang Mahakam"), ("Kelas B", "Ruang Kelay")):
        page.fill("#f-name", name)
        page.fill("#f-room", room)
        page.get_by_role("button", name="Buat kelas").click()
        page.wait_for_selector("text=Kelas dibuat.")
    page.fill("#f-name", "kelas a")
    page.get_by_role("button", name="Buat kelas").click()
    page.wait_for_selector("text=Sudah ada kelas bernama Kelas A.")
    kelas_a, kelas_b = db.session.scalars(sa.select(EventClass).order_by(EventClass.name)).all()

    page.select_option("#f-category_kpu", label="Kelas A")
    page.select_option("#f-category_polri", label="Kelas B")
    screenshot(page, "kelas-by-category-1366")
    page.get_by_role("button", name="Terapkan per kategori").click()
    page.wait_for_selector("text=3 peserta dipindahkan ke kelas menurut kategori instansi.")
    screenshot(page, "kelas-list-1366")
    db.session.expire_all()
    placed = dict(db.session.execute(sa.select(Participant.full_name, Participant.class_id)).all())
    assert placed == {"Ani KPU": kelas_a.id, "Agus KPU": kelas_a.id, "Rudi Polri": kelas_b.id}
    assert "2" in page.locator("#class-list tr", has_text="Kelas A").inner_text()

    page.get_by_role("link", name="Atur peserta per kelas").click()
    page.locator("tr", has_text="Agus KPU").locator("select").select_option(label="Kelas B")
    page.get_by_role("button", name="Simpan kelas").click()
    page.wait_for_selector("text=Kelas 1 peserta diubah.")
    screenshot(page, "kelas-members-1366")
    assert not (too_wide := wider_than(page, 1366)), too_wide

    session = event.sessions[1]
    page.goto(f"{base}/admin/kegiatan/{event.code}/sesi/{session.id}")
    page.get_by_label("Kelas", exact=True).select_option(label="Kelas A · Ruang Mahakam")
    screenshot(page, "kelas-session-form-1366")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_selector("text=Tersimpan.")
    db.session.expire_all()
    assert db.session.get(type(session), session.id).class_id == kelas_a.id
    assert page.locator("tr", has_text=session.title).locator(".badge").inner_text() == "Kelas A"

    page.goto(f"{base}/admin/kegiatan/{event.code}/kelas/{kelas_a.id}")
    page.get_by_role("button", name="Hapus kelas").click()
    page.wait_for_selector("text=Kelas A tidak dapat dihapus")
    screenshot(page, "kelas-delete-refused-1366")


def test_the_desk_says_not_their_class_on_a_phone(phone, live_server, event, running, panitia):
    kelas_a = classes.save_class(event, {"name": "Kelas A", "room": "Ruang Mahakam"})
    kelas_b = classes.save_class(event, {"name": "Kelas B", "room": "Ruang Kelay"})
    running.class_id = kelas_a.id
    budi = factories.make_participant(event, full_name="Budi Santoso, S.Sos.")
    classes.assign_classes(event, {budi.id: kelas_b.id}, how="hand")
    db.session.commit()
    page = phone
    open_desk(page, live_server, event, running, panitia)
    assert "khusus Kelas A" in page.inner_text(".session-meta")
    scan(page, budi.ticket_code)
    page.wait_for_selector("#answer.answer-bad")
    answer = page.inner_text("#answer")
    assert "Bukan kelasnya" in answer and "Kelas B" in answer and "Budi Santoso" in answer
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "kelas-desk-not-their-class-360")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0
