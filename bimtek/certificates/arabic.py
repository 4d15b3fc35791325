"""Right-to-left names on a PDF: arabic-reshaper for the letter forms, python-bidi for order.

ReportLab draws characters one by one, left to right, as they come; an Arabic or Persian
name would print as separate letters in reverse. ``visual`` turns logical text into what to
draw: each letter in its contextual presentation form (Unicode Arabic Presentation Forms,
which the shipped DejaVu Sans covers) and the runs in display order by the Unicode
bidirectional algorithm. The Allah ligature (U+FDF2) is off because DejaVu has no glyph
for it; every other ligature the reshaper uses by default is in the font
(``tests/certificates/test_arabic.py`` checks the drawn characters against it).
Vowel marks (harakat) are dropped, as the reshaper does by default: ReportLab cannot place
combining marks over a shaped letter, and names read correctly without them.
"""

import re

from arabic_reshaper import ArabicReshaper
from bidi import get_display

_RESHAPER = ArabicReshaper(configuration={"ARABIC LIGATURE ALLAH": False})
_RTL_CHAR = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def visual(text: str) -> str:
    """What to draw left to right for ``text`` (unchanged when it has no RTL letters)."""
    if not _RTL_CHAR.search(text):
        return text
    return get_display(_RESHAPER.reshape(text))
