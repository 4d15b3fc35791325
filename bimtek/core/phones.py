"""A phone number as people read it: stored "+6282188220482" is shown "0821-8822-0482".

Only for reading on pages and documents; a WhatsApp link needs its own form (digits with the
country code) and a form field keeps what was typed."""

import re


def display_phone(phone: str | None) -> str:
    """+6282188220482 → 0821-8822-0482 (groups of four from the left); anything that is not
    an Indonesian number as stored is shown unchanged; None → ""."""
    if not phone:
        return ""
    text = str(phone).strip()
    if text.startswith("+62"):
        local = "0" + text[3:]
    elif text.startswith("0"):
        local = text
    else:
        return text
    if not re.fullmatch(r"0\d{8,12}", local):
        return text
    return "-".join(part for part in (local[:4], local[4:8], local[8:]) if part)
