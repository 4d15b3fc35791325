"""Registration (public) and the participant list (staff)."""

from flask import g, jsonify, request

from bimtek.api import bp
from bimtek.api.auth import json_body, token_required
from bimtek.api.openapi import document, error_response
from bimtek.core.pagination import page_number
from bimtek.events.access import event_required
from bimtek.events.services import get_public_event
from bimtek.extensions import db, registration_limit
from bimtek.participants import services
from bimtek.participants.validation import REGISTRATION_FIELDS
from bimtek.participants.visibility import sees_personal_data, without_personal_data


def participant_json(participant) -> dict:
    return {
        "id": participant.id,
        "registration_number": participant.registration_label,
        "status": participant.status,
        "full_name": participant.full_name,
        "nik": participant.nik,
        "nip": participant.nip,
        "gender": participant.gender,
        "institution": participant.institution,
        "institution_category": participant.institution_category,
        "job_title": participant.job_title,
        "phone": participant.phone,
        "email": participant.email,
        "district": participant.district,
        "ticket_code": participant.ticket_code,
        "created_at": participant.created_at.isoformat(),
    }


@bp.post("/events/<code>/registrations")
@registration_limit
def register(code):
    event = get_public_event(code)
    data = json_body(REGISTRATION_REQUEST)
    outcome = services.register(event, data, channel="api", consent=data.get("consent") is True)
    db.session.commit()
    participant = outcome.participant
    if participant.status == "registered":
        body = {
            "status": "registered",
            "ticket_code": participant.ticket_code,
            "registration_number": participant.registration_label,
        }
    else:
        body = {
            "status": "waitlisted",
            "position": outcome.waitlist_position,
            "registration_number": participant.registration_label,
        }
    return jsonify(body), 201


@bp.get("/events/<code>/participants")
@token_required()
@event_required("panitia")
def list_participants(event):
    """Managers get the full records; the panitia's token gets no NIK, NIP, phone or e-mail
    and matches a NIK only in full (``participants.visibility``)."""
    personal = sees_personal_data(g.api_user, event)
    per_page = min(page_number(request.args.get("per_page"), 100), 500)
    query = services.participant_query(
        event.id,
        search=request.args.get("q", ""),
        category=request.args.get("category", ""),
        status=request.args.get("status", ""),
        personal=personal,
    )
    page = db.paginate(
        query, page=page_number(request.args.get("page")), per_page=per_page, error_out=False
    )
    return jsonify(
        {
            "participants": [
                participant_json(p) if personal else without_personal_data(participant_json(p))
                for p in page.items
            ],
            "page": page.page,
            "per_page": page.per_page,
            "total": page.total,
            "pages": page.pages,
        }
    )


_REGISTRATION_PROPERTIES = {field: {"type": "string"} for field in REGISTRATION_FIELDS}
_REGISTRATION_PROPERTIES["gender"] = {"type": "string", "enum": ["L", "P"]}
_REGISTRATION_PROPERTIES["consent"] = {
    "type": "boolean",
    "enum": [True],
    "description": (
        "The registrant agrees to the processing of their personal data (UU 27/2022) as the "
        "registration form's notice describes; its time is stored. Anything but true is a 422."
    ),
}
_REGISTRATION_PROPERTIES["password"] = {
    "type": "string",
    "minLength": 8,
    "description": "Password of the new portal account (not a common one).",
}
_REGISTRATION_PROPERTIES["nik"] = {"type": "string", "pattern": "^[0-9]{16}$"}
_REGISTRATION_PROPERTIES["nip"] = {"type": "string", "pattern": "^[0-9]{18}$"}
_REGISTRATION_PROPERTIES["institution_category"] = {
    "type": "string",
    "enum": [
        "kpu",
        "bawaslu",
        "tni",
        "polri",
        "pemda",
        "kecamatan_desa",
        "tokoh_masyarakat",
        "lainnya",
    ],
}

#: what a registration takes; validates the JSON types of a request and documents them
REGISTRATION_REQUEST = {"type": "object", "properties": _REGISTRATION_PROPERTIES}

document(
    {
        "/events/{code}/registrations": {
            "post": {
                "summary": "Register for an event (public, rate-limited)",
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": [
                                    "full_name",
                                    "nik",
                                    "gender",
                                    "institution",
                                    "institution_category",
                                    "job_title",
                                    "phone",
                                    "consent",
                                ],
                                "properties": REGISTRATION_REQUEST["properties"],
                            }
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "Registered (with ticket) or waitlisted (with position)",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "status": {
                                            "type": "string",
                                            "enum": ["registered", "waitlisted"],
                                        },
                                        "ticket_code": {"type": "string"},
                                        "position": {"type": "integer"},
                                        "registration_number": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "403": error_response("registration_closed"),
                    "404": error_response("unknown_event"),
                    "409": error_response(
                        "duplicate_nik (already registered for this event), or account_exists "
                        "(the NIK already has an account: its owner logs in on the web and "
                        "registers there, so nobody registers or changes another's account)"
                    ),
                    "422": error_response("invalid, with the failing fields (consent included)"),
                    "429": error_response("rate_limited"),
                },
            }
        },
        "/events/{code}/participants": {
            "get": {
                "summary": "Participants of an event (staff)",
                "security": [{"bearerAuth": []}],
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {
                        "name": "per_page",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                    },
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {
                            "type": "string",
                            "enum": ["registered", "waitlisted", "cancelled"],
                        },
                    },
                    {"name": "category", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "A page of participants; nik, nip, phone and email "
                        "only for the event's managers and administrators"
                    },
                    "401": error_response("unauthorized"),
                    "404": error_response("unknown_event (also an event not the token's)"),
                },
            }
        },
    },
)
