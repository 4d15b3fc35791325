"""Registration (public) and the participant list (staff)."""

from flask import g
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from bimtek.api import JSON_BODY_ERRORS, bp
from bimtek.api.auth import token_required
from bimtek.api.inputs import storable_text
from bimtek.events.access import event_required
from bimtek.events.services import get_public_event
from bimtek.extensions import db, registration_limit
from bimtek.participants import queries, registration
from bimtek.participants.models import GENDERS, INSTITUTION_CATEGORIES, STATUSES
from bimtek.participants.validation import (
    NAME_MAX,
    PROVINCE_CODES,
    REGISTRATION_INPUT,
    TEXT_MAX,
)
from bimtek.participants.visibility import sees_personal_data, without_personal_data

#: a NIK: a known province, district and sub-district not 00, a day of birth (+ 40 for
#: women), a month, a two-digit year, a serial number not 0000. Whether day and month make a
#: real date in the past is the service's to say (422 invalid).
NIK_PATTERN = (
    "^(" + "|".join(str(code) for code in sorted(PROVINCE_CODES)) + ")"
    "(0[1-9]|[1-9][0-9])(0[1-9]|[1-9][0-9])"
    "(0[1-9]|[12][0-9]|3[01]|4[1-9]|[56][0-9]|7[01])(0[1-9]|1[0-2])[0-9]{2}"
    "([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})$"
)
#: an 18-digit NIP: date of birth (from 1940), year and month of appointment, 1 or 2 (gender),
#: 3 digits; or empty (no NIP). A real, old enough date of birth: the service (422 invalid).
NIP_PATTERN = (
    "^((19[4-9][0-9]|20[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{4}"
    "(0[1-9]|1[0-2])[12][0-9]{3})?$"
)
#: an Indonesian mobile number: 08…, 628… or +628…, 9 to 12 digits after the 0 or 62
PHONE_PATTERN = r"^(\+62|62|0)8[0-9]{8,11}$"
#: text with a letter (of any script: ``[^\W\d_]``) and no control character
NAME_PATTERN = r"^[^\x00-\x1f\x7f]*[^\W\d_][^\x00-\x1f\x7f]*$"
#: text that is not only spaces
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"


def _pattern(regex: str, message):
    return validate.Regexp(regex, error=message)


class RegistrationRequest(Schema):
    """What a registration takes (JSON types, lengths and patterns enforced here; the NIK's
    agreement with the gender and the account rules in ``participants.registration``).

    Its fields are the service's (``validation.REGISTRATION_INPUT``) and the consent: a
    field declared there and not here fails when the schema is made."""

    class Meta:
        fields = (*REGISTRATION_INPUT, "consent")

    full_name = fields.String(
        required=True,
        validate=[
            validate.Length(max=NAME_MAX, error=_l("paling banyak {max} karakter")),
            _pattern(NAME_PATTERN, _l("harus berisi huruf, tanpa karakter kendali")),
        ],
    )
    nik = fields.String(
        required=True, validate=_pattern(NIK_PATTERN, _l("NIK harus 16 digit yang sah"))
    )
    nip = fields.String(
        allow_none=True, validate=_pattern(NIP_PATTERN, _l("NIP harus 18 digit yang sah"))
    )
    gender = fields.String(
        required=True,
        validate=validate.OneOf(list(GENDERS), error=_l("harus salah satu dari {choices}")),
        metadata={"description": "L (laki-laki) or P (perempuan), as the NIK says"},
    )
    institution = fields.String(
        required=True,
        validate=[
            validate.Length(max=TEXT_MAX, error=_l("paling banyak {max} karakter")),
            _pattern(TEXT_PATTERN, _l("wajib diisi")),
        ],
    )
    institution_category = fields.String(
        required=True,
        validate=validate.OneOf(
            list(INSTITUTION_CATEGORIES), error=_l("harus salah satu dari {choices}")
        ),
    )
    job_title = fields.String(
        required=True,
        validate=[
            validate.Length(max=TEXT_MAX, error=_l("paling banyak {max} karakter")),
            _pattern(TEXT_PATTERN, _l("wajib diisi")),
        ],
    )
    phone = fields.String(
        required=True, validate=_pattern(PHONE_PATTERN, _l("harus nomor seluler 08… atau +628…"))
    )
    email = fields.String(allow_none=True, validate=storable_text(), metadata={"format": "email"})
    district = fields.String(
        allow_none=True,
        validate=[
            validate.Length(max=120, error=_l("paling banyak {max} karakter")),
            storable_text(),
        ],
    )
    password = fields.String(
        allow_none=True,
        validate=storable_text(),
        metadata={
            "description": "Password of the new portal account: at least 8 characters and "
            "not a common or guessable one (nor the person's name, NIK or email); the same "
            "rule as the web form, claim and password change (422 weak_password)"
        },
    )
    consent = fields.Boolean(
        required=True,
        validate=validate.OneOf([True], error=_l("harus true")),
        metadata={
            "description": "The registrant agrees to the processing of their personal data "
            "(UU 27/2022) as the registration form's notice describes; its time is stored."
        },
    )


class RegistrationResult(Schema):
    status = fields.String(validate=validate.OneOf(["registered", "waitlisted"]), required=True)
    ticket_code = fields.String(metadata={"description": "when registered"})
    position = fields.Integer(metadata={"description": "on the waitlist, when waitlisted"})
    registration_number = fields.String(required=True)


class ParticipantQuery(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    q = fields.String(
        validate=[validate.Length(max=200), storable_text()],
        metadata={"description": "name, NIK…"},
    )
    status = fields.String(validate=validate.OneOf(STATUSES))
    category = fields.String(validate=validate.OneOf(list(INSTITUTION_CATEGORIES)))


class ParticipantSchema(Schema):
    id = fields.Integer()
    registration_number = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    full_name = fields.String()
    nik = fields.String(metadata={"description": "managers and administrators only"})
    nip = fields.String(allow_none=True)
    gender = fields.String(validate=validate.OneOf(list(GENDERS)))
    institution = fields.String()
    institution_category = fields.String()
    job_title = fields.String()
    phone = fields.String()
    email = fields.String(allow_none=True)
    district = fields.String(allow_none=True)
    ticket_code = fields.String()
    created_at = fields.DateTime()


class ParticipantPage(Schema):
    participants = fields.List(fields.Nested(ParticipantSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()


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
        "created_at": participant.created_at,
    }


@bp.post("/events/<code>/registrations")
@registration_limit
@bp.arguments(RegistrationRequest)
@bp.response(201, RegistrationResult, description="Registered (with its ticket) or waitlisted")
@bp.errors(
    JSON_BODY_ERRORS
    | {
        403: "registration_closed",
        404: "unknown_event",
        409: "duplicate_nik (already registered for this event), or account_exists (the NIK "
        "already has an account: its owner logs in on the web and registers there)",
        422: "weak_password (the password alone is refused: too short, too long or too "
        "guessable; fields.password says why), or invalid, with the failing fields (consent, "
        "or a gender the NIK contradicts)",
        429: "rate_limited",
    }
)
def register(data, code):
    """Register for an event (public, rate-limited)."""
    event = get_public_event(code)
    outcome = registration.register(
        event,
        data,
        registration.RegistrationTerms(channel="api", consent=data.get("consent") is True),
    )
    db.session.commit()
    participant = outcome.participant
    if participant.status == "registered":
        return {
            "status": "registered",
            "ticket_code": participant.ticket_code,
            "registration_number": participant.registration_label,
        }
    return {
        "status": "waitlisted",
        "position": outcome.waitlist_position,
        "registration_number": participant.registration_label,
    }


@bp.get("/events/<code>/participants")
@token_required()
@event_required("panitia")
@bp.arguments(ParticipantQuery, location="query")
@bp.response(200, ParticipantPage)
@bp.errors({404: "unknown_event (also an event not the token's)", 422: "invalid (a parameter)"})
def list_participants(args, event):
    """Managers get the full records; the panitia's token gets no NIK, NIP, phone or e-mail
    and matches a NIK only in full (``participants.visibility``)."""
    personal = sees_personal_data(g.api_user, event)
    query = queries.participant_query(
        event.id,
        search=args.get("q", ""),
        category=args.get("category", ""),
        status=args.get("status", ""),
        personal=personal,
    )
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], error_out=False)
    return {
        "participants": [
            participant_json(p) if personal else without_personal_data(participant_json(p))
            for p in page.items
        ],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }
