"""Check-in for scanner devices and integrations, and a trivial ping for health checks."""

from flask import g, jsonify

from bimtek.api import bp
from bimtek.api.auth import bearer_token, json_body, token_required
from bimtek.api.openapi import document, error_response
from bimtek.attendance import services
from bimtek.attendance.models import EXCUSED
from bimtek.attendance.payloads import (
    CHECKIN_REQUEST,
    EXCUSE_REQUEST,
    attendance_json,
    checkin_json,
    error_json,
    participant_brief,
)
from bimtek.auth.tokens import bearer_hash, stamp_due
from bimtek.core.database import is_postgres
from bimtek.errors import ServiceError
from bimtek.events.access import known_right, load_in_event, load_row
from bimtek.events.models import Session
from bimtek.extensions import db
from bimtek.participants.models import Participant


@bp.get("/ping")
def ping():
    """Liveness: no database, no authentication."""
    return jsonify({"ok": True})


@bp.post("/sessions/<int:session_id>/checkins")
def create_checkin(session_id):
    """The hot path: a well-formed scan with a live token is one read (token, right, session,
    ticket, earlier row) and, for a first scan, one write (the row and its audit entry). Any
    other request takes the ordinary path, which answers in the ordinary order (401, then
    404 for a session not theirs, then 422)."""
    found = _scan_in_one_read(session_id)
    if found is None:
        db.session.close()  # a fresh transaction (and no autocommit) for the ordinary path
        return _checked_create_checkin(session_id)
    session, target, data = found
    return _check_in(session, target, data)


def _scan_in_one_read(session_id):
    """(session, ScanTarget, body) read in one statement, or None to take the ordinary
    path: no token-like bearer, a body that is not a clean scan, no live token, or a token
    whose last-used stamp is due (``token_required`` writes and commits it)."""
    token_hash = bearer_hash(bearer_token())
    if token_hash is None:
        return None
    try:
        data = json_body(CHECKIN_REQUEST)
        code = services.clean_code(data.get("code"))
    except ServiceError:
        return None
    if is_postgres():
        # What the fast path writes is one statement (the row and its audit entry), atomic
        # on its own: without BEGIN and COMMIT a repeat is one round trip, a first scan two.
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    found = services.load_scan_by_token(token_hash, session_id, code)
    if found is None or stamp_due(found[0]):
        return None
    token, session, right, target = found
    if target.existing is not None and target.existing.status in EXCUSED:
        return None  # izin/sakit turned up: an update and an audit entry, in a transaction
    g.api_user = user = token.user
    if session is not None:
        known_right(user, session.event, right)
    load_row(Session, session_id, user, "panitia", row=session)  # 404 when not theirs
    if target.participant is None:
        raise services.UnknownCode("Tiket tidak dikenal.")
    return session, target, data


@token_required()
def _checked_create_checkin(session_id):
    load_row(Session, session_id, g.api_user, "panitia")  # before anything is said about it
    data = json_body(CHECKIN_REQUEST)
    session, target = services.load_for_scan(session_id, data.get("code"))
    return _check_in(session, target, data)


def _check_in(session, target, data):
    brief = participant_brief(target.participant)
    try:
        result = services.check_in(
            session,
            target,
            actor=g.api_user,
            scan_id=data.get("scan_id"),
            scanned_at=data.get("scanned_at"),
            channel="api",
        )
    except services.ParticipantConflict as error:
        return jsonify(error_json(error)), error.status
    body = checkin_json(result, session.event, brief)
    db.session.commit()
    return jsonify(body), 200 if result.already else 201


@bp.delete("/sessions/<int:session_id>/checkins/<int:participant_id>")
@token_required()
def delete_checkin(session_id, participant_id):
    session = load_row(Session, session_id, g.api_user, "panitia")
    participant = load_in_event(Participant, participant_id, session.event)
    services.undo_check_in(session, participant, actor=g.api_user, channel="api")
    db.session.commit()
    return "", 204


@bp.post("/sessions/<int:session_id>/excuses")
@token_required()
def create_excuse(session_id):
    session = load_row(Session, session_id, g.api_user, "panitia")
    data = json_body(EXCUSE_REQUEST)
    participant = load_in_event(Participant, data.get("participant_id"), session.event)
    row = services.mark_excused(
        session, participant, data.get("status"), data.get("note"), actor=g.api_user, channel="api"
    )
    body = attendance_json(row, session.event)
    db.session.commit()
    return jsonify(body), 200


@bp.get("/sessions/<int:session_id>/attendance")
@token_required()
def list_attendance(session_id):
    session = load_row(Session, session_id, g.api_user, "panitia")
    event = session.event
    rows = services.session_attendance(session)
    counts = services.session_counts(session)
    return jsonify(
        {
            "session": {
                "id": session.id,
                "title": session.title,
                "starts_at": session.starts_at.isoformat(),
                "ends_at": session.ends_at.isoformat(),
                "room": session.room,
                "mandatory": session.mandatory,
            },
            "counts": counts,
            "attendance": [
                {
                    "participant": participant_brief(person),
                    "status": row.status if row else ("alpa" if counts["finished"] else None),
                    "checked_in_at": row.checked_in_at.isoformat() if row else None,
                    "checked_in_local": event.local(row.checked_in_at).strftime("%H:%M")
                    if row
                    else None,
                    "note": row.note if row else "",
                    "source": row.source if row else None,
                }
                for person, row in rows
            ],
        }
    )


_SESSION_ID = {"name": "session_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_STAFF = [{"bearerAuth": []}]

document(
    {
        "/ping": {
            "get": {
                "summary": "Liveness check (no database, no token)",
                "responses": {
                    "200": {
                        "description": "Alive",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"ok": {"type": "boolean"}},
                                }
                            }
                        },
                    }
                },
            }
        },
        "/sessions/{session_id}/checkins": {
            "post": {
                "summary": "Check a ticket in at a session (staff); a repeat is not an error",
                "description": "Send the scan's original time and a client-made scan_id for a "
                "scan that waited offline: a retried scan_id is answered as a repeat and never "
                "counts twice. Late (terlambat) = after the session's start plus the event's "
                "grace minutes, judged by scanned_at when given.",
                "security": _STAFF,
                "parameters": [_SESSION_ID],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/CheckInRequest"}
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "First check-in at this session",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/CheckIn"}}
                        },
                    },
                    "200": {
                        "description": "Already checked in: `already` is true and "
                        "`checked_in_at` is the first check-in's time",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/CheckIn"}}
                        },
                    },
                    "401": error_response("unauthorized"),
                    "403": error_response("forbidden"),
                    "404": error_response("unknown_code, unknown_session"),
                    "409": error_response(
                        "not_registered (cancelled or waitlisted) or wrong_event; the body also "
                        "has `participant`"
                    ),
                    "422": error_response("invalid (code, scan_id or scanned_at)"),
                },
            }
        },
        "/sessions/{session_id}/checkins/{participant_id}": {
            "delete": {
                "summary": "Undo a participant's check-in (or izin/sakit) at a session (staff)",
                "description": "Recorded in the audit log with who did it.",
                "security": _STAFF,
                "parameters": [
                    _SESSION_ID,
                    {
                        "name": "participant_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                ],
                "responses": {
                    "204": {"description": "Removed"},
                    "401": error_response("unauthorized"),
                    "404": error_response("unknown_session, unknown_participant, not_checked_in"),
                },
            }
        },
        "/sessions/{session_id}/excuses": {
            "post": {
                "summary": "Mark a participant izin (excused) or sakit (sick) with a note (staff)",
                "security": _STAFF,
                "parameters": [_SESSION_ID],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": EXCUSE_REQUEST}},
                },
                "responses": {
                    "200": {"description": "Recorded"},
                    "401": error_response("unauthorized"),
                    "404": error_response("unknown_session, unknown_participant"),
                    "409": error_response("already_present, not_registered"),
                    "422": error_response("invalid"),
                },
            }
        },
        "/sessions/{session_id}/attendance": {
            "get": {
                "summary": "Every registered participant's status at a session, with counts",
                "security": _STAFF,
                "parameters": [_SESSION_ID],
                "responses": {
                    "200": {
                        "description": "Counts and one entry per registered participant, by "
                        "name; status is null for nobody-seen-yet at an open session and "
                        "alpa once the session has ended",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "session": {"type": "object"},
                                        "counts": {"$ref": "#/components/schemas/SessionCounts"},
                                        "attendance": {
                                            "type": "array",
                                            "items": {"type": "object"},
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "401": error_response("unauthorized"),
                    "404": error_response("unknown_session"),
                },
            }
        },
    },
    {
        "CheckInRequest": CHECKIN_REQUEST,
        "CheckIn": {
            "type": "object",
            "properties": {
                "participant": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "full_name": {"type": "string"},
                        "institution": {"type": "string"},
                        "institution_category": {"type": "string"},
                        "category_label": {"type": "string"},
                        "job_title": {"type": "string"},
                        "registration_number": {"type": "string"},
                        "status": {"type": "string"},
                    },
                },
                "status": {"type": "string", "enum": ["hadir", "terlambat", "izin", "sakit"]},
                "status_label": {"type": "string"},
                "checked_in_at": {"type": "string", "format": "date-time"},
                "checked_in_local": {"type": "string", "description": "HH:MM, event's zone"},
                "already": {"type": "boolean"},
            },
        },
        "SessionCounts": {
            "type": "object",
            "properties": {
                name: {"type": "integer"}
                for name in (
                    "expected",
                    "checked_in",
                    "hadir",
                    "terlambat",
                    "izin",
                    "sakit",
                    "alpa",
                    "belum",
                )
            }
            | {"finished": {"type": "boolean"}},
        },
    },
)
