"""Reports over the API: the dashboard's figures, export workbooks, participant imports."""

from flask import g, jsonify, request

from bimtek.api import bp
from bimtek.api.auth import token_required
from bimtek.api.openapi import document, error_response
from bimtek.core.spreadsheets import XLSX_MIMETYPE, send_xlsx
from bimtek.errors import InvalidInput, NotFound, ServiceError
from bimtek.events.access import event_required
from bimtek.extensions import db
from bimtek.participants import importing as services
from bimtek.reports import dashboard, exports


class TooLarge(InvalidInput):
    """The upload is larger than IMPORT_MAX_BYTES."""

    status = 413
    code = "too_large"


@bp.get("/events/<code>/summary")
@token_required()
@event_required("manager")
def event_summary(event):
    """Registration, attendance per session, pre/post means and gains, certificates."""
    data = dashboard.overview(event)
    registration = data["registration"]
    tests = data["assessments"]
    certificates = data["certificates"]
    return jsonify(
        {
            "event": event.code,
            "capacity": event.capacity,
            "counts": registration["counts"],
            "seats_left": registration["seats_left"],
            "categories": [
                {k: c[k] for k in ("code", "label", "registered", "waitlisted", "cancelled")}
                for c in registration["categories"]
            ],
            "sessions": [
                {
                    "id": row["session"].id,
                    "title": row["session"].title,
                    "starts_at": row["session"].starts_at.isoformat(),
                    "counts": {k: v for k, v in row["counts"].items() if k != "finished"},
                    "finished": row["counts"]["finished"],
                }
                for row in data["attendance"]["sessions"]
            ],
            "assessments": {
                k: tests[k]
                for k in (
                    "pre_taken",
                    "post_taken",
                    "mean_pre",
                    "mean_post",
                    "pairs",
                    "g_of_means",
                    "mean_g",
                    "band",
                    "negative",
                )
            },
            "certificates": {
                k: certificates[k]
                for k in ("registered", "eligible", "issued", "to_issue", "not_eligible", "revoked")
            },
        }
    )


@bp.get("/events/<code>/exports/<kind>.xlsx")
@token_required()
@event_required("manager")
def export_workbook(event, kind):
    """An export workbook, as on the dashboard."""
    if kind not in exports.available():
        raise NotFound("Jenis ekspor tidak dikenal.", code="unknown_export")
    content, filename = exports.export_workbook(event, kind)
    return send_xlsx(content, filename)


@bp.post("/events/<code>/imports")
@token_required()
@event_required("manager")
def import_participants(event):
    """Check an .xlsx participant list (``?dry_run=1``) or import its valid rows."""
    limit = services.import_max_bytes()
    if request.content_length and request.content_length > limit + 64 * 1024:
        raise TooLarge(f"Berkas terlalu besar; batas {limit // (1024 * 1024)} MB.")
    request.max_content_length = limit + 64 * 1024
    upload = request.files.get("file")
    data = upload.read(limit + 1) if upload else request.get_data(cache=False)
    if len(data) > limit:
        raise TooLarge(f"Berkas terlalu besar; batas {limit // (1024 * 1024)} MB.")
    report = services.preview_import(event, data)
    body = services.report_json(report)
    if request.args.get("dry_run") in ("1", "true", "yes"):
        return jsonify(body), 200
    filename = upload.filename if upload else "api.xlsx"
    try:
        result = services.import_participants(
            event, report, actor=g.api_user, channel="api", filename=filename or "api.xlsx"
        )
    except ServiceError:
        db.session.rollback()  # all or nothing
        raise
    db.session.commit()
    body["imported"] = {"registered": result.registered, "waitlisted": result.waitlisted}
    return jsonify(body), 201


_CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
_REPORT = {
    "type": "object",
    "properties": {
        "rows": {"type": "integer"},
        "valid": {"type": "integer"},
        "invalid": {"type": "integer"},
        "seats_left": {"type": "integer"},
        "will_register": {"type": "integer"},
        "will_waitlist": {"type": "integer"},
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "row": {"type": "integer"},
                    "field": {"type": "string"},
                    "column": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
        "imported": {
            "type": "object",
            "properties": {
                "registered": {"type": "integer"},
                "waitlisted": {"type": "integer"},
            },
        },
    },
}

document(
    {
        "/events/{code}/summary": {
            "get": {
                "summary": "The organizer dashboard's figures (a manager's token)",
                "parameters": [_CODE],
                "responses": {
                    "200": {
                        "description": "Registration, attendance per session, pre/post, "
                        "certificates",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "401": error_response("No valid token"),
                    "403": error_response("Not a manager of this event"),
                    "404": error_response("Unknown event, or not one of the token's"),
                },
            }
        },
        "/events/{code}/exports/{kind}.xlsx": {
            "get": {
                "summary": "An export workbook (a manager's token): peserta, kehadiran, nilai, "
                "sertifikat or semua",
                "parameters": [
                    _CODE,
                    {
                        "name": "kind",
                        "in": "path",
                        "required": True,
                        "schema": {
                            "type": "string",
                            "enum": [
                                "peserta",
                                "kehadiran",
                                "nilai",
                                "sertifikat",
                                "evaluasi",
                                "semua",
                            ],
                        },
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The .xlsx file",
                        "content": {
                            XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}
                        },
                    },
                    "403": error_response("Not a manager of this event"),
                    "404": error_response("Unknown event or export"),
                },
            }
        },
        "/events/{code}/imports": {
            "post": {
                "summary": "Import participants from an .xlsx (manager's token); dry_run=1 checks",
                "parameters": [
                    _CODE,
                    {"name": "dry_run", "in": "query", "schema": {"type": "string", "enum": ["1"]}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}},
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {"file": {"type": "string", "format": "binary"}},
                            }
                        },
                    },
                },
                "responses": {
                    "200": {
                        "description": "Dry run: the row-by-row report",
                        "content": {"application/json": {"schema": _REPORT}},
                    },
                    "201": {
                        "description": "Valid rows imported (all or none); the report",
                        "content": {"application/json": {"schema": _REPORT}},
                    },
                    "401": error_response("No valid token"),
                    "403": error_response("Not a manager of this event"),
                    "404": error_response("Unknown event, or not one of the token's"),
                    "409": error_response("A row was taken since the check; nothing imported"),
                    "413": error_response("File too large"),
                    "422": error_response("Not a usable .xlsx, or no valid row"),
                },
            }
        },
    }
)
