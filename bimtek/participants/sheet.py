"""Reading a participant list from .xlsx: the import's columns and how people write them.

Reading is forgiving of how people really fill spreadsheets (header names in Indonesian or
English, a title row above the header, NIKs typed as numbers) and strict about what would
silently corrupt data (digits Excel dropped, formulas without a value, merged header cells).
The file itself is opened by the one hardened reader, ``bimtek.core.xlsx_reader`` (size,
zip-bomb and time limits); this module only knows what a participant row is.
"""

from dataclasses import dataclass, field

from flask_babel import force_locale, format_number, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl.utils import get_column_letter

from bimtek.config import DefaultConfig
from bimtek.core.sheet_rows import Column, HeaderNames, cell_text, normalise_header
from bimtek.core.xlsx_reader import XlsxFile, XlsxLimits, XlsxProblem
from bimtek.participants.models import INSTITUTION_CATEGORIES, category_labels

#: most data rows one import takes by default (IMPORT_MAX_ROWS); see ``import_max_rows``
MAX_ROWS = DefaultConfig.IMPORT_MAX_ROWS
#: the header is looked for in the first rows (a title or a blank row may sit above it)
HEADER_SEARCH_ROWS = 10
#: this many empty rows in a row end the list (cells formatted down to row 1,048,576)
BLANK_ROWS_END = 2000
#: a row whose name starts with this is the template's example and is not imported
EXAMPLE_MARK = "CONTOH:"


#: the import columns, in template order: field, label (DESIGN.md), required, other names
COLUMNS = (
    Column(
        "full_name",
        _l("Nama lengkap"),
        True,
        ("nama", "nama lengkap", "nama peserta", "nama lengkap dan gelar", "full name", "name")
        + ("nama dan gelar", "nama gelar", "participant name", "nama lengkap peserta"),
        34,
    ),
    Column(
        "nik",
        _l("NIK"),
        True,
        ("nik", "no nik", "nomor nik", "nomor induk kependudukan", "no ktp", "nomor ktp", "ktp")
        + ("nik ktp", "national id", "national id number", "id number", "nik peserta"),
        20,
    ),
    Column(
        "nip",
        _l("NIP"),
        False,
        ("nip", "no nip", "nomor nip", "nomor induk pegawai", "employee id", "employee number"),
        22,
    ),
    Column(
        "gender",
        _l("Jenis kelamin"),
        True,
        ("jenis kelamin", "jk", "l p", "lp", "kelamin", "gender", "sex", "jenis kelamin l p"),
        14,
    ),
    Column(
        "institution",
        _l("Instansi"),
        True,
        ("instansi", "nama instansi", "asal instansi", "instansi asal", "lembaga", "unit kerja")
        + ("satuan kerja", "satker", "opd", "institution", "organisation", "organization")
        + ("agency", "office"),
        32,
    ),
    Column(
        "institution_category",
        _l("Kategori instansi"),
        True,
        ("kategori instansi", "kategori", "jenis instansi", "kelompok instansi", "category")
        + ("institution category", "agency category", "unsur"),
        20,
    ),
    Column(
        "job_title",
        _l("Jabatan"),
        True,
        ("jabatan", "nama jabatan", "pangkat jabatan", "position", "job title", "job", "role"),
        26,
    ),
    Column(
        "phone",
        _l("Nomor HP"),
        True,
        ("nomor hp", "no hp", "hp", "no hp wa", "nomor hp wa", "no wa", "nomor wa", "whatsapp")
        + ("no whatsapp", "nomor whatsapp", "no telp", "no telepon", "nomor telepon", "telepon")
        + ("telp", "handphone", "no handphone", "phone", "phone number", "mobile")
        + ("mobile number", "mobile phone"),
        18,
    ),
    Column(
        "email",
        _l("Email"),
        False,
        ("email", "e mail", "alamat email", "surel", "alamat surel", "email address"),
        28,
    ),
    Column(
        "district",
        _l("Kecamatan asal"),
        False,
        ("kecamatan asal", "kecamatan", "asal kecamatan", "district", "district of origin"),
        20,
    ),
    Column(
        "class_name",
        _l("Kelas"),
        False,
        ("kelas", "nama kelas", "kelas peserta", "rombel", "rombongan belajar", "class")
        + ("class name", "group"),
        14,
    ),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
#: digits-only columns: Excel turns them into numbers and loses digits past the 15th
DIGIT_FIELDS = ("nik", "nip", "phone")


_HEADERS = HeaderNames(COLUMNS)


#: how lists from the offices write the category, beyond its code and label (lowercase)
CATEGORY_ALIASES = {
    "komisi pemilihan umum": "kpu",
    "kpud": "kpu",
    "badan pengawas pemilu": "bawaslu",
    "panwaslu": "bawaslu",
    "tni ad": "tni",
    "kodim": "tni",
    "koramil": "tni",
    "kepolisian": "polri",
    "polres": "polri",
    "polsek": "polri",
    "pemerintah kabupaten": "pemda",
    "pemkab": "pemda",
    "opd": "pemda",
    "perangkat daerah": "pemda",
    "kecamatan": "kecamatan_desa",
    "desa": "kecamatan_desa",
    "kelurahan": "kecamatan_desa",
    "kecamatan desa": "kecamatan_desa",
    "tokoh": "tokoh_masyarakat",
    "tomas": "tokoh_masyarakat",
    "tokoh agama": "tokoh_masyarakat",
    "lain lain": "lainnya",
    "lain": "lainnya",
}
_CATEGORY_KEYS = {
    **{normalise_header(code): code for code in INSTITUTION_CATEGORIES},
    **{normalise_header(label): code for code, label in INSTITUTION_CATEGORIES.items()},
    **CATEGORY_ALIASES,
}


def category_code(text: str) -> str:
    """A category as written ("POLRI", "Pemda", "Kecamatan/Desa", "Polres") as its code;
    anything unknown is returned unchanged, for the registration rules to refuse."""
    key = normalise_header(text)
    if key in _CATEGORY_KEYS:
        return _CATEGORY_KEYS[key]
    for language in DefaultConfig.LANGUAGES:
        with force_locale(language):
            for code, label in category_labels().items():
                if normalise_header(label) == key:
                    return code  # an export written for a reader of another language
    return text


def match_header(text) -> str | None:
    """The participant field a header names, or None (``HeaderNames.match``)."""
    return _HEADERS.match(text)


#: the file as a whole cannot be read as a participant list; the message says why
FileProblem = XlsxProblem


@dataclass
class CellProblem:
    """A cell whose value cannot be trusted as read (lost digits, formula without value)."""

    field: str
    message: str


@dataclass
class RawRow:
    """One non-empty data row as read from the sheet."""

    #: the row number as Excel shows it
    number: int
    #: field -> text as read (numbers converted to digits, dates to ISO text)
    values: dict[str, str]
    #: problems found while reading the cells (digits lost, formula without a value)
    problems: list[CellProblem] = field(default_factory=list)


@dataclass
class SheetData:
    """What was read from the participant sheet, before any registration rule."""

    sheet_title: str
    header_row: int
    #: field -> (column letter, header text as written)
    columns: dict[str, tuple[str, str]]
    #: headers that matched no field, as written; they are not imported
    ignored_headers: list[str]
    rows: list[RawRow]
    #: row numbers of template example rows that were left out
    skipped_examples: list[int]
    #: the file held formulas; their stored values were read
    had_formulas: bool

    def column_label(self, field_name: str) -> str:
        """Where a field sits for the organizer: 'C (NIK)'."""
        letter, header = self.columns.get(field_name, ("", COLUMN_BY_FIELD[field_name].label))
        return f"{letter} ({header})" if letter else header


def _is_formula(value) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def thousands(number: int) -> str:
    """5000 as "5.000" (Indonesian, also outside a request) or in the reader's locale."""
    locale = get_locale()
    if locale is None or locale.language == "id":
        return f"{number:,}".replace(",", ".")
    return format_number(number)


def import_max_rows() -> int:
    """The most data rows one participant import takes (IMPORT_MAX_ROWS)."""
    return XlsxLimits.for_import("IMPORT").max_rows


def read_participant_sheet(data: bytes, limits: XlsxLimits | None = None) -> SheetData:
    """Read a participant list from .xlsx bytes; raise FileProblem (an XlsxProblem) when it
    cannot be done. ``limits`` default to the IMPORT_* and XLSX_* settings."""
    with XlsxFile(data, limits or XlsxLimits.for_import("IMPORT")) as xlsx:
        return _read_workbook(xlsx)


def _find_header(rows_iter) -> tuple[int, tuple, dict[int, str], list[tuple]]:
    """Look for the header among the first rows: the row naming the most known columns."""
    seen = []
    for number, row in enumerate(rows_iter, start=1):
        seen.append(row)
        mapped = {i: match_header(v) for i, v in enumerate(row) if match_header(v)}
        if len(set(mapped.values())) >= 3:
            return number, row, mapped, seen
        if number >= HEADER_SEARCH_ROWS:
            break
    return 0, (), {}, seen


def _read_workbook(xlsx: XlsxFile) -> SheetData:
    nonempty_sheets = 0
    for worksheet in xlsx.workbook().worksheets:
        rows_iter = xlsx.rows(worksheet)
        header_row, header, mapped, seen = _find_header(rows_iter)
        if any(any(v not in (None, "") for v in row) for row in seen):
            nonempty_sheets += 1
        if header_row:
            return _read_rows(xlsx, worksheet, rows_iter, header_row, header, mapped)
    if not nonempty_sheets:
        raise FileProblem(
            _(
                "Lembar kerja kosong: tidak ada isi. Isi daftar peserta mulai baris 1 dengan "
                "judul kolom (unduh templat bila perlu)."
            )
        )
    raise FileProblem(
        _(
            "Baris judul kolom tidak ditemukan di %(n)s baris pertama. Baris judul harus memuat "
            "kolom %(columns)s (lihat templat).",
            n=HEADER_SEARCH_ROWS,
            columns=", ".join(str(c.label) for c in COLUMNS if c.required),
        )
    )


def _read_rows(xlsx: XlsxFile, worksheet, rows_iter, header_row, header, mapped):
    merged, has_formulas = xlsx.sheet_facts(worksheet)
    for min_col, min_row, max_col, max_row in merged:
        if min_row <= header_row <= max_row:
            raise FileProblem(
                _(
                    "Sel judul kolom di baris %(row)s digabung (merge): %(first)s–%(last)s. "
                    "Pisahkan sel (Unmerge) agar setiap kolom punya judul sendiri.",
                    row=header_row,
                    first=f"{get_column_letter(min_col)}{header_row}",
                    last=f"{get_column_letter(max_col)}{header_row}",
                )
            )
    fields_seen: dict[str, int] = {}
    for index, field_name in sorted(mapped.items()):
        if field_name in fields_seen:
            first = get_column_letter(fields_seen[field_name] + 1)
            raise FileProblem(
                _(
                    "Kolom %(column)s muncul dua kali (%(first)s dan %(second)s). Hapus salah "
                    "satunya.",
                    column=COLUMN_BY_FIELD[field_name].label,
                    first=first,
                    second=get_column_letter(index + 1),
                )
            )
        fields_seen[field_name] = index
    missing = [c.label for c in COLUMNS if c.required and c.field not in fields_seen]
    if missing:
        found = ", ".join(str(header[i]).strip() for i in sorted(mapped)) or "-"
        raise FileProblem(
            _(
                "Kolom wajib tidak ditemukan: %(missing)s. Kolom yang dikenali: %(found)s.",
                missing=", ".join(str(label) for label in missing),
                found=found,
            )
        )
    columns = {
        f: (get_column_letter(i + 1), str(header[i]).strip()) for f, i in fields_seen.items()
    }
    ignored = [
        str(v).strip()
        for i, v in enumerate(header)
        if i not in mapped and v not in (None, "") and str(v).strip()
    ]

    formula_rows = None
    if has_formulas:
        formulas_book = xlsx.workbook(data_only=False)
        formula_rows = xlsx.rows(formulas_book[worksheet.title], min_row=header_row + 1)
    max_rows = xlsx.limits.max_rows
    rows, examples = [], []
    blank_run = 0
    for number, row in enumerate(rows_iter, start=header_row + 1):
        formula_row = next(formula_rows, ()) if formula_rows is not None else ()
        raw = {f: row[i] if i < len(row) else None for f, i in fields_seen.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
            blank_run += 1
            if blank_run > BLANK_ROWS_END:
                break  # formatted but empty rows to the bottom of the sheet: the list ended
            continue
        blank_run = 0
        values, problems = {}, []
        for field_name, value in raw.items():
            text, problem = cell_text(value, digits=field_name in DIGIT_FIELDS)
            index = fields_seen[field_name]
            if value is None and index < len(formula_row) and _is_formula(formula_row[index]):
                problem = _(
                    "berisi rumus tanpa nilai tersimpan. Buka berkas di Excel lalu simpan "
                    "ulang, atau salin dan tempel sebagai nilai (Paste Values)."
                )
            if field_name == "institution_category" and text:
                text = category_code(text)
            values[field_name] = text
            if problem:
                problems.append(CellProblem(field_name, problem))
        if values.get("full_name", "").upper().startswith(EXAMPLE_MARK):
            examples.append(number)
            continue
        rows.append(RawRow(number, values, problems))
        if len(rows) > max_rows:
            raise FileProblem(
                _(
                    "Berkas berisi lebih dari %(n)s baris peserta. Satu impor paling banyak "
                    "%(n)s baris: pecah daftar menjadi beberapa berkas.",
                    n=thousands(max_rows),
                )
            )
    if not rows:
        raise FileProblem(
            _(
                "Tidak ada baris peserta di bawah baris judul (baris %(row)s). Isi data peserta "
                "mulai baris berikutnya.",
                row=header_row,
            )
        )
    return SheetData(
        sheet_title=worksheet.title,
        header_row=header_row,
        columns=columns,
        ignored_headers=ignored,
        rows=rows,
        skipped_examples=examples,
        had_formulas=has_formulas,
    )
