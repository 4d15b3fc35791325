"""Importing narasumber, moderators and panitia from .xlsx: the service, without HTTP."""

import io

import openpyxl
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from bimtek.audit.models import AuditLog
from bimtek.core.xlsx_reader import XlsxProblem
from bimtek.errors import InvalidInput
from bimtek.events import contributor_import as importing
from bimtek.events.contributors import add_contributor, contributors_of
from bimtek.events.models import Contributor, Module
from bimtek.events.services import save_module
from bimtek.extensions import db

HEADER = ["Peran", "Nama lengkap", "Instansi", "NIP", "Email", "Materi"]


def team_xlsx(rows, header=HEADER, title="Tim") -> bytes:
    """An .xlsx with the header and ``rows`` on its first sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def two_modules(event):
    """The event's M1 and a second module M2."""
    save_module(event, {"code": "M2", "title": "Pemetaan Intelijen", "jp": 4}, channel="cli")
    db.session.commit()
    return event


def problems_of(report) -> dict[int, dict[str, str]]:
    return {
        row.number: {p.field: f"{p.column}: {p.message}" for p in row.problems}
        for row in report.invalid
    }


def test_good_rows_are_checked_then_imported_with_the_speakers_kept_in_step(two_modules, admin):
    event = two_modules
    data = team_xlsx(
        [
            [
                "Narasumber",
                "Dr. H. Ahmad Fauzi, M.Si",
                "Kesbangpol",
                "196912312000031004",
                "",
                "M1",
            ],
            ["moderator", "Siti Aminah, S.Sos", "Diskominfo", "", "siti@example.go.id", "2"],
            ["narasumber", "Budi Santoso", "", "", "", "Pemetaan Intelijen"],
            ["panitia", "Rina Wati", "Smart Academy", "", "", ""],
        ]
    )
    report = importing.check_contributors(event, data)
    assert not report.invalid and len(report.valid) == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contributor)) == 0

    added = importing.import_contributors(event, report, actor=admin, filename="tim.xlsx")
    db.session.commit()
    assert [c.name for c in added] == [
        "Dr. H. Ahmad Fauzi, M.Si",
        "Siti Aminah, S.Sos",
        "Budi Santoso",
        "Rina Wati",
    ]
    rows = {c.name: c for c in contributors_of(event)}
    assert rows["Dr. H. Ahmad Fauzi, M.Si"].nip == "196912312000031004"
    assert rows["Siti Aminah, S.Sos"].module.code == "M2"
    assert rows["Siti Aminah, S.Sos"].email == "siti@example.go.id"
    assert rows["Rina Wati"].module_id is None
    m1, m2 = event.modules
    assert m1.speakers == "Dr. H. Ahmad Fauzi, M.Si"
    assert m2.speakers == "Budi Santoso"  # moderators are not speakers
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "contributor.import"))
    assert entry.details == {"file": "tim.xlsx", "rows": 4, "added": 4, "skipped": 0}
    assert entry.channel == "import" and entry.actor_id == admin.id
    assert "siti@example.go.id" not in str(entry.details)


def test_each_bad_row_is_named_by_row_and_column(two_modules):
    data = team_xlsx(
        [
            ["pembicara", "Andi", "", "", "", "M1"],
            ["narasumber", "", "", "", "", "M1"],
            ["narasumber", "Budi", "", "", "", ""],
            ["moderator", "Citra", "", "", "", "M9"],
            ["panitia", "Dedi", "", "", "bukan-email", ""],
            ["panitia", "Euis", "", "19750517ABC", "", ""],
            ["panitia", "Fajar", "", 197505172000031001, "", ""],
            ["panitia", "Gita", "", "12345", "", ""],
            ["panitia", "Hadi", "", "1,97505E+17", "", ""],
        ]
    )
    report = importing.check_contributors(two_modules, data)
    assert report.valid == []
    found = problems_of(report)
    assert found[2] == {"role": found[2]["role"]}
    assert "A (Peran)" in found[2]["role"] and "Peran 'pembicara' tidak dikenal" in found[2]["role"]
    assert found[3] == {"name": "B (Nama lengkap): Nama wajib diisi."}
    assert "F (Materi)" in found[4]["module"] and "Wajib diisi" in found[4]["module"]
    assert "'M9' tidak ada" in found[5]["module"] and "M1, M2" in found[5]["module"]
    assert found[6] == {"email": "E (Email): Alamat email tidak valid."}
    assert found[7] == {"nip": "D (NIP): NIP terdiri dari 18 angka, atau kosongkan."}
    # typed as a number: Excel cut its digits
    assert "NIP tersimpan sebagai angka" in found[8]["nip"] and "15 digit" in found[8]["nip"]
    assert "18 angka" in found[9]["nip"]
    # copied from a cell Excel showed in scientific notation: the digits are gone
    assert "format ilmiah (1,97505E+17)" in found[10]["nip"]


def test_duplicates_in_the_file_and_in_the_event_are_refused(two_modules):
    event = two_modules
    m1 = event.modules[0]
    add_contributor(event, {"role": "narasumber", "name": "Dr. Ahmad", "module_id": m1.id})
    add_contributor(event, {"role": "panitia", "name": "Rina Wati"})
    db.session.commit()
    data = team_xlsx(
        [
            ["narasumber", "dr.  AHMAD", "", "", "", "M1"],  # in the event (same_name)
            ["moderator", "Dr. Ahmad", "", "", "", "M1"],  # another role: fine
            ["narasumber", "Dr. Ahmad", "", "", "", "M2"],  # another module: fine
            ["panitia", "rina wati", "", "", "", ""],  # in the event
            ["panitia", "Yusuf", "", "", "", ""],
            ["panitia", "YUSUF", "", "", "", ""],  # same as row 6
        ]
    )
    report = importing.check_contributors(event, data)
    found = problems_of(report)
    assert set(found) == {2, 5, 7}
    assert "sudah tercatat pada kegiatan ini" in found[2]["name"]
    assert "sudah tercatat pada kegiatan ini" in found[5]["name"]
    assert "Sama dengan baris 6" in found[7]["name"]
    assert [row.number for row in report.valid] == [3, 4, 6]


def test_nothing_is_kept_when_one_row_is_refused_at_import(two_modules, admin):
    event = two_modules
    data = team_xlsx(
        [
            ["panitia", "Rina Wati", "", "", "", ""],
            ["narasumber", "Dr. Ahmad", "", "", "", "M1"],
        ]
    )
    report = importing.check_contributors(event, data)
    assert len(report.valid) == 2
    # since the preview, someone added the same narasumber on the team page
    add_contributor(
        event, {"role": "narasumber", "name": "Dr. Ahmad", "module_id": event.modules[0].id}
    )
    db.session.commit()
    with pytest.raises(importing.ContributorImportFailed) as failed:
        importing.import_contributors(event, report, actor=admin)
    db.session.rollback()
    assert "Baris 3" in failed.value.message and "tidak ada yang disimpan" in failed.value.message
    assert [c.name for c in contributors_of(event)] == ["Dr. Ahmad"]
    assert (
        db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "contributor.import"))
        is None
    )


def test_only_valid_rows_are_imported_and_an_all_bad_file_imports_nothing(two_modules, admin):
    event = two_modules
    report = importing.check_contributors(
        event, team_xlsx([["panitia", "Rina", "", "", "", ""], ["x", "Andi", "", "", "", ""]])
    )
    added = importing.import_contributors(event, report, actor=admin)
    assert [c.name for c in added] == ["Rina"]
    bad = importing.check_contributors(event, team_xlsx([["x", "Andi", "", "", "", ""]]))
    with pytest.raises(InvalidInput):
        importing.import_contributors(event, bad, actor=admin)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "Berkas kosong"),
        (b"nama;peran\nAndi;panitia\n", "bukan .xlsx"),
        (team_xlsx([], header=None), "Lembar kerja kosong"),
        (team_xlsx([]), "Tidak ada baris di bawah baris judul"),
        (team_xlsx([["Andi", "x"]], header=["Siapa", "Apa"]), "Baris judul kolom tidak ditemukan"),
    ],
)
def test_a_file_that_cannot_be_used_is_explained(event, data, words):
    with pytest.raises(XlsxProblem) as problem:
        importing.check_contributors(event, data)
    assert words in problem.value.message


def test_a_too_large_file_or_too_many_rows_is_refused(app, event):
    app.config["CONTRIBUTOR_IMPORT_MAX_ROWS"] = 2
    with pytest.raises(XlsxProblem) as problem:
        importing.check_contributors(event, team_xlsx([["panitia", f"P{i}"] for i in range(3)]))
    assert "lebih dari 2 baris" in problem.value.message
    app.config["CONTRIBUTOR_IMPORT_MAX_BYTES"] = 1000
    with pytest.raises(XlsxProblem) as problem:
        importing.check_contributors(event, team_xlsx([["panitia", "P"]]))
    assert "terlalu besar" in problem.value.message


def test_the_template_round_trips_and_its_example_is_never_imported(two_modules, admin):
    event = two_modules
    template = importing.contributor_template(event)
    # the template as downloaded: its example (on the instructions sheet) is no row
    with pytest.raises(XlsxProblem) as problem:
        importing.check_contributors(event, template)
    assert "Tidak ada baris" in problem.value.message
    book = openpyxl.load_workbook(io.BytesIO(template))
    assert book.sheetnames == ["Tim", "Petunjuk", "Daftar materi"]
    notes = [c for row in book["Petunjuk"].iter_rows(values_only=True) for c in row if c]
    assert "Dr. H. Ahmad Fauzi, M.Si" in notes
    assert [r[1:] for r in book["Daftar materi"].iter_rows(min_row=2, values_only=True)] == [
        ("M1", "Mitigasi Konflik"),
        ("M2", "Pemetaan Intelijen"),
    ]
    assert book["Tim"]["D2"].number_format == "@"  # NIP typed as text keeps its 18 digits
    sheet = book["Tim"]
    for row, values in (
        (2, ["narasumber", "Dr. Ahmad", "Kesbangpol", "197505172000031001", "", "M2"]),
        (3, ["panitia", "Rina Wati"]),
    ):
        for column, value in enumerate(values, start=1):
            sheet.cell(row, column, value)
    out = io.BytesIO()
    book.save(out)
    report = importing.check_contributors(event, out.getvalue())
    assert [row.raw["name"] for row in report.valid] == ["Dr. Ahmad", "Rina Wati"]
    importing.import_contributors(event, report, actor=admin)
    assert db.session.get(Module, event.modules[1].id).speakers == "Dr. Ahmad"
    assert "Ahmad Fauzi" not in str([c.name for c in contributors_of(event)])
    # the example copied onto the sheet is refused, never imported as a person
    copied = team_xlsx([[importing.EXAMPLE[c.field] for c in importing.COLUMNS]])
    report = importing.check_contributors(event, copied)
    assert not report.valid and "contoh dari templat" in report.rows[0].problems[0].message
    namesake = team_xlsx([["panitia", importing.EXAMPLE["name"], "", "", "", ""]])
    assert len(importing.check_contributors(event, namesake).valid) == 1


def test_the_english_template_is_read_too(two_modules):
    with force_locale("en"):
        template = importing.contributor_template(two_modules)
    book = openpyxl.load_workbook(io.BytesIO(template))
    assert book.sheetnames[0] == "Team"
    assert [c.value for c in book["Team"][1]][:2] == ["Role *", "Full name *"]
    for column, value in enumerate(["panitia", "Rina Wati", "Smart Academy"], 1):
        book["Team"].cell(2, column, value)
    out = io.BytesIO()
    book.save(out)
    report = importing.check_contributors(two_modules, out.getvalue())
    assert [row.data["name"] for row in report.valid] == ["Rina Wati"]
