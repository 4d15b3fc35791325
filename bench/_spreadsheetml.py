"""The hand-written SpreadsheetML writer the reports used until XlsxWriter replaced it
(issue 10), kept only as the baseline ``bench/excel.py`` compares XlsxWriter with.

A small, fast .xlsx writer for report sheets: title rows, a styled frozen header with an
autofilter, typed cells (numbers, percentages, dates, times, text kept as text).

openpyxl builds an XML element per cell and spends most of an export doing so (0.4 s of
CPU for the ~20,000 cells of a 400-participant event); report sheets need only a handful of
styles, so their XML is written directly here, which takes a tenth of that. The output is
plain SpreadsheetML (inline strings) that Excel, LibreOffice and openpyxl all read; the
tests read every export back with openpyxl.
"""

import io
import math
import re
import zipfile
from datetime import date, datetime, time
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

from bimtek.core.spreadsheets import neutralize_cell
from bimtek.core.xlsx_writer import Sheet, SheetColumn, fit_widths, safe_title

#: style index (cellXfs position in STYLES_XML) per column kind and for the fixed rows
STYLE = {
    "text": 0,
    "title": 1,
    "subtitle": 2,
    "header": 3,
    "digits": 4,
    "int": 5,
    "number": 6,
    "gain": 7,
    "percent": 8,
    "date": 9,
    "datetime": 10,
    "time": 11,
    "wrap": 12,
    #: numbers as Excel's General format (counts and decimals mixed in one column)
    "general": 0,
}

NUMERIC_KINDS = ("int", "number", "gain", "percent")

STYLES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="6">
<numFmt numFmtId="164" formatCode="0.0#"/>
<numFmt numFmtId="165" formatCode="0.000"/>
<numFmt numFmtId="166" formatCode="0.0%"/>
<numFmt numFmtId="167" formatCode="dd/mm/yyyy"/>
<numFmt numFmtId="168" formatCode="dd/mm/yyyy hh:mm"/>
<numFmt numFmtId="169" formatCode="hh:mm"/>
</numFmts>
<fonts count="4">
<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>
<font><i/><sz val="11"/><color rgb="FF5B6663"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/></font>
</fonts>
<fills count="3">
<fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FF0B5D4B"/><bgColor indexed="64"/>\
</patternFill></fill>
</fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="13">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="3" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" \
applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="168" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="169" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>
"""

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = datetime(1899, 12, 30)
MAX_TEXT = 32767


def _serial(value) -> float:
    """Excel's serial number of a date, date-time or time (days since 1899-12-30)."""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        delta = value - _EPOCH
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    if isinstance(value, date):
        return float((value - _EPOCH.date()).days)
    return (value.hour * 3600 + value.minute * 60 + value.second) / 86400


def _text_cell(ref: str, text: str, style: int) -> str:
    text = _ILLEGAL.sub("", text)[:MAX_TEXT]
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    style_attr = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{style_attr}><is><t{space}>{escape(text)}</t></is></c>'


def _cell(ref: str, value, kind: str) -> str:
    style = STYLE.get(kind, 0)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _text_cell(ref, "Ya" if value else "Tidak", 0)
    if isinstance(value, int | float) and kind != "digits":
        if not math.isfinite(value):
            return ""
        style = style if kind in NUMERIC_KINDS else 0
        style_attr = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{style_attr}><v>{value!r}</v></c>'
    if isinstance(value, datetime | date | time):
        if kind not in ("date", "datetime", "time"):
            style = STYLE["datetime" if isinstance(value, datetime) else "date"]
        return f'<c r="{ref}" s="{style}"><v>{_serial(value)!r}</v></c>'
    return _text_cell(ref, str(value), style if kind in ("digits", "wrap") else 0)


def sheet_xml(sheet, widths: list[float], *, header_row: int = 4) -> str:
    """The worksheet part for one report sheet (values already neutralised by the caller)."""
    count = len(sheet.columns)
    letters = [get_column_letter(i) for i in range(1, count + 1)]
    last_col = letters[-1]
    data_rows = sheet.rows
    last_row = header_row + max(len(data_rows), 1)
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">',
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
        f'<dimension ref="A1:{last_col}{last_row + (2 if sheet.note else 0)}"/>',
        '<sheetViews><sheetView workbookViewId="0">',
        f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" activePane="bottomLeft"'
        ' state="frozen"/>',
        f'<selection pane="bottomLeft" activeCell="A{header_row + 1}" sqref="A{header_row + 1}"/>',
        "</sheetView></sheetViews>",
        '<sheetFormatPr defaultRowHeight="15"/><cols>',
    ]
    parts += [
        f'<col min="{i}" max="{i}" width="{width:.2f}" customWidth="1"/>'
        for i, width in enumerate(widths, start=1)
    ]
    parts.append("</cols><sheetData>")
    parts.append(f'<row r="1">{_text_cell("A1", sheet.heading, STYLE["title"])}</row>')
    parts.append(f'<row r="2">{_text_cell("A2", sheet.subheading, STYLE["subtitle"])}</row>')
    header = "".join(
        _text_cell(f"{letters[i]}{header_row}", column.header, STYLE["header"])
        for i, column in enumerate(sheet.columns)
    )
    parts.append(f'<row r="{header_row}">{header}</row>')
    kinds = [column.kind for column in sheet.columns]
    for offset, row in enumerate(data_rows, start=header_row + 1):
        cells = "".join(
            _cell(f"{letters[i]}{offset}", value, kinds[i]) for i, value in enumerate(row)
        )
        parts.append(f'<row r="{offset}">{cells}</row>')
    if sheet.note:
        note_row = header_row + len(data_rows) + 2
        parts.append(
            f'<row r="{note_row}">{_text_cell(f"A{note_row}", sheet.note, STYLE["subtitle"])}</row>'
        )
    parts += [
        "</sheetData>",
        f'<autoFilter ref="A{header_row}:{last_col}{last_row}"/>',
        '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>',
        '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>',
        "</worksheet>",
    ]
    return "".join(parts)


def write(sheets: list, widths: list[list[float]], titles: list[str], header_row: int = 4):
    """The .xlsx package (bytes) of the sheets, with their column widths and tab titles."""
    count = len(sheets)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        sheet_entries, names = [], []
        for index, (sheet, title) in enumerate(zip(sheets, titles, strict=True), start=1):
            sheet_entries.append(
                f'<sheet name={quoteattr(title)} sheetId="{index}" r:id="rId{index}"/>'
            )
            quoted = "'" + title.replace("'", "''") + "'"
            last_col = get_column_letter(len(sheet.columns))
            last_row = header_row + max(len(sheet.rows), 1)
            names.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index - 1}" '
                f'hidden="1">{escape(quoted)}!$A${header_row}:${last_col}${last_row}'
                "</definedName>"
                f'<definedName name="_xlnm.Print_Titles" localSheetId="{index - 1}">'
                f"{escape(quoted)}!${header_row}:${header_row}</definedName>"
            )
        package.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{''.join(sheet_entries)}</sheets>"
            f"<definedNames>{''.join(names)}</definedNames></workbook>",
        )
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="{NS_REL}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{NS_PKG_REL}">{relations}'
            f'<Relationship Id="rId{count + 1}" Type="{NS_REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        package.writestr("xl/styles.xml", STYLES_XML)
        for index, (sheet, sheet_widths) in enumerate(zip(sheets, widths, strict=True), start=1):
            package.writestr(f"xl/worksheets/sheet{index}.xml", sheet_xml(sheet, sheet_widths))
    return buffer.getvalue()


def write_workbook(sheets: list) -> bytes:
    """The old ``write_workbook``: neutralise every text cell, fit widths, write the package."""
    safe = [
        Sheet(
            title=sheet.title,
            heading=neutralize_cell(str(sheet.heading)),
            subheading=neutralize_cell(str(sheet.subheading)),
            columns=[
                SheetColumn(neutralize_cell(str(c.header)), c.kind, c.width) for c in sheet.columns
            ],
            rows=[[neutralize_cell(value) for value in row] for row in sheet.rows],
            note=neutralize_cell(str(sheet.note)),
        )
        for sheet in sheets
    ]
    return write(safe, [fit_widths(sheet) for sheet in safe], [safe_title(s.title) for s in safe])
