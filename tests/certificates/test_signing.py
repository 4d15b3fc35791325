"""Signed certificates: the signature (pdfsig and pyHanko), the issued file kept byte for
byte, verifying uploaded files, the staff API for the files, PDF hygiene."""

import hashlib
import io
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from asn1crypto import pem, x509
from cryptography import x509 as crypto_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    pkcs12,
)
from cryptography.x509.oid import NameOID
from openapi_spec_validator import validate
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from bimtek.auth.services import issue_api_token
from bimtek.certificates import configuration, issuing, printing, queries, signing
from bimtek.certificates.models import Certificate, CertificateSettings
from bimtek.config import environment_overrides
from bimtek.extensions import db
from tests import factories
from tests.certificates.conftest import qualify
from tests.conftest import demo_signer
from tests.pdftext import pdf_text


def run(tool: str, data: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "file.pdf"
    path.write_bytes(data)
    done = subprocess.run([tool, *args, str(path)], capture_output=True, text=True)
    return done.stdout + done.stderr


def png() -> bytes:

    out = io.BytesIO()
    Image.new("RGBA", (64, 64), (200, 30, 30, 255)).save(out, "PNG")
    return out.getvalue()


def upload(client, data: bytes, url: str = "/api/v1/verify", **kwargs):
    """POST ``data`` as the multipart ``file``, encoded in memory (a big body would otherwise
    go through a temporary file that the test client leaves open when the server refuses)."""

    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(data), "sertifikat.pdf", content_type="application/pdf")}
    )
    return client.post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}", **kwargs
    )


def changed_name(data: bytes) -> bytes:
    """Another name typed over the printed one, appended as an incremental update."""

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    font = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Times-Bold"),
        }
    )
    resources = generic.DictionaryObject(
        {
            generic.NameObject("/Font"): generic.DictionaryObject(
                {generic.NameObject("/FX"): writer.add_object(font)}
            )
        }
    )
    overlay = generic.StreamObject(
        stream_data=b"q 1 1 1 rg 100 365 640 45 re f 0 0 0 rg "
        b"BT /FX 32 Tf 300 378 Td (Orang Lain) Tj ET Q"
    )
    writer.add_stream_to_page(0, writer.add_object(overlay), resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- the signature --------------------------------------------------------------------------


def test_issued_certificate_is_signed_and_pdfsig_says_valid(issued, tmp_path):
    assert issued.document.startswith(b"%PDF-")
    assert issued.document_sha256 == hashlib.sha256(issued.document).hexdigest()
    report = run("pdfsig", issued.document, tmp_path)
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report  # PAdES
    assert "Penanda Tangan Sertifikat (DEMO)" in report


def test_pyhanko_validates_the_signature_up_to_the_demo_ca(app, issued):

    ca_pem = (Path(demo_signer()).parent / signing.DEMO_CA).read_bytes()
    ca = x509.Certificate.load(pem.unarmor(ca_pem)[2])
    (embedded,) = PdfFileReader(io.BytesIO(issued.document)).embedded_signatures
    context = ValidationContext(trust_roots=[ca], allow_fetching=False)
    # pyHanko's synchronous call starts an event loop; the browser tests leave one running
    status = signing.outside_event_loop(lambda: validate_pdf_signature(embedded, context))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert issued.verification_code in str(embedded.sig_object["/Reason"])
    assert signing.fingerprint(embedded.signer_cert) == issued.signer_fingerprint


def test_one_signer_signs_many_files_each_valid_and_untouched(app, issued):
    """The signer is kept (one parsed key for many files); each file is what pyHanko's
    sign_pdf wrote, and validates."""

    signer = signing.Pkcs12Signer(demo_signer())
    unsigned = printing.certificates_pdf(issued.event, [issued])
    files = [
        signing.sign_certificate_pdf(
            unsigned + b"%" * extra, signer, signing.SignatureDetails("X" * 24, "1")
        )
        for extra in range(3)
    ]
    for data in files:
        (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
        context = ValidationContext(trust_roots=[embedded.signer_cert], allow_fetching=False)
        status = signing.outside_event_loop(
            lambda: validate_pdf_signature(embedded, context)  # noqa: B023
        )
        assert status.intact and status.valid
    assert len({f[-20000:] for f in files}) == 3  # different digests, different signatures


def test_one_signer_shared_by_threads_signs_one_file_at_a_time(app, issued):
    """A process keeps one signer per key and a job's threads share it; pyHanko's signer
    and its asn1crypto certificates are not safe to use from two threads at once (CI saw
    "can't concat NoneType to bytes" building the signing-certificate attribute)."""

    signer = signing.Pkcs12Signer(demo_signer())
    unsigned = printing.certificates_pdf(issued.event, [issued])
    raw = signer._signer.async_sign_raw
    inside, most = [0], [0]
    count = threading.Lock()

    async def watched(*args, **kwargs):
        with count:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.02)
        try:
            return await raw(*args, **kwargs)
        finally:
            with count:
                inside[0] -= 1

    signer._signer.async_sign_raw = watched

    def sign(index):
        details = signing.SignatureDetails("Y" * 24, str(index))
        return signing.sign_certificate_pdf(unsigned, signer, details)

    with ThreadPoolExecutor(max_workers=4) as pool:
        files = list(pool.map(sign, range(12)))
    assert most[0] == 1
    assert len(set(files)) == 12


def test_issue_all_signs_every_certificate(admin_client, five_sessions, tmp_path):
    for name in ("Agus Salim", "Budi Santoso", "Citra Dewi"):
        qualify(five_sessions, factories.make_participant(five_sessions, full_name=name))
    outcome = issuing.issue_all(five_sessions)
    db.session.commit()
    assert len(outcome.issued) == 3
    files = [data for batch in printing.issued_files(outcome.issued) for _name, data in batch]
    assert [hashlib.sha256(f).hexdigest() for f in files] == [
        c.document_sha256 for c in outcome.issued
    ]
    for certificate, data in zip(outcome.issued, files, strict=True):
        assert "Signature is Valid." in run("pdfsig", data, tmp_path)
        assert certificate.name in pdf_text(data)


def test_without_a_signing_key_issuing_is_refused_and_nothing_is_written(app, five_sessions, admin):
    person = factories.make_participant(five_sessions, full_name="Tanpa Kunci")
    qualify(five_sessions, person)
    app.config["CERT_SIGNING_PKCS12"] = None
    with pytest.raises(signing.NoSigningKey) as refused:
        issuing.issue(person, actor=admin)
    db.session.rollback()
    assert "kunci penanda tangan elektronik belum diatur" in refused.value.message
    with pytest.raises(signing.NoSigningKey):
        issuing.issue_all(five_sessions, actor=admin)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0
    assert db.session.get(CertificateSettings, five_sessions.id).last_seq == 0


def test_a_wrong_password_is_a_clear_refusal(app, tmp_path, monkeypatch):

    plain = pkcs12.load_pkcs12(Path(demo_signer()).read_bytes(), None)
    locked = tmp_path / "locked.p12"
    locked.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"x", plain.key, plain.cert.certificate, None, BestAvailableEncryption(b"rahasia")
        )
    )
    app.config["CERT_SIGNING_PKCS12"] = str(locked)
    monkeypatch.setenv(signing.PASSWORD_VARIABLE, "salah")
    with pytest.raises(signing.NoSigningKey, match=signing.PASSWORD_VARIABLE):
        signing.configured_signer()
    monkeypatch.setenv(signing.PASSWORD_VARIABLE, "rahasia")
    expected = signing.Pkcs12Signer(demo_signer()).certificate
    assert signing.fingerprint(signing.configured_signer().certificate) == signing.fingerprint(
        expected
    )


def test_the_password_never_lands_in_the_config(monkeypatch):

    overrides = environment_overrides({"BIMTEK_CERT_SIGNING_PASSWORD": "1234", "BIMTEK_X": "1"})
    assert overrides == {"X": 1}


# --- the issued document is fixed -----------------------------------------------------------


def test_the_same_certificate_downloads_byte_identical(client, admin_client, issued, admin_headers):
    url = f"/admin/kegiatan/SERT24/sertifikat/{issued.id}.pdf"
    first, second = admin_client.get(url).data, admin_client.get(url).data
    api = client.get(f"/api/v1/certificates/{issued.verification_code}/pdf", headers=admin_headers)
    assert first == second == api.data == issued.document
    assert api.headers["X-Content-SHA256"] == issued.document_sha256


def test_later_signatory_and_logo_edits_do_not_change_an_issued_certificate(
    admin_client, five_sessions, issued
):
    before = issued.document
    settings = queries.get_settings(five_sessions)
    signatory = settings.signatories[0]
    configuration.save_signatory(
        five_sessions, {"name": "Pejabat Baru, S.H.", "title": "Bupati"}, signatory=signatory
    )
    configuration.set_image(five_sessions, "logo_left", png())
    db.session.commit()
    download = admin_client.get(f"/admin/kegiatan/SERT24/sertifikat/{issued.id}.pdf").data
    assert download == before
    # the print copy is drawn with the design as issued, too
    merged = pdf_text(printing.print_copy_pdf(five_sessions, [issued]))
    assert "Drs. Penanda Tangan, M.Si" in merged and "Pejabat Baru" not in merged
    # a certificate issued now carries the new signatory
    later = factories.make_participant(five_sessions, full_name="Peserta Kemudian")
    qualify(five_sessions, later)
    newer = issuing.issue(later)
    db.session.commit()
    assert "Pejabat Baru, S.H." in pdf_text(newer.document)
    assert newer.design_id != issued.design_id


# --- PDF hygiene ----------------------------------------------------------------------------


def test_every_font_is_embedded_and_the_document_has_metadata(issued, tmp_path):
    fonts = run("pdffonts", issued.document, tmp_path).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    assert not any("Helvetica" in line for line in fonts)
    info = run("pdfinfo", issued.document, tmp_path)
    assert f"Title:           Sertifikat {issued.number}" in info
    assert "Subject:         Sertifikat Bimbingan Teknis" in info
    assert "Author:          Pemkab Kutai Timur" in info
    assert issued.verification_code in info  # keywords
    assert b"/Lang (id-ID)" in issued.document


def test_split_certificates_keep_fonts_and_metadata(five_sessions, tmp_path):
    for name in ("Agus Salim", "Budi Santoso"):
        qualify(five_sessions, factories.make_participant(five_sessions, full_name=name))
    first = issuing.issue_all(five_sessions).issued[0]
    db.session.commit()
    fonts = run("pdffonts", first.document, tmp_path).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)
    info = run("pdfinfo", first.document, tmp_path)
    assert "Subject:         Sertifikat Bimbingan Teknis" in info
    assert first.verification_code in info
    # the catalog's language, however it is written (pypdf writes "-" as \055)
    assert PdfReader(io.BytesIO(first.document)).trailer["/Root"]["/Lang"] == "id-ID"


# --- verifying an uploaded file -------------------------------------------------------------


def test_the_issued_file_is_genuine(client, issued):
    answer = upload(client, issued.document)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "genuine" and body["reason"] == "hash_match"
    assert body["certificate"]["number"] == issued.number
    assert body["signature"]["demo"] is True
    assert answer.headers["Cache-Control"] == "no-store"


def test_one_changed_byte_is_modified(client, issued):
    data = bytearray(issued.document)
    data[len(data) // 3] ^= 0x01
    body = upload(client, bytes(data)).get_json()
    assert body["status"] == "modified"
    assert body["certificate"]["name"] == "Siti Rahmawati, S.Sos."


def test_a_name_changed_by_an_incremental_update_is_modified(client, issued, tmp_path):
    edited = changed_name(issued.document)
    assert edited.startswith(issued.document)  # the signature still checks out on its part
    assert "Orang Lain" in pdf_text(edited)
    body = upload(client, edited).get_json()
    assert body["status"] == "modified" and body["reason"] == "changed_after_signing"
    assert body["certificate"]["name"] == "Siti Rahmawati, S.Sos."
    assert "Total document signed" not in run("pdfsig", edited, tmp_path)


def test_an_unsigned_redraw_claiming_the_code_is_modified(client, five_sessions, issued):
    redrawn = printing.certificates_pdf(five_sessions, [issued])
    body = upload(client, redrawn).get_json()
    assert body["status"] == "modified" and body["reason"] == "content_differs"


def test_a_file_signed_by_another_key_is_not_genuine(client, issued, tmp_path):
    other = signing.Pkcs12Signer(str(signing.create_demo_signer(tmp_path / "other")))
    forged = signing.sign_certificate_pdf(
        printing.certificates_pdf(issued.event, [issued]),
        other,
        signing.SignatureDetails(issued.verification_code, issued.number),
    )
    body = upload(client, forged).get_json()
    assert body["status"] == "modified"


def test_an_unrelated_pdf_is_unknown(client, app, tmp_path):

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 700, "Surat undangan rapat")
    canvas.save()
    body = upload(client, buffer.getvalue()).get_json()
    assert body == {
        "status": "unknown",
        "reason": "no_claim",
        "message": body["message"],
        "signature": None,
        "certificate": None,
    }


def test_a_revoked_certificate_is_revoked(client, issued):
    issuing.revoke(issued, "Data peserta keliru")
    db.session.commit()
    answer = upload(client, issued.document)
    body = answer.get_json()
    assert body["status"] == "revoked" and body["certificate"]["revoked_on"]
    assert body["certificate"]["name"] == "Siti Rahmawati, S.Sos."  # the file holds the code
    assert "Data peserta keliru" not in answer.get_data(as_text=True)
    page = upload(client, issued.document, url="/verify").get_data(as_text=True)
    assert 'data-status="revoked"' in page and "Data peserta keliru" not in page
    assert "Dicabut pada" in page


def test_bad_uploads_have_a_defined_answer(client, app):
    missing = client.post("/api/v1/verify", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422
    assert missing.get_json()["error"]["code"] == "file_missing"
    not_pdf = upload(client, b"GIF89a not a pdf")
    assert not_pdf.status_code == 422 and not_pdf.get_json()["error"]["code"] == "not_a_pdf"
    broken = upload(client, b"%PDF-1.4\n garbage without structure")
    assert broken.status_code == 200 and broken.get_json()["status"] == "unknown"


@pytest.mark.parametrize("app_config", [{"CERT_VERIFY_MAX_BYTES": 200 * 1024}])
def test_uploads_are_size_limited(client, app_config, app):
    just_over = b"%PDF-1.4\n" + b"0" * (200 * 1024)
    answer = upload(client, just_over)
    assert answer.status_code == 413
    assert answer.get_json()["error"]["code"] == "file_too_large"
    far_over = upload(client, b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    assert far_over.status_code == 413
    page = upload(client, just_over, url="/verify")
    assert page.status_code == 413
    assert "Berkas terlalu besar" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_VERIFY_UPLOAD": "2/minute"}]
)
def test_uploads_are_rate_limited(client, app_config, app):
    codes = [upload(client, b"%PDF-1.4\n").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert upload(client, b"%PDF-1.4\n", url="/verify").status_code == 429


def test_the_verify_page_takes_a_file_and_marks_the_demo_key(client, issued):
    page = client.get("/verify").get_data(as_text=True)
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert "kunci DEMO" in page
    answer = upload(client, issued.document, url="/verify")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'data-status="genuine"' in html and "Siti Rahmawati, S.Sos." in html
    edited = upload(client, changed_name(issued.document), url="/verify").get_data(as_text=True)
    assert 'data-status="modified"' in edited and "DIUBAH" in edited


def test_nothing_uploaded_is_kept(client, app, issued, tmp_path):
    counts = {
        table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
        for table in ("certificates", "certificate_images", "certificate_designs", "audit_log")
    }
    upload(client, changed_name(issued.document))
    after = {table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}")) for table in counts}
    assert after == counts
    uploads = Path(app.instance_path)
    assert not any(p.suffix == ".pdf" for p in uploads.rglob("*"))


# --- staff API ------------------------------------------------------------------------------


def test_the_pdf_api_is_for_the_managers_of_its_event(client, issued, auth_headers, admin_headers):

    url = f"/api/v1/certificates/{issued.verification_code}/pdf"
    assert client.get(url).status_code == 401
    assert client.get(url).get_json()["error"]["code"] == "unauthorized"
    assert client.get(url, headers=auth_headers).status_code == 404  # panitia of another event
    event = issued.event
    tokens = {}
    for right in ("panitia", "manager"):
        _token, plain = issue_api_token(factories.make_staff(right, event=event), "test")
        tokens[right] = {"Authorization": f"Bearer {plain}"}
    db.session.commit()
    assert client.get(url, headers=tokens["panitia"]).status_code == 403
    unknown = client.get("/api/v1/certificates/ABCDEFGHJKLMNPQRSTUVWXYZ/pdf", headers=admin_headers)
    assert unknown.status_code == 404
    for headers in (tokens["manager"], admin_headers):
        ok = client.get(url, headers=headers)
        assert ok.status_code == 200 and ok.mimetype == "application/pdf"
        assert ok.headers["Cache-Control"] == "private, no-store"
        assert ok.headers["X-Certificate-Status"] == "valid"
        assert ok.data == issued.document


def test_the_list_api_names_codes_and_hashes(client, issued, admin_headers):
    assert client.get("/api/v1/events/SERT24/certificates").status_code == 401
    rows = client.get("/api/v1/events/SERT24/certificates", headers=admin_headers).get_json()
    (row,) = rows["certificates"]
    assert row["verification_code"] == issued.verification_code
    assert row["name"] == "Siti Rahmawati, S.Sos." and row["revoke_reason"] is None
    assert row["document_sha256"] == issued.document_sha256


def test_openapi_documents_the_file_endpoints(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "multipart/form-data" in spec["paths"]["/verify"]["post"]["requestBody"]["content"]
    assert spec["paths"]["/certificates/{code}/pdf"]["get"]["security"] == [{"bearerAuth": []}]
    verdict = spec["components"]["schemas"]["CertificateFileVerdict"]
    assert verdict["properties"]["status"]["enum"] == ["genuine", "modified", "unknown", "revoked"]

    validate(spec)


def test_legacy_certificates_without_a_file_still_download(admin_client, issued, client):
    issued.document = None
    issued.document_sha256 = None
    issued.design_id = None
    db.session.commit()
    data = admin_client.get(f"/admin/kegiatan/SERT24/sertifikat/{issued.id}.pdf").data
    assert issued.name in pdf_text(data)
    body = upload(client, data).get_json()
    assert body["status"] == "unknown" and body["reason"] == "issued_before_signing"


def test_room_for_the_signature_is_even_whatever_the_chain_weighs(tmp_path):
    """pyHanko reserves the signature's room in hex pairs and refuses an odd byte count. The
    room grows with the chain's DER length, which a random serial number makes one byte
    shorter now and then: in such a test run every signing failed. Serial 1 and serial 128
    differ by one byte (128 needs a second one), so one of the two has an odd length."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = crypto_x509.Name(
        [crypto_x509.NameAttribute(NameOID.COMMON_NAME, "Uji Penanda Tangan")]
    )
    page = io.BytesIO()
    blank = PdfWriter()
    blank.add_blank_page(200, 200)
    blank.write(page)
    lengths = set()
    for serial in (1, 128):
        now = datetime.now(UTC)
        certificate = (
            crypto_x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256())
        )
        lengths.add(len(certificate.public_bytes(serialization.Encoding.DER)) % 2)
        path = tmp_path / f"serial-{serial}.p12"
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                b"uji", key, certificate, None, serialization.NoEncryption()
            )
        )
        signer = signing.Pkcs12Signer(str(path))
        signed = signing.sign_certificate_pdf(
            page.getvalue(), signer, signing.SignatureDetails("X" * 24, str(serial))
        )
        assert signed.startswith(b"%PDF") and signer.bytes_reserved % 2 == 0
    assert lengths == {0, 1}
