"""Page numbers from query strings, forgiving of junk."""


def page_number(raw, default: int = 1) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default
    return max(1, min(value, 100_000))
