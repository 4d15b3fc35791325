"""Real .xlsx participant lists made with openpyxl, for the import tests (and the reports')."""

import io

import openpyxl

from tests.factories import registration_data

HEADER = [
    "Nama lengkap",
    "NIK",
    "NIP",
    "Jenis kelamin",
    "Instansi",
    "Kategori instansi",
    "Jabatan",
    "Nomor HP",
    "Email",
    "Kecamatan asal",
]
FIELDS = [
    "full_name",
    "nik",
    "nip",
    "gender",
    "institution",
    "institution_category",
    "job_title",
    "phone",
    "email",
    "district",
]


def person_row(**overrides) -> list:
    """One spreadsheet row of a valid, fresh person (category as its label, as typed)."""
    data = registration_data(**{"institution_category": "KPU", **overrides})
    return [data[f] or None for f in FIELDS]


def xlsx_bytes(rows, header=HEADER, *, title_rows=(), build=None) -> bytes:
    """A workbook whose first sheet holds ``title_rows``, the header, then ``rows``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Peserta"
    for line in title_rows:
        sheet.append(list(line))
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    if build:
        build(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
