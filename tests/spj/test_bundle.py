"""The SPJ bundle: one PDF of every document and one workbook of every money table, built
by a job; the same totals on the pages, in the PDF and in the workbook."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bimtek.attendance.pdf import sign_in_sheet_pdf
from bimtek.attendance.queries import session_attendance
from bimtek.demo import load_demo
from bimtek.extensions import db
from bimtek.spj import bundle, documents, dokumentasi, honor, kontribusi, letterhead, letters, money
from bimtek.spj.rupiah import format_rupiah
from tests.notifications.conftest import settle
from tests.spj.helpers import check_pdf, jpeg_with_exif, png


@pytest.fixture
def full(two_days, event, manager):
    """An event with every part of the SPJ: kop, signers, rates, honor, a paid tagihan, a
    letter, a photo."""
    letterhead.update_letterhead(event, {"name": "Badan Kesbangpol Kutai Timur"})
    letterhead.set_logo(event, png((300, 300)))
    letterhead.save_signature_block(event, {"office": "Bendahara", "name": "Siti"})
    letterhead.save_signature_block(
        event,
        {"heading": "Mengetahui,", "office": "Kepala Badan", "name": "Budi"},
        stamp=png((200, 200), (20, 20, 150, 120)),
    )
    money.update_rates(event, {"rate-transport-": "100.000", "rate-saku-": "150.000"})
    honor.save_honor(
        event,
        {
            "name": "Dr. Narasumber",
            "jp": "4",
            "rate_per_jp": "900.000",
            "is_asn": "1",
            "golongan": "IV",
            "module_id": str(event.modules[0].id),
        },
    )
    kontribusi.update_fee_settings(
        event, {"fee_per_participant": "2.500.000", "number_format": "{seq:03d}/TG/{code}"}
    )
    invoice = kontribusi.issue_invoice(event, "KPU Kabupaten Kutai Timur")
    kontribusi.record_payment(
        invoice, event, {"paid_on": invoice.issued_on.isoformat(), "payment_method": "transfer"}
    )
    letters.number_all_invitations(event)
    dokumentasi.add_photo(event, event.sessions[0], jpeg_with_exif(), "Pembukaan")
    db.session.commit()
    return event


def test_the_bundle_holds_every_part_after_its_cover(full, tmp_path):
    steps = []
    data = bundle.build_bundle_pdf(full, lambda done, total: steps.append((done, total)))
    check_pdf(data, tmp_path, "spj")
    reader = PdfReader(io.BytesIO(data))
    titles = [part.title for part in bundle.parts(full)]
    outline = [item.title for item in reader.outline]
    assert outline == ["Sampul dan daftar isi", *titles]
    assert titles[0].startswith("Surat undangan") and titles[-1] == "Laporan kegiatan"
    assert sum(t.startswith("Daftar hadir") for t in titles) == len(full.sessions)
    assert steps[-1] == (len(titles) + 1, len(titles) + 1)
    cover = reader.pages[0].extract_text()
    assert "SURAT PERTANGGUNGJAWABAN" in cover and "Laporan kegiatan" in cover


def test_the_same_totals_in_the_workbook(full):
    book = load_workbook(io.BytesIO(bundle.money_workbook(full)))
    day2 = money.penerimaan(full)[1]
    sheet = book["Penerimaan hari 2"]
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[1] == "JUMLAH"]
    assert values[0][-1] == day2.total == 500_000
    sums = honor.totals(honor.honor_lines(full))
    values = [
        row
        for row in book["Honor narasumber"].iter_rows(values_only=True)
        if row and row[0] == "JUMLAH"
    ]
    assert (values[0][6], values[0][8], values[0][9]) == (sums["gross"], sums["tax"], sums["net"])
    kontribusi_rows = list(book["Kontribusi"].iter_rows(values_only=True))
    assert any(row[3] == 7_500_000 and row[6] == "Lunas" for row in kontribusi_rows if row)


def test_the_page_asks_a_job_and_the_files_download(app, full, manager_client, tmp_path):
    page = manager_client.get(f"/admin/kegiatan/{full.code}/spj").get_data(as_text=True)
    assert "Siapkan SPJ (PDF)" in page
    for kind in ("spj_pdf", "spj_xlsx"):
        answer = manager_client.post(f"/admin/kegiatan/{full.code}/spj/berkas/{kind}")
        assert answer.status_code == 302
        assert settle(app)
        download = manager_client.get(answer.headers["Location"] + "/unduh")
        assert download.status_code == 200
        data = download.data
        download.close()
        if kind == "spj_pdf":
            check_pdf(data, tmp_path, "job")
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
            assert format_rupiah(500_000, prefix=False) in text
        else:
            assert data[:2] == b"PK"
    assert manager_client.post(f"/admin/kegiatan/{full.code}/spj/berkas/x").status_code == 404


def test_the_daftar_hadir_and_the_laporan_carry_the_kop_in_the_bundle(full, tmp_path):

    session = full.sessions[0]
    sheet = sign_in_sheet_pdf(session, session_attendance(session)).getvalue()
    framed = documents.under_kop(full, sheet)
    check_pdf(framed, tmp_path, "hadir-kop")
    before, after = PdfReader(io.BytesIO(sheet)), PdfReader(io.BytesIO(framed))
    assert len(before.pages) == len(after.pages)
    first = after.pages[0].extract_text()
    assert "BADAN KESBANGPOL KUTAI TIMUR" in first and "DAFTAR HADIR PESERTA" in first


def test_the_demos_finished_batch_has_its_spj(app, tmp_path):

    event, created = load_demo(participant_count=12)
    db.session.commit()
    assert created and event.locked()
    assert honor.honor_lines(event) and letters.numbered(event)
    assert letterhead.get_letterhead(event).name == "Badan Kesatuan Bangsa dan Politik"
    data = bundle.build_bundle_pdf(event)
    check_pdf(data, tmp_path, "demo-spj")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "BADAN KESATUAN BANGSA DAN POLITIK" in text.replace("\n", " ")


def test_the_progress_page_leads_back_to_the_spj_page(event, manager_client):
    answer = manager_client.post(f"/admin/kegiatan/{event.code}/spj/berkas/spj_pdf")
    page = manager_client.get(answer.headers["Location"]).get_data(as_text=True)
    assert f'<a href="/admin/kegiatan/{event.code}/spj">‹ SPJ</a>' in page
    assert "‹ Ringkasan" not in page
