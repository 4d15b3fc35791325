"""Certificates: public verification by code, and the issued list for staff integrations."""

from flask import jsonify

from bimtek.api import bp
from bimtek.api.auth import token_required
from bimtek.api.openapi import document, error_response
from bimtek.certificates import services
from bimtek.events.access import event_required
from bimtek.extensions import verify_limit


@bp.get("/certificates/<code>")
@verify_limit
def verify_certificate(code):
    """Public: is this certificate genuine? Nothing private about the person is returned."""
    certificate = services.get_by_code(code)
    response = jsonify(services.verification_facts(certificate))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/events/<code>/certificates")
@token_required()
@event_required("manager")
def list_certificates(event):
    """Admin: every certificate of the event, revoked ones included, in number order."""
    rows = []
    for certificate in services.issued_certificates(event, include_revoked=True):
        facts = services.verification_facts(certificate)
        facts["participant_id"] = certificate.participant_id
        facts["verification_code"] = certificate.verification_code
        facts["verification_url"] = services.verification_url(certificate.verification_code)
        rows.append(facts)
    return jsonify({"certificates": rows, "total": len(rows)})


_DATE = {"type": "string", "format": "date"}
CERTIFICATE_SCHEMA = {
    "type": "object",
    "required": ["number", "name", "event_title", "start_date", "end_date", "status"],
    "properties": {
        "number": {"type": "string", "example": "007/BIMTEK-KUTIM24A/X/2024"},
        "name": {"type": "string", "description": "The name as printed on the certificate"},
        "event_title": {"type": "string"},
        "event_code": {"type": "string"},
        "organizer": {"type": "string"},
        "start_date": _DATE,
        "end_date": _DATE,
        "dates": {"type": "string", "example": "28–31 Oktober 2024"},
        "total_jp": {"type": "integer"},
        "minutes_per_jp": {"type": "integer"},
        "issued_on": _DATE,
        "status": {"type": "string", "enum": ["valid", "revoked"]},
        "revoked_on": {**_DATE, "nullable": True},
        "revoke_reason": {"type": "string", "nullable": True},
    },
}

document(
    {
        "/certificates/{code}": {
            "get": {
                "summary": "Verify a certificate by the code in its QR (public, rate-limited)",
                "description": "Answers what is needed to catch an edited PDF (name, event, "
                "dates, JP, number, status) and nothing private: no NIK, phone, email.",
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[A-Z2-9]{24}$"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The certificate and its status (valid or revoked)",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/CertificateVerification"}
                            }
                        },
                    },
                    "404": error_response("unknown_certificate"),
                    "429": error_response("rate_limited"),
                },
            }
        },
        "/events/{code}/certificates": {
            "get": {
                "summary": "Certificates issued in an event, revoked ones included (admin)",
                "security": [{"bearerAuth": []}],
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "Every certificate in number order"},
                    "401": error_response("unauthorized"),
                    "403": error_response("forbidden"),
                    "404": error_response("unknown_event"),
                },
            }
        },
    },
    {"CertificateVerification": CERTIFICATE_SCHEMA},
)
