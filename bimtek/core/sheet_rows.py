"""What the imports of people from a spreadsheet share (the participant list, the team list):
the columns and the header names they are known by, a cell as trustworthy text, and a row's
problem as the organizer reads it. The file itself is opened by ``xlsx_reader``.

Forgiving of how people write headers (Indonesian or English, case, punctuation, a note in
brackets, "No." before a known name) and strict about what would silently corrupt data:
digits Excel dropped from a long number, a number in scientific notation.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _


@dataclass(frozen=True)
class Column:
    """One column of an import template and the other header names it is known by."""

    field: str
    label: str
    required: bool
    aliases: tuple[str, ...]
    width: int


@dataclass
class RowProblem:
    """One problem of one row: the field, the column as the organizer sees it, the reason."""

    field: str
    #: where to look: "C (NIK)"
    column: str
    message: str


def normalise_header(text) -> str:
    """'No. HP (WA)*' -> 'no hp wa'; accents, case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    text = text.lower().replace("*", " ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


class HeaderNames:
    """The field each header of ``columns`` names: its label or an alias, written any way."""

    def __init__(self, columns):
        self.fields: dict[str, str] = {}
        for column in columns:
            for name in (*column.aliases, str(column.label)):
                key = normalise_header(name)
                self.fields[key] = column.field
                self.fields[key.replace(" ", "")] = column.field

    def match(self, text) -> str | None:
        """The field a header names, or None. A note in brackets is ignored ("Nama lengkap
        (dengan gelar)"), so is a leading "No." on a known name ("No. NIK")."""
        if text is None:
            return None
        plain = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(text))
        for candidate in (plain, str(text)):
            key = normalise_header(candidate)
            if not key:
                continue
            if key in self.fields:
                return self.fields[key]
            if key.replace(" ", "") in self.fields:
                return self.fields[key.replace(" ", "")]
        return None


_SCIENTIFIC = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*[eE]\s*\+?\s*\d+\s*$")


def cell_text(value, *, digits: bool = False) -> tuple[str, str | None]:
    """A cell as text for the validators, and a problem when its value cannot be trusted;
    ``digits``: the column holds a long number (NIK, NIP, phone) that Excel may have cut."""
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
            if digits:
                return repr(value), _("berisi angka pecahan, bukan deretan digit.")
            return f"{value:g}", None
        text = str(int(value))
        if digits and len(text) > 15:
            # Excel keeps 15 significant digits: the rest came back as zeros, and numbers
            # past 2**53 do not survive the float they pass through. Only an exact number
            # written by a program (a NIK below 2**53 not ending in zeros) is kept.
            if isinstance(value, float) or value > 2**53 or set(text[15:]) == {"0"}:
                return text, _(
                    "tersimpan sebagai angka di Excel, yang hanya menyimpan 15 digit; digit "
                    "terakhir mungkin hilang. Format kolom sebagai Teks lalu ketik ulang."
                )
        return text, None
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # a cell neutralised by an export (ours included): take it back
    if digits and _SCIENTIFIC.match(text):
        return text, _(
            "tertulis dalam format ilmiah (%(text)s): digitnya sudah hilang. Format kolom "
            "sebagai Teks lalu ketik ulang angkanya.",
            text=text,
        )
    return text, None
