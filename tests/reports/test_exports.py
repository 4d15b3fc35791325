"""Export workbooks: types, frozen header, autofilter, neutralised cells, the download."""

import io
from datetime import datetime

import openpyxl
from flask_babel import force_locale

from bimtek.core.xlsx_writer import Sheet, SheetColumn, write_workbook
from bimtek.extensions import db
from bimtek.participants import importing
from bimtek.reports import exports
from tests.factories import make_event, make_participant


def open_book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def test_participants_sheet_layout_and_types(event):
    make_participant(event, full_name='=HYPERLINK("http://x")', job_title="-Staf", email="a@b.id")
    make_participant(event, full_name="Budi", nip="199005172015031001")
    content, filename = exports.export_workbook(event, "peserta")
    assert filename.startswith("UJI24-peserta-") and filename.endswith(".xlsx")
    sheet = open_book(content)["Peserta"]
    assert sheet["A1"].value == f"Daftar Peserta — {event.title}"
    assert sheet["A1"].font.b
    assert "UJI24" in sheet["A2"].value and "dibuat" in sheet["A2"].value
    header = [c.value for c in sheet[4]]
    assert header[:4] == ["No. registrasi", "Nama lengkap", "NIK", "NIP"]
    assert all(c.font.b for c in sheet[4])
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:P6"
    first, second = list(sheet.iter_rows(min_row=5, max_row=6, values_only=True))
    assert first[0] == "UJI24-0001"
    assert first[1] == '\'=HYPERLINK("http://x")'  # neutralised
    assert first[7] == "'-Staf"
    assert isinstance(first[2], str) and len(first[2]) == 16  # NIK stays text
    assert sheet["C5"].number_format == "@"
    assert second[3] == "199005172015031001"
    assert first[12] is None  # no place on the waitlist
    assert isinstance(first[13], datetime)  # a real date-time, not text
    assert sheet["N5"].number_format == "dd/mm/yyyy hh:mm"
    assert first[14] is None
    assert sheet.column_dimensions["B"].width > len("Nama lengkap")


def test_everything_of_an_empty_event_still_opens(event):
    content, _name = exports.export_workbook(event, "semua")
    book = open_book(content)
    assert book.sheetnames[0] == "Peserta" and len(book.sheetnames) == 11  # + 2 of evaluasi
    assert book["Peserta"].max_row == 4  # title, subtitle, blank, header


def test_waitlist_places_in_the_participant_export(app):
    full = make_event("PENUH", capacity=1)
    for name in ("Satu", "Dua", "Tiga"):
        make_participant(full, full_name=name)
    content, _name = exports.export_workbook(full, "peserta")
    rows = list(open_book(content)["Peserta"].iter_rows(min_row=5, values_only=True))
    assert [(r[1], r[11], r[12]) for r in rows] == [
        ("Satu", "Terdaftar", None),
        ("Dua", "Daftar tunggu", 1),
        ("Tiga", "Daftar tunggu", 2),
    ]


def test_writer_keeps_numbers_and_dates_as_such():
    sheet = Sheet(
        title="Uji: a/b",
        heading="+judul",
        subheading="@x",
        columns=[
            SheetColumn("Angka", "int"),
            SheetColumn("Persen", "percent"),
            SheetColumn("Teks"),
        ],
        rows=[[3, 0.875, "@SUM(A1)"], [None, None, "biasa"]],
        note="=catatan",
    )
    book = open_book(write_workbook([sheet]))
    ws = book["Uji- a-b"]
    assert ws["A1"].value == "'+judul" and ws["A2"].value == "'@x"
    assert ws["A5"].value == 3 and ws["B5"].value == 0.875 and ws["B5"].number_format == "0.0%"
    assert ws["C5"].value == "'@SUM(A1)"
    assert ws["A8"].value == "'=catatan"


def test_download_route(admin_client, event):
    make_participant(event)
    response = admin_client.get("/admin/kegiatan/UJI24/ekspor/peserta.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    assert open_book(response.data)["Peserta"]["A5"].value == "UJI24-0001"
    assert admin_client.get("/admin/kegiatan/UJI24/ekspor/semua.xlsx").status_code == 200
    assert admin_client.get("/admin/kegiatan/UJI24/ekspor/rahasia.xlsx").status_code == 404


def test_panitia_cannot_download_personal_data(panitia_client, event):
    assert panitia_client.get("/admin/kegiatan/UJI24/ekspor/peserta.xlsx").status_code == 403


def test_export_of_an_import_reads_back(event, admin):
    """An exported participant list is itself a valid import file (for another batch)."""
    make_participant(event, full_name="Andi")
    content, _name = exports.export_workbook(event, "peserta")
    other = make_event("BATCH2")
    report = importing.preview_import(other, content)
    assert [row.clean["full_name"] for row in report.valid] == ["Andi"]
    assert report.sheet.header_row == 4
    db.session.rollback()


def test_export_speaks_the_readers_language_and_reads_back_as_an_import(event, admin):
    """Sheet names, titles, headers and labels in English for an English reader; the English
    list is still a valid import file (its headers are known names)."""
    make_participant(event, full_name="Andi")
    with force_locale("en"):
        content, _name = exports.export_workbook(event, "peserta")
    book = open_book(content)
    assert book.sheetnames == ["Participants"]
    sheet = book["Participants"]
    assert sheet["A1"].value.startswith("Participant List — ")
    assert [c.value for c in sheet[4]][:5] == [
        "Registration no.",
        "Full name",
        "NIK",
        "NIP",
        "Gender",
    ]
    assert sheet["L5"].value == "Registered"
    report = importing.preview_import(make_event("BATCH3"), content)
    assert [row.clean["full_name"] for row in report.valid] == ["Andi"]
    db.session.rollback()
