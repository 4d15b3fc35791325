"""Reports over the API: the dashboard's figures, export workbooks, participant imports."""

from flask import g, request
from flask_babel import gettext as _
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from bimtek.api import bp
from bimtek.api.auth import token_required
from bimtek.api.outputs import Real
from bimtek.core.spreadsheets import XLSX_MIMETYPE, send_xlsx
from bimtek.core.web import public_base_url
from bimtek.errors import InvalidInput, NotFound, ServiceError
from bimtek.events.access import event_required
from bimtek.extensions import db
from bimtek.participants import importing as services
from bimtek.reports import dashboard, exports


class TooLarge(InvalidInput):
    """The upload is larger than IMPORT_MAX_BYTES."""

    status = 413
    code = "too_large"


class ImportQuery(Schema):
    dry_run = fields.String(
        validate=validate.OneOf(["1", "true", "yes"]),
        metadata={"description": "check the file, import nothing"},
    )


class ImportFile(Schema):
    file = Upload(required=True)


class ImportProblem(Schema):
    row = fields.Integer()
    field = fields.String()
    column = fields.String()
    message = fields.String()


class ImportedCounts(Schema):
    registered = fields.Integer()
    waitlisted = fields.Integer()


class ImportReport(Schema):
    sheet = fields.String(metadata={"description": "the sheet read"})
    header_row = fields.Integer()
    columns = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "field: the column letter it was read from"},
    )
    ignored_columns = fields.List(fields.String())
    rows = fields.Integer()
    valid = fields.Integer()
    invalid = fields.Integer()
    seats_left = fields.Integer()
    will_register = fields.Integer()
    will_waitlist = fields.Integer()
    problems = fields.List(fields.Nested(ImportProblem))
    imported = fields.Nested(ImportedCounts)


class CategoryCounts(Schema):
    code = fields.String()
    label = fields.String()
    registered = fields.Integer()
    waitlisted = fields.Integer()
    cancelled = fields.Integer()


class SessionSummary(Schema):
    id = fields.Integer()
    title = fields.String()
    starts_at = fields.DateTime()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    finished = fields.Boolean()


class AssessmentSummary(Schema):
    pre_taken = fields.Integer()
    post_taken = fields.Integer()
    mean_pre = Real(allow_none=True)
    mean_post = Real(allow_none=True)
    pairs = fields.Integer()
    g_of_means = Real(allow_none=True)
    mean_g = Real(allow_none=True)
    band = fields.String(allow_none=True)
    negative = fields.Integer()


class CertificateSummary(Schema):
    registered = fields.Integer()
    eligible = fields.Integer()
    issued = fields.Integer(metadata={"description": "Numbers handed out: in force + revoked"})
    in_force = fields.Integer()
    to_issue = fields.Integer()
    not_eligible = fields.Integer()
    revoked = fields.Integer()


class EventSummary(Schema):
    event = fields.String()
    capacity = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    seats_left = fields.Integer()
    categories = fields.List(fields.Nested(CategoryCounts))
    sessions = fields.List(fields.Nested(SessionSummary))
    assessments = fields.Nested(AssessmentSummary)
    certificates = fields.Nested(CertificateSummary)


_EXPORT_KIND = {
    "in": "path",
    "name": "kind",
    "schema": {"type": "string", "enum": list(exports.available())},
}


@bp.get("/events/<code>/summary")
@token_required()
@event_required("manager")
@bp.response(200, EventSummary)
@bp.errors({403: "forbidden (not a manager of the event)", 404: "unknown_event"})
def event_summary(event):
    """Registration, attendance per session, pre/post means and gains, certificates."""
    data = dashboard.overview(event)
    registration = data["registration"]
    return {
        "event": event.code,
        "capacity": event.capacity,
        "counts": registration["counts"],
        "seats_left": registration["seats_left"],
        "categories": registration["categories"],
        "sessions": [
            {
                "id": row["session"].id,
                "title": row["session"].title,
                "starts_at": row["session"].starts_at,
                "counts": {k: v for k, v in row["counts"].items() if k != "finished"},
                "finished": row["counts"]["finished"],
            }
            for row in data["attendance"]["sessions"]
        ],
        "assessments": data["assessments"],
        "certificates": data["certificates"],
    }


@bp.route("/events/<code>/exports/<kind>.xlsx", methods=["GET"], parameters=[_EXPORT_KIND])
@token_required()
@event_required("manager")
@bp.response(200, description="The .xlsx file", content_type=XLSX_MIMETYPE)
@bp.errors({403: "forbidden (not a manager of the event)", 404: "unknown_event, unknown_export"})
def export_workbook(event, kind):
    """An export workbook, as on the dashboard."""
    if kind not in exports.available():
        raise NotFound(_("Jenis ekspor tidak dikenal."), code="unknown_export")
    content, filename = exports.export_workbook(event, kind, base=public_base_url())
    return send_xlsx(content, filename)


@bp.post("/events/<code>/imports")
@token_required()
@event_required("manager")
@bp.arguments(ImportQuery, location="query")
@bp.doc(
    requestBody={
        "required": True,
        "content": {
            XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {"schema": ImportFile},
        },
    }
)
@bp.response(201, ImportReport, description="Valid rows imported (all or none); the report")
@bp.alt_response(200, schema=ImportReport, description="Dry run: the row-by-row report")
@bp.errors(
    {
        403: "forbidden (not a manager of the event)",
        404: "unknown_event",
        409: "a row was taken since the check; nothing imported",
        413: "too_large",
        422: "bad_file (not a usable .xlsx), no valid row, invalid (dry_run)",
    }
)
def import_participants(args, event):
    """Check an .xlsx participant list (``?dry_run=1``) or import its valid rows."""
    limit = services.import_max_bytes()
    if request.content_length and request.content_length > limit + 64 * 1024:
        raise TooLarge(_("Berkas terlalu besar; batas %(n)s MB.", n=limit // (1024 * 1024)))
    request.max_content_length = limit + 64 * 1024
    upload = request.files.get("file")
    data = upload.read(limit + 1) if upload else request.get_data(cache=False)
    if len(data) > limit:
        raise TooLarge(_("Berkas terlalu besar; batas %(n)s MB.", n=limit // (1024 * 1024)))
    report = services.preview_import(event, data)
    body = services.report_json(report)
    if args.get("dry_run"):
        return body, 200
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
    return body, 201
