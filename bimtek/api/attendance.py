"""Check-in for scanner devices and integrations, and a trivial ping for health checks."""

from flask import Response, g, jsonify
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from bimtek.api import JSON_BODY_ERRORS, bp
from bimtek.api.auth import token_required
from bimtek.api.inputs import json_body, storable_text
from bimtek.api.outputs import IsoDateTime
from bimtek.attendance import checkin, queries
from bimtek.attendance.errors import ParticipantConflict
from bimtek.attendance.models import STATUS_LABELS
from bimtek.attendance.payloads import (
    attendance_json,
    checkin_json,
    error_json,
    participant_with_class,
)
from bimtek.core.timeutil import utcnow
from bimtek.errors import ServiceError
from bimtek.events.access import load_in_event, load_row
from bimtek.events.classes import audience_label, class_names
from bimtek.events.models import Session
from bimtek.extensions import db
from bimtek.participants.models import Participant


class CheckInRequest(Schema):
    """A check-in by ticket code; a queued scan also sends its own time and id."""

    code = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=64, error=_l("{min} sampai {max} karakter")),
            storable_text(),
        ],
        metadata={"description": "The ticket code from the QR"},
    )
    scan_id = fields.String(
        allow_none=True,
        validate=validate.Regexp(
            "^[A-Za-z0-9._:-]{1,64}$", error=_l("1–64 huruf, angka atau . _ : -")
        ),
        metadata={"description": "Client-made id, unique per session; a retry reuses it"},
    )
    scanned_at = fields.String(
        allow_none=True,
        validate=storable_text(),
        metadata={
            "format": "date-time",
            "description": "When a queued scan happened, with a zone, on the server's clock "
            "(the device's corrected by the offset to /ping's server_time); not in the future, "
            "nor long before the session. Leave it out online: the server's time is used",
        },
    )


class ExcuseRequest(Schema):
    """izin (excused) or sakit (sick), with a note."""

    participant_id = fields.Integer(required=True, strict=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(["izin", "sakit"], error=_l("harus salah satu dari {choices}")),
    )
    note = fields.String(
        required=True,
        validate=[
            validate.Length(max=500, error=_l("paling banyak {max} karakter")),
            validate.Regexp(
                r"^[^\x00]*\S[^\x00]*$",
                error=_l("wajib diisi (mis. surat tugas, surat dokter)"),
            ),
        ],
    )


_STATUS = validate.OneOf(list(STATUS_LABELS))


class ParticipantBrief(Schema):
    id = fields.Integer()
    full_name = fields.String()
    institution = fields.String()
    institution_category = fields.String()
    category_label = fields.String()
    job_title = fields.String()
    registration_number = fields.String()
    status = fields.String()


class CheckInSchema(Schema):
    participant = fields.Nested(ParticipantBrief)
    status = fields.String(validate=_STATUS)
    status_label = fields.String()
    checked_in_at = IsoDateTime()
    checked_in_local = fields.String(metadata={"description": "HH:MM, in the event's zone"})
    already = fields.Boolean()


class ExcuseSchema(Schema):
    participant_id = fields.Integer()
    status = fields.String(validate=_STATUS)
    status_label = fields.String()
    checked_in_at = IsoDateTime()
    checked_in_local = fields.String()
    source = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    scan_id = fields.String(allow_none=True)


class ParticipantInClass(ParticipantBrief):
    class_id = fields.Integer(allow_none=True, metadata={"description": "null: no class"})
    class_name = fields.String(allow_none=True, metadata={"description": "null: no class"})


class AttendanceRowSchema(Schema):
    participant = fields.Nested(ParticipantInClass)
    status = fields.String(allow_none=True, validate=_STATUS)
    checked_in_at = fields.DateTime(allow_none=True)
    checked_in_local = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    source = fields.String(allow_none=True)


class SessionCounts(Schema):
    expected = fields.Integer()
    checked_in = fields.Integer()
    hadir = fields.Integer()
    terlambat = fields.Integer()
    izin = fields.Integer()
    sakit = fields.Integer()
    alpa = fields.Integer()
    belum = fields.Integer()
    finished = fields.Boolean()


class SessionBrief(Schema):
    id = fields.Integer()
    title = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    room = fields.String(allow_none=True)
    mandatory = fields.Boolean()
    class_name = fields.Function(
        lambda session: audience_label(session) or None,
        metadata={
            "type": "string",
            "nullable": True,
            "description": "the class (kelas) the session is for; null: plenary, for everyone",
        },
    )


class SessionAttendance(Schema):
    session = fields.Nested(SessionBrief)
    counts = fields.Nested(SessionCounts)
    attendance = fields.List(
        fields.Nested(AttendanceRowSchema),
        metadata={
            "description": "one entry per registered participant, by name; status is null "
            "for nobody-seen-yet at an open session and alpa once the session has ended"
        },
    )


class Ping(Schema):
    ok = fields.Boolean(required=True)
    server_time = fields.DateTime(
        required=True,
        metadata={"description": "The server's clock (UTC): a device measures its own offset"},
    )


class ConflictSchema(Schema):
    """A 409 of a check-in: the error, and who the ticket belongs to."""

    error = fields.Dict(required=True)
    participant = fields.Nested(ParticipantBrief)


@bp.get("/ping")
@bp.response(200, Ping, description="Alive")
def ping():
    """Liveness: no database, no authentication; with the server's time."""
    return {"ok": True, "server_time": utcnow()}


@bp.post("/sessions/<int:session_id>/checkins")
@token_required()
@bp.doc(
    requestBody={"required": True, "content": {"application/json": {"schema": CheckInRequest}}},
)
@bp.response(201, CheckInSchema, description="First check-in at this session")
@bp.alt_response(
    200,
    schema=CheckInSchema,
    description="Already checked in: `already` is true and `checked_in_at` is the first "
    "check-in's time",
)
@bp.alt_response(
    409,
    schema=ConflictSchema,
    description="not_registered (cancelled or waitlisted), wrong_event or not_in_class "
    "(the session is another class's)",
)
@bp.errors(
    JSON_BODY_ERRORS
    | {
        403: "forbidden",
        404: "unknown_code, unknown_session (also a session not the token's)",
        422: "invalid (code, scan_id or scanned_at), wrong_type, invalid_text",
    }
)
def create_checkin(session_id):
    """The hot path, and the desk page's path too (``attendance.checkin.scan``): the token,
    one joined read of the session, event, ticket and earlier row, the event right, and for
    a first scan the row and its audit entry, in one transaction. Errors answer in the
    ordinary order (401, then 404 for a session not theirs, then 422)."""
    try:
        data = json_body(CheckInRequest())
    except ServiceError:
        load_row(Session, session_id, g.api_user, "panitia")  # before anything is said about it
        raise
    try:
        session, result = checkin.scan(
            session_id,
            actor=g.api_user,
            code=data.get("code"),
            scan_id=data.get("scan_id"),
            scanned_at=data.get("scanned_at"),
            channel="api",
        )
    except ParticipantConflict as error:
        return jsonify(error_json(error)), error.status
    body = checkin_json(result, session.event)
    db.session.commit()
    return body, 200 if result.already else 201


@bp.delete("/sessions/<int:session_id>/checkins/<int:participant_id>")
@token_required()
@bp.response(204, description="Removed (recorded in the audit log with who did it)")
@bp.errors({404: "unknown_session, unknown_participant, not_checked_in"})
def delete_checkin(session_id, participant_id):
    session = load_row(Session, session_id, g.api_user, "panitia")
    participant = load_in_event(Participant, participant_id, session.event)
    checkin.undo_check_in(session, participant, actor=g.api_user, channel="api")
    db.session.commit()
    return Response(status=204)


@bp.post("/sessions/<int:session_id>/excuses")
@token_required()
@bp.doc(requestBody={"required": True, "content": {"application/json": {"schema": ExcuseRequest}}})
@bp.response(200, ExcuseSchema, description="Recorded")
@bp.errors(
    JSON_BODY_ERRORS
    | {
        404: "unknown_session, unknown_participant",
        409: "already_present, not_registered",
    }
)
def create_excuse(session_id):
    """Mark a participant izin (excused) or sakit (sick) with a note."""
    session = load_row(Session, session_id, g.api_user, "panitia")
    data = json_body(ExcuseRequest())
    participant = load_in_event(Participant, data.get("participant_id"), session.event)
    row = checkin.mark_excused(
        session, participant, data.get("status"), data.get("note"), actor=g.api_user, channel="api"
    )
    body = attendance_json(row, session.event)
    db.session.commit()
    return body


@bp.get("/sessions/<int:session_id>/attendance")
@token_required()
@bp.response(200, SessionAttendance)
@bp.errors({404: "unknown_session"})
def list_attendance(session_id):
    session = load_row(Session, session_id, g.api_user, "panitia")
    event = session.event
    now = utcnow()
    rows = queries.session_attendance(session)
    counts = queries.session_counts(session, now=now)
    names = class_names(event)
    return {
        "session": session,
        "counts": counts,
        "attendance": [
            {
                "participant": participant_with_class(person, names),
                "status": queries.status_at(session, row.status if row else None, now),
                "checked_in_at": row.checked_in_at if row else None,
                "checked_in_local": event.local(row.checked_in_at).strftime("%H:%M")
                if row
                else None,
                "note": row.note if row else "",
                "source": row.source if row else None,
            }
            for person, row in rows
        ],
    }
