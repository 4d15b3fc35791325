"""People's names as they sort: by the name itself, not by the titles written around it.

"Drs. H. Ahmad Yani, M.Si" sorts as "ahmad yani": front titles (Drs., Hj., Ir., Dr., Prof.,
H., initials such as "M.") and the degrees after a comma are left out, so a sign-in sheet
does not group people under D, H and I. One function, used by every list sorted by name
(the stored ``Participant.sort_name`` is made from it).
"""

import re
import unicodedata

#: titles written before a name (lower case, without the dot)
FRONT_TITLES = frozenset(
    {
        "dr",
        "drs",
        "dra",
        "drg",
        "drh",
        "ir",
        "prof",
        "h",
        "hj",
        "hajjah",
        "kh",
        "ust",
        "ustadz",
        "ustazah",
        "ns",
        "apt",
        "tgh",
        "rr",
        "ny",
        "tn",
        "sdr",
        "sdri",
    }
)
#: a degree written after the name without a comma: "S.Pd", "M.Si.", "S.H.", "Lc", "MM"
TRAILING_DEGREE = re.compile(r"^(?:[a-z]{1,4}\.)+[a-z]{0,4}\.?$|^(?:mm|mba|mpd|lc|se|sh|st)$")

#: one word at the front and its dot, if any: "drs." in "drs. ahmad", "hj." in "dra.hj.siti"
FRONT = re.compile(r"^([a-z]+)(\.)?(?:\s+|(?<=\.))")


def _plain(text: str) -> str:
    """Lower case, without diacritics or apostrophes: "Nur'aini" and "Nuraini" sort alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = re.sub(r"['\u2019`\u00b4]", "", text.casefold())
    return " ".join(text.split())


def sort_key(name: str) -> str:
    """The part of a name it is sorted by: "Dr. H. M. Agus Hari Kesuma, M.Si" → "agus hari
    kesuma". Falls back to the whole name when nothing would be left."""
    plain = _plain(name or "")
    whole = plain
    plain = plain.split(",", 1)[0].strip()
    while True:
        front = FRONT.match(plain)
        if not front or not plain[front.end() :].strip():
            break
        word = front.group(1)
        if word in FRONT_TITLES or (len(word) == 1 and front.group(2)):
            plain = plain[front.end() :].lstrip()
        else:
            break
    tokens = plain.split()
    while len(tokens) > 1 and TRAILING_DEGREE.match(tokens[-1]):
        tokens.pop()
    key = " ".join(tokens).strip(" .")
    return key or whole
