"""Event titles shortened for narrow places without losing the batch: in "Bimtek Mitigasi
Konflik Sosial Pilkada 2024 (Angkatan II)" the last words tell batches apart, so a cut
keeps the closing "(…)" and shortens the words before it."""

import re

#: a closing part in brackets, "(Angkatan II)", kept whole when a title is cut
_CLOSING_PART = re.compile(r"\s*(\([^()]{1,40}\))\s*$")
ELLIPSIS = "…"


def shorten_title(title: str | None, length: int = 60) -> str:
    """``title`` in at most ``length`` characters (about): the head cut at a word with "…",
    a closing "(Angkatan …)" kept whole."""
    text = " ".join(str(title or "").split())
    if len(text) <= length:
        return text
    match = _CLOSING_PART.search(text)
    tail = f" {match.group(1)}" if match else ""
    head = text[: match.start()] if match else text
    room = max(length - len(tail) - len(ELLIPSIS), 10)
    cut = head[:room]
    if " " in cut and not head[room : room + 1].isspace():
        cut = cut[: cut.rfind(" ")]
    return f"{cut.rstrip(' ,.;:-–')}{ELLIPSIS}{tail}"
