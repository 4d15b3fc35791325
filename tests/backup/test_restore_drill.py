"""The restore drill, on SQLite and (with BIMTEK_TEST_DATABASE_URL) on PostgreSQL: the demo
with attendance, test scores and issued, signed certificates; ``flask backup``; a new empty
database; ``flask restore``; then the same rows, and every certificate still verifies (the
uploaded PDF, its code, its number), a revoked one as revoked."""

import hashlib

import pytest
import sqlalchemy as sa

from bimtek.assessments.models import Assessment, Attempt
from bimtek.attendance.models import Attendance
from bimtek.backup import services
from bimtek.backup.archive import BackupError
from bimtek.certificates.configuration import save_signatory, set_image
from bimtek.certificates.issuing import issue_all, revoke
from bimtek.certificates.models import Certificate, CertificateSettings
from bimtek.certificates.queries import find_for_verification, get_settings
from bimtek.certificates.verification import verify_document
from bimtek.demo import load_demo
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant
from tests import factories
from tests.backup.conftest import app_on
from tests.certificates.test_signing import png, upload
from tests.conftest import POSTGRES_URL


def load_drill_data() -> None:
    """The demo batch, its signatory made real, a logo, every eligible certificate issued
    (signed) and the last one revoked."""
    event, _created = load_demo(participant_count=12)
    placeholder = get_settings(event).signatories[0]
    save_signatory(
        event,
        {
            "name": "Drs. H. Irawansyah, M.Si",
            "title": "Sekretaris Daerah Kabupaten Kutai Timur",
            "nip": "196805121990031004",
        },
        signatory=placeholder,
        channel="cli",
    )
    set_image(event, "logo_left", png(), channel="cli")
    issued = issue_all(event, channel="cli").issued
    assert len(issued) >= 3
    revoke(issued[-1], "Uji penarikan sertifikat", channel="cli")
    db.session.commit()


def snapshot() -> dict:
    """Participants, attendance, scores, certificates (with their kept files) and the logo."""

    def rows(query) -> list[tuple]:
        return sorted((tuple(row) for row in db.session.execute(query)), key=repr)

    who = Participant.ticket_code
    return {
        "participants": rows(
            sa.select(
                who, Participant.nik, Participant.full_name, Participant.status, Participant.phone
            )
        ),
        "attendance": rows(
            sa.select(who, Attendance.session_id, Attendance.status, Attendance.checked_in_at).join(
                Participant, Participant.id == Attendance.participant_id
            )
        ),
        "scores": rows(
            sa.select(who, Assessment.kind, Attempt.score, Attempt.submitted_at)
            .join(Participant, Participant.id == Attempt.participant_id)
            .join(Assessment, Assessment.id == Attempt.assessment_id)
        ),
        "certificates": rows(
            sa.select(
                who,
                Certificate.number,
                Certificate.verification_code,
                Certificate.document_sha256,
                Certificate.revoked_at,
            ).join(Participant, Participant.id == Certificate.participant_id)
        ),
        "documents": rows(sa.select(Certificate.verification_code, Certificate.document)),
        "logos": rows(sa.select(CertificateSettings.event_id, CertificateSettings.logo_left)),
    }


def test_restore_drill(fresh_database, tmp_path):
    path = tmp_path / "bimtek.backup"
    with app_on(fresh_database("src", template=True), tmp_path / "src", migrated=True) as source:
        load_drill_data()
        before = snapshot()
        made = source.test_cli_runner().invoke(args=["backup", str(path)])
        assert made.exit_code == 0, made.output

    with app_on(fresh_database("dst"), tmp_path / "dst") as target:
        assert services.database_is_empty()
        restored = target.test_cli_runner().invoke(args=["restore", str(path)])
        assert restored.exit_code == 0, restored.output
        db.session.remove()
        after = snapshot()
        assert after == before
        assert len(after["participants"]) == 12 and after["attendance"] and after["scores"]
        assert {kind for _who, kind, _score, _at in after["scores"]} == {"pre", "post"}

        client = target.test_client()
        certificates = db.session.scalars(sa.select(Certificate).order_by(Certificate.seq)).all()
        for certificate in certificates:
            expected = "revoked" if certificate.revoked_at else "genuine"
            assert hashlib.sha256(certificate.document).hexdigest() == certificate.document_sha256
            verdict = verify_document(certificate.document)
            assert (verdict.status, verdict.certificate) == (expected, certificate)
            assert verdict.signature["intact"]
            answer = upload(client, certificate.document).get_json()
            assert answer["status"] == expected, answer
            assert answer["certificate"]["number"] == certificate.number
            page = client.get(f"/verify/{certificate.verification_code}")
            assert page.status_code == 200
            html = page.get_data(as_text=True)
            assert certificate.number in html
            assert ("DICABUT" if certificate.revoked_at else "SAH") in html
            assert find_for_verification(certificate.number) == certificate
        assert [c.revoked_at is not None for c in certificates].count(True) == 1

        doctored = bytearray(certificates[0].document)
        doctored[len(doctored) // 2] ^= 0x01
        assert upload(client, bytes(doctored)).get_json()["status"] == "modified"

        # the restored database goes on: new rows take new ids (PostgreSQL's sequences came too)
        event = db.session.scalar(sa.select(Participant.event_id).limit(1))
        newcomer = factories.make_participant(db.session.get(Event, event), full_name="Baru")
        db.session.commit()
        assert newcomer.id > max(
            p.id for p in db.session.scalars(sa.select(Participant)) if p != newcomer
        )


@pytest.mark.skipif(not POSTGRES_URL, reason="needs BIMTEK_TEST_DATABASE_URL (PostgreSQL)")
def test_a_sqlite_backup_is_refused_by_postgresql(fresh_database, tmp_path):
    path = tmp_path / "sqlite.backup"
    with app_on(f"sqlite:///{tmp_path / 'laptop.sqlite'}", tmp_path / "laptop", migrated=True):
        services.make_backup(path)
    with app_on(fresh_database("dst"), tmp_path / "dst"):
        with pytest.raises(BackupError) as refused:
            services.restore_backup(path, force=True)
        assert refused.value.code == "backup_wrong_database"
        assert services.database_is_empty()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs BIMTEK_TEST_DATABASE_URL (PostgreSQL)")
def test_a_postgresql_backup_is_refused_by_sqlite(fresh_database, tmp_path):
    path = tmp_path / "postgresql.backup"
    with app_on(fresh_database("src", template=True), tmp_path / "src", migrated=True):
        services.make_backup(path)
    with app_on(f"sqlite:///{tmp_path / 'laptop.sqlite'}", tmp_path / "laptop"):
        with pytest.raises(BackupError) as refused:
            services.restore_backup(path, force=True)
        assert refused.value.code == "backup_wrong_database"
