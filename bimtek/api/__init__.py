"""JSON API v1: a thin layer over the domain services, documented at /api/v1/openapi.json.

Staff authenticate with ``Authorization: Bearer <token>`` (``flask create-token``).
Every error is ``{"error": {"code": ..., "message": ..., "fields": ...}}`` with a stable code.

Why flask-smorest: one marshmallow schema per request and response both validates (webargs,
``@bp.arguments`` or ``inputs.json_body``) and documents (apispec builds the OpenAPI 3
document from the same schemas and the URL rules), on the plain Flask app and blueprint we
already have, so URLs, ``token_required``, rate limits and the error handlers of
``bimtek.errors`` stay as they are. APIFlask would replace the Flask app class and its own
error and auth layers; pydantic-based ones (flask-openapi3) bring their own request objects
and error shape. What it replaced: 1,000 lines of hand-written OpenAPI dictionaries that no
request was checked against (schemathesis ``--checks all`` then found 4 failures on the 18
operations; now 0, see tests/api/test_schemathesis.py). flask-smorest's own error handlers
and documentation pages are left off (``BimtekApi``): errors keep the project's JSON shape.
"""

from flask import Flask, current_app, jsonify
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import Schema, fields

from bimtek.api.inputs import Parser
from bimtek.extensions import csrf


class ErrorDetail(Schema):
    code = fields.String(required=True, metadata={"description": "stable, for programs"})
    message = fields.String(required=True, metadata={"description": "for people"})
    request_id = fields.String(
        metadata={
            "description": "on a 500: the request's id (its X-Request-ID header), to quote "
            "when reporting the error"
        }
    )
    fields = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "the failing fields and what is wrong with each"},
    )


class ErrorSchema(Schema):
    """Every error answer of the API (``bimtek.errors``)."""

    error = fields.Nested(ErrorDetail, required=True)


class ApiBlueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = Parser()

    def errors(self, answers: dict):
        """Document the error answers of an operation: ``{status: "code, code"}``."""

        def decorator(view):
            for status, description in answers.items():
                view = self.alt_response(status, schema=ErrorSchema, description=description)(view)
            return view

        return decorator


class BimtekApi(Api):
    """flask-smorest without its error handlers (``bimtek.errors`` answers every error)."""

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        pass


bp = ApiBlueprint("api", __name__)
csrf.exempt(bp)

#: answered by every operation taking a JSON body (bimtek.core.inputs, bimtek.api.inputs)
JSON_BODY_ERRORS = {
    400: "invalid_json (not JSON) or json_too_deep (nested deeper than 20 levels)",
    413: "too_large (a body over 1 MB)",
    422: "invalid (with the failing fields), wrong_type (a field of another JSON type than "
    "documented, named in fields) or invalid_text (a NUL or a lone surrogate)",
}


def init_app(app: Flask) -> None:
    """Register the API under /api/v1 and build its OpenAPI document."""
    api = BimtekApi(
        app,
        spec_kwargs={
            "title": "Bimtek API",
            "version": "1.0.0",
            "openapi_version": "3.0.3",
            "info": {
                "description": "Registration, check-in, assessments and certificates for "
                "Bimtek events. Staff endpoints need a bearer token."
            },
            "servers": [{"url": "/api/v1"}],
        },
    )
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "A staff token (flask create-token)"},
    )
    api.register_blueprint(bp, url_prefix="/api/v1")


@bp.get("/openapi.json")
@bp.response(200, description="This document")
def openapi_json():
    api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    spec = api.spec.to_dict()
    spec["paths"] = {
        path.removeprefix("/api/v1"): operations for path, operations in spec["paths"].items()
    }
    return jsonify(spec)


# each module adds its routes (and so its part of the document) to ``bp``
from bimtek.api import (  # noqa: E402,F401
    assessments,
    attendance,
    certificates,
    evaluation,
    events,
    participants,
    reports,
    spj,
)
