"""Bearer-token authentication for the API."""

from functools import wraps

from flask import g, request
from flask_babel import gettext as _

from bimtek.api import bp
from bimtek.api.inputs import json_body  # noqa: F401  (the API's body reader, re-exported)
from bimtek.auth.tokens import note_token_use, token_for_bearer
from bimtek.errors import ServiceError


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


class ApiForbidden(ServiceError):
    status = 403
    code = "forbidden"


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def token_required(*roles: str):
    """Require a staff bearer token; with ``roles``, one of those roles. Documents the
    bearer scheme and the 401 (and 403) on the operation."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = token_for_bearer(bearer_token())
            if token is None:
                raise Unauthorized(_("Token API tidak ada atau tidak berlaku."))
            note_token_use(token)  # its own short transaction, at most once a minute
            user = token.user
            if roles and user.role not in roles:
                raise ApiForbidden(_("Token ini tidak berhak atas tindakan ini."))
            g.api_user = user
            return view(*args, **kwargs)

        answers = {401: "unauthorized (no token, or not a live one)"}
        if roles:
            answers[403] = "forbidden (the token's role may not do this)"
        return bp.doc(security=[{"bearerAuth": []}])(bp.errors(answers)(wrapped))

    return decorator
