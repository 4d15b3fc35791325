"""Refusing input the app cannot store or did not ask for, in one place for every handler.

- JSON bodies (``json_object``): more than JSON_MAX_BYTES → 413 too_large; malformed → 400
  invalid_json; nested deeper than JSON_MAX_DEPTH → 400 json_too_deep, found by counting
  brackets outside strings *before* parsing (json.loads recurses: 2,000 levels are a
  RecursionError, a 500); text with a NUL or a lone surrogate ("\\ud800", which no database
  can store) or another forbidden character (``has_forbidden_text``) → 422 invalid_text;
  a value of the wrong JSON type for the schema → 422
  wrong_type, naming the field (an object where text is expected was stored as its repr).
- Form fields and uploaded files' names (``refuse_unstorable_text``, before every
  request): a forbidden character → 422 invalid_text. Query strings and URL parts are
  lookups, never stored: only a NUL or a lone surrogate is refused there (422), anything
  else finds nothing. Werkzeug decodes form bytes that are not UTF-8 (a surrogate's bytes among
  them) to U+FFFD.

Forbidden in every text (``has_forbidden_text``): control characters other than tab and line
breaks (C0, DEL, and C1 U+0080–U+009F: a NUL is a 500 on PostgreSQL, the others make the
pages listing the text invalid HTML), surrogates, private-use and unassigned code points
(noncharacters among them), and bidi embeddings, overrides and isolates (U+202A–U+202E,
U+2066–U+2069: they reorder the text around them, a name that reads backwards). Tab and
line breaks are left to each field: a name refuses them, a one-line field folds them into
spaces, a textarea keeps them. Spreadsheet imports check each cell with the same function
and report it row by row.

E-mail addresses, wherever a person's is typed or imported, are checked by one rule
(``email_address``).

Numbers are checked by ``bimtek.core.forms.parse_int`` against each column's range.
"""

import json
import re
import unicodedata
from itertools import accumulate

from email_validator import EmailNotValidError, validate_email
from flask import current_app, request
from flask_babel import gettext as _

from bimtek.errors import InvalidInput, ServiceError


class InvalidJson(ServiceError):
    status = 400
    code = "invalid_json"


class JsonTooDeep(ServiceError):
    status = 400
    code = "json_too_deep"


class JsonTooLarge(ServiceError):
    status = 413
    code = "too_large"


class InvalidText(InvalidInput):
    """Text with a forbidden character (``has_forbidden_text``)."""

    code = "invalid_text"


class WrongType(InvalidInput):
    """A JSON value of another type than the field takes (an object where text goes)."""

    code = "wrong_type"


#: a JSON string, also one left open at the end (so every match attempt succeeds: linear)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
#: what no lookup (URL part, query string) may hold: a NUL or a lone surrogate (a 500 on
#: PostgreSQL); anything else there only finds nothing
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
#: ASCII controls other than tab, line feed and carriage return
_ASCII_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: control (C0/C1), surrogate, private use, unassigned (noncharacters are unassigned too)
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})
#: bidi embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069)
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def forbidden_text_message() -> str:
    """What a page or the API says about a text with a forbidden character."""
    return _(
        "Isian berisi karakter yang tidak diizinkan (karakter kontrol, karakter khusus atau "
        "pembalik arah teks). Hapus lalu kirim lagi."
    )


def forbidden_field_message() -> str:
    """The same, short, beside the field (or the spreadsheet cell)."""
    return _(
        "berisi karakter yang tidak diizinkan (karakter kontrol, karakter khusus atau "
        "pembalik arah teks)"
    )


def json_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text, without parsing (or recursing)."""
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def has_forbidden_text(text: str) -> bool:
    """Whether ``text`` holds a character no text field takes (see the module's docstring).

    ASCII is checked by one regular expression; other characters once per distinct
    character (``set``), so a long text costs a scan, not a lookup per character."""
    if _ASCII_CONTROL.search(text):
        return True
    if text.isascii():
        return False
    return any(ord(char) > 0x7F and _forbidden(char) for char in set(text))


def _forbidden(char: str) -> bool:
    if ord(char) < 0x80:
        return _ASCII_CONTROL.match(char) is not None
    return char in _BIDI_CONTROLS or unicodedata.category(char) in _FORBIDDEN_CATEGORIES


def _invalid_text(field: str) -> InvalidText:
    return InvalidText(forbidden_text_message(), fields={field: forbidden_field_message()})


def check_text(value, field: str = "body") -> None:
    """Raise InvalidText when any string (or key) inside ``value`` has a forbidden character
    (``has_forbidden_text``); the field named is the top-level key it sits under. Walks
    without recursion."""
    stack = [(value, field)]
    while stack:
        item, name = stack.pop()
        if isinstance(item, str):
            if has_forbidden_text(item):
                raise InvalidText(
                    forbidden_text_message(), fields={name: forbidden_field_message()}
                )
        elif isinstance(item, dict):
            for key, inner in item.items():
                if has_forbidden_text(key):
                    raise InvalidText(
                        forbidden_text_message(), fields={name: forbidden_field_message()}
                    )
                stack.append((inner, key if name == "body" and item is value else name))
        elif isinstance(item, list):
            stack.extend((inner, name) for inner in item)


_JSON_TYPES = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}
_TYPE_WORDS = {
    "string": "teks",
    "integer": "bilangan bulat",
    "number": "angka",
    "boolean": "true/false",
    "object": "objek",
    "array": "daftar",
}


def check_types(data: dict, schema: dict) -> None:
    """Raise WrongType naming every field of ``data`` whose JSON type is not the one its
    property in ``schema`` (a JSON Schema / OpenAPI object) declares. null counts as absent;
    fields the schema does not name are left to the service."""
    problems = {}
    for field, spec in (schema.get("properties") or {}).items():
        value = data.get(field)
        wanted = spec.get("type")
        if value is None or wanted not in _JSON_TYPES:
            continue
        right = isinstance(value, _JSON_TYPES[wanted])
        if isinstance(value, bool) and wanted != "boolean":
            right = False  # True is an int to Python, not to JSON
        if not right:
            problems[field] = f"harus {_TYPE_WORDS[wanted]}"
    if problems:
        raise WrongType(
            _(
                "Jenis isian tidak sesuai: %(fields)s.",
                fields=", ".join(f"{k} {v}" for k, v in problems.items()),
            ),
            fields=problems,
        )


def json_object(schema: dict | None = None) -> dict:
    """The request's JSON object, checked: size, depth, text, then the types of ``schema``.

    Raises JsonTooLarge, InvalidJson, JsonTooDeep, InvalidText, WrongType, or InvalidInput
    (`invalid`) when the body is not a JSON object.
    """
    config = current_app.config
    if request.content_length and request.content_length > config["JSON_MAX_BYTES"]:
        raise JsonTooLarge(_("Badan permintaan terlalu besar."))
    if not request.is_json:
        raise InvalidInput(
            _("Badan permintaan harus objek JSON."), fields={"body": _("not an object")}
        )
    data = request.get_data(cache=True)
    if len(data) > config["JSON_MAX_BYTES"]:
        raise JsonTooLarge(_("Badan permintaan terlalu besar."))
    if json_depth(data) > config["JSON_MAX_DEPTH"]:
        raise JsonTooDeep(
            _(
                "JSON bersarang terlalu dalam (paling banyak %(n)s tingkat).",
                n=config["JSON_MAX_DEPTH"],
            )
        )
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        raise InvalidJson(_("Badan permintaan bukan JSON yang valid.")) from None
    if not isinstance(value, dict):
        raise InvalidInput(
            _("Badan permintaan harus objek JSON."), fields={"body": _("not an object")}
        )
    check_text(value)
    if schema:
        check_types(value, schema)
    return value


def refuse_unstorable_text() -> None:
    """Before every request: no forbidden character in a URL part, a query string, a form
    field or the name of an uploaded file."""
    lookups = [(name, str(value)) for name, value in (request.view_args or {}).items()]
    for name, items in request.args.lists():
        lookups.append((name, name))
        lookups.extend((name, item) for item in items)
    for name, text in lookups:
        if _UNSTORABLE.search(text):
            raise _invalid_text("form" if _UNSTORABLE.search(name) else name[:40])
    pairs = []
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, items in request.form.lists():
            pairs.append((name, name))
            pairs.extend((name, item) for item in items)
    if request.mimetype == "multipart/form-data":
        pairs.extend((name, upload.filename or "") for name, upload in request.files.items())
    for name, text in pairs:
        if has_forbidden_text(text):
            raise _invalid_text("form" if has_forbidden_text(name) else name[:40])


def email_address(raw) -> str:
    """An e-mail address as every form keeps it: trimmed, in ``email_validator``'s normal form
    (the domain in lower case), without asking DNS; "" for an empty one. ValueError for text
    that is not an address."""
    text = str(raw or "").strip()
    if not text:
        return ""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError("not an e-mail address") from None
