"""Spreadsheet helpers shared by every export."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(value):
    """Keep a text cell from being read as a formula by Excel (CSV/XLSX injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
