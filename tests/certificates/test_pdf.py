"""The certificate PDF: text, the QR code, Unicode names, many at once."""

import ast
import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

import bimtek.certificates
from bimtek.certificates import configuration, issuing, numbering, printing, queries
from bimtek.certificates.layout import has_glyphs, pick_font
from bimtek.certificates.rendering import render, split
from bimtek.certificates.sheets import Sheet
from bimtek.extensions import db
from tests import factories
from tests.certificates.conftest import qualify
from tests.pdftext import decode_qr, pdf_pages, pdf_text


@pytest.fixture
def issued(five_sessions):
    def make(name):
        person = factories.make_participant(five_sessions, full_name=name)
        qualify(five_sessions, person)
        certificate = issuing.issue(person)
        db.session.commit()
        return certificate

    return make


def test_pdf_holds_name_number_and_modules(five_sessions, issued):
    certificate = issued("Dr. H. M. Agus Hari Kesuma, M.Si")
    data = printing.certificates_pdf(five_sessions, [certificate])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    front, back = pdf_pages(data)
    assert "Dr. H. M. Agus Hari Kesuma, M.Si" in front
    assert certificate.number in front
    assert "SERTIFIKAT" in front.replace(" ", "")
    assert "Bimtek Uji SERT24" in front
    assert "10 JP" in front
    assert "Mitigasi Konflik" in back and certificate.number in back


def test_qr_decodes_to_the_verification_url(five_sessions, issued, tmp_path):
    certificate = issued("Siti Rahmawati")
    data = printing.certificates_pdf(five_sessions, [certificate])
    expected = f"http://bimtek.test/verify/{certificate.verification_code}"
    assert decode_qr(data, tmp_path) == [expected]


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Thị Ánh",
        "Dr. H. M. Agus Hari Kesuma, M.Si",
        "Andi Muh. Ma'ruf O'Neil, S.Sos.",
        "Ni Luh Putu Ayu Ṣāliḥ",
        "Prof. Dr. Ir. H. Muhammad Syafruddin Abdurrahman Wahid Kusumanegara, S.H., M.H., "
        "M.Si., Ph.D",
    ],
)
def test_unicode_and_long_names_print_exactly(five_sessions, issued, name):
    certificate = issued(name)
    text = pdf_text(printing.certificates_pdf(five_sessions, [certificate]))
    assert " ".join(name.split()) in " ".join(text.split())


def test_arabic_name_is_joined_and_right_to_left(five_sessions, issued, tmp_path):
    name = "محمد عبد الله"
    certificate = issued(name)
    data = printing.certificates_pdf(five_sessions, [certificate])
    assert not has_glyphs("Serif-Bold", name)
    assert pick_font(name, "Serif-Bold", "Sans-Bold") == "Sans-Bold"
    # drawn left to right: الله (final heh, medial lam, initial lam, alef), عبد, محمد;
    # the extractor may hand the text back in logical order, so accept either
    drawn = "\ufeea\ufee0\ufedf\ufe8d \ufeaa\ufe92\ufecb \ufeaa\ufee4\ufea4\ufee3"
    logical = " ".join(word[::-1] for word in reversed(drawn.split(" ")))
    text = pdf_text(data)
    assert drawn in text or logical in text
    assert unicodedata.normalize("NFKC", logical) == name
    assert decode_qr(data, tmp_path)  # and the page still renders cleanly with its QR


def test_static_parts_are_drawn_once_per_document(five_sessions, issued):
    certificates = [issued(f"Peserta {i}") for i in range(3)]
    data = printing.certificates_pdf(five_sessions, certificates)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 6
    forms = {
        xobject.get_object().indirect_reference.idnum
        for page in reader.pages
        for xobject in page["/Resources"]["/XObject"].values()
    }
    assert len(forms) == 2  # one front and one back form shared by every page


def test_revoked_certificate_is_stamped(five_sessions, issued):
    certificate = issued("Budi Santoso")
    issuing.revoke(certificate, "Data tidak benar")
    db.session.commit()
    text = pdf_text(printing.certificates_pdf(five_sessions, [certificate]), raw=True)
    assert "DICABUT" in text


def test_design_with_images_and_signatories(five_sessions, issued, tmp_path):

    def png(size, color):
        image = Image.new("RGBA", size, (0, 0, 0, 0))
        ImageDraw.Draw(image).ellipse((5, 5, size[0] - 5, size[1] - 5), fill=color)
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()

    configuration.set_image(five_sessions, "logo_left", png((300, 300), (11, 93, 75, 255)))
    configuration.set_image(five_sessions, "logo_right", png((300, 300), (176, 141, 60, 255)))
    background = io.BytesIO()
    Image.new("RGB", (1200, 850), (250, 247, 238)).save(background, "JPEG")
    configuration.set_image(five_sessions, "background", background.getvalue())
    for index in range(3):
        configuration.save_signatory(
            five_sessions,
            {"name": f"Pejabat Nomor {index + 1}", "title": "Kepala Dinas", "nip": "1965 0412"},
            signature=png((400, 140), (20, 30, 120, 255)),
        )
    db.session.commit()
    certificate = issued("Rina Kartika")
    data = printing.certificates_pdf(five_sessions, [certificate])
    text = pdf_text(data)
    for index in range(3):
        assert f"Pejabat Nomor {index + 1}" in text
    assert "NIP. 1965 0412" in text
    assert decode_qr(data, tmp_path) == [queries.verification_url(certificate.verification_code)]


def test_sample_preview(five_sessions):
    data = printing.sample_pdf(five_sessions)
    text = pdf_text(data)
    assert "Contoh Nama Peserta" in text
    assert "001/BIMTEK-SERT24/" in text


def test_zip_has_one_safe_named_pdf_per_certificate(five_sessions, issued, tmp_path):
    names = ["Nguyễn Thị Ánh", "../../etc/passwd", "محمد"]
    issued_list = [issued(name) for name in names]
    archive = dict(
        entry for batch in printing.issued_files(issued_list, chunk=2) for entry in batch
    )
    files = list(archive)
    assert files == ["001-Nguyen_Thi_Anh.pdf", "002-etc_passwd.pdf", "003-sertifikat.pdf"]
    for name, certificate in zip(files, issued_list, strict=True):
        data = archive[name]
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 2
        assert reader.metadata.title == f"Sertifikat {certificate.number}"
        text = pdf_text(data)
        assert certificate.number in text
        assert "Nguyễn Thị Ánh" not in text or name.startswith("001")
    first = archive[files[0]]
    assert decode_qr(first, tmp_path) == [
        queries.verification_url(issued_list[0].verification_code)
    ]
    assert "Nguyễn Thị Ánh" in pdf_text(first)


def test_many_certificates_in_one_document_decode(five_sessions, tmp_path):
    design = printing.design_for(five_sessions)
    codes = [numbering.new_verification_code() for _ in range(16)]
    sheets = [
        Sheet(
            f"Peserta {i}",
            f"{i:03d}/X",
            code,
            queries.verification_url(code),
            "Judul",
            date(2024, 10, 28),
            date(2024, 10, 31),
            10,
            45,
        )
        for i, code in enumerate(codes)
    ]
    data = render(design, sheets)
    for page, code in ((1, codes[0]), (31, codes[-1])):
        assert decode_qr(data, tmp_path, page=page) == [queries.verification_url(code)]


def test_split_documents_render_cleanly(five_sessions, issued, tmp_path):
    certificates = [issued(f"Peserta Potong {i}") for i in range(3)]
    merged = printing.certificates_pdf(five_sessions, certificates)
    parts = split(merged, 2)
    assert len(parts) == 3
    for index, (part, certificate) in enumerate(zip(parts, certificates, strict=True)):
        assert f"Peserta Potong {index}" in pdf_text(part)
        assert len(part) < len(merged)
        url = queries.verification_url(certificate.verification_code)
        assert decode_qr(part, tmp_path) == [url]  # also: poppler reports no broken object
        assert decode_qr(part, tmp_path, page=2) == []  # page 2 renders too


def test_certificates_reach_into_no_library_internals():
    """Public library APIs only (issue 19): no module of the certificates domain reads or
    sets a private attribute (``canvas._doc``, ``xobject._filters``) of an object not its
    own, nor changes ReportLab's global settings (``rl_config``)."""

    found = []
    for path in sorted(Path(bimtek.certificates.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                owner = node.value
                own = isinstance(owner, ast.Name) and owner.id in ("self", "cls")
                if not own and not node.attr.startswith("__"):
                    found.append(f"{path.name}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "reportlab":
                if any(alias.name == "rl_config" for alias in node.names):
                    found.append(f"{path.name}:{node.lineno} rl_config")
    assert found == []
