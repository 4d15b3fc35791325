"""Spreadsheet helpers shared by every export."""

import io

from flask import send_file

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(value):
    """Keep a text cell from being read as a formula by Excel (CSV/XLSX injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def send_xlsx(content: bytes | io.BytesIO, filename: str):
    """A workbook as a download, never cached: lists carry personal data (NIK, phone)."""
    stream = content if isinstance(content, io.BytesIO) else io.BytesIO(content)
    response = send_file(stream, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "no-store"
    return response
