"""Importing who served an event (narasumber, moderator, panitia) from .xlsx: the template,
the check of every row, then the import.

``check_contributors`` reads a file through the one hardened reader
(``bimtek.core.xlsx_reader``) and checks each row with the rules of the team page's form
(``contributors.clean_contributor``), plus the module a narasumber or moderator serves and
duplicates within the file and against the event (same role, same module, ``same_name``); it
writes nothing. ``import_contributors`` adds the valid rows through
``contributors.add_contributor`` (which keeps ``Module.speakers`` in step and audits each
row), then records the import; it flushes, and if any row is refused the caller rolls back,
so nothing of the import is kept.

The template's example is a row of its instructions sheet, whose rows never carry both a
"Peran" and a "Nama" header: the reader takes only a sheet that does, so the example is never
read as a person (the question template once imported its example row as a question).
"""

import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl.utils import get_column_letter

from bimtek.audit.services import record
from bimtek.core.sheet_rows import Column, HeaderNames, RowProblem, cell_text
from bimtek.core.xlsx_reader import XlsxFile, XlsxLimits, XlsxProblem
from bimtek.core.xlsx_writer import ACCENT, new_workbook
from bimtek.errors import Conflict, InvalidInput
from bimtek.events.contributors import (
    add_contributor,
    clean_contributor,
    contributors_of,
    same_name,
)
from bimtek.events.models import CONTRIBUTOR_ROLES, Contributor, Event, Module

#: the header is looked for in the first rows (a title may sit above it)
HEADER_SEARCH_ROWS = 10
#: this many empty rows in a row end the list (cells formatted to the bottom of the sheet)
BLANK_ROWS_END = 500
#: roles that serve one module
MODULE_ROLES = ("narasumber", "moderator")


class ContributorImportFailed(Conflict):
    """A row was refused while importing (e.g. the same person added since the preview)."""

    code = "import_failed"


#: the template's columns, in order
COLUMNS = (
    Column("role", _l("Peran"), True, ("peran", "role", "tugas", "sebagai"), 14),
    Column(
        "name",
        _l("Nama lengkap"),
        True,
        ("nama", "nama lengkap", "nama dan gelar", "nama lengkap dan gelar", "name", "full name"),
        40,
    ),
    Column(
        "institution",
        _l("Instansi"),
        False,
        ("instansi", "asal instansi", "unit kerja", "lembaga", "institution"),
        34,
    ),
    Column("nip", _l("NIP"), False, ("nip", "no nip", "nomor nip", "nomor induk pegawai"), 22),
    Column("email", _l("Email"), False, ("email", "e mail", "alamat email", "surel"), 30),
    Column(
        "module",
        _l("Materi"),
        False,
        ("materi", "kode materi", "judul materi", "no materi", "modul", "module"),
        34,
    ),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}


def import_limits() -> XlsxLimits:
    """CONTRIBUTOR_IMPORT_MAX_BYTES and _MAX_ROWS, with the XLSX_* limits of every import."""
    return XlsxLimits.for_import("CONTRIBUTOR_IMPORT")


_HEADERS = HeaderNames(COLUMNS)


@dataclass
class RawRow:
    """One non-empty data row as read: its Excel row number, text per field, cell problems."""

    number: int
    values: dict[str, str]
    problems: dict[str, str] = field(default_factory=dict)


@dataclass
class TeamSheet:
    """What was read from the file, before any rule."""

    sheet_title: str
    header_row: int
    #: field -> (column letter, header as written)
    columns: dict[str, tuple[str, str]]
    ignored_headers: list[str]
    rows: list[RawRow]

    def column_label(self, field_name: str) -> str:
        """Where a field sits for the organizer: 'D (NIP)'."""
        letter, header = self.columns.get(field_name, ("", str(COLUMN_BY_FIELD[field_name].label)))
        return f"{letter} ({header})" if letter else header


def read_team_sheet(data: bytes) -> TeamSheet:
    """The first sheet whose header names Peran and Nama, read; XlsxProblem when the file as
    a whole cannot be used (not an .xlsx, too large, empty, no header, no rows)."""
    limits = import_limits()
    with XlsxFile(data, limits) as xlsx:
        anything = False
        for worksheet in xlsx.workbook().worksheets:
            rows = xlsx.rows(worksheet)
            for number, row in enumerate(rows, start=1):
                if any(v not in (None, "") for v in row):
                    anything = True
                mapped = {}
                for index, value in enumerate(row):
                    name = _HEADERS.match(value)
                    if name and name not in mapped.values():
                        mapped[index] = name
                if {"role", "name"} <= set(mapped.values()):
                    return _read_rows(xlsx, worksheet.title, rows, number, row, mapped)
                if number >= HEADER_SEARCH_ROWS:
                    break
    if not anything:
        raise XlsxProblem(
            _(
                "Lembar kerja kosong: tidak ada isi. Unduh templat, isi lembar '%(sheet)s' "
                "lalu unggah lagi.",
                sheet=_("Tim"),
            ),
            fields={"file": _("kosong")},
        )
    raise XlsxProblem(
        _(
            "Baris judul kolom tidak ditemukan di %(n)s baris pertama. Baris judul harus memuat "
            "kolom Peran dan Nama lengkap (lihat templat).",
            n=HEADER_SEARCH_ROWS,
        ),
        fields={"file": _("judul kolom")},
    )


def _read_rows(xlsx, title, rows, header_row, header, mapped) -> TeamSheet:
    columns = {f: (get_column_letter(i + 1), str(header[i]).strip()) for i, f in mapped.items()}
    ignored = [
        str(v).strip()
        for i, v in enumerate(header)
        if i not in mapped and v not in (None, "") and str(v).strip()
    ]
    max_rows = xlsx.limits.max_rows
    found, blank_run = [], 0
    for number, row in enumerate(rows, start=header_row + 1):
        raw = {f: row[i] if i < len(row) else None for i, f in mapped.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
            blank_run += 1
            if blank_run > BLANK_ROWS_END:
                break
            continue
        blank_run = 0
        values, problems = {}, {}
        for field_name, value in raw.items():
            values[field_name], problem = cell_text(value, digits=field_name == "nip")
            if problem:
                problems[field_name] = problem
        found.append(RawRow(number, values, problems))
        if len(found) > max_rows:
            raise XlsxProblem(
                _(
                    "Berkas berisi lebih dari %(n)s baris. Satu impor paling banyak %(n)s "
                    "baris: pecah daftar menjadi beberapa berkas.",
                    n=max_rows,
                ),
                fields={"file": _("terlalu banyak baris")},
            )
    if not found:
        raise XlsxProblem(
            _(
                "Tidak ada baris di bawah baris judul (baris %(row)s). Isi satu orang per baris "
                "mulai baris berikutnya.",
                row=header_row,
            ),
            fields={"file": _("kosong")},
        )
    return TeamSheet(title, header_row, columns, ignored, found)


# --- the check ------------------------------------------------------------------------------


@dataclass
class RowReport:
    """One data row: what was read, what would be added, what is wrong."""

    number: int
    raw: dict[str, str]
    #: what ``add_contributor`` receives, for a row without problems
    data: dict
    module: Module | None = None
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ContributorReport:
    """The checked file: every row."""

    sheet: TeamSheet
    rows: list[RowReport]

    @property
    def valid(self) -> list[RowReport]:
        return [row for row in self.rows if row.ok]

    @property
    def invalid(self) -> list[RowReport]:
        return [row for row in self.rows if not row.ok]


def find_module(event: Event, text: str) -> Module | None:
    """The event's module named by its code ("M2"), its title, or its number in the list
    ("2"); None if none is."""
    wanted = " ".join(str(text or "").split())
    if not wanted:
        return None
    modules = list(event.modules)
    for module in modules:
        if module.code.casefold() == wanted.casefold():
            return module
    for module in modules:
        if same_name(module.title) == same_name(wanted):
            return module
    if wanted.isdigit() and 1 <= int(wanted) <= len(modules):
        return modules[int(wanted) - 1]
    return None


def check_contributors(event: Event, data: bytes) -> ContributorReport:
    """Read and check a list of narasumber, moderators and panitia for ``event``. Writes
    nothing; XlsxProblem (an InvalidInput) when the file as a whole cannot be used."""
    sheet = read_team_sheet(data)
    return check_rows(event, sheet)


def check_rows(event: Event, sheet: TeamSheet) -> ContributorReport:
    """Each row by the team form's rules, its module, and duplicates in the file and event."""
    taken = {(c.role, c.module_id, same_name(c.name)) for c in contributors_of(event)}
    first_row: dict[tuple, int] = {}
    known = ", ".join(m.code for m in event.modules) or "—"
    reports = []
    for raw_row in sheet.rows:
        values = raw_row.values
        errors: dict[str, str] = {}
        role = " ".join(values.get("role", "").split()).casefold()
        module = None
        module_text = values.get("module", "")
        if role in MODULE_ROLES:
            module = find_module(event, module_text)
            if not module_text.strip():
                errors["module"] = _(
                    "Wajib diisi untuk narasumber dan moderator: kode, judul atau nomor materi."
                )
            elif module is None:
                errors["module"] = _(
                    "Materi '%(text)s' tidak ada pada kegiatan ini; materi yang ada: %(known)s.",
                    text=module_text[:80],
                    known=known,
                )
        data = {
            "role": role,
            "name": values.get("name", ""),
            "institution": values.get("institution", ""),
            "nip": values.get("nip", ""),
            "email": values.get("email", ""),
            "module_id": str(module.id) if module else "",
        }
        try:
            clean = clean_contributor(event, data)
        except InvalidInput as error:
            clean = None
            for name, message in (error.fields or {}).items():
                errors.setdefault("module" if name == "module_id" else name, message)
        if "role" in errors:
            errors["role"] = _(
                "Peran '%(text)s' tidak dikenal; tulis narasumber, moderator, atau panitia.",
                text=values.get("role", "")[:40],
            )
        for name, problem in raw_row.problems.items():
            errors[name] = _(
                "%(column)s %(problem)s", column=COLUMN_BY_FIELD[name].label, problem=problem
            )
        if clean is not None and _is_example(clean):
            errors["name"] = _(
                "Ini contoh dari templat (lembar %(sheet)s), bukan data: hapus barisnya.",
                sheet=_("Petunjuk"),
            )
        if clean is not None and not errors:
            key = (clean["role"], module.id if module else None, same_name(clean["name"]))
            if key in first_row:
                errors["name"] = _(
                    "Sama dengan baris %(row)s di berkas ini (peran, materi dan nama sama).",
                    row=first_row[key],
                )
            else:
                first_row[key] = raw_row.number
                if key in taken:
                    errors["name"] = _(
                        "%(name)s sudah tercatat pada kegiatan ini dengan peran dan materi "
                        "yang sama.",
                        name=clean["name"],
                    )
        problems = [
            RowProblem(column.field, sheet.column_label(column.field), errors[column.field])
            for column in COLUMNS
            if column.field in errors
        ]
        if clean is not None:
            data = {**data, "role": clean["role"]}
        reports.append(RowReport(raw_row.number, values, data, module, problems))
    return ContributorReport(sheet, reports)


def _is_example(clean: dict) -> bool:
    """The template's example person copied onto the sheet: its name with its NIP or email
    (a real namesake has neither)."""
    return same_name(clean["name"]) == same_name(EXAMPLE["name"]) and (
        clean["nip"] == EXAMPLE["nip"] or clean["email"] == EXAMPLE["email"]
    )


# --- the import -----------------------------------------------------------------------------


def import_contributors(
    event: Event,
    report: ContributorReport,
    *,
    actor=None,
    channel: str = "import",
    filename: str = "",
) -> list[Contributor]:
    """Add every valid row of a freshly checked report, in order, as one unit of work.

    Each row goes through ``add_contributor``; if one is refused now, ContributorImportFailed
    is raised and the caller must roll back: nothing of this import is kept. Flushes.
    """
    rows = report.valid
    if not rows:
        raise InvalidInput(_("Tidak ada baris yang valid untuk diimpor."))
    added = []
    for row in rows:
        try:
            added.append(add_contributor(event, row.data, actor=actor, channel=channel))
        except InvalidInput as error:
            detail = "; ".join(error.fields.values()) if error.fields else error.message
            raise ContributorImportFailed(
                _(
                    "Baris %(row)s: %(detail)s Impor dibatalkan, tidak ada yang disimpan.",
                    row=row.number,
                    detail=detail,
                )
            ) from None
    record(
        "contributor.import",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={
            "file": filename[:200],
            "rows": len(report.rows),
            "added": len(added),
            "skipped": len(report.invalid),
        },
    )
    return added


# --- the template ---------------------------------------------------------------------------

#: the example person on the instructions sheet (never on the sheet that is read)
EXAMPLE = {
    "role": "narasumber",
    "name": "Dr. H. Ahmad Fauzi, M.Si",
    "institution": "Badan Kesbangpol Kabupaten Kutai Timur",
    "nip": "197505172000031001",
    "email": "ahmad.fauzi@example.go.id",
    "module": "M1",
}
#: rows below the header formatted as text in the NIP column (Excel would cut an 18-digit NIP)
TEXT_ROWS = 500


def _explanations(module_sheet: str) -> dict[str, str]:
    return {
        "role": _("Wajib. narasumber, moderator, atau panitia (pilih dari daftar)."),
        "name": _("Wajib. Nama seperti akan tercetak di sertifikat, lengkap dengan gelar."),
        "institution": _("Boleh kosong. Instansi asal."),
        "nip": _("Boleh kosong. 18 angka, tanpa spasi (kolomnya sudah berformat Teks)."),
        "email": _(
            "Boleh kosong. Sertifikat dikirim ke alamat ini; hanya manajer kegiatan yang "
            "melihatnya."
        ),
        "module": _(
            "Wajib untuk narasumber dan moderator, kosongkan untuk panitia. Kode materi (mis. "
            "M1), judul, atau nomornya di lembar '%(sheet)s'.",
            sheet=module_sheet,
        ),
    }


def contributor_template(event: Event) -> bytes:
    """The import template: an empty sheet to fill, the instructions with an example, and
    the event's modules."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    header = book.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": ACCENT, "valign": "vcenter"}
    )
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    example = book.add_format({"italic": True, "font_color": "#7A8582", "valign": "top"})
    text = book.add_format({"num_format": "@"})

    sheet_name, notes_name, modules_name = _("Tim"), _("Petunjuk"), _("Daftar materi")
    sheet = book.add_worksheet(sheet_name)
    notes = book.add_worksheet(notes_name)
    modules_sheet = book.add_worksheet(modules_name)

    last = max(import_limits().max_rows, TEXT_ROWS)
    for index, column in enumerate(COLUMNS):
        nip = column.field == "nip"
        sheet.set_column(index, index, column.width, text if nip else None)
        sheet.write_string(0, index, str(column.label) + (" *" if column.required else ""), header)
        if nip:
            for row in range(1, TEXT_ROWS + 1):
                sheet.write_blank(row, index, None, text)
    sheet.freeze_panes(1, 0)
    sheet.data_validation(
        1,
        0,
        last,
        0,
        {
            "validate": "list",
            "source": list(CONTRIBUTOR_ROLES),
            "ignore_blank": True,
            "error_title": str(COLUMNS[0].label),
            "error_message": _("Pilih dari daftar."),
        },
    )

    explanations = _explanations(modules_name)
    notes.set_column(0, 0, 18)
    notes.set_column(1, 1, 70)
    notes.set_column(2, 2, 40)
    notes.write_string(0, 0, _("Petunjuk pengisian daftar narasumber, moderator & panitia"), title)
    lines = (
        _(
            "Isi satu orang per baris pada lembar '%(sheet)s', mulai baris 2. Hanya lembar itu "
            "yang diimpor; contoh di bawah tidak ikut diimpor.",
            sheet=sheet_name,
        ),
        _(
            "Orang yang membawakan dua materi ditulis dua baris, dengan nama yang sama: "
            "sertifikatnya memuat kedua materi."
        ),
        _("Paling banyak %(n)s baris per berkas.", n=import_limits().max_rows),
    )
    for number, line in enumerate(lines, start=1):
        notes.write_string(number, 0, line)
    top = len(lines) + 2
    for index, word in enumerate((_("Kolom"), _("Penjelasan"), _("Contoh"))):
        notes.write_string(top, index, word, bold)
    for offset, column in enumerate(COLUMNS, start=1):
        notes.write_string(top + offset, 0, str(column.label), bold)
        notes.write_string(top + offset, 1, explanations[column.field], wrap)
        notes.write_string(top + offset, 2, EXAMPLE[column.field], example)

    modules_sheet.set_column(0, 0, 8)
    modules_sheet.set_column(1, 1, 12)
    modules_sheet.set_column(2, 2, 60)
    for index, word in enumerate((_("Nomor"), _("Kode"), _("Judul"))):
        modules_sheet.write_string(0, index, word, bold)
    for number, module in enumerate(event.modules, start=1):
        modules_sheet.write_number(number, 0, number)
        modules_sheet.write_string(number, 1, module.code)
        modules_sheet.write_string(number, 2, module.title)
    book.close()
    return buffer.getvalue()
