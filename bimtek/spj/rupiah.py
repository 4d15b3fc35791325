"""Whole rupiah: parsed from a form, written in figures ("Rp 1.500.000") and in words
("Satu juta lima ratus ribu rupiah", terbilang) as Indonesian documents do.

Amounts are ``int`` everywhere: money never passes through a float.
"""

import re

from num2words import num2words

#: the largest amount the SPJ takes (999.999.999.999: below a trillion)
MAX_AMOUNT = 999_999_999_999
_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")


def parse_rupiah(raw) -> int | None:
    """A whole amount typed as "150000", "150.000" or "Rp 150.000"; None when it is not one
    (a decimal such as "150.000,50" or "1,5", a negative, more than ``MAX_AMOUNT``)."""
    text = re.sub(r"\s", "", str(raw if raw is not None else "")).removeprefix("Rp")
    if text.isdigit():
        value = int(text)
    elif _GROUPED.fullmatch(text):
        value = int(text.replace(".", ""))
    else:
        return None
    return value if 0 <= value <= MAX_AMOUNT else None


def format_rupiah(amount: int, *, prefix: bool = True) -> str:
    """1500000 → "Rp 1.500.000" (dots between thousands, as in Indonesia)."""
    figures = f"{int(amount):,}".replace(",", ".")
    return f"Rp {figures}" if prefix else figures


def terbilang(amount: int) -> str:
    """The amount in Indonesian words, capitalised, ending in "rupiah":
    1500000 → "Satu juta lima ratus ribu rupiah"; 0 → "Nol rupiah"."""
    amount = int(amount)
    if not 0 <= amount <= MAX_AMOUNT:
        raise ValueError(f"amount out of range: {amount}")
    words = " ".join(num2words(amount, lang="id").split())
    return f"{words[:1].upper()}{words[1:]} rupiah"
