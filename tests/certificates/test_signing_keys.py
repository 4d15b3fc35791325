"""An event's own signing key (issue 19): the upload refuses every bad file with its own
message, keeps the passphrase only encrypted, certificates issued afterwards are signed by
it, the verify page names it, removing it is audited, cloning does not copy it."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from werkzeug.datastructures import FileStorage

from bimtek.audit.models import AuditLog
from bimtek.certificates import issuing, signing, signing_keys
from bimtek.certificates.models import EventSigningKey
from bimtek.errors import InvalidInput
from bimtek.events.cloning import clone_event
from bimtek.extensions import db
from bimtek.storage.models import StoredFile
from tests import factories
from tests.certificates.conftest import qualify
from tests.certificates.test_signing import upload
from tests.conftest import login

PASSPHRASE = "sandi-Kutim-2024"


def make_pkcs12(
    *,
    passphrase: str | None = PASSPHRASE,
    common_name: str = "Sekretariat Daerah Kutai Timur",
    organization: str = "Pemerintah Kabupaten Kutai Timur",
    days: int = 365,
    starts: timedelta = timedelta(minutes=-5),
    with_key: bool = True,
    digital_signature: bool = True,
):
    """(PKCS#12 bytes, CA certificate as asn1crypto) of a regency's key under its own CA."""

    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA Uji Kutai Timur")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=800))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                    x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + starts)
        .not_valid_after(now + starts + timedelta(days=days))
        .add_extension(
            x509.KeyUsage(
                digital_signature,
                digital_signature,
                not digital_signature,
                False,
                False,
                False,
                False,
                False,
                False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    data = pkcs12.serialize_key_and_certificates(
        b"kutim", key if with_key else None, leaf, [ca], encryption
    )
    ca_asn1 = asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER))
    return data, ca_asn1


@pytest.fixture
def manager_of(five_sessions, client):
    manager = factories.make_staff("manager", "pengelola@kutim.local", event=five_sessions)
    login(client, manager.email)
    return manager


def _refused(event, data, passphrase=PASSPHRASE):
    with pytest.raises(InvalidInput) as caught:
        signing_keys.set_event_key(event, data, passphrase)
    db.session.rollback()
    return caught.value


def _nothing_kept():
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventSigningKey)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_every_bad_file_is_refused_with_its_own_message(five_sessions):
    good, _ca = make_pkcs12()
    cases = [
        (b"x" * (signing_keys.MAX_KEY_BYTES + 1), PASSPHRASE, "key_too_large", "terlalu besar"),
        (b"%PDF-1.7 bukan kunci", PASSPHRASE, "key_not_pkcs12", "bukan kunci PKCS#12"),
        (b"", PASSPHRASE, "key_missing", "Pilih berkas"),
        (good, "salah", "key_wrong_passphrase", "Kata sandi salah"),
        (
            make_pkcs12(days=10, starts=-timedelta(days=30))[0],
            PASSPHRASE,
            "key_expired",
            "kedaluwarsa",
        ),
        (make_pkcs12(starts=timedelta(days=3))[0], PASSPHRASE, "key_not_yet_valid", "baru berlaku"),
        (make_pkcs12(with_key=False)[0], PASSPHRASE, "key_no_private_key", "kunci privat"),
        (
            make_pkcs12(digital_signature=False)[0],
            PASSPHRASE,
            "key_cannot_sign",
            "tidak boleh dipakai untuk tanda tangan",
        ),
    ]
    for data, passphrase, code, words in cases:
        error = _refused(five_sessions, data, passphrase)
        assert error.code == code, (code, error.message)
        assert words in error.message
        assert error.fields == {"key_file": error.message}
    _nothing_kept()


def test_the_key_is_kept_in_the_database_and_the_passphrase_only_encrypted(app, five_sessions):
    data, _ca = make_pkcs12()
    key = signing_keys.set_event_key(five_sessions, data, PASSPHRASE)
    db.session.commit()
    assert db.session.get(StoredFile, key.file_id).content == data
    assert PASSPHRASE not in key.passphrase_sealed
    assert signing_keys.unseal(key.passphrase_sealed, app.config["SECRET_KEY"]) == PASSPHRASE
    with pytest.raises(signing.NoSigningKey, match="SECRET_KEY"):
        signing_keys.unseal(key.passphrase_sealed, "kunci-lain")
    assert (key.common_name, key.organization) == (
        "Sekretariat Daerah Kutai Timur",
        "Pemerintah Kabupaten Kutai Timur",
    )
    assert "CA Uji Kutai Timur" in key.issuer
    # nowhere in the database in plain text
    for table in ("certificate_signing_keys", "stored_files", "audit_log"):
        for row in db.session.execute(sa.text(f"SELECT * FROM {table}")):
            assert PASSPHRASE not in repr(row) and PASSPHRASE.encode() not in repr(row).encode()


def test_certificates_issued_after_the_upload_are_signed_by_the_events_key(five_sessions):

    before = factories.make_participant(five_sessions, full_name="Budi Santoso")
    qualify(five_sessions, before)
    by_install = issuing.issue(before)
    data, ca = make_pkcs12()
    key = signing_keys.set_event_key(five_sessions, data, PASSPHRASE)
    person = factories.make_participant(five_sessions, full_name="Siti Rahmawati")
    qualify(five_sessions, person)
    certificate = issuing.issue(person)
    db.session.commit()

    (embedded,) = PdfFileReader(io.BytesIO(certificate.document)).embedded_signatures
    context = ValidationContext(trust_roots=[ca], allow_fetching=False)
    status = signing.outside_event_loop(lambda: validate_pdf_signature(embedded, context))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signing.fingerprint(embedded.signer_cert) == key.fingerprint
    assert certificate.signer_fingerprint == key.fingerprint
    assert certificate.signer_name == "Sekretariat Daerah Kutai Timur"
    assert by_install.signer_fingerprint != key.fingerprint  # issued before: install's key


def test_verify_page_names_the_signer_of_every_certificate(client, five_sessions):

    first = factories.make_participant(five_sessions, full_name="Agus Salim")
    qualify(five_sessions, first)
    by_install = issuing.issue(first)
    signing_keys.set_event_key(five_sessions, make_pkcs12()[0], PASSPHRASE)
    second = factories.make_participant(five_sessions, full_name="Dewi Lestari")
    qualify(five_sessions, second)
    by_event = issuing.issue(second)
    db.session.commit()

    page = client.get(f"/verify/{by_event.verification_code}").get_data(as_text=True)
    assert "Ditandatangani secara elektronik oleh" in page
    assert "Sekretariat Daerah Kutai Timur — Pemerintah Kabupaten Kutai Timur" in page
    assert "kunci DEMO" not in page  # the install's demo key did not sign this one
    page = client.get(f"/verify/{by_install.verification_code}").get_data(as_text=True)
    assert "Penanda Tangan Sertifikat (DEMO) — Bimtek" in page
    assert "kunci DEMO" in page
    answer = upload(client, by_event.document, url="/verify")
    page = answer.get_data(as_text=True)
    assert 'data-status="genuine"' in page
    assert "Sekretariat Daerah Kutai Timur — Pemerintah Kabupaten Kutai Timur" in page


def test_the_settings_page_uploads_shows_and_removes_the_key(client, five_sessions, manager_of):

    url = f"/admin/kegiatan/{five_sessions.code}/sertifikat/pengaturan/kunci"
    data, _ca = make_pkcs12()
    answer = client.post(
        url,
        data={"key_file": FileStorage(io.BytesIO(data), "kutim.p12"), "passphrase": "keliru"},
        follow_redirects=True,
    )
    assert "Kata sandi salah" in answer.get_data(as_text=True)
    _nothing_kept()
    answer = client.post(
        url,
        data={"key_file": FileStorage(io.BytesIO(b"bukan"), "kutim.pfx"), "passphrase": "x"},
        follow_redirects=True,
    )
    assert "bukan kunci PKCS#12" in answer.get_data(as_text=True)
    answer = client.post(
        url,
        data={"key_file": FileStorage(io.BytesIO(data), "kutim.p12"), "passphrase": PASSPHRASE},
        follow_redirects=True,
    )
    page = answer.get_data(as_text=True)
    assert "Kunci penanda tangan kegiatan disimpan." in page
    assert "CN=Sekretariat Daerah Kutai Timur" in page and "CN=CA Uji Kutai Timur" in page
    assert PASSPHRASE not in page

    answer = client.post(url + "/hapus", follow_redirects=True)
    assert "Kunci kegiatan dihapus" in answer.get_data(as_text=True)
    _nothing_kept()
    actions = db.session.scalars(
        sa.select(AuditLog.action).where(AuditLog.event_id == five_sessions.id)
    ).all()
    assert "certificate.signing_key_set" in actions
    assert "certificate.signing_key_remove" in actions


def test_cloning_an_event_does_not_copy_its_key(five_sessions):

    signing_keys.set_event_key(five_sessions, make_pkcs12()[0], PASSPHRASE)
    db.session.commit()
    copy = clone_event(
        five_sessions,
        {"code": "SERT25", "title": "", "start_date": "2026-04-06", "end_date": "2026-04-09"},
        actor=factories.make_staff("admin"),
    )
    db.session.commit()
    assert signing_keys.get_event_key(five_sessions) is not None
    assert signing_keys.get_event_key(copy) is None


def test_a_key_that_expired_since_its_upload_stops_issuing(five_sessions):
    key = signing_keys.set_event_key(five_sessions, make_pkcs12()[0], PASSPHRASE)
    key.valid_until = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    person = factories.make_participant(five_sessions, full_name="Rina Kartika")
    qualify(five_sessions, person)
    with pytest.raises(signing.NoSigningKey, match="kedaluwarsa"):
        issuing.issue(person)
    db.session.rollback()
    signing_keys.remove_event_key(five_sessions)
    assert issuing.issue(person).signer_name == "Penanda Tangan Sertifikat (DEMO)"
