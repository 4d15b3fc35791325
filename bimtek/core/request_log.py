"""One log line per request, with an id a user can quote from the error page.

Every request gets an id: a sane ``X-Request-ID`` from the proxy or load balancer in front,
else a new one. It goes back in the ``X-Request-ID`` header, on the 500 page and in the API's
500 answer (``bimtek.errors``), and on the request's line and its error's. The line names
the request id, method, path, status and duration in ms (until the answer is ready: sending
a streamed file is not counted); never the query string (it can carry one-time codes), and
a path that holds a secret (a ticket code, an import's token) is logged as its route
(``/tiket/<ticket_code>``). No body, header or cookie is logged.

The lines go to the request's ``wsgi.errors`` (gunicorn's and ``flask run``'s stderr), as
text (``LOG_FORMAT = "text"``) or one JSON object a line (``"json"``), with the same fields.
"""

import json
import logging
import re
import time
import traceback
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from flask import Flask, g, has_app_context, request
from flask.logging import default_handler, wsgi_errors_stream

REQUEST_ID_HEADER = "X-Request-ID"
#: an incoming id is kept when it looks like one (a UUID, nginx's $request_id, an AWS trace
#: id); anything else is replaced, so it can neither break a log line nor pose as a field
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")
#: URL arguments that open something by themselves: the path is logged as its route
SECRET_URL_ARGUMENTS = frozenset({"ticket_code", "token"})
#: the fields of a request's line, in the order the text format writes them
FIELDS = ("request_id", "method", "path", "status", "duration_ms")
LOG_FORMATS = ("text", "json")

logger = logging.getLogger("bimtek.request")


def init_app(app: Flask) -> None:
    """Give every request an id and a log line; write the app's log in LOG_FORMAT.

    Called before any other extension registers a ``before_request``, so that a request
    refused early (a rate limit, a forced password change) still has its id."""
    if app.config["LOG_FORMAT"] not in LOG_FORMATS:
        raise ValueError(f"LOG_FORMAT must be 'text' or 'json', not {app.config['LOG_FORMAT']!r}")
    _install_handler(app)
    app.before_request(_start)
    app.after_request(_finish)


def current_request_id() -> str | None:
    """The id of the request being answered (None outside a request, e.g. in a job)."""
    return g.get("request_id") if has_app_context() else None


def _start() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response):
    request_id = current_request_id() or uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    fields = {
        "request_id": request_id,
        "method": request.method,
        "path": logged_path(),
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else 0.0,
    }
    logger.info("request", extra=fields)
    return response


def logged_path() -> str:
    """The request's path as sent (percent-encoded, so one line stays one line), without
    the query string; a path with a secret in it becomes its route."""
    rule = request.url_rule
    if rule is not None and rule.arguments & SECRET_URL_ARGUMENTS:
        return rule.rule
    return quote(request.path, safe="/:@!$&'()*+,;=-._~")


class TextFormatter(logging.Formatter):
    """``2026-12-07T01:02:03Z INFO bimtek.request: request request_id=… method=GET …``"""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        return _utc(record)

    def formatMessage(self, record):  # noqa: N802 (logging's name)
        line = super().formatMessage(record)
        named = [f"{name}={getattr(record, name)}" for name in FIELDS if hasattr(record, name)]
        return " ".join([line, *named])


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request's fields, and the
    traceback of an error."""

    def format(self, record):
        entry = {
            "time": _utc(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info:
            entry["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def _utc(record) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _BimtekHandler(logging.StreamHandler):
    """Writes to the request's ``wsgi.errors`` (stderr outside a request)."""


def _install_handler(app: Flask) -> None:
    """The "bimtek" logger (the app's, and every module's below it) writes through one
    handler in the app's format, in place of Flask's default one. Logging is per process:
    the last app built sets the format."""
    app_logger = app.logger
    app_logger.removeHandler(default_handler)
    for handler in list(app_logger.handlers):
        if isinstance(handler, _BimtekHandler):
            app_logger.removeHandler(handler)
    handler = _BimtekHandler(wsgi_errors_stream)
    handler.setFormatter(JsonFormatter() if app.config["LOG_FORMAT"] == "json" else TextFormatter())
    app_logger.addHandler(handler)
    logger.setLevel(logging.INFO)
