"""Service errors and how they are shown: HTML pages in Bahasa Indonesia, JSON on the API."""

from flask import g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


class ServiceError(Exception):
    """A rule said no. ``code`` is stable (the API returns it); ``message`` is for people."""

    status = 400
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}

    def to_dict(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return {"error": body}


class InvalidInput(ServiceError):
    status = 422
    code = "invalid"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


def wants_json() -> bool:
    return request.path.startswith("/api/")


HTTP_MESSAGES = {
    400: "Permintaan tidak valid.",
    401: "Silakan masuk terlebih dahulu.",
    403: "Anda tidak memiliki akses ke halaman ini.",
    404: "Halaman tidak ditemukan.",
    405: "Metode tidak diizinkan.",
    413: "Berkas terlalu besar.",
    429: "Terlalu banyak percobaan. Silakan tunggu sebentar lalu coba lagi.",
    500: "Terjadi kesalahan pada server. Silakan coba lagi.",
}

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
    500: "server_error",
}


def register_error_handlers(app):
    @app.errorhandler(ServiceError)
    def handle_service_error(error: ServiceError):
        if wants_json():
            return jsonify(error.to_dict()), error.status
        return render_template(
            "errors/error.html", status=error.status, message=error.message
        ), error.status

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        message = HTTP_MESSAGES.get(status, error.description)
        # a 405 names the methods the URL does take (RFC 9110 §15.5.6), as werkzeug's own does
        allowed = getattr(error, "valid_methods", None) if status == 405 else None
        headers = {"Allow": ", ".join(allowed)} if allowed else {}
        if wants_json():
            body = {"error": {"code": HTTP_CODES.get(status, "http_error"), "message": message}}
            return jsonify(body), status, headers
        page = render_template("errors/error.html", status=status, message=message)
        return page, status, headers

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        # the request's id (bimtek.core.request_log) is on the page and on the log line with
        # the traceback, so a user's report finds it
        request_id = g.get("request_id")
        app.logger.exception("Unhandled error", extra={"request_id": request_id})
        if app.testing and app.config["PROPAGATE_EXCEPTIONS"]:
            raise error
        if wants_json():
            body = {"code": "server_error", "message": HTTP_MESSAGES[500]}
            if request_id:
                body["request_id"] = request_id
            return jsonify({"error": body}), 500
        page = render_template(
            "errors/error.html", status=500, message=HTTP_MESSAGES[500], request_id=request_id
        )
        return page, 500
