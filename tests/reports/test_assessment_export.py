"""The results workbook (export "nilai"): per participant, the test in figures, gain per
group and the item analysis of each test, worked out by hand on a four-question bank."""

import io

import openpyxl
import pytest

from bimtek.events.services import save_module
from bimtek.reports import exports
from tests.assessments.conftest import add_question, take_test
from tests.conftest import login
from tests.factories import make_participant, open_tests
from tests.reports.conftest import rows_of


@pytest.fixture
def taken(event):
    """Bank (option A right in each): M1 Q1, Q2; M2 Q3, Q4 (Q4 has five options).
    Eka: pre 1 right (25), post 4 right (100). Fajar: pre 3 right (75), no post.
    Wrong answers are option B."""
    m2 = save_module(event, {"code": "M2", "title": "Pemetaan Kerawanan", "jp": 2}, channel="cli")
    m1 = event.modules[0]
    add_question(event, m1, "Soal M1 nomor satu")
    add_question(event, m1, "Soal M1 nomor dua")
    add_question(event, m2, "Soal M2 nomor satu")
    five = ("Benar", "Salah 1", "Salah 2", "Salah 3", "Salah 4")
    add_question(event, m2, "Soal M2 nomor dua", options=five)
    open_tests(event)
    eka = make_participant(event, full_name="Eka")
    fajar = make_participant(event, full_name="Fajar")
    take_test(event, eka, "pre", 1)
    take_test(event, eka, "post", 4)
    take_test(event, fajar, "pre", 3)
    return event


def test_results_workbook_sheets(taken):
    content, name = exports.export_workbook(taken, "nilai")
    assert name.startswith("UJI24-nilai-")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "Hasil pre-post test",
        "Ringkasan tes",
        "Ringkasan gain",
        "Butir soal pre",
        "Butir soal post",
    ]  # frozen bold headers on every sheet: test_everything_in_one_workbook


def test_scores_per_participant_are_real_numbers(taken):
    content, _name = exports.export_workbook(taken, "nilai")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Hasil pre-post test"]
    rows = {row[1]: row for row in rows_of(sheet)}
    # Eka: 25 → 100, gain 75, g = 75/75 = 1 (tinggi)
    assert rows["Eka"][5:10] == [25, 100, 75, 1, "Tinggi"]
    assert rows["Fajar"][5:9] == [75, None, None, None]
    assert rows["Fajar"][10] == "Belum mengikuti post-test: gain tidak dapat dihitung."


def test_test_figures_and_gain_per_group(taken):
    content, _name = exports.export_workbook(taken, "nilai")
    book = openpyxl.load_workbook(io.BytesIO(content))
    figures = {row[0]: row[1] for row in rows_of(book["Ringkasan tes"])}
    assert figures == {
        "Peserta terdaftar": 2,
        "Mengikuti pre-test": 2,
        "Mengikuti post-test": 1,
        "Peserta dengan pre dan post (n)": 1,
        "Rata-rata pre-test": 25,
        "Rata-rata post-test": 100,
        "⟨g⟩ dari rata-rata": 1,
        "Rata-rata g individu": 1,
        "g tak terdefinisi (pre = 100)": 0,
        "Skor turun (gain negatif)": 0,
    }
    groups = rows_of(book["Ringkasan gain"])
    assert groups[0] == ["Seluruh peserta", None, 1, 25, 100, 1, 1, "Tinggi", 0, 0]
    # Eka per module: M1 pre 1 of 2 = 50 → post 100, g = 1; M2 pre 0 → 100, g = 1
    assert groups[1][:7] == ["Materi M1", taken.modules[0].title, 1, 50, 100, 1, 1]
    assert groups[2][:7] == ["Materi M2", "Pemetaan Kerawanan", 1, 0, 100, 1, 1]


def test_item_analysis_of_the_pre_test(taken):
    content, _name = exports.export_workbook(taken, "nilai")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Butir soal pre"]
    header = [c.value for c in sheet[4]]
    assert header == [
        "No",
        "Materi",
        "Pertanyaan",
        "Kunci",
        "n",
        "Tingkat kesukaran (p)",
        "Daya beda (D)",
        "Point-biserial",
        "Pilihan A",
        "Pilihan B",
        "Pilihan C",
        "Pilihan D",
        "Pilihan E",
        "Kosong",
        "Catatan",
    ]
    q1, q2, q3, q4 = rows_of(sheet)
    # Q1: both right, p = 1; groups of round(0.27 × 2) → 1: D = 1 − 1 = 0; no r (p = 1)
    assert q1 == [1, "M1", "Soal M1 nomor satu", "A", 2, 1, 0, None, 2, 0, 0, 0, None, 0] + [
        "Daya beda < 0,2; Pengecoh tidak dipilih: B, C, D"
    ]
    # Q2: Fajar (75) right, Eka (25) wrong: p = 0.5, D = 1 − 0 = 1;
    # r = (75 − 25) / 25 × √(0.5 × 0.5) = 1
    assert q2[4:] == [2, 0.5, 1, 1, 1, 1, 0, 0, None, 0, "Pengecoh tidak dipilih: C, D"]
    assert q3[4:8] == [2, 0.5, 1, 1]
    # Q4: both wrong (B) of five options
    assert q4[4:] == [2, 0, 0, None, 0, 2, 0, 0, 0, 0] + [
        "Daya beda < 0,2; Pengecoh tidak dipilih: C, D, E"
    ]
    assert sheet["F5"].number_format == "0.000" and sheet["C5"].alignment.wrap_text


def test_item_analysis_of_the_post_test(taken):
    content, _name = exports.export_workbook(taken, "nilai")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Butir soal post"]
    rows = rows_of(sheet)
    # one taker: p = 1, no groups (n < 2), no correlation
    assert [row[4:8] for row in rows] == [[1, 1, None, None]] * 4
    assert rows[0][14] == "Pengecoh tidak dipilih: B, C, D"


def test_results_workbook_neutralises_formulas(event):
    for number in range(4):
        add_question(
            event, event.modules[0], f"=SUM(A{number})" if number == 0 else f"Soal {number}"
        )
    sneaky = make_participant(event, full_name="=HYPERLINK(1)")
    take_test(event, sneaky, "pre", 2)
    content, _name = exports.export_workbook(event, "nilai")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert [row[1] for row in rows_of(book["Hasil pre-post test"])] == ["'=HYPERLINK(1)"]
    assert rows_of(book["Butir soal pre"])[0][2] == "'=SUM(A0)"


def test_exports_are_for_managers_only(client, panitia, manager, taken):
    """The results hold the answer key (item analysis), the rest personal data."""
    login(client, panitia.email)
    for kind in ("peserta", "kehadiran", "nilai", "sertifikat", "semua"):
        assert client.get(f"/admin/kegiatan/UJI24/ekspor/{kind}.xlsx").status_code == 403
    client.post("/keluar")
    login(client, manager.email)
    response = client.get("/admin/kegiatan/UJI24/ekspor/nilai.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert "Butir soal post" in openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames


def test_admin_downloads_every_export(admin_client, taken):
    for kind in ("peserta", "kehadiran", "nilai", "sertifikat", "semua"):
        assert admin_client.get(f"/admin/kegiatan/UJI24/ekspor/{kind}.xlsx").status_code == 200


def test_downloads_need_a_login(client, taken):
    response = client.get("/admin/kegiatan/UJI24/ekspor/nilai.xlsx")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
