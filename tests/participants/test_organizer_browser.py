"""The organizer's pages in Chromium with CSRF on, as used: add a participant, cancel after
the confirmation, reactivate, correct attendance, open/close tests, read the audit log,
copy the event (1366×768); a participant cancels from the portal on a 360 px phone."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bimtek.attendance.models import Attendance
from bimtek.extensions import db
from bimtek.participants.models import Participant
from tests import factories
from tests.conftest import log_in, screenshot, wider_than

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def wide(page_at):
    return page_at(1366, 768)


def test_organizer_day(wide, live_server):
    event = factories.make_event("HARI24", start=date.today() - timedelta(days=1), capacity=1)
    admin = factories.make_staff("admin", "hari-admin@bimtek.local")
    seated = factories.make_participant(event, full_name="Siti Aminah")
    page, base = wide, live_server.url
    log_in(page, base, admin.email)

    page.goto(f"{base}/admin/kegiatan/{event.code}/peserta")
    page.get_by_role("link", name="Tambah peserta").click()
    data = factories.registration_data(full_name="Drs. Walk In Muhammad")
    for field in ("full_name", "nik", "institution", "job_title", "phone"):
        page.fill(f"#{field}", data[field])
    page.select_option("#gender", "L")
    page.select_option("#institution_category", "kpu")
    page.fill("#over_capacity_reason", "Undangan Kepala Dinas")
    screenshot(page, "organizer-add-participant-1366")
    page.get_by_role("button", name="Tambah peserta").click()
    page.wait_for_selector("text=ditambahkan sebagai peserta")
    walk_in = db.session.scalar(
        sa.select(Participant).where(Participant.full_name == "Drs. Walk In Muhammad")
    )
    assert walk_in.status == "registered"

    page.goto(f"{base}/admin/kegiatan/{event.code}/peserta/{seated.id}")
    page.get_by_role("link", name="Batalkan pendaftaran…").click()
    page.fill("#reason", "Mengundurkan diri")
    screenshot(page, "organizer-cancel-confirm-1366")
    page.get_by_role("button", name="Ya, batalkan pendaftaran").click()
    page.wait_for_selector("text=Aktifkan kembali")
    screenshot(page, "organizer-cancelled-reactivate-1366")
    page.get_by_role("button", name="Aktifkan kembali").click()
    page.wait_for_selector("text=akhir daftar tunggu")
    db.session.expire_all()
    assert db.session.get(Participant, seated.id).status == "waitlisted"  # the seats are full

    page.goto(f"{base}/kegiatan/{event.code}/rekap-kehadiran/peserta/{walk_in.id}")
    session = event.sessions[0]
    page.select_option(f"#status-{session.id}", "terlambat")
    page.fill(f"#reason-{session.id}", "Absen kertas: datang 08.40")
    page.locator(f"#sesi-{session.id} button").click()
    page.wait_for_selector("text=dikoreksi")
    screenshot(page, "organizer-attendance-correction-1366")
    row = db.session.scalar(sa.select(Attendance).where(Attendance.participant_id == walk_in.id))
    assert row.status == "terlambat" and row.checked_in_at.date() == session.starts_at.date()

    page.goto(f"{base}/admin/kegiatan/{event.code}/tes")
    page.on("dialog", lambda dialog: dialog.accept())
    screenshot(page, "organizer-tests-open-close-1366")
    # the event began yesterday: the pre-test's first day is over, the post-test is open
    page.locator("form[action$='/tes/post/tutup'] button").click()
    page.wait_for_selector("text=Post-test ditutup sekarang")
    page.locator("form[action$='/tes/pre/buka'] button").click()
    page.wait_for_selector("text=Pre-test dibuka sekarang")
    page.locator("form[action$='/tes/post/buka'] button").click()
    page.wait_for_selector("text=Pre-test masih dibuka")
    page.check("input[name=before_pre_closes]")
    screenshot(page, "organizer-tests-override-1366")
    page.locator("form[action$='/tes/post/buka'] button").click()
    page.wait_for_selector("text=Post-test dibuka sekarang")
    screenshot(page, "organizer-tests-after-1366")

    page.goto(f"{base}/admin/kegiatan/{event.code}/log")
    assert page.locator("table.audit-log tbody tr").count() >= 6
    assert seated.nik not in page.content()
    screenshot(page, "organizer-audit-log-1366")

    page.goto(f"{base}/admin/kegiatan/{event.code}/ubah")
    page.get_by_role("link", name="Salin kegiatan").click()
    page.fill("#f-code", "HARI25")
    next_start = date.today() + timedelta(days=30)
    page.fill("#f-start_date", next_start.isoformat())
    page.fill("#f-end_date", (next_start + timedelta(days=3)).isoformat())
    screenshot(page, "organizer-clone-1366")
    page.get_by_role("button", name="Salin kegiatan").click()
    page.wait_for_url(f"{base}/admin/kegiatan/HARI25/periksa-salinan")
    screenshot(page, "organizer-clone-review-1366")


def test_participant_cancels_on_a_phone(phone, live_server):
    event = factories.make_event("BATAL24", capacity=1)
    person = factories.make_participant(event, full_name="Hj. Nur'aini Rahmawati, S.Pd")
    waiting = factories.make_participant(event)
    page, base = phone, live_server.url
    log_in(page, base, person.nik)
    page.goto(f"{base}/portal")
    page.get_by_role("link", name="Batalkan pendaftaran").click()
    page.fill("#reason", "Ada tugas kantor")
    screenshot(page, "participant-cancel-360")
    assert not (too_wide := wider_than(page)), too_wide
    button = page.get_by_role("button", name="Ya, batalkan pendaftaran saya").bounding_box()
    assert button["height"] >= 44
    page.get_by_role("button", name="Ya, batalkan pendaftaran saya").click()
    page.wait_for_selector("text=Pendaftaran Anda dibatalkan")
    screenshot(page, "participant-cancelled-portal-360")
    db.session.expire_all()
    assert db.session.get(Participant, person.id).status == "cancelled"
    assert db.session.get(Participant, waiting.id).status == "registered"
