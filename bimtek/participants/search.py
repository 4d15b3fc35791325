"""Search keys: names as people type them, phone numbers in any form.

"nuraini" finds "Nur'aini", "siti" finds "Sîtî", "ahmad" (or "drs ahmad") finds "Drs. H. Ahmad,
S.Pd."; "0813-4700-1122", "+62 813 4700 1122" and "6281347001122" are the same phone number.
The desk's offline search (static/js/attendance.js, ``searchKey``) follows the same rules.
"""

import re
import unicodedata
from functools import lru_cache

#: academic, religious and rank titles written before or after a name (lower case, no dots)
TITLES = frozenset(
    """
    dr drs dra h hj hc ir ky kh prof ust ustadz ustadzah tgk ds st sh se sp spd spdi sag sos
    ssos sip sh mh mm mpd msi mt ma mag mkes skm skep sked sfarm sgz sth sstp ssi skom
    amd amdkeb amdkep ners bsc msc mba phd akp akbp aiptu aipda bripka brigpol briptu bripda
    iptu ipda kompol
    """.split()
)

_APOSTROPHES = "'`´’‘ʼ"
_SEPARATORS = re.compile(r"[^0-9a-z]+")
_PHONE_CHARS = re.compile(r"^[0-9+()\s./-]+$")


def words(text: str) -> list[str]:
    """``text`` lower case, without diacritics and apostrophes, split into words."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    for mark in _APOSTROPHES + ".":  # "S.Pd." is one word, spd
        text = text.replace(mark, "")
    return [w for w in _SEPARATORS.split(text) if w]


def _without_titles(parts: list[str]) -> list[str]:
    """The words that are not titles (all of them if nothing else would remain)."""
    kept = [w for w in parts if w not in TITLES]
    return kept or parts


@lru_cache(maxsize=65536)
def name_keys(text: str) -> tuple[str, str]:
    """Two search keys of a name: all its words run together, and the same without titles.

    ("Drs. H. Nur'aini, S.Pd." -> "drshnurainispd", "nuraini")."""
    parts = words(text)
    return "".join(parts), "".join(_without_titles(parts))


def term_keys(term: str) -> tuple[str, str]:
    """The keys of what was typed, by the same rules (titles typed are ignored too)."""
    return name_keys(term)


def name_matches(term: str, text: str) -> bool:
    """Whether ``term`` is part of ``text`` by their search keys."""
    whole, bare = term_keys(term)
    if not whole:
        return False
    text_whole, text_bare = name_keys(text)
    return whole in text_whole or bare in text_bare


@lru_cache(maxsize=65536)
def phone_key(number: str) -> str:
    """A phone number's digits without the country code or trunk zero: 81347001122."""
    digits = re.sub(r"\D", "", number or "")
    if digits.startswith("62"):
        digits = digits[2:]
    return digits.lstrip("0")


def phone_term(term: str) -> str:
    """The phone key of a term that looks like (part of) a phone number, else ''.

    At least six digits, so a short number (a registration number) is not a phone search."""
    if not _PHONE_CHARS.match(term or ""):
        return ""
    key = phone_key(term)
    return key if len(key) >= 6 else ""
