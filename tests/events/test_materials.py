"""Module materials: PDF/PPT uploads with content and size checks, downloads by who may."""

import hashlib
import io
import zipfile

import pytest
import sqlalchemy as sa

from bimtek.errors import InvalidInput
from bimtek.events import services
from bimtek.events.models import Material
from bimtek.extensions import db
from bimtek.participants.cancellation import cancel
from bimtek.storage import files
from bimtek.storage.models import StoredFile
from tests.conftest import login
from tests.factories import make_participant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PPT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600


def pptx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, kind",
    [
        (PDF, "pdf"),
        (PPT, "ppt"),
        (pptx_bytes(), "pptx"),
        (docx_bytes(), None),
        (b"MZ\x90\x00", None),
        (b"PK\x03\x04broken", None),
        (b"", None),
    ],
)
def test_material_kind_reads_the_content(content, kind):
    assert services.material_kind(content) == kind


def upload(module, content, filename="slide.pdf", max_bytes=1024 * 1024):
    return services.add_material(
        module,
        stream=io.BytesIO(content),
        filename=filename,
        title="",
        max_bytes=max_bytes,
    )


def test_upload_keeps_the_file_in_the_database(event):
    module = event.modules[0]
    material = upload(module, PDF, "../../etc/Materi Mitigasi.pdf")
    db.session.commit()
    assert material.filename == "etc_Materi_Mitigasi.pdf" or material.filename.endswith(
        "Materi_Mitigasi.pdf"
    )
    assert material.title == material.filename.rsplit(".", 1)[0].replace("_", " ")
    assert files.read(material.file_id) == PDF and material.size_bytes == len(PDF)
    stored = files.get(material.file_id)
    assert (stored.size, stored.content_type) == (len(PDF), "application/pdf")
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()


def test_extension_follows_the_content(event):
    material = upload(event.modules[0], pptx_bytes(), "slides.pdf")
    assert material.kind == "pptx" and material.filename == "slides.pptx"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "Pilih berkas"),
        (b"plain text", "Hanya berkas PDF"),
        (docx_bytes(), "Hanya berkas"),
        (PDF + b"x" * 2000, "lebih dari"),
    ],
)
def test_bad_uploads_write_nothing(event, content, message):
    with pytest.raises(InvalidInput, match=message):
        upload(event.modules[0], content, "x.pdf", max_bytes=1000)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Material)) == 0


def test_admin_uploads_and_deletes_through_the_page(admin_client, event, app):
    module = event.modules[0]
    base = f"/admin/kegiatan/{event.code}"
    response = admin_client.post(
        f"{base}/materi/{module.id}/bahan",
        data={"material_title": "Slide UU 7/2012", "file": (io.BytesIO(PDF), "uu7.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    material = db.session.scalar(sa.select(Material))
    assert material.title == "Slide UU 7/2012"
    page = admin_client.get(f"{base}/materi/{module.id}").get_data(as_text=True)
    assert "Slide UU 7/2012" in page
    assert page.count('id="f-title"') == 1  # the upload form has its own field ids
    bad = admin_client.post(
        f"{base}/materi/{module.id}/bahan",
        data={"file": (io.BytesIO(b"not a pdf"), "virus.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Hanya berkas PDF, PPT atau PPTX yang diterima." in bad.get_data(as_text=True)
    with admin_client.get(f"/bahan/{material.id}/uu7.pdf") as download:
        assert download.status_code == 200 and download.data == PDF
        assert download.headers["Content-Type"] == "application/pdf"
        assert download.headers["Content-Disposition"] == "attachment; filename=uu7.pdf"
        assert download.headers["Cache-Control"] == "no-cache"
        assert download.headers["ETag"] == f'"{hashlib.sha256(PDF).hexdigest()}"'
        etag = download.headers["ETag"]
    with admin_client.get(
        f"/bahan/{material.id}/uu7.pdf", headers={"If-None-Match": etag}
    ) as again:
        assert again.status_code == 304
    assert admin_client.post(f"{base}/bahan/{material.id}/hapus").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Material)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_deleting_a_module_deletes_its_materials_files(event, admin):
    upload(event.modules[0], PDF, "a.pdf")
    upload(event.modules[0], PPT, "b.ppt")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 2
    services.delete_module(event.modules[0], actor=admin)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_a_material_whose_file_was_lost_before_the_move_is_a_404(client, event, admin):
    material = upload(event.modules[0], PDF, "hilang.pdf")
    file_id, material.file_id = material.file_id, None
    db.session.flush()
    files.delete(file_id)
    db.session.commit()
    login(client, admin.email)
    assert client.get(f"/bahan/{material.id}/hilang.pdf").status_code == 404


def test_only_registered_participants_and_staff_download(client, event, app):
    material = upload(event.modules[0], PDF, "m.pdf")
    db.session.commit()
    url = f"/bahan/{material.id}/m.pdf"
    assert client.get(url).status_code == 302  # to the login page
    waiting_event_person = make_participant(event)
    login(client, waiting_event_person.nik)
    with client.get(url) as download:
        assert download.status_code == 200

    cancel(waiting_event_person, actor=None)
    db.session.commit()
    assert client.get(url).status_code == 403
    assert client.get("/bahan/999/x.pdf").status_code == 404


def test_schedule_page_shows_materials_to_the_participant_only(client, event, app):
    upload(event.modules[0], PDF, "peta-rawan.pdf")
    db.session.commit()
    me, other = make_participant(event), make_participant(event)
    login(client, me.nik)
    page = client.get(f"/portal/{me.id}/jadwal").get_data(as_text=True)
    assert "peta-rawan" in page and "Mitigasi Konflik" in page and "08.00" in page
    assert client.get(f"/portal/{other.id}/jadwal").status_code == 404
