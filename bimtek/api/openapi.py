"""The OpenAPI 3 document, assembled from the paths each API module declares."""

from flask import jsonify

from bimtek.api import bp

PATHS: dict = {}
SCHEMAS: dict = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            }
        },
    },
}


def document(paths: dict, schemas: dict | None = None) -> None:
    """Called by each API module at import time to add its part of the document."""
    PATHS.update(paths)
    SCHEMAS.update(schemas or {})


def error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _document_json_body_errors() -> None:
    """Every operation taking a JSON body answers the errors of ``bimtek.core.inputs``."""
    answers = {
        "400": "invalid_json (not JSON) or json_too_deep (nested deeper than 20 levels)",
        "413": "too_large (a body over 1 MB)",
        "422": "invalid (with the failing fields), wrong_type (a field of another JSON "
        "type than documented, named in fields) or invalid_text (a NUL or a lone surrogate)",
    }
    for operations in PATHS.values():
        for operation in operations.values():
            if "application/json" not in operation.get("requestBody", {}).get("content", {}):
                continue
            for status, description in answers.items():
                known = operation["responses"].get(status, {}).get("description")
                if known is None or description not in known:
                    text = f"{known}; {description}" if known else description
                    operation["responses"][status] = error_response(text)


def spec() -> dict:
    _document_json_body_errors()
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Bimtek API",
            "version": "1.0.0",
            "description": "Registration, check-in, assessments and certificates for "
            "Bimtek events. Staff endpoints need a bearer token.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": dict(sorted(PATHS.items())),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(spec())
