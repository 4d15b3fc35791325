"""The kop surat and the signature blocks: rules without HTTP, then the pages."""

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from bimtek.audit.models import AuditLog
from bimtek.errors import InvalidInput
from bimtek.extensions import db
from bimtek.spj import documents, letterhead
from bimtek.storage import files
from tests.spj.helpers import check_pdf, jpeg_with_exif, png


def test_an_unsaved_kop_comes_from_the_event(event):
    kop = letterhead.get_letterhead(event)
    assert kop.name == event.organizer.upper()
    assert kop.logo_file_id is None


def test_saving_the_kop_is_audited_and_the_name_is_required(event, manager):
    with pytest.raises(InvalidInput) as refused:
        letterhead.update_letterhead(event, {"name": "  "}, actor=manager)
    assert "name" in refused.value.fields
    letterhead.update_letterhead(
        event,
        {
            "authority": "Pemerintah Kabupaten Kutai Timur",
            "name": "Badan Kesatuan Bangsa dan Politik",
            "address": "Jl. Soekarno Hatta, Sangatta",
            "contacts": "Telp. (0549) 21000 · kesbangpol@kutaitimurkab.go.id",
        },
        actor=manager,
    )
    db.session.commit()
    assert letterhead.get_letterhead(event).name == "Badan Kesatuan Bangsa dan Politik"
    assert db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "spj.letterhead"))


def test_the_logo_is_scaled_turned_upright_and_stripped_of_exif(event, manager):
    raw = jpeg_with_exif()
    assert Image.open(io.BytesIO(raw)).getexif()
    kop = letterhead.set_logo(event, raw, actor=manager)
    kept = files.read(kop.logo_file_id)
    image = Image.open(io.BytesIO(kept))
    assert image.format == "PNG"
    assert max(image.size) <= letterhead.LOGO_SIDE
    # orientation 6 applied: the 1600×1200 landscape photo is now portrait
    assert image.size[0] < image.size[1]
    assert not image.getexif()
    assert b"PhoneMaker" not in kept


@pytest.mark.parametrize("raw", [b"not an image", b"%PDF-1.4 hello", b""])
def test_a_logo_that_is_not_an_image_is_refused_with_nothing_kept(event, manager, raw):
    with pytest.raises(InvalidInput) as refused:
        letterhead.set_logo(event, raw, actor=manager)
    assert "logo" in refused.value.fields
    db.session.rollback()
    assert letterhead.get_letterhead(event).logo_file_id is None


def test_replacing_the_logo_deletes_the_old_file(event, manager):
    first = letterhead.set_logo(event, png(), actor=manager).logo_file_id
    second = letterhead.set_logo(event, png(color=(0, 0, 255, 255)), actor=manager).logo_file_id
    assert first != second
    assert files.get(first) is None


def test_a_signature_block_takes_an_an_line_a_nip_and_a_stamp(event, manager):
    block = letterhead.save_signature_block(
        event,
        {
            "heading": "Mengetahui,",
            "on_behalf_of": "Bupati Kutai Timur",
            "office": "Kepala Badan Kesbangpol",
            "name": "Drs. H. Contoh, M.Si",
            "nip": "196801011990031005",
        },
        stamp=png((400, 400)),
        actor=manager,
    )
    assert block.on_behalf_of == "a.n. Bupati Kutai Timur"
    assert letterhead.stamp_of(block)
    with pytest.raises(InvalidInput) as refused:
        letterhead.save_signature_block(
            event, {"office": "Bendahara", "name": "X", "nip": "1234"}, actor=manager
        )
    assert set(refused.value.fields) == {"nip"}


def test_at_most_four_signature_blocks(event, manager):
    for n in range(letterhead.MAX_SIGNATURE_BLOCKS):
        letterhead.save_signature_block(event, {"office": "J", "name": f"N{n}"}, actor=manager)
    with pytest.raises(InvalidInput):
        letterhead.save_signature_block(event, {"office": "J", "name": "N9"}, actor=manager)


def test_the_sample_embeds_its_fonts_and_passes_qpdf(event, manager, tmp_path):
    letterhead.update_letterhead(
        event, {"authority": "Pemerintah Kabupaten Kutai Timur", "name": "Kesbangpol"}
    )
    letterhead.set_logo(event, png((500, 500)), actor=manager)
    for office, name in (("Bendahara", "Siti"), ("Kepala Badan", "Budi")):
        letterhead.save_signature_block(
            event,
            {"heading": "Mengetahui,", "office": office, "name": name},
            stamp=png((300, 300), (40, 40, 160, 120)),
        )
    data = documents.sample_pdf(event)
    fonts = check_pdf(data, tmp_path, "sample")
    assert any("DejaVu" in line for line in fonts)


def test_the_pages_save_the_kop_and_a_signature(manager_client, event):
    page = manager_client.get(f"/admin/kegiatan/{event.code}/spj/kop")
    assert page.status_code == 200
    assert "Kop surat" in page.get_data(as_text=True)
    answer = manager_client.post(
        f"/admin/kegiatan/{event.code}/spj/kop",
        data={"name": "Kesbangpol Kutim", "address": "Sangatta"},
    )
    assert answer.status_code == 302
    answer = manager_client.post(
        f"/admin/kegiatan/{event.code}/spj/tanda-tangan",
        data={"office": "Bendahara", "name": "Siti", "stamp": (io.BytesIO(png()), "cap.png")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    block = letterhead.signature_blocks(event)[0]
    image = manager_client.get(f"/admin/kegiatan/{event.code}/spj/tanda-tangan/{block.id}/cap.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    refused = manager_client.post(f"/admin/kegiatan/{event.code}/spj/kop", data={"name": ""})
    assert refused.status_code == 422
    pdf = manager_client.get(f"/admin/kegiatan/{event.code}/spj/kop/contoh.pdf")
    assert pdf.data.startswith(b"%PDF")
