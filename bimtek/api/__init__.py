"""JSON API v1: a thin layer over the domain services, documented at /api/v1/openapi.json.

Staff authenticate with ``Authorization: Bearer <token>`` (``flask create-token``).
Every error is ``{"error": {"code": ..., "message": ...}}`` with a stable code.
"""

from flask import Blueprint

from bimtek.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)

# each module adds its routes to ``bp`` and its paths to the OpenAPI document
from bimtek.api import (  # noqa: E402,F401
    assessments,
    attendance,
    certificates,
    evaluation,
    events,
    openapi,
    participants,
    reports,
)
