"""Certificate pages and API: admin, participant portal, public verification."""

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from PIL import Image

from bimtek.auth.services import issue_api_token
from bimtek.certificates import configuration, issuing, queries
from bimtek.certificates.models import Certificate, IssueRun
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from bimtek.staff.assignments import assign_staff
from tests import factories
from tests.certificates.conftest import attend, post_test, qualify
from tests.conftest import login
from tests.notifications.conftest import settle
from tests.pdftext import pdf_text

SECRET_NIK = factories.valid_nik(4242)  # 6408011705904242
SECRET_PHONE = "081234567890"


@pytest.fixture
def person(five_sessions):
    participant = factories.make_participant(
        five_sessions,
        full_name="Dr. H. M. Agus Hari Kesuma, M.Si",
        nik=SECRET_NIK,
        phone=SECRET_PHONE,
        email="agus@example.id",
        institution="Bawaslu Kutai Timur",
    )
    qualify(five_sessions, participant)
    return participant


@pytest.fixture
def certificate(person):
    issued = issuing.issue(person)
    db.session.commit()
    return issued


# --- admin ----------------------------------------------------------------------------------


def test_admin_list_shows_eligibility_and_reasons(admin_client, five_sessions, person):
    lagging = factories.make_participant(five_sessions, full_name="Budi Lambat")
    attend(five_sessions, lagging, 3)
    page = admin_client.get(f"/admin/kegiatan/{five_sessions.code}/sertifikat")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Budi Lambat" in html and "kehadiran 60% &lt; 80%" in html
    assert "post-test belum dikerjakan" in html
    assert "Memenuhi syarat" in html


def test_certificate_pages_need_a_manager(client, panitia_client, panitia, five_sessions):
    url = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    assert panitia_client.get(url).status_code == 404  # not their event
    assign_staff(five_sessions, panitia, "panitia")
    db.session.commit()
    assert panitia_client.get(url).status_code == 403
    assert panitia_client.post(url + "/terbitkan").status_code == 403
    assign_staff(five_sessions, panitia, "manager")
    db.session.commit()
    assert panitia_client.get(url).status_code == 200


def test_anonymous_is_sent_to_login(client, five_sessions):
    response = client.get(f"/admin/kegiatan/{five_sessions.code}/sertifikat")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_issue_all_button_and_revoke(app, admin_client, five_sessions, person):
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    response = admin_client.post(base + "/terbitkan", data={"confirm": "1"})
    assert response.status_code == 302 and "/terbitkan/" in response.headers["Location"]
    assert settle(app)
    progress = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Selesai." in progress and "001/BIMTEK-SERT24/XII/2026" in progress
    again = admin_client.post(base + "/terbitkan", data={"confirm": "1"}, follow_redirects=True)
    assert "Tidak ada sertifikat baru" in again.get_data(as_text=True)
    certificate = db.session.scalar(db.select(Certificate))
    refused = admin_client.post(
        f"{base}/{certificate.id}/cabut", data={"reason": ""}, follow_redirects=True
    )
    assert "Alasan pencabutan wajib diisi" in refused.get_data(as_text=True)
    done = admin_client.post(
        f"{base}/{certificate.id}/cabut", data={"reason": "Nama salah ketik"}, follow_redirects=True
    )
    assert "dicabut" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoke_reason == "Nama salah ketik"


def test_issue_all_asks_first_with_the_count_and_the_numbers(admin_client, five_sessions, person):
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    listing = admin_client.get(base).get_data(as_text=True)
    assert f'href="{base}/terbitkan"' in listing
    unconfirmed = admin_client.post(base + "/terbitkan")
    assert unconfirmed.status_code == 302 and unconfirmed.headers["Location"].endswith(
        base + "/terbitkan"
    )
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0
    other = factories.make_participant(five_sessions, full_name="Siti Kedua")
    qualify(five_sessions, other)
    page = admin_client.get(base + "/terbitkan")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Terbitkan 2 sertifikat?" in html
    assert "001/BIMTEK-SERT24/XII/2026" in html and "002/BIMTEK-SERT24/XII/2026" in html
    assert 'name="confirm" value="1"' in html
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0


def test_issue_all_page_says_what_blocks_issuing(admin_client, app, five_sessions, person):
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    html = admin_client.get(base + "/terbitkan").get_data(as_text=True)
    assert "BIMTEK_PUBLIC_BASE_URL" in html and 'name="confirm"' not in html
    refused = admin_client.post(base + "/terbitkan", data={"confirm": "1"}, follow_redirects=True)
    assert "Alamat publik aplikasi belum diatur" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0


def test_issue_one(admin_client, five_sessions, person):
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    response = admin_client.post(f"{base}/peserta/{person.id}/terbitkan", follow_redirects=True)
    assert "diterbitkan" in response.get_data(as_text=True)
    other = factories.make_participant(five_sessions, full_name="Belum Hadir")
    refused = admin_client.post(f"{base}/peserta/{other.id}/terbitkan", follow_redirects=True)
    assert "belum memenuhi syarat" in refused.get_data(as_text=True)


def test_admin_downloads(admin_client, five_sessions, certificate):
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    one = admin_client.get(f"{base}/{certificate.id}.pdf")
    assert one.status_code == 200 and one.mimetype == "application/pdf"
    assert certificate.number in pdf_text(one.data)
    preview = admin_client.get(base + "/contoh.pdf")
    assert preview.status_code == 200 and "inline" in preview.headers["Content-Disposition"]


def test_register_download_is_the_reports_export(admin_client, five_sessions, certificate, admin):
    """The page's register button is the reports export "sertifikat": every certificate,
    revoked ones too, with what an office files (the columns are checked in tests/reports)."""
    issuing.revoke(certificate, '=HYPERLINK("http://evil")', actor=admin)
    again = issuing.issue(certificate.participant, actor=admin)
    db.session.commit()
    code = five_sessions.code
    page = admin_client.get(f"/admin/kegiatan/{code}/sertifikat").get_data(as_text=True)
    link = f"/admin/kegiatan/{code}/ekspor/sertifikat.xlsx"
    assert f'href="{link}"' in page
    response = admin_client.get(link)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data))["Register sertifikat"]
    header = [cell.value for cell in sheet[4]]
    assert header[1:3] == ["Nomor sertifikat", "Nama pada sertifikat"]
    revoked, current = (
        dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=5, max_row=6, values_only=True)
    )
    assert revoked["Nomor sertifikat"] == certificate.number
    assert revoked["Nama pada sertifikat"] == "Dr. H. M. Agus Hari Kesuma, M.Si"
    assert revoked["Status"] == "Dicabut"
    assert revoked["Alasan pencabutan"] == '\'=HYPERLINK("http://evil")'
    assert revoked["Diterbitkan oleh"] is None  # issued by the fixture, without an actor
    assert current["Nomor sertifikat"] == again.number != certificate.number
    assert current["Status"] == "Berlaku" and current["Dicabut"] is None
    assert current["Diterbitkan oleh"] == admin.full_name
    assert current["Kode verifikasi"] == again.verification_code
    assert current["Tautan verifikasi"] == f"http://bimtek.test/verify/{again.verification_code}"


def test_register_download_needs_a_manager(panitia_client, panitia, five_sessions, certificate):
    assign_staff(five_sessions, panitia, "panitia")
    db.session.commit()
    url = f"/admin/kegiatan/{five_sessions.code}/ekspor/sertifikat.xlsx"
    assert panitia_client.get(url).status_code == 403


def test_settings_page_saves_and_validates(admin_client, five_sessions):
    url = f"/admin/kegiatan/{five_sessions.code}/sertifikat/pengaturan"
    assert admin_client.get(url).status_code == 200
    data = {
        "min_attendance_percent": "75",
        "count_excused": "1",
        "count_sick": "0",
        "post_test_required": "1",
        "min_post_score": "60,5",
        "number_format": "{seq:04d}/SERT/{code}/{year}",
        "title_text": "SERTIFIKAT",
        "awarded_text": "diberikan kepada",
        "role_text": "Peserta",
        "body_text": "telah mengikuti",
        "signing_place": "Sangatta",
        "signing_date": "",
    }
    assert admin_client.post(url, data=data).status_code == 302
    settings = queries.get_settings(five_sessions)
    db.session.refresh(settings)
    assert (settings.min_attendance_percent, settings.min_post_score) == (75, 60.5)
    assert settings.count_excused and not settings.count_sick
    bad = admin_client.post(url, data={**data, "number_format": "{seq.__class__}"})
    assert bad.status_code == 422
    assert "tidak dikenal" in bad.get_data(as_text=True) or "didukung" in bad.get_data(as_text=True)


def test_upload_logo_and_signatory(admin_client, five_sessions):

    png = io.BytesIO()
    Image.new("RGBA", (64, 64), (11, 93, 75, 255)).save(png, "PNG")
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat/pengaturan"
    response = admin_client.post(
        base + "/gambar/logo_left",
        data={"image": (io.BytesIO(png.getvalue()), "logo.png")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Gambar disimpan" in response.get_data(as_text=True)
    assert admin_client.get(base + "/gambar/logo_left").mimetype == "image/png"
    bad = admin_client.post(
        base + "/gambar/logo_right",
        data={"image": (io.BytesIO(b"<svg onload=alert(1)>"), "logo.png")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "hanya gambar PNG atau JPG" in bad.get_data(as_text=True)
    added = admin_client.post(
        base + "/penanda-tangan",
        data={
            "name": "H. Ardiansyah",
            "title": "Bupati",
            "nip": "",
            "signature": (io.BytesIO(png.getvalue()), "ttd.png"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Penanda tangan disimpan" in added.get_data(as_text=True)
    signatory = queries.get_settings(five_sessions).signatories[0]
    assert admin_client.get(base + f"/gambar/ttd-{signatory.id}").status_code == 200
    removed = admin_client.post(
        base + f"/penanda-tangan/{signatory.id}", data={"delete": "1"}, follow_redirects=True
    )
    assert "dihapus" in removed.get_data(as_text=True)


def test_cli_issues_certificates(runner, five_sessions, person):
    result = runner.invoke(args=["issue-certificates", five_sessions.code])
    assert result.exit_code == 0, result.output
    assert "1 sertifikat diterbitkan: 001/BIMTEK-SERT24/" in result.output
    again = runner.invoke(args=["issue-certificates", five_sessions.code.lower()])
    assert "Tidak ada sertifikat baru" in again.output
    unknown = runner.invoke(args=["issue-certificates", "NOPE"])
    assert unknown.exit_code != 0 and "tidak ditemukan" in unknown.output


# --- participant ----------------------------------------------------------------------------


def test_participant_downloads_their_own(client, five_sessions, certificate, person):
    login(client, person.nik)
    page = client.get(f"/portal/peserta/{person.id}/sertifikat")
    assert page.status_code == 200 and certificate.number in page.get_data(as_text=True)
    download = client.get(f"/portal/peserta/{person.id}/sertifikat.pdf")
    assert download.status_code == 200
    assert person.full_name in pdf_text(download.data)


def test_participant_cannot_get_someone_elses(client, five_sessions, certificate, person):
    other = factories.make_participant(five_sessions, full_name="Orang Lain")
    login(client, other.nik)
    assert client.get(f"/portal/peserta/{person.id}/sertifikat").status_code == 404
    assert client.get(f"/portal/peserta/{person.id}/sertifikat.pdf").status_code == 404
    assert client.get("/portal/peserta/999999/sertifikat").status_code == 404
    mine = client.get(f"/portal/peserta/{other.id}/sertifikat").get_data(as_text=True)
    assert "Belum memenuhi syarat" in mine and "post-test belum dikerjakan" in mine
    assert client.get(f"/portal/peserta/{other.id}/sertifikat.pdf").status_code == 404


def test_staff_are_not_participants(admin_client, person):
    assert admin_client.get(f"/portal/peserta/{person.id}/sertifikat").status_code == 403


# --- public verification --------------------------------------------------------------------


def test_verify_page_shows_enough_and_nothing_private(client, certificate, person):
    page = client.get(f"/verify/{certificate.verification_code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for shown in (person.full_name, certificate.number, "Bimtek Uji SERT24", "SAH", "10 JP"):
        assert shown in html
    for secret in (
        SECRET_NIK,
        "640801170590",
        SECRET_PHONE,
        "+6281234567890",
        "agus@example.id",
        "Bawaslu Kutai Timur",
        person.ticket_code,
    ):
        assert secret not in html
    assert page.headers["X-Robots-Tag"] == "noindex"
    lower = client.get(f"/verify/{certificate.verification_code.lower()}")
    assert lower.status_code == 200


def test_verify_by_the_printed_number_in_any_form(client, certificate, person):
    number = certificate.number  # 001/BIMTEK-SERT24/XII/2026
    for typed in (
        number,
        number.lower(),
        f"  {number.replace('-', ' - ')} ",
        number.replace("-", ""),
    ):
        page = client.get("/verify", query_string={"kode": typed})
        html = page.get_data(as_text=True)
        assert page.status_code == 200, typed
        # a number is printed for all to see: it confirms, it does not disclose the name
        assert person.full_name not in html and "Agus" not in html and "Kesuma" not in html
        assert "D*. H. M. A*** H*** K*****, M.**" in html
        for shown in ("SAH", certificate.number, "Bimtek Uji SERT24", "10 JP"):
            assert shown in html
        # the number is public; the code (the QR's secret) is not told to whoever typed it
        assert certificate.verification_code not in html
        for secret in (SECRET_NIK, SECRET_PHONE, "agus@example.id", "Bawaslu Kutai Timur"):
            assert secret not in html
    missing = client.get("/verify", query_string={"kode": "999/BIMTEK-SERT24/XII/2026"})
    assert missing.status_code == 404
    assert "tidak ditemukan" in missing.get_data(as_text=True)


def test_verify_cleans_a_code_typed_with_spaces_and_dashes(client, certificate):
    code = certificate.verification_code
    typed = f" {code[:4].lower()} {code[4:8]}-{code[8:16]} - {code[16:]} "
    response = client.get("/verify", query_string={"kode": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{code}")
    grouped = client.get(f"/verify/{code[:8]}-{code[8:16]}-{code[16:]}")
    assert grouped.status_code == 200


def test_verify_api(client, certificate, person):
    response = client.get(f"/api/v1/certificates/{certificate.verification_code}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "valid" and body["name"] == person.full_name
    assert body["number"] == certificate.number and body["total_jp"] == 10
    raw = response.get_data(as_text=True)
    for secret in (
        SECRET_NIK,
        SECRET_PHONE,
        "6281234567890",
        "agus@example.id",
        "Bawaslu",
        person.ticket_code,
        '"participant_id"',
    ):
        assert secret not in raw


def test_revoked_stays_verifiable_as_revoked_without_its_reason(client, certificate, admin):
    issuing.revoke(certificate, "Tidak memenuhi kehadiran", actor=admin)
    db.session.commit()
    revoked_on = queries.verification_facts(certificate)["revoked_on"]
    for url in (
        f"/verify/{certificate.verification_code}",
        f"/verify?kode={certificate.number}",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "DICABUT" in html and "Tidak memenuhi kehadiran" not in html, url
        assert "Alasan" not in html, url
    api = client.get(f"/api/v1/certificates/{certificate.verification_code}")
    body = api.get_json()
    assert body["status"] == "revoked" and body["revoked_on"] == revoked_on
    assert "revoke_reason" not in body and "Tidak memenuhi" not in api.get_data(as_text=True)
    # its managers still see why
    stored = queries.get_by_code(certificate.verification_code)
    assert stored.revoke_reason == "Tidak memenuhi kehadiran"


def test_masked_names_keep_initials_and_punctuation():
    assert queries.masked_name("Agus Hari Kesuma") == "A*** H*** K*****"
    titled = "Dr. H. M. Agus Hari Kesuma, M.Si"
    assert queries.masked_name(titled) == "D*. H. M. A*** H*** K*****, M.**"
    assert queries.masked_name("  Ni   Luh  ") == "N* L**"
    assert queries.masked_name("Siti Nur'aini") == "S*** N**'****"
    assert queries.masked_name("") == ""


def test_unknown_code(client, app):
    page = client.get("/verify/ABCDEFGHJKLMNPQRSTUVWXYZ")
    assert page.status_code == 404 and "tidak ditemukan" in page.get_data(as_text=True)
    api = client.get("/api/v1/certificates/ABCDEFGHJKLMNPQRSTUVWXYZ")
    assert api.status_code == 404
    assert api.get_json()["error"]["code"] == "unknown_certificate"
    assert client.get("/verify").status_code == 200
    # neither a code nor a number issued: answered on the form's page, which keeps what was typed
    unknown = client.get("/verify?kode=abc")
    assert unknown.status_code == 404 and 'value="abc"' in unknown.get_data(as_text=True)


def test_nothing_lists_certificates_publicly(client, certificate):
    assert client.get("/api/v1/events/SERT24/certificates").status_code == 401
    assert client.get("/verify/").status_code in (302, 308, 404)


def test_admin_api_list(client, certificate, admin):

    _token, plain = issue_api_token(admin, "test")
    db.session.commit()
    response = client.get(
        "/api/v1/events/SERT24/certificates", headers={"Authorization": f"Bearer {plain}"}
    )
    assert response.get_json()["total"] == 1


def test_openapi_documents_verification(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/certificates/{code}" in spec["paths"]
    public = spec["components"]["schemas"]["CertificateVerification"]["properties"]
    assert "name" in public and "revoke_reason" not in public
    assert "revoke_reason" in spec["components"]["schemas"]["IssuedCertificate"]["properties"]


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_VERIFY": "3/minute"}]
)
def test_verify_is_rate_limited(client, app_config, certificate):
    codes = [client.get("/verify/ABCDEFGHJKLMNPQRSTUVWXYZ").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    api = [client.get("/api/v1/certificates/X").status_code for _ in range(4)]
    assert api[-1] == 429


def test_admin_is_warned_when_nobody_signs(admin_client, five_sessions):

    url = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    assert "Belum ada penanda tangan" in admin_client.get(url).get_data(as_text=True)
    configuration.save_signatory(five_sessions, {"name": "H. Ardiansyah"})
    db.session.commit()
    assert "Belum ada penanda tangan" not in admin_client.get(url).get_data(as_text=True)


def test_one_figure_reads_the_same_on_every_page(client):
    """6 of 7 sessions (85.7%) and a post-test of 2 of 3 (66.67): the attendance page, the
    test page and the certificate page print the same rounding (core/numbers.py)."""
    event = factories.make_event("BULAT", sessions=7)
    person = factories.make_participant(event)
    attend(event, person, 6)
    attempt = post_test(event, person, 2, total=3)
    attempt.assessment.show_score_after = True
    db.session.commit()
    login(client, person.nik)
    attendance = client.get(f"/peserta/{person.id}/kehadiran").get_data(as_text=True)
    tests = client.get(f"/peserta/{person.id}/tes").get_data(as_text=True)
    certificate = client.get(f"/portal/peserta/{person.id}/sertifikat").get_data(as_text=True)
    assert re.findall(r">(\d+)%<", attendance) == ["85"]
    assert re.findall(r">(\d+)%<", certificate) == ["85"]
    assert re.findall(r'class="score">([\d,]+)<', tests) == ["66,7"]
    assert ">66,7<" in certificate


# --- issuing for all as a job ---------------------------------------------------------------


def test_the_click_answers_with_the_progress_page_and_a_second_click_joins_it(
    app, admin_client, five_sessions, person, monkeypatch
):

    monkeypatch.setattr("bimtek.certificates.runs.enqueue_on_commit", lambda *args: None)
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    first = admin_client.post(base + "/terbitkan", data={"confirm": "1"})
    assert first.status_code == 302
    progress = first.headers["Location"]
    page = admin_client.get(progress).get_data(as_text=True)
    assert "Menunggu giliran" in page
    assert '<span data-run="done">0</span> dari <span data-run="total">1</span>' in page
    assert '<noscript><meta http-equiv="refresh"' in page
    listing = admin_client.get(base).get_data(as_text=True)
    assert "Penerbitan sertifikat sedang berjalan: 0 dari 1 peserta diproses." in listing
    assert f'href="{progress}"' in listing
    dashboard = admin_client.get(f"/admin/kegiatan/{five_sessions.code}/ringkasan")
    assert "Penerbitan sertifikat sedang berjalan" in dashboard.get_data(as_text=True)
    assert admin_client.get(base + "/terbitkan").headers["Location"] == progress
    second = admin_client.post(base + "/terbitkan", data={"confirm": "1"})
    assert second.headers["Location"] == progress
    assert "sedang berjalan; berikut kemajuannya" in admin_client.get(progress).get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(IssueRun)) == 1
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0


def test_the_progress_json_gives_counts_and_the_lines_past_a_position(
    app, admin_client, five_sessions, person
):
    other = factories.make_participant(five_sessions, full_name="Siti Kedua")
    qualify(five_sessions, other)
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    progress = admin_client.post(base + "/terbitkan", data={"confirm": "1"}).headers["Location"]
    assert settle(app)
    state = admin_client.get(progress, headers={"Accept": "application/json"}).json
    assert (state["status"], state["done"], state["total"], state["issued"]) == ("done", 2, 2, 2)
    assert [line["number"] for line in state["lines"]] == [
        "001/BIMTEK-SERT24/XII/2026",
        "002/BIMTEK-SERT24/XII/2026",
    ]
    later = admin_client.get(progress + "?setelah=0", headers={"Accept": "application/json"})
    assert [line["name"] for line in later.json["lines"]] == ["Siti Kedua"]


def test_a_run_of_another_event_is_not_found(app, admin_client, five_sessions, person):
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    progress = admin_client.post(base + "/terbitkan", data={"confirm": "1"}).headers["Location"]
    assert settle(app)
    other = factories.make_event("LAIN24")
    db.session.commit()
    moved = progress.replace(five_sessions.code, other.code)
    assert admin_client.get(moved).status_code == 404


def test_a_stalled_run_says_so_and_a_click_takes_it_up_again(
    app, admin_client, five_sessions, person, monkeypatch
):

    queued = []
    # the click queues from runs.py; taking up a lapsed run, from the one lease sweep
    for where in ("bimtek.certificates.runs", "bimtek.jobs.prepared"):
        monkeypatch.setattr(f"{where}.enqueue_on_commit", lambda *args: queued.append(args))
    base = f"/admin/kegiatan/{five_sessions.code}/sertifikat"
    progress = admin_client.post(base + "/terbitkan", data={"confirm": "1"}).headers["Location"]
    run = db.session.scalar(db.select(IssueRun))
    run.status, run.attempts = "running", 1
    run.heartbeat_at = utcnow() - timedelta(hours=1)  # its worker died
    db.session.commit()
    page = admin_client.get(progress).get_data(as_text=True)
    assert "Terhenti: proses pekerja berhenti sebelum selesai." in page
    assert "Lanjutkan penerbitan" in page and 'http-equiv="refresh"' not in page
    again = admin_client.post(base + "/terbitkan", data={"confirm": "1"})
    assert again.headers["Location"] == progress
    db.session.refresh(run)
    assert run.status == "queued" and len(queued) == 2  # the click, then the same run again
