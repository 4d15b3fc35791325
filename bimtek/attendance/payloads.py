"""JSON shapes shared by the API and the desk page, so both answer a scan the same way."""

from flask_babel import get_locale

from bimtek.attendance.models import status_labels
from bimtek.core.timeutil import format_clock
from bimtek.participants.validation import REGISTRATION_FIELDS

# Request schemas: they check the JSON types of a request (bimtek.core.inputs) and are the
# OpenAPI document's, so what is documented is what is enforced.

#: a check-in by ticket code (API and desk)
CHECKIN_REQUEST = {
    "type": "object",
    "required": ["code"],
    "properties": {
        "code": {"type": "string", "description": "The ticket code from the QR"},
        "scan_id": {
            "type": "string",
            "pattern": "^[A-Za-z0-9._:-]{1,64}$",
            "description": "Client-made id, unique per session; a retry reuses it",
        },
        "scanned_at": {
            "type": "string",
            "format": "date-time",
            "description": "When the scan happened, with a zone (for queued scans)",
        },
    },
}
#: izin (excused) or sakit (sick) with a note
EXCUSE_REQUEST = {
    "type": "object",
    "required": ["participant_id", "status", "note"],
    "properties": {
        "participant_id": {"type": "integer"},
        "status": {"type": "string", "enum": ["izin", "sakit"]},
        "note": {"type": "string", "maxLength": 500},
    },
}
#: the desk page's scan: a ticket code, or a participant picked by hand
DESK_SCAN_REQUEST = {
    "type": "object",
    "properties": {
        **CHECKIN_REQUEST["properties"],
        "participant_id": {"type": "integer"},
        "source": {"type": "string"},
    },
}
#: the desk page's undo
DESK_UNDO_REQUEST = {"type": "object", "properties": {"participant_id": {"type": "integer"}}}


def participant_brief(participant) -> dict:
    """What the desk shows about a person: no NIK, no phone."""
    return {
        "id": participant.id,
        "full_name": participant.full_name,
        "institution": participant.institution,
        "institution_category": participant.institution_category,
        "category_label": participant.category_label,
        "job_title": participant.job_title,
        "registration_number": participant.registration_label,
        "status": participant.status,
    }


def participant_with_class(participant, class_names: dict[int, str]) -> dict:
    """``participant_brief`` with the person's class (id and name; None: no class), for the
    desk search and the API's attendance list. ``class_names`` is
    ``events.classes.class_names(event)``, read once per answer."""
    return {
        **participant_brief(participant),
        "class_id": participant.class_id,
        "class_name": class_names.get(participant.class_id),
    }


def checkin_json(result, event, brief: dict | None = None) -> dict:
    """A check-in answer: participant, status, first check-in time, already.

    ``brief`` is ``participant_brief`` taken earlier (the hot path takes it before writing,
    so that nothing but the INSERTs and the COMMIT happens while the row is locked).
    """
    local = event.local(result.checked_in_at)
    return {
        "participant": brief or participant_brief(result.participant),
        "status": result.status,
        "status_label": status_labels().get(result.status, result.status),
        "checked_in_at": result.checked_in_at.isoformat(),
        "checked_in_local": local.strftime("%H:%M"),
        #: as people read it on the desk page: "08.03" (English "08:03")
        "checked_in_clock": _clock(local),
        "already": result.already,
    }


def attendance_json(row, event) -> dict:
    return {
        "participant_id": row.participant_id,
        "status": row.status,
        "status_label": row.status_label,
        "checked_in_at": row.checked_in_at.isoformat(),
        "checked_in_local": event.local(row.checked_in_at).strftime("%H:%M"),
        "checked_in_clock": _clock(event.local(row.checked_in_at)),
        "source": row.source,
        "note": row.note,
        "scan_id": row.scan_id,
    }


def error_json(error) -> dict:
    """A ServiceError as JSON; a refused known person comes with who it was."""
    body = error.to_dict()
    participant = getattr(error, "participant", None)
    if participant is not None:
        body["participant"] = participant_brief(participant)
    return body


#: a walk-in registered and checked in at the desk: the registration form's fields
WALK_IN_REQUEST = {
    "type": "object",
    "properties": {
        **{
            name: {"type": "string", "maxLength": 500}
            for name in (*REGISTRATION_FIELDS, "over_capacity_reason")
        },
        "consent": {"type": "boolean"},
    },
}


def _clock(local) -> str:
    """A local time in the page's language (Indonesian outside a request)."""
    return format_clock(local, str(get_locale() or "id"))
