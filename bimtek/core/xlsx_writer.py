"""Writing report workbooks with XlsxWriter: one writer for every export.

A report sheet is a title row, a line under it, a styled frozen header with an autofilter,
typed cells (numbers, percentages, dates, times, text kept as text) and an optional note.

XlsxWriter runs ``in_memory``: no temporary files (nothing on one server's disk), and, for
report-sized sheets, faster than its ``constant_memory`` mode, which writes every row to a
temporary file (measured on ~21,000 cells like a 400-participant export, CPU medians of 7:
hand-written SpreadsheetML 0.040 s, XlsxWriter in_memory 0.103 s, constant_memory 0.134 s).
Exports of big events are built by a job (EXPORT_JOB_THRESHOLD), not in a request; the full
export's figures are printed by ``bench/excel.py``, which times it against the hand-written
writer this module replaces (kept in ``bench/_spreadsheetml.py`` as the baseline).

Every text cell — titles, headers and notes too — goes through ``neutralize_cell``, and
XlsxWriter is told never to turn a string into a formula, a number or a link.
"""

import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

import xlsxwriter
from flask_babel import gettext as _

from bimtek.core.spreadsheets import neutralize_cell

#: the header sits on this row (1-based); the title and the line under it sit above
HEADER_ROW = 4
#: characters XML 1.0 cannot carry: dropped from text cells
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Excel's limit for one cell's text
MAX_TEXT = 32767
#: widths are fitted to at most this many rows (enough to see the longest values)
FIT_ROWS = 2000
ACCENT = "#0B5D4B"
MUTED = "#5B6663"

#: number format per column kind (None: Excel's General)
NUMBER_FORMATS = {
    "digits": "@",
    "int": "0",
    "number": "0.0#",
    "gain": "0.000",
    "percent": "0.0%",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
    "time": "hh:mm",
}
NUMERIC_KINDS = ("int", "number", "gain", "percent", "general")
MOMENT_KINDS = ("date", "datetime", "time")


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
    if kind == "date":
        return 10
    if kind == "datetime":
        return 16
    if kind == "time":
        return 5
    if kind == "percent":
        return 6
    return max((len(part) for part in str(value).split("\n")), default=0)


def fit_widths(sheet: Sheet) -> list[float]:
    """Each column's width: fixed, or its longest header or value (within 6–60)."""
    widths = []
    for index, column in enumerate(sheet.columns):
        if column.width:
            widths.append(column.width)
            continue
        longest = len(str(column.header))
        for row in sheet.rows[:FIT_ROWS]:
            longest = max(longest, _display_length(row[index], column.kind))
        widths.append(min(max(longest * 1.1 + 2, 6), 60))
    return widths


def safe_title(title: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "-", str(title))[:31]


def _text(value) -> str:
    text = neutralize_cell(str(value))
    if not text.isprintable():  # rare: a scan in C spares most cells the regex
        text = _ILLEGAL.sub("", text)
    return text[:MAX_TEXT]


class _Formats:
    """The handful of cell formats a report sheet uses, made once per workbook."""

    def __init__(self, book):
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.subtitle = book.add_format({"italic": True, "font_color": MUTED})
        self.header = book.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": ACCENT,
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.wrap = book.add_format({"valign": "top", "text_wrap": True})
        self.kind = {
            kind: book.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()
        }


def _write_sheet(book, formats: _Formats, sheet: Sheet) -> None:
    ws = book.add_worksheet(safe_title(sheet.title))
    count = len(sheet.columns)
    header = HEADER_ROW - 1  # XlsxWriter counts rows from 0
    last_row = header + max(len(sheet.rows), 1)
    for index, width in enumerate(fit_widths(sheet)):
        ws.set_column(index, index, width)
    ws.freeze_panes(HEADER_ROW, 0)
    ws.autofilter(header, 0, last_row, count - 1)
    ws.repeat_rows(header)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    ws.write_string(0, 0, _text(sheet.heading), formats.title)
    ws.write_string(1, 0, _text(sheet.subheading), formats.subtitle)
    for index, column in enumerate(sheet.columns):
        ws.write_string(header, index, _text(column.header), formats.header)

    # one writer per column, chosen once: (write method, format) by kind
    kinds = [column.kind for column in sheet.columns]
    number_formats = [formats.kind.get(kind) for kind in kinds]
    text_formats = [
        formats.kind["digits"] if kind == "digits" else formats.wrap if kind == "wrap" else None
        for kind in kinds
    ]
    moment_default = {datetime: formats.kind["datetime"], date: formats.kind["date"]}
    write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
    for row_number, row in enumerate(sheet.rows, start=header + 1):
        for index, value in enumerate(row):
            if value is None:
                continue
            kind = kinds[index]
            if isinstance(value, bool):
                write_string(row_number, index, _("Ya") if value else _("Tidak"))
            elif isinstance(value, int | float) and kind != "digits":
                if math.isfinite(value):
                    fmt = number_formats[index] if kind in NUMERIC_KINDS else None
                    write_number(row_number, index, value, fmt)
            elif isinstance(value, datetime | date | time):
                fmt = (
                    number_formats[index]
                    if kind in MOMENT_KINDS
                    else moment_default.get(type(value), formats.kind["date"])
                )
                if isinstance(value, datetime):
                    value = value.replace(tzinfo=None)
                write_datetime(row_number, index, value, fmt)
            else:
                write_string(row_number, index, _text(value), text_formats[index])
    if sheet.note:
        ws.write_string(header + len(sheet.rows) + 2, 0, _text(sheet.note), formats.subtitle)


@dataclass
class FillInSheet:
    """A sheet people fill in and import back: the header on the first row, no title rows
    (an import takes the first filled row as its header)."""

    title: str
    headers: list[str]
    rows: list[list]
    widths: list[float] = field(default_factory=list)


def new_workbook(buffer: io.BytesIO):
    """An xlsxwriter workbook writing into ``buffer`` that never turns a text into a number,
    a formula or a link (every workbook the app writes, templates included)."""
    return xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": False,
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )


def write_fill_in_workbook(sheets: list[FillInSheet]) -> bytes:
    """An .xlsx of fill-in sheets: a bold, frozen header row, text cells neutralised."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    bold = book.add_format({"bold": True})
    for sheet in sheets:
        ws = book.add_worksheet(safe_title(sheet.title))
        for index, width in enumerate(sheet.widths):
            ws.set_column(index, index, width)
        ws.freeze_panes(1, 0)
        for index, header in enumerate(sheet.headers):
            ws.write_string(0, index, _text(header), bold)
        for row_number, row in enumerate(sheet.rows, start=1):
            for index, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, int | float) and not isinstance(value, bool):
                    ws.write_number(row_number, index, value)
                else:
                    ws.write_string(row_number, index, _text(value))
    book.close()
    return buffer.getvalue()


def write_workbook(sheets: list[Sheet]) -> bytes:
    """An .xlsx of the sheets: title rows, bold frozen header, autofilter, fitted widths."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    formats = _Formats(book)
    for sheet in sheets:
        _write_sheet(book, formats, sheet)
    book.close()
    return buffer.getvalue()
