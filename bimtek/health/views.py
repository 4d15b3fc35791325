"""``/healthz`` and ``/readyz``: for load balancers and orchestrators, outside the rate
limiter, with no session and nothing about the configuration in the answer."""

from flask import Blueprint, current_app, jsonify

from bimtek.extensions import limiter
from bimtek.health.checks import failed_parts

bp = Blueprint("health", __name__)
limiter.exempt(bp)


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers. Asks nothing else (a database outage must not get
    every app server restarted)."""
    return _answer({"status": "ok"}, 200)


@bp.get("/readyz")
def readyz():
    """Readiness: 200 when the database, the job queue and a Redis rate-limit store answer;
    503 naming the parts that do not (``{"status": "fail", "failed": ["database"]}``)."""
    failed = failed_parts(current_app)
    if failed:
        return _answer({"status": "fail", "failed": failed}, 503)
    return _answer({"status": "ok"}, 200)


def _answer(body: dict, status: int):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
