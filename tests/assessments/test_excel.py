"""Question bank import/export as .xlsx, with the row-by-row report."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from bimtek.assessments import bank as question_bank
from bimtek.assessments import excel
from bimtek.errors import InvalidInput
from bimtek.events.services import save_module
from bimtek.extensions import db
from tests.factories import make_event

HEADERS = [
    "Kode materi",
    "Pertanyaan",
    "Opsi A",
    "Opsi B",
    "Opsi C",
    "Opsi D",
    "Opsi E",
    "Jawaban benar",
    "Pembahasan",
]
GOOD = [
    "M1",
    "UU No. 7 Tahun 2012 mengatur tentang …",
    "Penanganan Konflik Sosial",
    "Pilkada",
    "Intelijen",
    "Ormas",
    "",
    "A",
    "Lihat judul UU.",
]


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if headers:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(**changes):
    values = dict(zip(HEADERS, GOOD, strict=True))
    values.update({k.replace("_", " "): v for k, v in changes.items()})
    return [values[h] for h in HEADERS]


def test_import_good_rows(event, modules):
    data = xlsx(
        [row(), row(Pertanyaan="Soal kedua", Jawaban_benar="e", Opsi_E="Lima", Kode_materi="m2")]
    )
    report = excel.import_questions(event, data)
    assert (report.rows, report.valid, report.imported, report.problems) == (2, 2, 2, [])
    questions = question_bank.list_questions(event)
    assert [q.module.code for q in questions] == ["M1", "M2"]
    assert questions[1].correct_option.text == "Lima" and len(questions[1].options) == 5
    assert questions[0].explanation == "Lihat judul UU."


def test_import_reports_every_bad_row_and_saves_nothing(event, modules):
    rows = [
        row(),  # 2: fine
        row(Pertanyaan="", Opsi_A="x"),  # 3: empty question
        row(Pertanyaan="Tiga opsi", Opsi_D=""),  # 4: only 3 options
        row(Pertanyaan="Tanpa kunci", Jawaban_benar=""),  # 5: no correct answer
        row(Pertanyaan="Dua kunci", Jawaban_benar="A, C"),  # 6: two correct answers
        row(Pertanyaan="Materi asing", Kode_materi="M9"),  # 7: unknown module
        row(Pertanyaan="Opsi bolong", Opsi_B=""),  # 8: a gap in the options
        row(Pertanyaan="Kunci kosong", Jawaban_benar="E"),  # 9: key on the empty option
        row(Pertanyaan="Huruf aneh", Jawaban_benar="Z"),  # 10: not a letter A–E
        row(),  # 11: same as row 2
    ]
    report = excel.import_questions(event, xlsx(rows))
    assert report.imported == 0 and report.valid == 1 and report.failed_rows == 9
    found = {(p.row, p.column) for p in report.problems}
    assert found == {
        (3, "Pertanyaan"),
        (4, "Opsi"),
        (5, "Jawaban benar"),
        (6, "Jawaban benar"),
        (7, "Kode materi"),
        (8, "Opsi"),
        (9, "Jawaban benar"),
        (10, "Jawaban benar"),
        (11, "Pertanyaan"),
    }
    reasons = {p.row: p.reason for p in report.problems}
    assert "kosong" in reasons[3]
    assert "Minimal 4 opsi jawaban (baru 3 terisi)" in reasons[4]
    assert "Belum ada jawaban benar" in reasons[5]
    assert "lebih dari satu (A, C)" in reasons[6]
    assert "'M9' tidak dikenal" in reasons[7]
    assert "Opsi B kosong" in reasons[8]
    assert "opsi E yang kosong" in reasons[9]
    assert "sama dengan baris 2" in reasons[11]
    db.session.commit()
    assert question_bank.list_questions(event) == []


def test_import_valid_rows_only_when_asked(event, modules):
    data = xlsx([row(), row(Pertanyaan="Tanpa kunci", Jawaban_benar="")])
    report = excel.import_questions(event, data, valid_only=True)
    assert report.imported == 1 and report.failed_rows == 1
    # importing the same file again: row 2 is now a duplicate of the bank
    again = excel.import_questions(event, data, valid_only=True)
    assert again.imported == 0
    assert any("sudah ada di bank soal" in p.reason for p in again.problems)


def test_more_than_five_options_refused(event, modules):
    headers = [*HEADERS[:7], "Opsi F", *HEADERS[7:]]
    data = xlsx([["M1", "Enam opsi", "a", "b", "c", "d", "e", "f", "A", ""]], headers=headers)
    report = excel.import_questions(event, data)
    assert [p.column for p in report.problems] == ["Opsi"]
    assert "Paling banyak 5" in report.problems[0].reason


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "Berkas kosong"),
        (b"Nama;NIK\nBudi;123\n", "bukan .xlsx"),
        (b"PK\x03\x04 not really a zip", "bukan .xlsx"),
        (b"x" * (excel.import_limits().max_bytes + 1), "terlalu besar"),
    ],
)
def test_bad_files(event, modules, data, words):
    with pytest.raises(InvalidInput, match=words):
        excel.import_questions(event, data)


def test_empty_sheet_and_wrong_headers(event, modules):
    with pytest.raises(InvalidInput, match="kosong"):
        excel.import_questions(event, xlsx([], headers=None))
    with pytest.raises(InvalidInput, match="tidak ada kolom: Kode materi"):
        excel.import_questions(event, xlsx([["a", "b"]], headers=["Materi", "Soal"]))


def test_too_many_rows(app, event, modules):
    app.config["QUESTION_IMPORT_MAX_ROWS"] = 3
    rows = [row(Pertanyaan=f"Soal {i}") for i in range(5)]
    with pytest.raises(InvalidInput, match="Terlalu banyak baris"):
        excel.import_questions(event, xlsx(rows))


def test_export_round_trips_through_import(event, modules, bank):
    exported = excel.export_questions(event).getvalue()
    sheet = load_workbook(io.BytesIO(exported))["Soal"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.max_row == 5
    # the same bank re-imported is all duplicates; into another event, it all goes in
    assert excel.parse_questions(event, exported)[0].valid == 0

    other = make_event("LAIN24")

    save_module(other, {"code": "M2", "title": "Dua", "jp": 1}, channel="cli")
    report = excel.import_questions(other, exported)
    assert report.imported == 4


def test_export_neutralises_formulas(event, modules):
    question_bank.save_question(
        event,
        {
            "module_id": modules["M1"].id,
            "text": "=1+1",
            "option_1": "@SUM(A1)",
            "option_2": "b",
            "option_3": "c",
            "option_4": "d",
            "correct": "1",
        },
    )
    sheet = load_workbook(io.BytesIO(excel.export_questions(event).getvalue()))["Soal"]
    assert sheet["B2"].value == "'=1+1" and sheet["C2"].value == "'@SUM(A1)"
    assert sheet["B2"].data_type == "s"


def test_template_has_the_event_modules(event, modules):
    workbook = load_workbook(io.BytesIO(excel.template(event).getvalue()))
    assert workbook.sheetnames == ["Soal", "Kode materi"]
    assert [r[0] for r in workbook["Kode materi"].iter_rows(min_row=2, values_only=True)] == [
        "M1",
        "M2",
    ]


def test_the_template_example_row_is_not_imported(event, modules):
    """The template's example row says "Hapus baris contoh ini"; one left in is skipped, and
    the questions written under it are imported."""
    workbook = load_workbook(io.BytesIO(excel.template(event).getvalue()))
    workbook["Soal"].append(GOOD)
    filled = io.BytesIO()
    workbook.save(filled)
    report = excel.import_questions(event, filled.getvalue())
    db.session.commit()
    assert (report.rows, report.imported, report.examples_skipped, report.problems) == (1, 1, 1, [])
    assert [q.text for q in question_bank.list_questions(event)] == [GOOD[1]]


def test_import_page(admin_client, event, modules):
    url = f"/admin/kegiatan/{event.code}/tes/impor"
    assert admin_client.get(url).status_code == 200
    bad = xlsx([row(), row(Pertanyaan="Tanpa kunci", Jawaban_benar="")])
    response = admin_client.post(
        url, data={"file": (io.BytesIO(bad), "soal.xlsx")}, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Tidak ada yang disimpan" in page
    assert "Belum ada jawaban benar" in page
    db.session.expire_all()
    assert question_bank.list_questions(event) == []
    response = admin_client.post(
        url,
        data={"file": (io.BytesIO(bad), "soal.xlsx"), "valid_only": "1"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "1 soal valid diimpor" in response.get_data(as_text=True)
    response = admin_client.post(
        url, data={"file": (io.BytesIO(b"hello"), "soal.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "bukan .xlsx" in response.get_data(as_text=True)
    response = admin_client.post(url, data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Berkas kosong" in response.get_data(as_text=True)
    assert (
        admin_client.get(f"/admin/kegiatan/{event.code}/tes/templat-soal.xlsx").status_code == 200
    )
    assert admin_client.get(f"/admin/kegiatan/{event.code}/tes/soal.xlsx").status_code == 200


def test_cli_import_questions(runner, event, modules, tmp_path):
    path = tmp_path / "soal.xlsx"
    path.write_bytes(xlsx([row(), row(Pertanyaan="Tanpa kunci", Jawaban_benar="")]))
    refused = runner.invoke(args=["import-questions", event.code, str(path)])
    assert refused.exit_code == 1 and "Baris 3, Jawaban benar" in refused.output
    db.session.expire_all()
    assert question_bank.list_questions(event) == []
    done = runner.invoke(args=["import-questions", event.code, str(path), "--valid-only"])
    assert done.exit_code == 0 and "1 soal diimpor dari 2 baris." in done.output
    db.session.expire_all()
    assert len(question_bank.list_questions(event)) == 1


def test_the_import_page_says_the_example_row_was_left_out(admin_client, event, modules):
    workbook = load_workbook(io.BytesIO(excel.template(event).getvalue()))
    workbook["Soal"].append(GOOD)
    filled = io.BytesIO()
    workbook.save(filled)
    url = f"/admin/kegiatan/{event.code}/tes/impor"
    response = admin_client.post(
        url,
        data={"file": (io.BytesIO(filled.getvalue()), "soal.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Baris contoh dari templat tidak diimpor." in page and "1 soal diimpor." in page
