"""Reads never write: certificate pages and queries leave the database as they found it."""

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import Session

from bimtek.certificates import issuing, numbering, queries, rules
from bimtek.certificates.models import CertificateSettings
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from tests import factories
from tests.certificates.conftest import qualify
from tests.conftest import login


@pytest.fixture
def writes():
    """Every flush and commit of any session while the test runs."""
    seen = []

    def flushed(session, _context):
        seen.append(("flush", sorted(type(o).__name__ for o in session.new | session.dirty)))

    def committed(session):
        seen.append(("commit", None))

    sa.event.listen(Session, "after_flush", flushed)
    sa.event.listen(Session, "after_commit", committed)
    yield seen
    sa.event.remove(Session, "after_flush", flushed)
    sa.event.remove(Session, "after_commit", committed)


def test_settings_of_a_new_event_are_the_defaults_and_not_stored(five_sessions):
    settings = queries.get_settings(five_sessions)
    assert settings.min_attendance_percent == 80
    assert settings.post_test_required is True
    assert settings.last_seq == 0
    assert settings.signatories == []
    assert settings not in db.session
    db.session.flush()
    assert db.session.get(CertificateSettings, five_sessions.id) is None


def test_admin_pages_of_a_new_event_write_nothing(admin_client, five_sessions, writes):
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    for path in (base, base + "/terbitkan", base + "/pengaturan", base + "/contoh.pdf"):
        assert admin_client.get(path).status_code == 200, path
    assert writes == []
    assert db.session.get(CertificateSettings, five_sessions.id) is None


def test_pages_with_issued_certificates_write_nothing(client, five_sessions, writes):
    person = factories.make_participant(five_sessions, full_name="Siti Rahmawati")
    qualify(five_sessions, person)
    certificate = issuing.issue(person)
    db.session.commit()
    login(client, person.nik)
    writes.clear()
    for path in (
        f"/portal/peserta/{person.id}/sertifikat",
        f"/portal/peserta/{person.id}/sertifikat.pdf",
        f"/verify/{certificate.verification_code}",
        f"/verify?kode={certificate.number}",
        f"/api/v1/certificates/{certificate.verification_code}",
    ):
        assert client.get(path).status_code == 200, path
    assert writes == []


def test_messages_have_an_english_translation(app, five_sessions):
    person = factories.make_participant(five_sessions)
    with force_locale("en"):
        verdict = rules.eligibility_for(person)
        with pytest.raises(InvalidInput) as refused:
            numbering.validate_number_format("{seq}")
    assert "attendance 0% < 80%" in verdict.reason
    assert "post-test not taken" in verdict.reason
    assert "must contain {seq} and {code}" in refused.value.message
