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


def spec() -> dict:
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
