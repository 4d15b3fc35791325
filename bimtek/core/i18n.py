"""Label tables that are also data (import headers, stored codes) keep their Indonesian words;
``N_`` marks those words for ``pybabel extract`` (a default keyword) without translating them,
and ``translated`` gives a table in the reader's language for a page, a PDF or the API."""

from flask_babel import gettext


def N_(text: str) -> str:  # noqa: N802  (gettext's conventional name for "mark only")
    """``text`` unchanged, marked for extraction into the catalog."""
    return text


def translated(labels: dict) -> dict:
    """``labels`` with each value in the current language (Indonesian outside a request)."""
    return {key: gettext(value) for key, value in labels.items()}


def translated_label(labels: dict, key):
    """One value of ``labels`` in the current language, or ``key`` itself when the table has
    none (one lookup where a row needs only its own label)."""
    label = labels.get(key)
    return gettext(label) if label else key
