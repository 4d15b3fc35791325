"""The bundles a manager downloads ("berkas"): the ZIP is the issued files byte for byte,
the print PDF is a titled print copy drawn from the issued snapshots."""

import hashlib
import io
import zipfile

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from bimtek.certificates import configuration, issuing, queries
from bimtek.certificates.models import Certificate
from bimtek.extensions import db
from tests import factories
from tests.certificates.conftest import qualify
from tests.notifications.conftest import settle
from tests.pdftext import pdf_text


@pytest.fixture
def three_issued(five_sessions, admin):
    """Three signed certificates, the second revoked."""
    for name in ("Agus Salim", "Budi Santoso", "Citra Dewi"):
        qualify(five_sessions, factories.make_participant(five_sessions, full_name=name))
    outcome = issuing.issue_all(five_sessions, actor=admin)
    issuing.revoke(outcome.issued[1], "Data salah", actor=admin)
    db.session.commit()
    return outcome.issued


def bundle(app, client, event, kind: str) -> bytes:
    """Ask for the bundle as the page does, let the job run, download it."""
    response = client.post(f"/admin/kegiatan/{event.code}/sertifikat/berkas/{kind}")
    assert response.status_code == 302
    assert settle(app)
    download = client.get(response.headers["Location"] + "/unduh")
    assert download.status_code == 200
    data = download.data
    download.close()
    return data


def test_zip_holds_exactly_the_issued_files_in_force(
    app, admin_client, admin_headers, five_sessions, three_issued
):
    listed = admin_client.get(
        f"/api/v1/events/{five_sessions.code}/certificates", headers=admin_headers
    ).get_json()["certificates"]
    in_force = {c["document_sha256"] for c in listed if c["status"] == "valid"}
    assert len(in_force) == 2
    archive = zipfile.ZipFile(io.BytesIO(bundle(app, admin_client, five_sessions, "zip")))
    hashes = [hashlib.sha256(archive.read(name)).hexdigest() for name in archive.namelist()]
    assert len(hashes) == len(in_force)
    assert set(hashes) == in_force
    assert archive.namelist() == ["001-Agus_Salim.pdf", "003-Citra_Dewi.pdf"]


def test_zip_after_the_design_changed_is_still_the_issued_files(
    app, admin_client, five_sessions, three_issued
):
    """A later design change neither redraws the files nor is taken for a new bundle."""
    configuration.update_settings(
        five_sessions,
        {**_settings_form(five_sessions), "title_text": "PIAGAM"},
    )
    db.session.commit()
    archive = zipfile.ZipFile(io.BytesIO(bundle(app, admin_client, five_sessions, "zip")))
    stored = {c.document_sha256 for c in three_issued if c.revoked_at is None}
    assert {hashlib.sha256(archive.read(n)).hexdigest() for n in archive.namelist()} == stored


def test_print_pdf_is_a_titled_print_copy_of_the_issued_snapshots(
    app, admin_client, five_sessions, three_issued
):
    signatory = queries.get_settings(five_sessions).signatories[0]
    configuration.save_signatory(
        five_sessions, {"name": "Pejabat Baru, S.H.", "title": "Bupati"}, signatory=signatory
    )
    db.session.commit()
    data = bundle(app, admin_client, five_sessions, "pdf")
    reader = PdfReader(io.BytesIO(data))
    assert "Salinan cetak" in reader.metadata.title
    assert len(reader.pages) == 4  # two in force, two pages each
    for page in range(len(reader.pages)):
        assert "SALINAN CETAK" in (reader.pages[page].extract_text() or "")
    text = pdf_text(data)
    assert "Drs. Penanda Tangan, M.Si" in text and "Pejabat Baru" not in text
    assert "Budi Santoso" not in text  # revoked


def test_certificates_issued_before_signing_are_in_a_folder_that_says_so(
    app, admin_client, five_sessions, three_issued
):
    legacy = three_issued[0]
    legacy.document, legacy.document_sha256, legacy.design_id = None, None, None
    db.session.commit()
    archive = zipfile.ZipFile(io.BytesIO(bundle(app, admin_client, five_sessions, "zip")))
    assert archive.namelist() == [
        "belum-ditandatangani/001-Agus_Salim.pdf",
        "003-Citra_Dewi.pdf",
    ]
    assert legacy.number in pdf_text(archive.read("belum-ditandatangani/001-Agus_Salim.pdf"))


def test_the_page_links_the_bundles_and_the_drawing_routes_are_gone(
    admin_client, five_sessions, three_issued
):
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    page = admin_client.get(base).get_data(as_text=True)
    assert f'action="{base}/berkas/zip"' in page
    assert f'action="{base}/berkas/pdf"' in page
    assert "semua.zip" not in page and "gabungan.pdf" not in page
    assert admin_client.get(base + "/semua.zip").status_code == 404
    assert admin_client.get(base + "/gabungan.pdf").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 3


def _settings_form(event) -> dict:
    settings = queries.get_settings(event)
    return {
        "min_attendance_percent": str(settings.min_attendance_percent),
        "post_test_required": "1",
        "number_format": settings.number_format,
        "title_text": settings.title_text,
        "awarded_text": settings.awarded_text,
        "role_text": settings.role_text,
        "body_text": settings.body_text,
        "signing_place": settings.signing_place,
        "signing_date": "",
    }
