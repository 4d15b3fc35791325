"""The laporan kegiatan: one PDF whose figures are those of the pages and the exports."""

import io

from pypdf import PdfReader

from bimtek.assessments.results import results
from bimtek.attendance.queries import attendance_matrix
from bimtek.evaluation import queries
from bimtek.evaluation.models import ORGANIZER_PART
from bimtek.reports import activity_report
from bimtek.reports.dashboard import certificate_panel
from tests import factories
from tests.conftest import login
from tests.evaluation.conftest import fill
from tests.pdftext import pdf_pages


def _text(data: bytes) -> str:
    """The PDF's text on one line (table cells come out one per line)."""
    pages = pdf_pages(data, raw=True)
    return " ".join(line.strip() for page in pages for line in page.splitlines())


def _fonts(data: bytes) -> dict:
    """Every font used on every page: name -> whether its program is embedded."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded
    return found


def test_figures_are_those_of_results_attendance_and_certificates(busy_event):
    data = activity_report.activity_report_pdf(busy_event)
    text = _text(data)
    klass = results(busy_event)["class"]
    # worked out by hand in the fixture: pre 40 and 60, post 70 and 50
    assert (klass["mean_pre"], klass["mean_post"], klass["g_of_means"]) == (50.0, 60.0, 0.2)
    assert "Rata-rata pre-test 50 " in text  # scores to one decimal (core/numbers.py)
    assert "Rata-rata post-test 60 " in text
    assert "⟨g⟩ dari rata-rata 0,200" in text
    assert activity_report.number(klass["mean_g"], 3) in text
    matrix = attendance_matrix(busy_event)
    first = matrix.session_totals[0]
    assert (first["hadir"], first["terlambat"], first["izin"]) == (1, 1, 1)
    panel = certificate_panel(busy_event)
    assert f"Sertifikat berlaku {panel['issued']}" in text
    assert f"Memenuhi syarat {panel['eligible']}" in text
    assert "Terdaftar 3 dari kapasitas 3; daftar tunggu 1" in text
    assert "LAPORAN KEGIATAN" in text and "7. Penutup" in text


def test_evaluation_figures_match_the_report(rated_event):
    people = [factories.make_participant(rated_event) for _ in range(5)]
    for person, value in zip(people, (4, 4, 3, 3, 2), strict=True):
        fill(person, ORGANIZER_PART, value=value, comment="Ruang dingin")
    organizer = queries.report(rated_event)["organizer"]
    text = _text(activity_report.activity_report_pdf(rated_event))
    assert organizer["overall"]["index"] == 80.0
    assert "Penyelenggara — 5 100% 80 Baik" in text
    assert "Ruang dingin (5×)" in text
    assert "< 5 responden" in text  # the two narasumber, nobody rated them


def test_every_font_is_embedded(busy_event):
    fonts = _fonts(activity_report.activity_report_pdf(busy_event))
    assert fonts and all(fonts.values()), fonts


def test_download_is_for_the_manager(client, busy_event):
    manager = factories.make_staff("manager", event=busy_event)
    panitia = factories.make_staff("panitia", event=busy_event)
    url = f"/admin/kegiatan/{busy_event.code}/laporan-kegiatan.pdf"
    assert client.get(url).status_code == 302
    login(client, panitia.email)
    assert client.get(url).status_code == 403
    client.post("/keluar")
    login(client, manager.email)
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.data.startswith(b"%PDF")
