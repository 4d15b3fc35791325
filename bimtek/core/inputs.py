"""Refusing input the app cannot store or did not ask for, in one place for every handler.

- JSON bodies (``json_object``): more than JSON_MAX_BYTES → 413 too_large; malformed → 400
  invalid_json; nested deeper than JSON_MAX_DEPTH → 400 json_too_deep, found by counting
  brackets outside strings *before* parsing (json.loads recurses: 2,000 levels are a
  RecursionError, a 500); text with a NUL or a lone surrogate ("\\ud800", which no database
  can store) → 422 invalid_text; a value of the wrong JSON type for the schema → 422
  wrong_type, naming the field (an object where text is expected was stored as its repr).
- Form fields, query strings and URL parts (``refuse_unstorable_text``, before every
  request): a NUL (PostgreSQL refuses it in text: a 500) → 422 invalid_text. Werkzeug
  decodes form bytes that are not UTF-8 (a surrogate's bytes among them) to U+FFFD.

Numbers are checked by ``bimtek.core.forms.parse_int`` against each column's range.
"""

import json
import re
from itertools import accumulate

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
    """Text with a character no column can hold (NUL, a lone UTF-16 surrogate)."""

    code = "invalid_text"


class WrongType(InvalidInput):
    """A JSON value of another type than the field takes (an object where text goes)."""

    code = "wrong_type"


#: a JSON string, also one left open at the end (so every match attempt succeeds: linear)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _text_message() -> str:
    return _(
        "Isian berisi karakter yang tidak diizinkan (mis. karakter NUL). Hapus lalu kirim lagi."
    )


def json_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text, without parsing (or recursing)."""
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def has_unstorable_text(text: str) -> bool:
    """A NUL or a lone surrogate: text no database column can hold."""
    return _UNSTORABLE.search(text) is not None


def check_text(value, field: str = "body") -> None:
    """Raise InvalidText when any string (or key) inside ``value`` has a NUL or a lone
    surrogate; the field named is the top-level key it sits under. Walks without recursion."""
    stack = [(value, field)]
    while stack:
        item, name = stack.pop()
        if isinstance(item, str):
            if has_unstorable_text(item):
                raise InvalidText(_text_message(), fields={name: _("karakter tidak diizinkan")})
        elif isinstance(item, dict):
            for key, inner in item.items():
                if has_unstorable_text(key):
                    raise InvalidText(_text_message(), fields={name: _("karakter tidak diizinkan")})
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
    """Before every request: no NUL in a URL part, a query string, a form field or the name
    of an uploaded file."""
    pairs = [(name, str(value)) for name, value in (request.view_args or {}).items()]
    sources = [request.args]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sources.append(request.form)
    for source in sources:
        for name, items in source.lists():
            pairs.append((name, name))
            pairs.extend((name, item) for item in items)
    if request.mimetype == "multipart/form-data":
        pairs.extend((name, upload.filename or "") for name, upload in request.files.items())
    for name, text in pairs:
        if has_unstorable_text(text):
            field = "form" if has_unstorable_text(name) else name[:40]
            raise InvalidText(_text_message(), fields={field: _("karakter tidak diizinkan")})
