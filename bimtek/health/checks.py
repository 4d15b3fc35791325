"""What ``/readyz`` asks: the database, the job queue, and the rate-limit store when it is
Redis. Each check asks the real thing once, with a short timeout, and says only yes or no;
why it failed goes to the log (for the operator), never into the answer.
"""

import logging

import redis
import sqlalchemy as sa
from flask import Flask

from bimtek.extensions import db
from bimtek.jobs import jobs_of

logger = logging.getLogger(__name__)

#: URL schemes of a Redis the checks ask themselves (redis-py's own)
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def failed_parts(app: Flask) -> list[str]:
    """The parts that do not answer now, in a fixed order; empty when all do."""
    checks = {
        "database": _database_answers,
        "queue": _queue_answers,
        "rate_limits": _rate_limit_store_answers,
    }
    failed = []
    for part, answers in checks.items():
        try:
            ok = answers(app)
        except Exception as error:  # any failure of a part is that part's "no"
            logger.warning("not ready: %s: %s: %s", part, type(error).__name__, error)
            ok = False
        if not ok:
            failed.append(part)
    return failed


def _database_answers(app: Flask) -> bool:
    """``SELECT 1`` through the app's own pool (PostgreSQL: DATABASE_CONNECT_TIMEOUT)."""
    with db.engine.connect() as connection:
        return connection.scalar(sa.select(1)) == 1


def _queue_answers(app: Flask) -> bool:
    """Redis: a PING; embedded: its SQLite file is readable (a count of waiting jobs)."""
    jobs = jobs_of(app)
    if jobs.embedded:
        jobs.huey.pending_count()
        return True
    return _redis_answers(app, app.config["QUEUE_URL"])


def _rate_limit_store_answers(app: Flask) -> bool:
    """Only a Redis store is a part of its own; memory:// lives in the process."""
    url = str(app.config["RATELIMIT_STORAGE_URI"])
    if not app.config["RATELIMIT_ENABLED"] or not url.startswith(REDIS_SCHEMES):
        return True
    return _redis_answers(app, url)


def _redis_answers(app: Flask, url: str) -> bool:
    """A PING on a connection of its own, bounded by HEALTH_CHECK_TIMEOUT."""
    timeout = app.config["HEALTH_CHECK_TIMEOUT"]
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    with client:
        return bool(client.ping())
