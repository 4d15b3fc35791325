"""Indonesian mobile numbers as people read them and as wa.me wants them.

Stored numbers are ``+628…`` (``participants.validation.clean_phone``). A page shows
``0821-8822-0482``: the trunk 0 and groups of four from the left, how numbers are printed
on Indonesian name cards and read out over the phone. wa.me wants ``62821…`` (no "+").
"""


def _national(phone: str | None) -> str | None:
    """821… from +62821…, 62821… or 0821…; None when it is not an Indonesian mobile."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    if digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    if not digits.startswith("8") or not 8 <= len(digits) <= 13:
        return None
    return digits


def phone_display(phone: str | None) -> str:
    """``0821-8822-0482`` for +6282188220482; anything else as given (trimmed)."""
    national = _national(phone)
    if national is None:
        return str(phone or "").strip()
    local = "0" + national
    groups = [local[i : i + 4] for i in range(0, len(local), 4)]
    if len(groups) > 1 and len(groups[-1]) < 3:  # 0812-3456-7890-1 reads worse than -78901
        tail = groups.pop()
        groups[-1] += tail
    return "-".join(groups)


def phone_international(phone: str | None) -> str | None:
    """``62821…`` for wa.me and tel: links; None when it is not an Indonesian mobile."""
    national = _national(phone)
    return None if national is None else "62" + national
