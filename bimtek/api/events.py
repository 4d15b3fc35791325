"""Public event listing."""

from marshmallow import Schema, fields, validate

from bimtek.api import bp
from bimtek.events.services import get_public_event, public_events
from bimtek.participants.queries import seats_left


def event_json(event, *, detailed: bool = False) -> dict:
    body = {
        "code": event.code,
        "title": event.title,
        "organizer": event.organizer,
        "provider": event.provider,
        "venue": event.venue,
        "city": event.city,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "timezone": event.timezone,
        "capacity": event.capacity,
        "seats_left": seats_left(event),
        "registration": event.registration_state(),
        "registration_opens_at": event.registration_opens_at,
        "registration_closes_at": event.registration_closes_at,
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
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "room": s.room,
                "mandatory": s.mandatory,
                "class_name": s.event_class.name if s.event_class else None,
            }
            for s in event.sessions
        ]
    return body


class ModuleSchema(Schema):
    code = fields.String()
    title = fields.String()
    jp = fields.Integer(metadata={"description": "lesson hours (jam pelajaran)"})
    speakers = fields.List(fields.String())


class SessionSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    module = fields.String(allow_none=True, metadata={"description": "the module's code"})
    starts_at = fields.DateTime(allow_none=True)
    ends_at = fields.DateTime(allow_none=True)
    room = fields.String(allow_none=True)
    mandatory = fields.Boolean()
    class_name = fields.String(
        allow_none=True,
        metadata={"description": "the class (kelas) the session is for; null: plenary"},
    )


class EventSchema(Schema):
    code = fields.String()
    title = fields.String()
    organizer = fields.String(allow_none=True)
    provider = fields.String(allow_none=True)
    venue = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    start_date = fields.Date()
    end_date = fields.Date()
    timezone = fields.String()
    capacity = fields.Integer()
    seats_left = fields.Integer()
    registration = fields.String(validate=validate.OneOf(["not_yet", "open", "closed"]))
    registration_opens_at = fields.DateTime(allow_none=True)
    registration_closes_at = fields.DateTime(allow_none=True)


class EventDetailSchema(EventSchema):
    description = fields.String(allow_none=True)
    total_jp = fields.Integer()
    modules = fields.List(fields.Nested(ModuleSchema))
    sessions = fields.List(fields.Nested(SessionSchema))


class EventListSchema(Schema):
    events = fields.List(fields.Nested(EventSchema), required=True)


@bp.get("/events")
@bp.response(200, EventListSchema, description="Published events with seats left")
def list_events():
    return {"events": [event_json(e) for e in public_events()]}


@bp.get("/events/<code>")
@bp.response(200, EventDetailSchema, description="One event with its modules and sessions")
@bp.errors({404: "unknown_event"})
def show_event(code):
    event = get_public_event(code)
    return event_json(event, detailed=True)
