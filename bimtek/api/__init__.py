"""JSON API v1: a thin layer over the domain services, documented at /api/v1/openapi.json.

Staff authenticate with ``Authorization: Bearer <token>`` (``flask create-token``).
Every error is ``{"error": {"code": ..., "message": ...}}`` with a stable code.
"""

import importlib
import importlib.util

from flask import Blueprint

from bimtek.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)

#: modules that add their routes to ``bp`` and their paths to the OpenAPI document
API_MODULES = ("bimtek.api.openapi", "bimtek.api.events", "bimtek.api.participants",
               "bimtek.api.attendance", "bimtek.api.assessments", "bimtek.api.certificates",
               "bimtek.api.reports")

for _name in API_MODULES:
    if importlib.util.find_spec(_name) is not None:
        importlib.import_module(_name)
