"""Letters: numbered once from the agenda sequence, the same words in the PDF and the .docx."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from bimtek.errors import InvalidInput, NotFound
from bimtek.extensions import db
from bimtek.spj import letterhead, letters, pdf, word
from tests import factories
from tests.spj.helpers import check_pdf, png


@pytest.fixture
def invited(event):
    factories.make_participant(
        event,
        full_name="Drs. Andi Wijaya, M.Si",
        institution="KPU Kabupaten Kutai Timur",
        nip="198001012005011001",
        job_title="Sekretaris",
    )
    factories.make_participant(event, full_name="Budi", institution="KPU Kabupaten Kutai Timur")
    factories.make_participant(event, full_name="Citra", institution="Bawaslu Kutai Timur")
    letterhead.update_letterhead(
        event,
        {
            "authority": "Pemerintah Kabupaten Kutai Timur",
            "name": "Badan Kesbangpol",
            "address": "Jl. Soekarno Hatta, Sangatta",
            "contacts": "Telp. (0549) 21000",
        },
    )
    letterhead.set_logo(event, png((300, 300)))
    letterhead.save_signature_block(
        event,
        {
            "on_behalf_of": "Bupati Kutai Timur",
            "office": "Kepala Badan Kesbangpol",
            "name": "Drs. H. Contoh, M.Si",
            "nip": "196801011990031005",
        },
        stamp=png((300, 300), (30, 30, 150, 110)),
    )
    db.session.commit()
    return event


def test_a_letter_is_numbered_once_in_the_agenda_sequence(invited, manager):
    first = letters.number_letter(invited, "undangan", "KPU Kabupaten Kutai Timur", actor=manager)
    again = letters.number_letter(invited, "undangan", " KPU  Kabupaten Kutai Timur")
    assert again.id == first.id
    person = letters.registered(invited)[0]
    statement = letters.number_letter(invited, "keterangan", str(person.id))
    year, roman = (
        first.issued_on.year,
        "I II III IV V VI VII VIII IX X XI XII".split()[first.issued_on.month - 1],
    )
    assert first.number == f"001/UND/UJI24/{roman}/{year}"
    assert statement.number == f"002/KET/UJI24/{roman}/{year}"
    assert letters.number_all_invitations(invited) == 1  # Bawaslu only


def test_unknown_subjects_are_refused(invited):
    with pytest.raises(InvalidInput):
        letters.number_letter(invited, "undangan", "Instansi Lain")
    with pytest.raises(NotFound):
        letters.number_letter(invited, "keterangan", "999999")
    other = factories.make_event("LAIN24")
    stranger = factories.make_participant(other)
    with pytest.raises(NotFound):
        letters.number_letter(invited, "keterangan", str(stranger.id))


def test_a_bad_number_format_is_refused(invited):
    with pytest.raises(InvalidInput) as refused:
        letters.update_letter_settings(
            invited, {"invitation_format": "{seq}", "statement_format": "{seq}/{code}/{nik}"}
        )
    assert set(refused.value.fields) == {"invitation_format", "statement_format"}


def test_the_invitation_lists_the_agencys_participants_in_pdf_and_docx(invited, tmp_path):
    letter = letters.number_letter(invited, "undangan", "KPU Kabupaten Kutai Timur")
    content = letters.letter_text(invited, letter)
    check_pdf(pdf.letter_pdf(invited, content), tmp_path, "undangan")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "undangan.pdf").pages)
    assert "Drs. Andi Wijaya, M.Si" in text and "Budi" in text and "Citra" not in text
    assert letter.number in text and "BADAN KESBANGPOL" in text
    document = Document(io.BytesIO(word.letter_docx(invited, content)))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for expected in (
        letter.number,
        "Drs. Andi Wijaya, M.Si",
        "Budi",
        "BADAN KESBANGPOL",
        "a.n. Bupati Kutai Timur",
        "NIP. 196801011990031005",
    ):
        assert expected in words
    assert "Citra" not in words
    assert document.inline_shapes  # the logo


def test_the_statement_names_the_participant_and_their_attendance(invited, tmp_path):
    person = letters.registered(invited)[0]
    letter = letters.number_letter(invited, "keterangan", str(person.id))
    check_pdf(pdf.letter_pdf(invited, letters.letter_text(invited, letter)), tmp_path, "ket")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "ket.pdf").pages)
    assert "SURAT KETERANGAN" in text and person.full_name in text
    assert "kehadiran 0 dari 2 sesi" in text
    assert person.nik not in text


def test_the_pages_number_and_serve_letters(invited, manager_client):
    code = invited.code
    page = manager_client.get(f"/admin/kegiatan/{code}/spj/surat")
    assert page.status_code == 200
    answer = manager_client.post(f"/admin/kegiatan/{code}/spj/surat/nomor", data={"all": "1"})
    assert answer.status_code == 302
    letter = letters.numbered(invited)[("undangan", "Bawaslu Kutai Timur")]
    assert manager_client.get(f"/admin/kegiatan/{code}/spj/surat/{letter.id}.pdf").data[:4] == (
        b"%PDF"
    )
    docx = manager_client.get(f"/admin/kegiatan/{code}/spj/surat/{letter.id}.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    refused = manager_client.post(
        f"/admin/kegiatan/{code}/spj/surat/nomor", data={"kind": "undangan", "subject": "X"}
    )
    assert refused.status_code == 422
