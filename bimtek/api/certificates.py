"""Certificates: public verification by code or by file, and the issued list and files for
staff integrations."""

import io

from flask import current_app, g, send_file
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from bimtek.api import bp
from bimtek.api.auth import token_required
from bimtek.api.outputs import IsoDate
from bimtek.certificates import printing, queries, verification
from bimtek.certificates.models import SERVED_ROLES
from bimtek.core.web import public_base_url
from bimtek.events.access import authorize, event_required
from bimtek.extensions import verify_limit, verify_upload_limit

#: a verification code as printed in the QR
CODE_PARAMETER = {
    "in": "path",
    "name": "code",
    "description": "The verification code",
    "schema": {"type": "string", "pattern": "^[A-Z2-9]{24}$"},
}


class CertificateVerification(Schema):
    """What anyone holding the verification code may see of a certificate: enough to catch
    an edited PDF, nothing private, not why it was revoked."""

    number = fields.String(required=True, metadata={"example": "007/BIMTEK-KUTIM24A/X/2024"})
    role = fields.String(
        validate=validate.OneOf(["participant", "narasumber", "moderator", "panitia"]),
        metadata={"description": "Whose certificate: a participant's, or of who served"},
    )
    name = fields.String(
        required=True,
        metadata={
            "description": "The name as printed: given only to whoever holds the "
            "verification code (the QR, or the file itself)"
        },
    )
    event_title = fields.String(required=True)
    event_code = fields.String()
    organizer = fields.String(allow_none=True)
    start_date = IsoDate(required=True)
    end_date = IsoDate(required=True)
    dates = fields.String(metadata={"example": "28–31 Oktober 2024"})
    total_jp = fields.Integer(allow_none=True)
    minutes_per_jp = fields.Integer(allow_none=True)
    issued_on = IsoDate()
    status = fields.String(required=True, validate=validate.OneOf(["valid", "revoked"]))
    revoked_on = IsoDate(allow_none=True)
    verification_url = fields.String()


class IssuedCertificate(CertificateVerification):
    participant_id = fields.Integer(
        allow_none=True, metadata={"description": "Empty for a certificate of someone who served"}
    )
    revoke_reason = fields.String(
        allow_none=True, metadata={"description": "Why it was revoked: for its managers only"}
    )
    verification_code = fields.String()
    document_sha256 = fields.String(allow_none=True)


class IssuedCertificates(Schema):
    certificates = fields.List(fields.Nested(IssuedCertificate))
    total = fields.Integer()


class CertificateFile(Schema):
    file = Upload(required=True, metadata={"description": "The certificate's PDF"})


class SignatureFacts(Schema):
    signer = fields.String(allow_none=True)
    demo = fields.Boolean(metadata={"description": "signed with the demo key"})
    intact = fields.Boolean()


class CertificateFileVerdict(Schema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(["genuine", "modified", "unknown", "revoked"]),
        metadata={
            "description": "genuine: an issued certificate in force, unchanged (its SHA-256 "
            "matches, or a valid signature by this install's key covers the whole file); "
            "revoked: the same, but revoked; modified: it names one of our certificates "
            "(verification code or signature) but its bytes or signed content differ; "
            "unknown: anything else"
        },
    )
    reason = fields.String(
        required=True,
        validate=validate.OneOf(
            [
                "hash_match",
                "valid_signature",
                "signature_broken",
                "changed_after_signing",
                "content_differs",
                "issued_before_signing",
                "no_claim",
                "unexpected_shape",
                "not_checked_in_time",
            ]
        ),
        metadata={
            "description": "unexpected_shape: not the shape of a certificate we issue (one "
            "signature field by our name, nothing written after the signature), answered "
            "without checking signatures; not_checked_in_time: the file could not be read "
            "within CERT_VERIFY_SECONDS"
        },
    )
    message = fields.String(required=True)
    certificate = fields.Nested(
        CertificateVerification,
        allow_none=True,
        metadata={"description": "The certificate as issued, when the file names one"},
    )
    signature = fields.Nested(SignatureFacts, allow_none=True)


@bp.route("/certificates/<code>", methods=["GET"], parameters=[CODE_PARAMETER])
@verify_limit
@bp.response(200, CertificateVerification, description="The certificate and its status")
@bp.errors({404: "unknown_certificate", 429: "rate_limited"})
def verify_certificate(code):
    """Public: is this certificate genuine? Nothing private about the person is returned."""
    certificate = queries.get_by_code(code)
    return queries.verification_facts(certificate), {"Cache-Control": "no-store"}


@bp.get("/events/<code>/certificates")
@token_required()
@event_required("manager")
@bp.response(200, IssuedCertificates, description="Every certificate in number order")
@bp.errors({403: "forbidden (not a manager of the event)", 404: "unknown_event"})
def list_certificates(event):
    """Admin: every certificate of the event, revoked ones included: participants' then each
    served role's (``role``), each in number order."""
    rows = []
    certificates = [
        certificate
        for role in ("participant", *SERVED_ROLES)
        for certificate in queries.issued_certificates(event, include_revoked=True, role=role)
    ]
    for certificate in certificates:
        facts = queries.verification_facts(certificate)
        facts["participant_id"] = certificate.participant_id
        facts["revoke_reason"] = (
            (certificate.revoke_reason or None) if certificate.revoked_at else None
        )
        facts["verification_code"] = certificate.verification_code
        facts["verification_url"] = queries.verification_url(
            certificate.verification_code, public_base_url()
        )
        facts["document_sha256"] = certificate.document_sha256
        rows.append(facts)
    return {"certificates": rows, "total": len(rows)}


@bp.post("/verify")
@verify_upload_limit
@bp.doc(
    requestBody={
        "required": True,
        "description": "The PDF as multipart field `file`, at most CERT_VERIFY_MAX_BYTES "
        "(2 MB by default); checked in memory and not kept.",
        "content": {"multipart/form-data": {"schema": CertificateFile}},
    }
)
@bp.response(200, CertificateFileVerdict, description="The verdict on the file")
@bp.errors(
    {
        413: "file_too_large",
        422: "file_missing, not_a_pdf",
        429: "rate_limited",
    }
)
def verify_file():
    """Public: is this PDF (multipart ``file``) a certificate we issued, unchanged?
    Nothing uploaded is kept."""
    verdict = verification.verify_document(
        verification.uploaded_pdf(), seconds=verification.time_budget(current_app.config)
    )
    return verification.verdict_json(verdict, public_base_url()), {"Cache-Control": "no-store"}


@bp.route("/certificates/<code>/pdf", methods=["GET"], parameters=[CODE_PARAMETER])
@token_required()
@bp.response(
    200,
    description="The PDF, byte-identical on every download; `X-Content-SHA256` holds its "
    "SHA-256 and `X-Certificate-Status` valid or revoked",
    content_type="application/pdf",
)
@bp.errors({403: "forbidden (not a manager of its event)", 404: "unknown_certificate"})
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
