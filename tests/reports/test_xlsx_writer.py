"""The export writer's package: well-formed parts, escaped text, typed cells."""

import io
import zipfile
from datetime import date, datetime, time
from xml.etree import ElementTree

import openpyxl

from bimtek.core.xlsx_writer import Sheet, SheetColumn, write_workbook


def sample(**overrides):
    data = {
        "title": "Uji",
        "heading": 'Judul <&> "kutip"',
        "subheading": "sub",
        "columns": [
            SheetColumn("Teks"),
            SheetColumn("Tanggal", "date"),
            SheetColumn("Waktu", "time"),
            SheetColumn("Jam", "datetime"),
            SheetColumn("NIK", "digits"),
        ],
        "rows": [
            [
                "  spasi di tepi\x0bdan kontrol ",
                date(2024, 10, 28),
                time(8, 30),
                datetime(2024, 10, 28, 8, 5),
                6408011705900001,
            ]
        ],
    }
    data.update(overrides)
    return Sheet(**data)


def test_every_part_is_well_formed_xml():
    content = write_workbook([sample(), sample(title="Dua")])
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        names = package.namelist()
        assert {"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml"} <= set(names)
        for name in names:
            ElementTree.fromstring(package.read(name))  # raises on malformed XML


def test_values_read_back_exactly():
    book = openpyxl.load_workbook(io.BytesIO(write_workbook([sample()])))
    sheet = book["Uji"]
    assert sheet["A1"].value == 'Judul <&> "kutip"'
    assert sheet["A5"].value == "  spasi di tepidan kontrol "  # control char dropped
    assert sheet["B5"].value == datetime(2024, 10, 28) and sheet["B5"].number_format == "dd/mm/yyyy"
    assert sheet["C5"].value == time(8, 30)
    assert sheet["D5"].value == datetime(2024, 10, 28, 8, 5)
    assert sheet["E5"].value == "6408011705900001"  # a digits column stays text
    assert sheet["E5"].data_type == "s"
    assert sheet.print_title_rows == "$4:$4"


def test_sheet_titles_are_made_legal():
    book = openpyxl.load_workbook(io.BytesIO(write_workbook([sample(title="Rekap: A/B [1]")])))
    assert book.sheetnames == ["Rekap- A-B -1-"]
