"""The question bank as .xlsx (template, export, import with a row-by-row report).

The results workbook is the reports export "nilai" (``bimtek.reports.exports``)."""

import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.assessments.bank import LETTERS, list_questions, question_problems, save_question
from bimtek.assessments.models import MAX_OPTIONS, Question
from bimtek.audit.services import record
from bimtek.core.inputs import forbidden_field_message, has_forbidden_text
from bimtek.core.xlsx_reader import XlsxFile, XlsxLimits, XlsxProblem
from bimtek.core.xlsx_writer import FillInSheet, write_fill_in_workbook
from bimtek.errors import InvalidInput
from bimtek.events.models import Event, Module
from bimtek.extensions import db

#: how many option columns the template has (A–E); a file may carry more to be refused
OPTION_HEADERS = [f"Opsi {letter}" for letter in LETTERS]
HEADERS = [
    "Kode materi",
    "Pertanyaan",
    *OPTION_HEADERS[:MAX_OPTIONS],
    "Jawaban benar",
    "Pembahasan",
]
REQUIRED_HEADERS = ("Kode materi", "Pertanyaan", "Opsi A", "Jawaban benar")


def question_rows(questions: list[Question]) -> list[list]:
    rows = []
    for question in questions:
        options = [option.text for option in question.options]
        options += [""] * (MAX_OPTIONS - len(options))
        correct = next((LETTERS[i] for i, o in enumerate(question.options) if o.is_correct), "")
        rows.append(
            [
                question.module.code if question.module else "",
                question.text,
                *options[:MAX_OPTIONS],
                correct,
                question.explanation,
            ]
        )
    return rows


#: column widths of the question sheet (characters)
QUESTION_WIDTHS = [12, 60, 30, 30, 30, 30, 30, 14, 50]


def export_questions(event: Event) -> io.BytesIO:
    """The bank in the same layout as the import template."""
    rows = question_rows(list_questions(event))
    sheet = FillInSheet(_("Soal"), HEADERS, rows, QUESTION_WIDTHS)
    return io.BytesIO(write_fill_in_workbook([sheet]))


#: the template's example question; a row with it is skipped on import (people leave it in)
EXAMPLE_QUESTION = "Contoh: UU No. 7 Tahun 2012 mengatur tentang …"


def template(event: Event) -> io.BytesIO:
    """An empty bank with one example row and a sheet listing the event's module codes."""
    first = event.modules[0].code if event.modules else "M1"
    example = [
        first,
        EXAMPLE_QUESTION,
        "Penanganan Konflik Sosial",
        "Pemilihan Kepala Daerah",
        "Partai Politik",
        "Organisasi Kemasyarakatan",
        "",
        "A",
        "Hapus baris contoh ini. Opsi E boleh kosong (4–5 opsi); Jawaban benar: satu huruf.",
    ]
    modules = [[module.code, module.title] for module in event.modules]
    return io.BytesIO(
        write_fill_in_workbook(
            [
                FillInSheet(_("Soal"), HEADERS, [example], QUESTION_WIDTHS),
                FillInSheet(_("Kode materi"), ["Kode materi", "Judul materi"], modules, [14, 70]),
            ]
        )
    )


@dataclass
class RowProblem:
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    valid: int = 0
    imported: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    #: rows that are the template's example question, left in the file and not imported
    examples_skipped: int = 0

    @property
    def failed_rows(self) -> int:
        return len({problem.row for problem in self.problems})


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # undo our own export's neutralising apostrophe
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


def import_limits() -> XlsxLimits:
    """QUESTION_IMPORT_MAX_BYTES and _MAX_ROWS, with the XLSX_* limits of every import."""
    return XlsxLimits.for_import("QUESTION_IMPORT")


def read_rows(data: bytes) -> tuple[list[str], list[tuple[int, list]]]:
    """Headers and (row number, values) of the first sheet; InvalidInput for a bad file."""
    limits = import_limits()
    with XlsxFile(data, limits) as xlsx:
        workbook = xlsx.workbook()
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise XlsxProblem(
                _("Berkas tidak memiliki lembar kerja."), fields={"file": _("kosong")}
            )
        rows = []
        headers = None
        for number, values in enumerate(xlsx.rows(sheet), 1):
            values = [_cell_text(v) for v in values]
            if headers is None:
                if any(values):
                    headers = values
                continue
            if not any(values):
                continue
            rows.append((number, values))
            if len(rows) > limits.max_rows:
                raise XlsxProblem(
                    _(
                        "Terlalu banyak baris (maks. %(n)d soal per impor).",
                        n=limits.max_rows,
                    ),
                    fields={"file": _("terlalu banyak baris")},
                )
    if headers is None:
        raise XlsxProblem(
            _("Lembar kerja pertama kosong. Isi soal mulai baris 2 di bawah judul kolom templat."),
            fields={"file": _("kosong")},
        )
    return headers, rows


def parse_questions(event: Event, data: bytes) -> tuple[ImportReport, list[tuple[int, dict]]]:
    """Check every row; return the report and the valid rows as save_question data."""
    headers, rows = read_rows(data)
    lookup = {header.strip().lower(): index for index, header in enumerate(headers) if header}
    missing = [h for h in REQUIRED_HEADERS if h.lower() not in lookup]
    if missing:
        raise InvalidInput(
            _(
                "Judul kolom tidak sesuai templat; tidak ada kolom: %(columns)s.",
                columns=", ".join(missing),
            ),
            fields={"file": _("kolom")},
        )
    modules = {
        m.code.upper(): m
        for m in db.session.scalars(sa.select(Module).where(Module.event_id == event.id))
    }
    existing_texts = {
        " ".join(text.lower().split())
        for text in db.session.scalars(
            sa.select(Question.text).where(Question.event_id == event.id)
        )
    }
    option_columns = [h for h in OPTION_HEADERS if h.lower() in lookup]
    valid, seen = [], {}

    def get(values, header):
        index = lookup.get(header.lower())
        return values[index] if index is not None and index < len(values) else ""

    example = " ".join(EXAMPLE_QUESTION.lower().split())
    questions = [
        (number, values)
        for number, values in rows
        if " ".join(get(values, "Pertanyaan").lower().split()) != example
    ]
    report = ImportReport(rows=len(questions), examples_skipped=len(rows) - len(questions))
    for number, values in questions:
        problems = [
            (column, _("%(column)s %(problem)s", column=column, problem=forbidden_field_message()))
            for column, value in zip(headers, values, strict=False)
            if has_forbidden_text(value)
        ]
        code = get(values, "Kode materi").upper()
        module = modules.get(code)
        if not code:
            problems.append(("Kode materi", _("Kode materi kosong.")))
        elif module is None:
            known = ", ".join(sorted(modules)) or "—"
            problems.append(
                (
                    "Kode materi",
                    _(
                        "Kode materi '%(code)s' tidak dikenal (ada: %(known)s).",
                        code=code,
                        known=known,
                    ),
                )
            )
        text = get(values, "Pertanyaan")
        options_text = [get(values, header) for header in option_columns]
        answer = get(values, "Jawaban benar").upper().replace(" ", "")
        letters = [ch for ch in answer.replace(",", "").replace(";", "").replace("/", "")]
        bad_letters = [ch for ch in letters if ch not in LETTERS[: len(option_columns)]]
        if bad_letters:
            problems.append(
                (
                    "Jawaban benar",
                    _("'%(answer)s' bukan huruf opsi; isi satu huruf A–E.", answer=answer),
                )
            )
            letters = []
        options = [(option, LETTERS[i] in letters) for i, option in enumerate(options_text)]
        column_of = {
            "text": "Pertanyaan",
            "options": "Opsi",
            "correct": "Jawaban benar",
        }
        for key, reason in question_problems(text, options).items():
            if key == "correct" and bad_letters:
                continue
            problems.append((column_of[key], reason))
        normalized = " ".join(text.lower().split())
        if normalized and normalized in existing_texts:
            problems.append(("Pertanyaan", _("Pertanyaan ini sudah ada di bank soal.")))
        elif normalized and normalized in seen:
            problems.append(
                (
                    "Pertanyaan",
                    _("Pertanyaan sama dengan baris %(row)d.", row=seen[normalized]),
                )
            )
        if normalized:
            seen.setdefault(normalized, number)
        for column, reason in problems:
            report.problems.append(RowProblem(number, column, reason))
        if not problems:
            correct_index = LETTERS.index(letters[0]) + 1
            payload = {
                "module_id": module.id,
                "text": text,
                "explanation": get(values, "Pembahasan"),
                "correct": str(correct_index),
            }
            for i, option in enumerate(options_text, 1):
                payload[f"option_{i}"] = option
            valid.append((number, payload))
    report.valid = len(valid)
    return report, valid


def import_questions(
    event: Event, data: bytes, *, valid_only: bool = False, actor=None, channel="web"
) -> ImportReport:
    """Add the file's questions. Nothing is saved when a row fails, unless ``valid_only``."""
    report, valid = parse_questions(event, data)
    if report.problems and not valid_only:
        return report
    for _number, payload in valid:
        save_question(event, payload, actor=actor, channel=channel)
        report.imported += 1
    record(
        "question.import",
        actor=actor,
        channel=channel,
        event_id=event.id,
        details={"imported": report.imported, "failed_rows": report.failed_rows},
    )
    return report
