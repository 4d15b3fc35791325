"""Dokumentasi: a phone photo is kept resized, upright and without EXIF, with its caption."""

import io

import pytest
from PIL import Image

from bimtek.errors import InvalidInput
from bimtek.events import services as event_services
from bimtek.extensions import db
from bimtek.spj import dokumentasi, pdf
from bimtek.storage import files
from tests.spj.helpers import check_pdf, jpeg_with_exif


def test_a_phone_photo_is_resized_turned_and_stripped(event, manager):
    session = event.sessions[0]
    photo = dokumentasi.add_photo(
        event, session, jpeg_with_exif((4000, 3000)), "  Pembukaan  oleh Bupati ", actor=manager
    )
    kept = files.read(photo.file_id)
    image = Image.open(io.BytesIO(kept))
    assert image.format == "JPEG"
    assert (photo.width, photo.height) == image.size == (1200, 1600)  # upright, ≤ 1600
    assert not image.getexif()
    assert b"PhoneMaker" not in kept
    assert photo.caption == "Pembukaan oleh Bupati"


def test_not_a_photo_or_a_long_caption_is_refused(event):
    session = event.sessions[0]
    with pytest.raises(InvalidInput) as refused:
        dokumentasi.add_photo(event, session, b"GIF89a....", "x" * 301)
    assert set(refused.value.fields) == {"caption"}
    with pytest.raises(InvalidInput) as refused:
        dokumentasi.add_photo(event, session, b"GIF89a....", "ok")
    assert set(refused.value.fields) == {"photo"}


def test_photos_print_by_session_with_captions(event, manager, tmp_path):
    for n, session in enumerate(event.sessions):
        for k in range(3):
            dokumentasi.add_photo(event, session, jpeg_with_exif(), f"Sesi {n} foto {k}")
    groups = dokumentasi.photos_by_session(event)
    assert [len(g.photos) for g in groups] == [3, 3]
    check_pdf(pdf.dokumentasi_pdf(event, groups), tmp_path, "dokumentasi")


def test_the_page_takes_a_photo_from_the_camera(event, manager_client):
    session = event.sessions[0]
    page = manager_client.get(f"/admin/kegiatan/{event.code}/spj/dokumentasi")
    assert 'accept="image/*" capture="environment"' in page.get_data(as_text=True)
    answer = manager_client.post(
        f"/admin/kegiatan/{event.code}/spj/dokumentasi/{session.id}",
        data={"photo": (io.BytesIO(jpeg_with_exif()), "IMG_0001.jpg"), "caption": "Diskusi"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    photo = dokumentasi.photos_by_session(event)[0].photos[0]
    photo_id, file_id = photo.id, photo.file_id
    image = manager_client.get(f"/admin/kegiatan/{event.code}/spj/dokumentasi/foto/{photo_id}.jpg")
    assert image.status_code == 200 and image.data[:2] == b"\xff\xd8"
    manager_client.post(f"/admin/kegiatan/{event.code}/spj/dokumentasi/foto/{photo_id}/hapus")
    db.session.expire_all()
    assert files.get(file_id) is None


def test_deleting_a_session_deletes_its_photos_files(event, manager):
    session, other = event.sessions[0], event.sessions[1]
    gone = [dokumentasi.add_photo(event, session, jpeg_with_exif(), f"foto {k}") for k in range(2)]
    kept = dokumentasi.add_photo(event, other, jpeg_with_exif(), "sesi lain")
    file_ids = [photo.file_id for photo in gone]
    db.session.commit()
    event_services.delete_session(session, actor=manager)
    db.session.commit()
    db.session.expire_all()
    assert all(files.get(file_id) is None for file_id in file_ids)
    assert files.get(kept.file_id) is not None
    assert [len(g.photos) for g in dokumentasi.photos_by_session(event)] == [1]
