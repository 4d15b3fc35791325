"""Spreadsheets in and out: reading a participant list, the import template, export workbooks.

Reading is forgiving of how people really fill spreadsheets (header names in Indonesian or
English, a title row above the header, NIKs typed as numbers) and strict about what would
silently corrupt data (digits Excel dropped, formulas without a value, merged header cells).
Writing uses openpyxl's write-only mode: fast, and every text cell goes through
``neutralize_cell`` so nothing exported runs as a formula.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bimtek.config import DefaultConfig
from bimtek.core.spreadsheets import neutralize_cell
from bimtek.core.xlsx_reader import XlsxFile, XlsxLimits, XlsxProblem
from bimtek.participants.models import GENDERS, INSTITUTION_CATEGORIES

#: most data rows one import takes by default (IMPORT_MAX_ROWS); see ``_max_rows``
MAX_ROWS = DefaultConfig.IMPORT_MAX_ROWS
#: the header is looked for in the first rows (a title or a blank row may sit above it)
HEADER_SEARCH_ROWS = 10
#: this many empty rows in a row end the list (cells formatted down to row 1,048,576)
BLANK_ROWS_END = 2000
#: a row whose name starts with this is the template's example and is not imported
EXAMPLE_MARK = "CONTOH:"


@dataclass(frozen=True)
class Column:
    """One column of the import template and the header names it is known by."""

    field: str
    label: str
    required: bool
    aliases: tuple[str, ...]
    width: int


#: the import columns, in template order: field, label (DESIGN.md), required, other names
COLUMNS = (
    Column(
        "full_name",
        "Nama lengkap",
        True,
        ("nama", "nama lengkap", "nama peserta", "nama lengkap dan gelar", "full name", "name")
        + ("nama dan gelar", "nama gelar", "participant name", "nama lengkap peserta"),
        34,
    ),
    Column(
        "nik",
        "NIK",
        True,
        ("nik", "no nik", "nomor nik", "nomor induk kependudukan", "no ktp", "nomor ktp", "ktp")
        + ("nik ktp", "national id", "national id number", "id number", "nik peserta"),
        20,
    ),
    Column(
        "nip",
        "NIP",
        False,
        ("nip", "no nip", "nomor nip", "nomor induk pegawai", "employee id", "employee number"),
        22,
    ),
    Column(
        "gender",
        "Jenis kelamin",
        True,
        ("jenis kelamin", "jk", "l p", "lp", "kelamin", "gender", "sex", "jenis kelamin l p"),
        14,
    ),
    Column(
        "institution",
        "Instansi",
        True,
        ("instansi", "nama instansi", "asal instansi", "instansi asal", "lembaga", "unit kerja")
        + ("satuan kerja", "satker", "opd", "institution", "organisation", "organization")
        + ("agency", "office"),
        32,
    ),
    Column(
        "institution_category",
        "Kategori instansi",
        True,
        ("kategori instansi", "kategori", "jenis instansi", "kelompok instansi", "category")
        + ("institution category", "agency category", "unsur"),
        20,
    ),
    Column(
        "job_title",
        "Jabatan",
        True,
        ("jabatan", "nama jabatan", "pangkat jabatan", "position", "job title", "job", "role"),
        26,
    ),
    Column(
        "phone",
        "Nomor HP",
        True,
        ("nomor hp", "no hp", "hp", "no hp wa", "nomor hp wa", "no wa", "nomor wa", "whatsapp")
        + ("no whatsapp", "nomor whatsapp", "no telp", "no telepon", "nomor telepon", "telepon")
        + ("telp", "handphone", "no handphone", "phone", "phone number", "mobile")
        + ("mobile number", "mobile phone"),
        18,
    ),
    Column(
        "email",
        "Email",
        False,
        ("email", "e mail", "alamat email", "surel", "alamat surel", "email address"),
        28,
    ),
    Column(
        "district",
        "Kecamatan asal",
        False,
        ("kecamatan asal", "kecamatan", "asal kecamatan", "district", "district of origin"),
        20,
    ),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
#: digits-only columns: Excel turns them into numbers and loses digits past the 15th
DIGIT_FIELDS = ("nik", "nip", "phone")


def _normalise_header(text) -> str:
    """'No. HP (WA)*' -> 'no hp wa'; accents, case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    text = text.lower().replace("*", " ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_ALIASES: dict[str, str] = {}
for _column in COLUMNS:
    for _alias in (*_column.aliases, _column.label):
        _ALIASES[_normalise_header(_alias)] = _column.field
        _ALIASES[_normalise_header(_alias).replace(" ", "")] = _column.field


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
    **{_normalise_header(code): code for code in INSTITUTION_CATEGORIES},
    **{_normalise_header(label): code for code, label in INSTITUTION_CATEGORIES.items()},
    **CATEGORY_ALIASES,
}


def category_code(text: str) -> str:
    """A category as written ("POLRI", "Pemda", "Kecamatan/Desa", "Polres") as its code;
    anything unknown is returned unchanged, for the registration rules to refuse."""
    return _CATEGORY_KEYS.get(_normalise_header(text), text)


def match_header(text) -> str | None:
    """The participant field a header names, or None: case, spaces, punctuation forgiven.

    A note in brackets is ignored ("Nama lengkap (dengan gelar)"), so is a leading "No." on
    a known name ("No. NIK").
    """
    if text is None:
        return None
    plain = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(text))
    for candidate in (plain, str(text)):
        key = _normalise_header(candidate)
        if not key:
            continue
        if key in _ALIASES:
            return _ALIASES[key]
        if key.replace(" ", "") in _ALIASES:
            return _ALIASES[key.replace(" ", "")]
    return None


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


_SCIENTIFIC = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*[eE]\s*\+?\s*\d+\s*$")


def _sheet_xml_facts(
    archive: zipfile.ZipFile, path: str
) -> tuple[list[tuple[int, int, int, int]], bool]:
    """Merged ranges (min_col, min_row, max_col, max_row) and whether formulas are present.

    Read-only openpyxl does not report merged cells, so the sheet's XML is looked at directly.
    """
    from openpyxl.utils.cell import range_boundaries

    try:
        xml = archive.read(path.lstrip("/"))
    except KeyError:
        return [], False
    merged = []
    for ref in re.findall(rb'<(?:\w+:)?mergeCell\s[^>]*ref="([A-Z]+\d+:[A-Z]+\d+)"', xml):
        merged.append(range_boundaries(ref.decode()))
    has_formulas = re.search(rb"<(?:\w+:)?f[\s>/]", xml) is not None
    return merged, has_formulas


def _is_formula(value) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def _cell_text(value, field_name: str) -> tuple[str, str | None]:
    """A cell as text for the validators, and a problem when the value cannot be trusted."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("Ya" if value else "Tidak"), None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(), None
    if isinstance(value, date):
        return value.isoformat(), None
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            if field_name in DIGIT_FIELDS:
                return repr(value), "berisi angka pecahan, bukan deretan digit."
            return f"{value:g}", None
        digits = str(int(value))
        if field_name in DIGIT_FIELDS and len(digits) > 15:
            # Excel keeps 15 significant digits: the rest came back as zeros, and numbers
            # past 2**53 do not survive the float they pass through. Only an exact number
            # written by a program (a NIK below 2**53 not ending in zeros) is kept.
            if isinstance(value, float) or value > 2**53 or set(digits[15:]) == {"0"}:
                return digits, (
                    "tersimpan sebagai angka di Excel, yang hanya menyimpan 15 digit; digit "
                    "terakhir mungkin hilang. Format kolom sebagai Teks lalu ketik ulang."
                )
        return digits, None
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # a cell neutralised by an export (ours included): take it back
    if field_name in DIGIT_FIELDS and _SCIENTIFIC.match(text):
        return text, (
            f"tertulis dalam format ilmiah ({text}): digitnya sudah hilang. Format kolom "
            "sebagai Teks lalu ketik ulang angkanya."
        )
    return text, None


def _max_rows() -> int:
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
            "Lembar kerja kosong: tidak ada isi. Isi daftar peserta mulai baris 1 dengan judul "
            "kolom (unduh templat bila perlu)."
        )
    raise FileProblem(
        "Baris judul kolom tidak ditemukan di 10 baris pertama. Baris judul harus memuat "
        "kolom Nama lengkap, NIK, Jenis kelamin, Instansi, Kategori instansi, Jabatan dan "
        "Nomor HP (lihat templat)."
    )


def _read_rows(xlsx: XlsxFile, worksheet, rows_iter, header_row, header, mapped):
    merged, has_formulas = _sheet_xml_facts(xlsx.archive, worksheet._worksheet_path)
    for min_col, min_row, max_col, max_row in merged:
        if min_row <= header_row <= max_row:
            raise FileProblem(
                f"Sel judul kolom di baris {header_row} digabung (merge): "
                f"{get_column_letter(min_col)}{header_row}–{get_column_letter(max_col)}"
                f"{header_row}. Pisahkan sel (Unmerge) agar setiap kolom punya judul sendiri."
            )
    fields_seen: dict[str, int] = {}
    for index, field_name in sorted(mapped.items()):
        if field_name in fields_seen:
            first = get_column_letter(fields_seen[field_name] + 1)
            raise FileProblem(
                f"Kolom {COLUMN_BY_FIELD[field_name].label} muncul dua kali "
                f"({first} dan {get_column_letter(index + 1)}). Hapus salah satunya."
            )
        fields_seen[field_name] = index
    missing = [c.label for c in COLUMNS if c.required and c.field not in fields_seen]
    if missing:
        found = ", ".join(str(header[i]).strip() for i in sorted(mapped)) or "-"
        raise FileProblem(
            "Kolom wajib tidak ditemukan: "
            + ", ".join(missing)
            + f". Kolom yang dikenali: {found}."
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
            text, problem = _cell_text(value, field_name)
            index = fields_seen[field_name]
            if value is None and index < len(formula_row) and _is_formula(formula_row[index]):
                problem = (
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
                f"Berkas berisi lebih dari {max_rows:,} baris peserta".replace(",", ".")
                + f". Satu impor paling banyak {max_rows:,} baris".replace(",", ".")
                + ": pecah daftar menjadi beberapa berkas."
            )
    if not rows:
        raise FileProblem(
            f"Tidak ada baris peserta di bawah baris judul (baris {header_row}). "
            "Isi data peserta mulai baris berikutnya."
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


# --- writing ------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B5D4B")
TITLE_FONT = Font(bold=True, size=14)
TEXT_FORMAT = "@"


@dataclass
class SheetColumn:
    """One column of an export sheet: header, kind of value, optional fixed width."""

    header: str
    #: "text", "digits" (kept as text: NIK, NIP, phone), "int", "number" (a score),
    #: "gain" (3 decimals), "percent" (a fraction shown as %), "date", "datetime", "time",
    #: "general" (numbers in Excel's General format), "wrap" (long text wrapped in its width)
    kind: str = "text"
    #: a fixed width; otherwise fitted to the contents
    width: float | None = None


@dataclass
class Sheet:
    """One export sheet: title rows, columns and rows of plain values."""

    title: str
    #: the title row: the event, what this is
    heading: str
    #: the line under it: event dates, when generated
    subheading: str
    columns: list[SheetColumn]
    rows: list[list]
    #: a sentence under the table (what a mark means), optional
    note: str = ""


def _display_length(value, kind: str) -> int:
    if value is None:
        return 0
    if kind in ("date",):
        return 10
    if kind == "datetime":
        return 16
    if kind == "time":
        return 5
    if kind == "percent":
        return 6
    return max((len(part) for part in str(value).split("\n")), default=0)


def _fit_widths(sheet: Sheet) -> list[float]:
    widths = []
    for index, column in enumerate(sheet.columns):
        if column.width:
            widths.append(column.width)
            continue
        longest = len(column.header)
        for row in sheet.rows[:2000]:
            longest = max(longest, _display_length(row[index], column.kind))
        widths.append(min(max(longest * 1.1 + 2, 6), 60))
    return widths


def _safe_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31]


def write_workbook(sheets: list[Sheet]) -> bytes:
    """An .xlsx of the sheets: title rows, bold frozen header, autofilter, fitted widths.

    Every text cell (titles and headers too) goes through ``neutralize_cell``.
    """
    from bimtek.reports import xlsx_writer

    safe = []
    for sheet in sheets:
        safe.append(
            Sheet(
                title=sheet.title,
                heading=neutralize_cell(sheet.heading),
                subheading=neutralize_cell(sheet.subheading),
                columns=[
                    SheetColumn(neutralize_cell(c.header), c.kind, c.width) for c in sheet.columns
                ],
                rows=[[neutralize_cell(value) for value in row] for row in sheet.rows],
                note=neutralize_cell(sheet.note),
            )
        )
    return xlsx_writer.write(
        safe, [_fit_widths(sheet) for sheet in safe], [_safe_title(s.title) for s in safe]
    )


def participant_template() -> bytes:
    """The import template: header, an example row, drop-down lists, digit columns as text."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Peserta"
    lists = workbook.create_sheet("Pilihan")
    lists.sheet_state = "hidden"
    categories = list(INSTITUTION_CATEGORIES.values())
    genders = list(GENDERS.values())
    for index, label in enumerate(categories, start=1):
        lists.cell(row=index, column=1, value=label)
    for index, label in enumerate(genders, start=1):
        lists.cell(row=index, column=2, value=label)

    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index, value=column.label + (" *" if column.required else ""))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(index)].width = column.width
    example = {
        "full_name": EXAMPLE_MARK + " Dr. H. Ahmad Fauzi, M.Si",
        "nik": "6408011705900001",
        "nip": "199005172015031001",
        "gender": "Laki-laki",
        "institution": "KPU Kabupaten Kutai Timur",
        "institution_category": "KPU",
        "job_title": "Anggota PPK",
        "phone": "081234567890",
        "email": "ahmad.fauzi@example.go.id",
        "district": "Sangatta Utara",
    }
    example_font = Font(italic=True, color="7A8582")
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=2, column=index, value=example[column.field])
        cell.font = example_font
    ws.freeze_panes = "A2"
    max_rows = _max_rows()
    last = max_rows + 1
    for field_name in DIGIT_FIELDS:
        letter = get_column_letter(list(COLUMN_BY_FIELD).index(field_name) + 1)
        # text format on the whole column, so a typed NIK is never turned into 6.40801E+15
        ws.column_dimensions[letter].number_format = TEXT_FORMAT
        for row in range(2, min(last, 1001) + 1):
            ws[f"{letter}{row}"].number_format = TEXT_FORMAT
    for field_name, source, title in (
        ("institution_category", f"Pilihan!$A$1:$A${len(categories)}", "Kategori instansi"),
        ("gender", f"Pilihan!$B$1:$B${len(genders)}", "Jenis kelamin"),
    ):
        letter = get_column_letter(list(COLUMN_BY_FIELD).index(field_name) + 1)
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=title,
            error="Pilih dari daftar.",
            promptTitle=title,
            prompt="Pilih dari daftar.",
        )
        validation.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(validation)
    notes = workbook.create_sheet("Petunjuk")
    for line in (
        "Petunjuk pengisian daftar peserta",
        "",
        "1. Isi satu peserta per baris pada lembar 'Peserta', mulai baris 3.",
        "2. Baris 2 adalah contoh (nama diawali 'CONTOH:') dan tidak ikut diimpor; boleh dihapus.",
        "3. Kolom bertanda * wajib diisi. NIP, Email dan Kecamatan asal boleh kosong.",
        "4. NIK 16 digit dan NIP 18 digit ditulis sebagai teks (kolomnya sudah diformat Teks).",
        "5. Nomor HP: 08… atau +62….",
        "6. Kategori instansi dan Jenis kelamin dipilih dari daftar.",
        f"7. Paling banyak {max_rows:,} peserta per berkas.".replace(",", "."),
    ):
        notes.append([line])
    notes["A1"].font = TITLE_FONT
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
