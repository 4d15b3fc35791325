"""Reading participant spreadsheets: headers, cell values, and files that cannot be used."""

import io
import zipfile

import openpyxl
import pytest
from flask_babel import force_locale
from openpyxl.styles import Border, Side

from bimtek.participants.sheet import (
    MAX_ROWS,
    FileProblem,
    match_header,
    read_participant_sheet,
)
from bimtek.participants.template import participant_template
from tests.factories import valid_nik
from tests.participants.sheets import HEADER, person_row, xlsx_bytes


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nama lengkap", "full_name"),
        ("NAMA", "full_name"),
        ("  nama   lengkap ", "full_name"),
        ("Full Name", "full_name"),
        ("Nama Lengkap (dengan gelar)*", "full_name"),
        ("nik", "nik"),
        ("No. NIK", "nik"),
        ("Nomor Induk Kependudukan", "nik"),
        ("N.I.P.", "nip"),
        ("JK", "gender"),
        ("L/P", "gender"),
        ("Gender", "gender"),
        ("Jenis Kelamin *", "gender"),
        ("Asal Instansi", "institution"),
        ("Institution", "institution"),
        ("kategori", "institution_category"),
        ("Kategori Instansi", "institution_category"),
        ("Category", "institution_category"),
        ("JABATAN", "job_title"),
        ("Position", "job_title"),
        ("No HP", "phone"),
        ("No. HP/WA", "phone"),
        ("Nomor HP", "phone"),
        ("phone", "phone"),
        ("Phone number", "phone"),
        ("E-mail", "email"),
        ("Kecamatan", "district"),
        ("Kecamatan Asal", "district"),
    ],
)
def test_headers_are_matched_forgivingly(header, field):
    assert match_header(header) == field


@pytest.mark.parametrize("header", ["No.", "Tanda tangan", "", None, "Nama instansi kota"])
def test_unknown_headers_match_nothing(header):
    assert match_header(header) is None


def test_reads_rows_with_their_excel_row_numbers_and_ignores_other_columns():
    rows = [person_row(full_name="Andi"), [None] * 10, person_row(full_name="Budi")]
    header = ["No.", *HEADER]
    data = xlsx_bytes([[1, *rows[0]], [None, *rows[1]], [2, *rows[2]]], header=header)
    sheet = read_participant_sheet(data)
    assert [(r.number, r.values["full_name"]) for r in sheet.rows] == [(2, "Andi"), (4, "Budi")]
    assert sheet.header_row == 1
    assert sheet.ignored_headers == ["No."]
    assert sheet.columns["nik"] == ("C", "NIK")
    assert sheet.column_label("phone") == "I (Nomor HP)"


def test_header_below_a_title_row_in_english_and_another_order():
    header = ["Phone", "Full name", "Category", "Gender", "Institution", "Position", "NIK"]
    row = ["0812 1111 2222", "Siti", "Bawaslu", "P", "Bawaslu Kutim", "Staf", "6408015705900003"]
    data = xlsx_bytes([row], header=header, title_rows=[["DAFTAR PESERTA BIMTEK"], []])
    sheet = read_participant_sheet(data)
    assert sheet.header_row == 3
    values = sheet.rows[0].values
    assert values["phone"] == "0812 1111 2222" and values["nik"] == "6408015705900003"
    assert values["institution_category"] == "bawaslu" and values["full_name"] == "Siti"


def test_numeric_nik_nip_and_phone_cells_are_converted_to_digits():
    nik = valid_nik(7)
    row = person_row()
    row[1] = int(nik)  # typed into a General cell, written exactly by a program
    row[7] = 81234567890  # 0812… lost its leading zero
    sheet = read_participant_sheet(xlsx_bytes([row]))
    values = sheet.rows[0].values
    assert values["nik"] == nik
    assert values["phone"] == "81234567890"
    assert sheet.rows[0].problems == []


def test_numeric_nik_that_lost_digits_is_flagged():
    row = person_row()
    row[1] = 6408011705900000  # what Excel keeps of 6408011705900001: 15 digits, then 0
    other = person_row()
    other[1] = 6.40801170590001e15  # a float: cannot hold 16 digits exactly
    papua = person_row()
    papua[1] = 9171011705900001  # above 2**53: no float holds it exactly
    nip = person_row()
    nip[2] = 199005172015031001  # 18 digits never survive a number cell
    sheet = read_participant_sheet(xlsx_bytes([row, other, papua, nip]))
    assert [[p.field for p in read.problems] for read in sheet.rows] == [
        ["nik"],
        ["nik"],
        ["nik"],
        ["nip"],
    ]
    assert all("15 digit" in read.problems[0].message for read in sheet.rows)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("POLRI", "polri"),
        ("Pemda", "pemda"),
        ("pemerintah daerah", "pemda"),
        ("Kecamatan/Desa", "kecamatan_desa"),
        ("Desa", "kecamatan_desa"),
        ("Polres Kutim", "Polres Kutim"),  # unknown: left for the rules to refuse
        ("Tokoh Masyarakat", "tokoh_masyarakat"),
        ("tokoh_masyarakat", "tokoh_masyarakat"),
    ],
)
def test_categories_are_read_forgivingly(written, code):
    row = person_row()
    row[5] = written
    assert read_participant_sheet(xlsx_bytes([row])).rows[0].values["institution_category"] == code


def test_scientific_notation_typed_as_text_is_flagged():
    row = person_row()
    row[1] = "6.40801E+15"
    sheet = read_participant_sheet(xlsx_bytes([row]))
    assert "format ilmiah" in sheet.rows[0].problems[0].message


def test_formulas_give_their_stored_values(tmp_path):
    row = person_row(full_name="Citra")
    data = xlsx_bytes([row])
    # openpyxl writes no cached values; add them the way Excel saves them: <f> plus <v>
    archive = zipfile.ZipFile(io.BytesIO(data))
    xml = archive.read("xl/worksheets/sheet1.xml").decode()
    cell = '<c r="G2" t="str"><f>UPPER("staf")</f><v>STAF</v></c>'
    start = xml.index('<c r="G2"')
    xml = xml[:start] + cell + xml[xml.index("</c>", start) + 4 :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as new:
        for item in archive.infolist():
            is_sheet = item.filename == "xl/worksheets/sheet1.xml"
            new.writestr(item, xml.encode() if is_sheet else archive.read(item))
    sheet = read_participant_sheet(out.getvalue())
    assert sheet.had_formulas
    assert sheet.rows[0].values["job_title"] == "STAF"
    assert sheet.rows[0].problems == []


def test_formula_without_a_stored_value_is_flagged():
    row = person_row()
    row[6] = '=UPPER("staf")'  # openpyxl stores the formula, no value: never opened in Excel
    sheet = read_participant_sheet(xlsx_bytes([row]))
    assert sheet.had_formulas
    problems = sheet.rows[0].problems
    assert [p.field for p in problems] == ["job_title"]
    assert "rumus" in problems[0].message


def test_template_example_row_is_skipped_and_template_reads_back():
    template = openpyxl.load_workbook(io.BytesIO(participant_template()))
    sheet = template["Peserta"]
    for column, value in enumerate(person_row(full_name="Dewi"), start=1):
        sheet.cell(row=3, column=column, value=value)
    buffer = io.BytesIO()
    template.save(buffer)
    read = read_participant_sheet(buffer.getvalue())
    assert read.skipped_examples == [2]
    assert [r.values["full_name"] for r in read.rows] == ["Dewi"]


def test_template_has_validation_lists_text_columns_and_example():
    book = openpyxl.load_workbook(io.BytesIO(participant_template()))
    sheet = book["Peserta"]
    headers = [c.value for c in sheet[1]]
    assert headers[0] == "Nama lengkap *" and headers[2] == "NIP"
    assert [c.value for c in sheet[2]][0].startswith("CONTOH:")
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert lists == {"Pilihan!$A$1:$A$8", "Pilihan!$B$1:$B$2"}
    assert book["Pilihan"]["A2"].value == "Bawaslu"
    assert sheet["B2"].number_format == "@" and sheet["H500"].number_format == "@"
    assert sheet["B2"].value == "6408011705900001"  # text, not a number


def _csv_bytes():
    return b"Nama lengkap,NIK\nAndi,6408011705900001\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "kosong"),
        (_csv_bytes(), "teks/CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel lama (.xls)"),
        (b"<html><table><tr><td>x</td></tr></table></html>", "HTML"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "bukan spreadsheet"),
        (b"PK\x03\x04broken", "rusak"),
    ],
)
def test_files_that_are_not_xlsx_get_a_clear_answer(data, expected):
    with pytest.raises(FileProblem) as caught:
        read_participant_sheet(data)
    assert expected in caught.value.message


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileProblem, match="bukan buku kerja Excel"):
        read_participant_sheet(buffer.getvalue())


def test_empty_sheet():
    with pytest.raises(FileProblem, match="Lembar kerja kosong"):
        read_participant_sheet(xlsx_bytes([], header=None))


def test_problems_are_told_in_the_readers_language(app):
    with force_locale("en"), pytest.raises(FileProblem, match="There are no participant rows"):
        read_participant_sheet(xlsx_bytes([]))


def test_header_without_rows():
    with pytest.raises(FileProblem, match="Tidak ada baris peserta"):
        read_participant_sheet(xlsx_bytes([]))


def test_no_recognisable_header():
    data = xlsx_bytes([["a", "b", "c"]], header=["Kolom 1", "Kolom 2", "Kolom 3"])
    with pytest.raises(FileProblem, match="Baris judul kolom tidak ditemukan"):
        read_participant_sheet(data)


def test_missing_required_column_is_named():
    header = [h for h in HEADER if h != "Jabatan"]
    row = person_row()
    del row[6]
    with pytest.raises(FileProblem) as caught:
        read_participant_sheet(xlsx_bytes([row], header=header))
    assert "Kolom wajib tidak ditemukan: Jabatan" in caught.value.message


def test_missing_name_column_is_named():
    header = ["Nama pegawai", *HEADER[1:]]
    with pytest.raises(FileProblem, match="Kolom wajib tidak ditemukan: Nama lengkap."):
        read_participant_sheet(xlsx_bytes([person_row()], header=header))


def test_same_column_twice():
    header = [*HEADER, "No HP"]
    with pytest.raises(FileProblem, match="Nomor HP muncul dua kali"):
        read_participant_sheet(xlsx_bytes([person_row() + ["0812"]], header=header))


def test_merged_header_cells_are_refused():
    def merge(_book, sheet):
        sheet.merge_cells("E1:F1")

    with pytest.raises(FileProblem) as caught:
        read_participant_sheet(xlsx_bytes([person_row()], build=merge))
    assert "digabung" in caught.value.message and "E1–F1" in caught.value.message


def test_merged_title_above_the_header_is_fine():
    def merge(_book, sheet):
        sheet.merge_cells("A1:J1")

    data = xlsx_bytes([person_row()], title_rows=[["Daftar peserta"]], build=merge)
    assert len(read_participant_sheet(data).rows) == 1


def test_too_many_rows():
    row = person_row()
    with pytest.raises(FileProblem) as caught:
        read_participant_sheet(xlsx_bytes([row] * (MAX_ROWS + 1)))
    assert "lebih dari 5.000 baris" in caught.value.message


def test_formatted_empty_rows_below_the_list_end_it():
    def borders(_book, sheet):
        line = Side(style="thin")
        for row in range(3, 6000):
            sheet.cell(row=row, column=1).border = Border(bottom=line)
        sheet.cell(row=5900, column=1, value="Catatan jauh di bawah")

    sheet = read_participant_sheet(xlsx_bytes([person_row(full_name="Andi")], build=borders))
    assert [r.values["full_name"] for r in sheet.rows] == ["Andi"]


def test_exactly_the_row_limit_is_read():
    row = person_row()
    assert len(read_participant_sheet(xlsx_bytes([row] * MAX_ROWS)).rows) == MAX_ROWS
