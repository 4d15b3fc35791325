"""Every answer of the API is dumped by the response schema its operation declares, so the
OpenAPI document and what is answered cannot drift: no hand-built ``jsonify`` answers."""

import ast
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from marshmallow import Schema

import bimtek.api
from bimtek.api.outputs import IsoDate, IsoDateTime, Real
from bimtek.api.participants import RegistrationRequest
from bimtek.participants.validation import REGISTRATION_INPUT, clean_registration

API = Path(bimtek.api.__file__).parent
#: functions of bimtek/api that still build a JSON answer by hand, and why
HAND_BUILT = {"openapi_json": "the OpenAPI document itself"}
#: functions that build only an error answer by hand (in an ``except``), and which
ERROR_ANSWERS = {"create_checkin": "the 409 with who the ticket belongs to (error_json)"}
#: operations answering a file, not JSON
FILES = {"api.certificate_pdf": "the certificate's PDF", "api.export_workbook": "an .xlsx"}


def _spec_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.removeprefix("/api/v1"))


def test_every_operation_declares_a_schema_for_its_success(app, client):
    spec = client.get("/api/v1/openapi.json").json
    operations = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi_json":
            continue
        if rule.endpoint in FILES:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = spec["paths"][_spec_path(rule.rule)][method.lower()]
            successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
            assert successes, (method, rule.rule)
            for status, response in successes.items():
                if status == "204":
                    assert "content" not in response, (method, rule.rule)
                    continue
                schema = response["content"]["application/json"]["schema"]
                assert "$ref" in schema, (method, rule.rule, status)
            operations += 1
    assert operations >= 16


def _jsonify_calls(source: str):
    """(enclosing function, line, in an except clause) of every ``jsonify(...)`` call."""
    tree = ast.parse(source)
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        handled = {
            id(node)
            for handler in ast.walk(function)
            if isinstance(handler, ast.ExceptHandler)
            for node in ast.walk(handler)
        }
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name | ast.Attribute)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "jsonify"
            ):
                yield function.name, node.lineno, id(node) in handled


def test_no_view_builds_its_json_answer_by_hand():
    hand_built = []
    for module in sorted(API.glob("*.py")):
        for function, line, in_except in _jsonify_calls(module.read_text()):
            if function in HAND_BUILT or (function in ERROR_ANSWERS and in_except):
                continue
            hand_built.append(f"{module.name}:{line} {function}")
    assert hand_built == []


def test_the_registration_schema_takes_the_declared_fields(app):
    assert list(RegistrationRequest().fields) == [*REGISTRATION_INPUT, "consent"]
    _values, errors = clean_registration({})
    assert set(errors) <= set(REGISTRATION_INPUT)


def test_answer_fields_dump_objects_and_the_text_a_payload_made_alike():
    class Answer(Schema):
        on = IsoDate()
        at = IsoDateTime()
        score = Real()

    moment = datetime(2024, 10, 28, 8, 5, 1, 250, tzinfo=UTC)
    made = {"on": date(2024, 10, 28), "at": moment, "score": 80}
    text = {"on": "2024-10-28", "at": moment.isoformat(), "score": 80}
    assert Answer().dump(made) == Answer().dump(text) == text
    assert Answer().dump({"score": 72.5}) == {"score": 72.5}
    with pytest.raises(ValueError):
        Answer().dump({"on": "28 Oktober 2024"})
