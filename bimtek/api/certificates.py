"""Certificates: public verification by code or by file, and the issued list and files for
staff integrations."""

import io

from flask import g, jsonify, send_file

from bimtek.api import bp
from bimtek.api.auth import token_required
from bimtek.api.openapi import document, error_response
from bimtek.certificates import printing, queries, verification
from bimtek.certificates.views import uploaded_pdf
from bimtek.core.web import public_base_url
from bimtek.events.access import authorize, event_required
from bimtek.extensions import verify_limit, verify_upload_limit


@bp.get("/certificates/<code>")
@verify_limit
def verify_certificate(code):
    """Public: is this certificate genuine? Nothing private about the person is returned."""
    certificate = queries.get_by_code(code)
    response = jsonify(queries.verification_facts(certificate))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/events/<code>/certificates")
@token_required()
@event_required("manager")
def list_certificates(event):
    """Admin: every certificate of the event, revoked ones included, in number order."""
    rows = []
    for certificate in queries.issued_certificates(event, include_revoked=True):
        facts = queries.verification_facts(certificate)
        facts["participant_id"] = certificate.participant_id
        facts["verification_code"] = certificate.verification_code
        facts["verification_url"] = queries.verification_url(
            certificate.verification_code, public_base_url()
        )
        facts["document_sha256"] = certificate.document_sha256
        rows.append(facts)
    return jsonify({"certificates": rows, "total": len(rows)})


@bp.post("/verify")
@verify_upload_limit
def verify_file():
    """Public: is this PDF (multipart ``file``) a certificate we issued, unchanged?
    Nothing uploaded is kept."""
    verdict = verification.verify_document(uploaded_pdf())
    response = jsonify(verification.verdict_json(verdict, public_base_url()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/certificates/<code>/pdf")
@token_required()
def certificate_pdf(code):
    """The event's managers: the certificate's PDF exactly as issued (signed), revoked ones
    included."""
    certificate = queries.get_by_code(code)
    authorize(g.api_user, certificate.event, "manager")
    data = certificate.document or printing.issued_pdf(certificate, public_base_url())
    response = send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=printing.certificate_filename(certificate),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Certificate-Status"] = certificate.status
    if certificate.document_sha256:
        response.headers["X-Content-SHA256"] = certificate.document_sha256
    return response


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
                "summary": "Certificates issued in an event, revoked ones included (manager token)",
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

FILE_VERDICT_SCHEMA = {
    "type": "object",
    "required": ["status", "reason", "message"],
    "properties": {
        "status": {
            "type": "string",
            "enum": ["genuine", "modified", "unknown", "revoked"],
            "description": "genuine: an issued certificate in force, unchanged (its SHA-256 "
            "matches, or a valid signature by this install's key covers the whole file); "
            "revoked: the same, but revoked; modified: it names one of our certificates "
            "(verification code or signature) but its bytes or signed content differ; "
            "unknown: anything else",
        },
        "reason": {
            "type": "string",
            "enum": [
                "hash_match",
                "valid_signature",
                "signature_broken",
                "changed_after_signing",
                "content_differs",
                "issued_before_signing",
                "no_claim",
            ],
        },
        "message": {"type": "string"},
        "certificate": {
            "allOf": [{"$ref": "#/components/schemas/CertificateVerification"}],
            "nullable": True,
            "description": "The certificate as issued, when the file names one",
        },
        "signature": {
            "type": "object",
            "nullable": True,
            "properties": {
                "signer": {"type": "string"},
                "demo": {"type": "boolean", "description": "signed with the demo key"},
                "intact": {"type": "boolean"},
            },
        },
    },
}

document(
    {
        "/verify": {
            "post": {
                "summary": "Verify a certificate PDF file (public, rate-limited, size-limited)",
                "description": "Upload the PDF as multipart field `file` (at most "
                "CERT_VERIFY_MAX_BYTES, 2 MB by default). The file is checked in memory and "
                "not kept.",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {"file": {"type": "string", "format": "binary"}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "The verdict on the file",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/CertificateFileVerdict"}
                            }
                        },
                    },
                    "413": error_response("file_too_large"),
                    "422": error_response("file_missing, not_a_pdf"),
                    "429": error_response("rate_limited"),
                },
            }
        },
        "/certificates/{code}/pdf": {
            "get": {
                "summary": "The certificate's PDF as issued, signed (manager token of its event)",
                "description": "Byte-identical on every download; `X-Content-SHA256` holds "
                "its SHA-256 and `X-Certificate-Status` valid or revoked.",
                "security": [{"bearerAuth": []}],
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "description": "The verification code",
                        "schema": {"type": "string", "pattern": "^[A-Z2-9]{24}$"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The PDF",
                        "content": {
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                        },
                    },
                    "401": error_response("unauthorized"),
                    "403": error_response("forbidden"),
                    "404": error_response("unknown_certificate"),
                },
            }
        },
    },
    {"CertificateFileVerdict": FILE_VERDICT_SCHEMA},
)
