"""One rounding rule for every percentage and score shown: pages, PDFs and exports.

- A **percentage** is a whole number, rounded **down**: 8 of 9 sessions (88.9%) is 88%.
  The certificate rule (at least 80% of mandatory sessions) is decided on exact counts;
  rounded down, a shown figure never claims more than was reached, so "80%" never stands
  beside "not eligible" (79.5% rounded half up would). Before this module the attendance
  page rounded 88.9 to 89 while the certificate page cut it to 88.
- A **score** (0–100, pre/post test) has one decimal, rounded **half up** (20.65 → 20.7,
  20.6 → 20.6, 55.0 → 55): the test page showed 21 where the certificate page showed 20,6.
- Written with the page's decimal sign: "20,6" in Indonesian, "20.6" in English.

Round only to show: rules compare exact values.
"""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

ONE_DECIMAL = Decimal("0.1")


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` as a whole percentage, rounded down; 0 when ``whole`` is 0."""
    if not whole:
        return 0
    return part * 100 // whole


def score(value: float | None) -> float | None:
    """A score to one decimal, half up (through the decimal text, so 20.65 is 20.7)."""
    if value is None:
        return None
    return float(Decimal(repr(float(value))).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def format_score(value: float | None, language: str = "id") -> str:
    """72.46 → "72,5" (English "72.5"), 55 → "55"; None → "—"."""
    if value is None:
        return "—"
    return format_number(score(value), language, digits=1)


def format_number(value, language: str | None = "id", digits: int = 2) -> str:
    """Any figure written the one way of the page's language (Babel's CLDR data): up to
    ``digits`` decimals and no needless ones: 0.83 → "0,83", 45.0 → "45", 1234.5 →
    "1.234,5" (English "0.83", "45", "1,234.5"); None → "—"."""
    if value is None:
        return "—"
    pattern = "#,##0." + "#" * digits if digits > 0 else "#,##0"
    return format_decimal(value, format=pattern, locale=_locale(language))


def _locale(language: str | None) -> str:
    return "en" if str(language or "id").lower().startswith("en") else "id"
