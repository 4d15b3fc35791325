"""Bearer-token authentication for the API."""

from functools import wraps

from flask import g, request

from bimtek.auth.tokens import note_token_use, token_for_bearer
from bimtek.core.inputs import json_object
from bimtek.errors import ServiceError
from bimtek.extensions import db


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


class ApiForbidden(ServiceError):
    status = 403
    code = "forbidden"


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def token_required(*roles: str):
    """Require a staff bearer token; with ``roles``, one of those roles."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = token_for_bearer(bearer_token())
            if token is None:
                raise Unauthorized("Token API tidak ada atau tidak berlaku.")
            if note_token_use(token):
                db.session.commit()  # the last-used stamp, at most once a minute per token
            user = token.user
            if roles and user.role not in roles:
                raise ApiForbidden("Token ini tidak berhak atas tindakan ini.")
            g.api_user = user
            return view(*args, **kwargs)

        return wrapped

    return decorator


def json_body(schema: dict | None = None) -> dict:
    """The request's JSON object, checked by ``bimtek.core.inputs.json_object``: size,
    nesting, text, and the JSON type of each field ``schema`` (the OpenAPI schema) names."""
    return json_object(schema)
