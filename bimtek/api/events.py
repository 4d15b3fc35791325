"""Public event listing."""

from flask import jsonify

from bimtek.api import bp
from bimtek.api.openapi import document, error_response
from bimtek.events.services import get_public_event, public_events
from bimtek.participants.services import seats_left


def event_json(event, *, detailed: bool = False) -> dict:
    body = {
        "code": event.code,
        "title": event.title,
        "organizer": event.organizer,
        "provider": event.provider,
        "venue": event.venue,
        "city": event.city,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "timezone": event.timezone,
        "capacity": event.capacity,
        "seats_left": seats_left(event),
        "registration": event.registration_state(),
        "registration_opens_at": _iso(event.registration_opens_at),
        "registration_closes_at": _iso(event.registration_closes_at),
    }
    if detailed:
        body["description"] = event.description
        body["total_jp"] = event.total_jp
        body["modules"] = [
            {"code": m.code, "title": m.title, "jp": m.jp, "speakers": m.speaker_list}
            for m in event.modules
        ]
        body["sessions"] = [
            {
                "id": s.id,
                "title": s.title,
                "module": s.module.code if s.module else None,
                "starts_at": _iso(s.starts_at),
                "ends_at": _iso(s.ends_at),
                "room": s.room,
                "mandatory": s.mandatory,
            }
            for s in event.sessions
        ]
    return body


def _iso(moment):
    return moment.isoformat() if moment else None


@bp.get("/events")
def list_events():
    return jsonify({"events": [event_json(e) for e in public_events()]})


@bp.get("/events/<code>")
def show_event(code):
    event = get_public_event(code)
    return jsonify(event_json(event, detailed=True))


_EVENT_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "title": {"type": "string"},
        "organizer": {"type": "string"},
        "provider": {"type": "string"},
        "venue": {"type": "string"},
        "city": {"type": "string"},
        "start_date": {"type": "string", "format": "date"},
        "end_date": {"type": "string", "format": "date"},
        "timezone": {"type": "string"},
        "capacity": {"type": "integer"},
        "seats_left": {"type": "integer"},
        "registration": {"type": "string", "enum": ["not_yet", "open", "closed"]},
        "registration_opens_at": {"type": "string", "format": "date-time", "nullable": True},
        "registration_closes_at": {"type": "string", "format": "date-time", "nullable": True},
    },
}

document(
    {
        "/events": {
            "get": {
                "summary": "Published events with seats left",
                "responses": {
                    "200": {
                        "description": "The events",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "events": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Event"},
                                        }
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
        "/events/{code}": {
            "get": {
                "summary": "One event with its modules and sessions",
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The event",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Event"}}
                        },
                    },
                    "404": error_response("unknown_event"),
                },
            }
        },
    },
    {"Event": _EVENT_SCHEMA},
)
