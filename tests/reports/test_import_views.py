"""The import pages: upload, preview, confirm or discard; the template; the CLI."""

import io
import re

import openpyxl
import pytest
import sqlalchemy as sa

from bimtek.extensions import db
from bimtek.participants.models import Participant
from tests.conftest import login
from tests.factories import make_event
from tests.participants.sheets import person_row, xlsx_bytes


def upload(client, data: bytes, name="peserta.xlsx", code="UJI24"):
    return client.post(
        f"/admin/kegiatan/{code}/impor",
        data={"berkas": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def count_participants():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Participant))


def test_import_page_and_template(admin_client, event):
    page = admin_client.get("/admin/kegiatan/UJI24/impor")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Impor peserta dari Excel" in html and "5.000 baris" in html
    template = admin_client.get("/admin/kegiatan/UJI24/impor/templat-peserta.xlsx")
    assert template.status_code == 200
    assert template.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(template.data))
    assert book["Peserta"]["A1"].value == "Nama lengkap *"


def test_upload_preview_confirm(admin_client, event):
    rows = [person_row(full_name="Andi"), person_row(phone="12"), person_row(full_name="Budi")]
    response = upload(admin_client, xlsx_bytes(rows))
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    assert re.search(r"/admin/kegiatan/UJI24/impor/[A-Za-z0-9_-]{32}$", preview_url)
    preview = admin_client.get(preview_url)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert 'id="valid-count">2<' in html and 'id="invalid-count">1<' in html
    assert "H (Nomor HP)" in html and "Impor 2 baris valid" in html
    assert count_participants() == 0

    done = admin_client.post(preview_url + "/simpan", data={"valid_rows": "2"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/kegiatan/UJI24/peserta")
    assert count_participants() == 2
    listing = admin_client.get(done.headers["Location"]).get_data(as_text=True)
    assert "2 peserta diimpor: 2 terdaftar, 0 daftar tunggu." in listing
    assert "1 baris bermasalah dilewati." in listing
    history = admin_client.get("/admin/kegiatan/UJI24/impor").get_data(as_text=True)
    assert 'id="import-history"' in history and "peserta.xlsx" in history
    # the upload is gone: confirming again is refused, nothing doubles
    again = admin_client.post(preview_url + "/simpan", data={"valid_rows": "2"})
    assert again.status_code == 404 and count_participants() == 2


def test_discard_writes_nothing(admin_client, event):
    preview_url = upload(admin_client, xlsx_bytes([person_row()])).headers["Location"]
    response = admin_client.post(preview_url + "/batal")
    assert response.status_code == 302
    assert count_participants() == 0
    assert admin_client.get(preview_url).status_code == 404


def test_confirm_after_the_data_changed_shows_the_preview_again(admin_client, event):
    rows = [person_row(), person_row()]
    preview_url = upload(admin_client, xlsx_bytes(rows)).headers["Location"]
    response = admin_client.post(preview_url + "/simpan", data={"valid_rows": "5"})
    assert response.headers["Location"] == preview_url.replace("http://localhost", "")
    assert count_participants() == 0


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Nama,NIK\nAndi,1\n", "peserta.xlsx", "teks/CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "peserta.xls", "Excel lama (.xls)"),
        (xlsx_bytes([], header=None), "kosong.xlsx", "Lembar kerja kosong"),
    ],
)
def test_bad_files_are_explained_on_the_upload_page(admin_client, event, data, name, message):
    response = upload(admin_client, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_no_file_chosen(admin_client, event):
    response = admin_client.post("/admin/kegiatan/UJI24/impor", data={})
    assert response.status_code == 422
    assert "Pilih berkas .xlsx" in response.get_data(as_text=True)


def test_twenty_megabytes_is_refused_by_size(admin_client, event):
    # a raw multipart body in memory (the test client would spool it to an unclosed file)
    boundary = "grens"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; '
            f'filename="besar.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + b"PK"
        + b"\0" * (20 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = admin_client.post(
        "/admin/kegiatan/UJI24/impor",
        input_stream=io.BytesIO(body),
        content_length=len(body),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Berkas terlalu besar (20.0 MB)" in html and "5 MB" in html


def test_size_limit_is_configurable(app, admin_client, event):
    app.config["IMPORT_MAX_BYTES"] = 4000
    response = upload(admin_client, xlsx_bytes([person_row()] * 3))
    assert response.status_code == 413


def test_a_preview_belongs_to_its_event(admin_client, event):
    make_event("LAIN")
    preview_url = upload(admin_client, xlsx_bytes([person_row()])).headers["Location"]
    other = preview_url.replace("/UJI24/", "/LAIN/")
    assert admin_client.get(other).status_code == 404
    assert admin_client.post(other + "/simpan").status_code == 404
    assert admin_client.get("/admin/kegiatan/UJI24/impor/" + "x" * 32).status_code == 404


def test_panitia_cannot_import(panitia_client, event):
    assert panitia_client.get("/admin/kegiatan/UJI24/impor").status_code == 403
    assert upload(panitia_client, xlsx_bytes([person_row()])).status_code == 403


def test_anonymous_is_sent_to_login(client, event):
    response = client.get("/admin/kegiatan/UJI24/impor")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_cli_dry_run_then_import(runner, event, tmp_path):
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(xlsx_bytes([person_row(full_name="Andi"), person_row(nik="1")]))
    dry = runner.invoke(args=["import-participants", "uji24", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "baris     2  OK     Andi" in dry.output
    assert "baris     3  SALAH  kolom B (NIK): NIK harus 16 digit angka." in dry.output
    assert "tidak ada yang disimpan" in dry.output
    assert count_participants() == 0

    real = runner.invoke(args=["import-participants", "UJI24", str(path)])
    assert real.exit_code == 0, real.output
    assert "Diimpor 1 peserta: 1 terdaftar, 0 daftar tunggu; 1 baris bermasalah dilewati." in (
        real.output
    )
    assert count_participants() == 1


def test_cli_bad_file_and_unknown_event(runner, event, tmp_path):
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(b"Nama,NIK\n")
    result = runner.invoke(args=["import-participants", "UJI24", str(path)])
    assert result.exit_code == 1 and "teks/CSV" in result.output
    result = runner.invoke(args=["import-participants", "NOPE", str(path)])
    assert result.exit_code == 1 and "Kegiatan tidak ditemukan" in result.output


def test_staff_login_helper_still_works(client, admin, event):
    login(client, admin.email)
    assert client.get("/admin/kegiatan/UJI24/impor").status_code == 200
