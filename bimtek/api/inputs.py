"""Reading API requests with marshmallow schemas, refusing bad input in the project's words.

Every JSON body first passes ``bimtek.core.inputs.json_object`` (size, nesting, stored text,
an object) and a strict JSON-type check (``wrong_type``: marshmallow would turn "5" into 5
and 1 into True), then its schema (``invalid`` with the failing fields). Query strings are
text by nature and are converted by their schema. Errors are ``ServiceError``s, so they come
out as ``{"error": {"code", "message", "fields"}}`` like every other error of the API.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate
from webargs.flaskparser import FlaskParser

from bimtek.core.inputs import check_types, json_object
from bimtek.errors import InvalidInput

#: marshmallow's own messages for the failures every schema shares, in the project's words
_MESSAGES = {
    "Missing data for required field.": _l("wajib diisi"),
    "Field may not be null.": _l("tidak boleh kosong (null)"),
    "Unknown field.": _l("isian tidak dikenal"),
    "Not a valid string.": _l("harus teks"),
    "Not a valid integer.": _l("harus bilangan bulat"),
    "Not a valid boolean.": _l("harus true/false"),
    "Invalid input type.": _l("jenis isian tidak sesuai"),
}

#: the JSON type each marshmallow field takes in a body (checked before loading)
_JSON_TYPES = (
    (fields.Boolean, "boolean"),
    (fields.Integer, "integer"),
    (fields.Number, "number"),
    (fields.String, "string"),
    (fields.DateTime, "string"),
    (fields.Date, "string"),
    (fields.List, "array"),
    (fields.Nested, "object"),
    (fields.Dict, "object"),
)


#: text without a forbidden character (``bimtek.core.inputs.has_forbidden_text`` refuses one:
#: 422 invalid_text), as far as a pattern can say it briefly: controls, bidi controls,
#: private use and noncharacters of the first plane (unassigned code points, and private use
#: beyond it, are refused too)
STORABLE_TEXT = (
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ue000-\uf8ff"
    r"\ufdd0-\ufdef\ufffe\uffff]*$"
)


def storable_text(error=None) -> validate.Regexp:
    """The validator (and documented pattern) of a text field with no other pattern."""
    return validate.Regexp(STORABLE_TEXT, error=error or _l("karakter tidak diizinkan"))


def json_types(schema: Schema) -> dict:
    """``{"properties": {name: {"type": json type}}}`` of the schema's fields, for
    ``bimtek.core.inputs.check_types``."""
    properties = {}
    for name, field in schema.fields.items():
        for kind, json_type in _JSON_TYPES:
            if isinstance(field, kind):
                properties[field.data_key or name] = {"type": json_type}
                break
    return {"properties": properties}


def _flat(messages) -> dict:
    """{field: "message; message"} from marshmallow's nested lists and dicts."""
    flat = {}
    for name, problem in (messages or {}).items():
        if isinstance(problem, dict) and all(isinstance(k, int) for k in problem):
            problem = [m for inner in problem.values() for m in _flat_list(inner)]
        if isinstance(problem, dict):
            for inner, text in _flat(problem).items():
                flat[f"{name}.{inner}"] = text
            continue
        flat[str(name)] = "; ".join(str(_MESSAGES.get(m, m)) for m in _flat_list(problem))
    return flat


def _flat_list(problem) -> list:
    if isinstance(problem, dict):
        return [m for inner in problem.values() for m in _flat_list(inner)]
    if isinstance(problem, list | tuple):
        return [m for inner in problem for m in _flat_list(inner)]
    return [problem]


def invalid_input(error: ValidationError) -> InvalidInput:
    messages = error.messages if isinstance(error.messages, dict) else {"body": error.messages}
    if len(messages) == 1 and next(iter(messages)) in ("json", "query", "form", "files"):
        messages = next(iter(messages.values()))  # webargs nests them by location
    problems = _flat(messages)
    return InvalidInput(
        _("Isian tidak valid: %(fields)s.", fields=", ".join(problems)), fields=problems
    )


def json_body(schema: Schema) -> dict:
    """The request's JSON object, checked and loaded by ``schema`` (for handlers that must
    answer 401 and 404 before they look at the body)."""
    data = json_object()
    check_types(data, json_types(schema))
    try:
        return schema.load(data)
    except ValidationError as error:
        raise invalid_input(error) from None


class Parser(FlaskParser):
    """webargs' Flask parser with the project's JSON checks and error format."""

    DEFAULT_VALIDATION_STATUS = 422

    def load_json(self, req, schema):
        data = json_object()
        check_types(data, json_types(schema))
        return data

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        raise invalid_input(error)
