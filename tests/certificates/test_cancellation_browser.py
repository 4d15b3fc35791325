"""In Chromium with CSRF on: a manager cancels a participant who holds a certificate (the
confirmation names it, the certificate is revoked), closes and reopens the event; the
participant, on a 360 px phone, is told why they cannot cancel."""

import pytest
import sqlalchemy as sa

from bimtek.certificates import issuing
from bimtek.certificates.models import Certificate
from bimtek.extensions import db
from bimtek.participants.models import Participant
from tests import factories
from tests.certificates.conftest import qualify
from tests.conftest import log_in, screenshot, wider_than

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def holder(five_sessions):
    person = factories.make_participant(five_sessions, full_name="Hj. Nur'aini Rahmawati, S.Pd")
    qualify(five_sessions, person)
    issuing.issue(person)
    db.session.commit()
    return person


def test_participant_holding_a_certificate_is_told_on_a_phone(phone, live_server, holder):
    page, base = phone, live_server.url
    log_in(page, base, holder.nik)
    page.goto(f"{base}/portal")
    assert page.get_by_role("link", name="Batalkan pendaftaran").count() == 0
    page.goto(f"{base}/portal/{holder.id}/batal")
    page.wait_for_selector("text=Pembatalan hanya dapat dilakukan oleh pengelola")
    assert page.get_by_role("button", name="Ya, batalkan pendaftaran saya").count() == 0
    screenshot(page, "participant-cancel-refused-certificate-360")
    assert not (too_wide := wider_than(page)), too_wide
    db.session.expire_all()
    assert db.session.get(Participant, holder.id).status == "registered"


def test_manager_cancels_a_holder_and_closes_the_event(page_at, live_server, holder, admin):
    page, base = page_at(1366, 768), live_server.url
    code = holder.event.code
    number = db.session.scalar(
        sa.select(Certificate.number).where(Certificate.participant_id == holder.id)
    )
    log_in(page, base, admin.email)
    page.goto(f"{base}/admin/kegiatan/{code}/peserta/{holder.id}/batal")
    page.wait_for_selector(f"text={number}")
    screenshot(page, "manager-cancel-hold-1366")
    page.get_by_role("link", name="Lanjutkan ke pembatalan dan pencabutan…").click()
    page.wait_for_selector(f"text=Sertifikat {number}")
    page.fill("#f-reason", "Pulang sebelum penutupan")
    screenshot(page, "manager-cancel-holder-confirm-1366")
    page.get_by_role("button", name="Ya, batalkan dan cabut sertifikat").click()
    page.wait_for_selector(f"text=dan sertifikat {number} dicabut")
    screenshot(page, "manager-cancel-holder-done-1366")
    db.session.expire_all()
    certificate = db.session.scalar(
        sa.select(Certificate).where(Certificate.participant_id == holder.id)
    )
    assert certificate.revoke_reason == "Pulang sebelum penutupan"
    assert db.session.get(Participant, holder.id).status == "cancelled"

    page.goto(f"{base}/admin/kegiatan/{code}/ubah")
    page.get_by_role("button", name="Tutup kegiatan").click()
    page.wait_for_selector("text=Kegiatan ditutup: peserta tidak dapat lagi")
    screenshot(page, "event-closed-1366")
    page.get_by_role("button", name="Buka kembali").click()
    page.wait_for_selector("text=Kegiatan dibuka kembali.")
