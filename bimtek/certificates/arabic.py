"""Arabic names on a PDF: contextual letter forms and right-to-left order.

ReportLab draws characters one by one, left to right, in their isolated forms; an Arabic
name would print as separate letters in reverse. ``visual`` turns logical text into what
should be drawn: each letter in its isolated/final/initial/medial presentation form
(Unicode Arabic Presentation Forms-B, which the shipped DejaVu Sans covers), lam-alef
ligatures, and right-to-left runs reversed. Enough for names and titles; not a full
implementation of the Unicode bidi algorithm.
"""

import re

#: letter -> first presentation form (isolated); dual-joining letters have 4 forms
#: (isolated, final, initial, medial), right-joining ones 2 (isolated, final), hamza 1
_FORMS = {
    0x0621: (0xFE80, 1),
    0x0622: (0xFE81, 2),
    0x0623: (0xFE83, 2),
    0x0624: (0xFE85, 2),
    0x0625: (0xFE87, 2),
    0x0626: (0xFE89, 4),
    0x0627: (0xFE8D, 2),
    0x0628: (0xFE8F, 4),
    0x0629: (0xFE93, 2),
    0x062A: (0xFE95, 4),
    0x062B: (0xFE99, 4),
    0x062C: (0xFE9D, 4),
    0x062D: (0xFEA1, 4),
    0x062E: (0xFEA5, 4),
    0x062F: (0xFEA9, 2),
    0x0630: (0xFEAB, 2),
    0x0631: (0xFEAD, 2),
    0x0632: (0xFEAF, 2),
    0x0633: (0xFEB1, 4),
    0x0634: (0xFEB5, 4),
    0x0635: (0xFEB9, 4),
    0x0636: (0xFEBD, 4),
    0x0637: (0xFEC1, 4),
    0x0638: (0xFEC5, 4),
    0x0639: (0xFEC9, 4),
    0x063A: (0xFECD, 4),
    0x0641: (0xFED1, 4),
    0x0642: (0xFED5, 4),
    0x0643: (0xFED9, 4),
    0x0644: (0xFEDD, 4),
    0x0645: (0xFEE1, 4),
    0x0646: (0xFEE5, 4),
    0x0647: (0xFEE9, 4),
    0x0648: (0xFEED, 2),
    0x0649: (0xFEEF, 2),
    0x064A: (0xFEF1, 4),
}
TATWEEL = 0x0640
LAM = 0x0644
#: alef after lam -> isolated form of the lam-alef ligature (final is +1)
_LAM_ALEF = {0x0622: 0xFEF5, 0x0623: 0xFEF7, 0x0625: 0xFEF9, 0x0627: 0xFEFB}
_RTL_CHAR = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_RUNS = re.compile(
    r"([\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]"
    r"(?:[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\s\u0660-\u0669.,'-]*"
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff])?)"
)


def _is_mark(code: int) -> bool:
    return 0x064B <= code <= 0x065F or code == 0x0670


def _joins_forward(code: int | None) -> bool:
    return code == TATWEEL or (code in _FORMS and _FORMS[code][1] == 4)


def _joins_backward(code: int | None) -> bool:
    return code == TATWEEL or (code in _FORMS and _FORMS[code][1] >= 2)


def shape(text: str) -> str:
    """Contextual forms in logical order (still to be reversed for display)."""
    codes = [ord(ch) for ch in text]
    letters = [i for i, code in enumerate(codes) if not _is_mark(code)]
    out = []
    position = 0
    while position < len(letters):
        index = letters[position]
        code = codes[index]
        previous = codes[letters[position - 1]] if position > 0 else None
        following = codes[letters[position + 1]] if position + 1 < len(letters) else None
        marks = "".join(
            chr(c)
            for c in codes[index + 1 : letters[position + 1] if following is not None else None]
        )
        joined_before = _joins_forward(previous)
        if code == LAM and following in _LAM_ALEF:
            ligature = _LAM_ALEF[following] + (1 if joined_before else 0)
            after = letters[position + 2] if position + 2 < len(letters) else None
            marks += "".join(chr(c) for c in codes[letters[position + 1] + 1 : after])
            out.append(chr(ligature) + marks)
            position += 2
            continue
        if code not in _FORMS:
            out.append(chr(code) + marks)
            position += 1
            continue
        base, count = _FORMS[code]
        before = joined_before and count >= 2
        after = count == 4 and _joins_backward(following)
        if count == 1:
            form = base
        elif before and after:
            form = base + 3
        elif after:
            form = base + 2
        elif before:
            form = base + 1
        else:
            form = base
        out.append(chr(form) + marks)
        position += 1
    return "".join(out)


def visual(text: str) -> str:
    """What to draw left to right for ``text`` (unchanged when it has no RTL letters)."""
    if not _RTL_CHAR.search(text):
        return text
    tokens = []
    last = 0
    for match in _RUNS.finditer(text):
        if match.start() > last:
            tokens.append(text[last : match.start()])
        tokens.append(shape(match.group(1))[::-1])
        last = match.end()
    if last < len(text):
        tokens.append(text[last:])
    first_strong = next((ch for ch in text if ch.isalpha()), "")
    if _RTL_CHAR.match(first_strong):
        tokens.reverse()  # a right-to-left paragraph reads its runs from right to left
    return "".join(tokens)
