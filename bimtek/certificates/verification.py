"""Is this PDF one of our certificates, unchanged? Answers for an uploaded file.

- **genuine**: the file is an issued certificate in force: its SHA-256 is one we issued, or
  it carries a valid signature by this install's key (or the key that signed the certificate
  it names) over the whole file, unchanged.
- **revoked**: as genuine, but the certificate has been revoked.
- **modified**: the file claims to be one of ours (a verification code in its signature,
  metadata or text, or a signature by our key) but its bytes or signed content differ: a
  changed byte, an incremental update after signing (another name typed over), a copy
  saved again.
- **unknown**: anything else, including a certificate issued before signing existed (we
  kept no file to compare with; its code can still be checked on /verify/<code>).

Nothing uploaded is kept: the bytes live in memory for the length of the request.
"""

import hashlib
import io
import logging
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from bimtek.certificates import signing
from bimtek.certificates.models import Certificate
from bimtek.certificates.queries import verification_facts, verification_url
from bimtek.errors import InvalidInput
from bimtek.extensions import db

log = logging.getLogger(__name__)

CODE = rb"[A-Z2-9]{24}"
#: where our files name their certificate: the signature's reason, the keywords, the QR URL
CLAIMS = (
    re.compile(rb"kode verifikasi (" + CODE + rb")"),
    re.compile(rb"/verify/(" + CODE + rb")"),
)
TEXT_CLAIMS = (
    re.compile(r"kode verifikasi:?\s*([A-Z2-9]{24})", re.IGNORECASE),
    re.compile(r"/verify/([A-Z2-9]{24})"),
)

MESSAGES = {
    "genuine": _l("ASLI — berkas ini adalah sertifikat yang diterbitkan dan tidak diubah."),
    "revoked": _l("DICABUT — berkas ini sertifikat asli, tetapi sertifikatnya telah dicabut."),
    "modified": _l(
        "DIUBAH — berkas ini mengaku sebagai sertifikat kami, tetapi isinya berbeda "
        "dari yang diterbitkan. Jangan diterima."
    ),
    "unknown": _l("TIDAK DIKENAL — berkas ini bukan sertifikat yang diterbitkan oleh sistem ini."),
}


class FileTooLarge(InvalidInput):
    status = 413
    code = "file_too_large"


@dataclass
class Verdict:
    status: str
    #: why, as a stable word: hash_match, valid_signature, signature_broken,
    #: changed_after_signing, content_differs, issued_before_signing, no_claim
    reason: str
    certificate: Certificate | None = None
    signature: dict | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.status])


@dataclass
class SignatureCheck:
    fingerprint: str
    signer: str
    demo: bool
    #: digest and signature value both check out
    intact: bool
    #: the signature covers the whole file (nothing appended after signing)
    whole_file: bool
    #: SHA-256 of the revision the signature covers
    signed_revision_sha256: str
    code: str | None


def read_upload(storage, limit: int) -> bytes:
    """The uploaded file's bytes, refused when missing, too big, or not a PDF."""
    if storage is None or not getattr(storage, "filename", ""):
        raise InvalidInput(
            _("Pilih berkas PDF sertifikat terlebih dahulu."),
            code="file_missing",
            fields={"file": _("Wajib diisi.")},
        )
    data = storage.read(limit + 1)
    if len(data) > limit:
        raise too_large(limit)
    if not data.lstrip()[:5] == b"%PDF-":
        raise InvalidInput(
            _("Berkas ini bukan PDF."), code="not_a_pdf", fields={"file": _("Bukan PDF.")}
        )
    return data


def too_large(limit: int) -> FileTooLarge:
    return FileTooLarge(
        _("Berkas terlalu besar (paling besar %(size)s KB).", size=limit // 1024),
        fields={"file": _("Terlalu besar.")},
    )


def _certificate_by_code(code: str | None) -> Certificate | None:
    if not code:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.verification_code == code))


def _signatures(data: bytes) -> list[SignatureCheck]:
    """Every signature in the file, checked (pyHanko); [] when there is none or the file
    cannot be read as a PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # a damaged or hostile file is simply not readable as signed
        log.info("uploaded PDF not readable for signatures", exc_info=True)
        return []
    checks = []
    for signature in embedded:
        try:
            certificate = signature.signer_cert
            context = ValidationContext(trust_roots=[certificate], allow_fetching=False)
            status = signing.outside_event_loop(
                lambda: validate_pdf_signature(signature, context, skip_diff=True)  # noqa: B023
            )
            byte_range = list(signature.byte_range)
            end = byte_range[2] + byte_range[3]
            reason = str(signature.sig_object.get("/Reason") or "")
            found = re.search(r"kode verifikasi ([A-Z2-9]{24})", reason)
            checks.append(
                SignatureCheck(
                    fingerprint=signing.fingerprint(certificate),
                    signer=certificate.subject.native.get("common_name", ""),
                    demo=signing.is_demo(certificate),
                    intact=bool(status.intact and status.valid),
                    whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                    signed_revision_sha256=hashlib.sha256(data[:end]).hexdigest(),
                    code=found.group(1) if found else None,
                )
            )
        except Exception:
            log.info("signature in uploaded PDF not checkable", exc_info=True)
    return checks


def _claimed_codes(data: bytes) -> list[str]:
    """Verification codes the file names, from its raw bytes (signature reason, metadata)
    and, failing that, from its text."""
    codes = []
    for pattern in CLAIMS:
        codes += [m.decode() for m in pattern.findall(data)]
    if not codes:
        codes = _text_codes(data)
    return list(dict.fromkeys(codes))


def _text_codes(data: bytes) -> list[str]:
    from pypdf import PdfReader

    codes = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        meta = reader.metadata or {}
        texts = [str(meta.get("/Keywords") or "")]
        texts += [page.extract_text() or "" for page in reader.pages[:2]]
    except Exception:
        log.info("uploaded PDF not readable for text", exc_info=True)
        return []
    for text in texts:
        for pattern in TEXT_CLAIMS:
            codes += pattern.findall(text)
    return codes


def _ours(check: SignatureCheck, certificate: Certificate | None, current: str | None) -> bool:
    known = {current} if current else set()
    if certificate is not None and certificate.signer_fingerprint:
        known.add(certificate.signer_fingerprint)
    return check.fingerprint in known


def _signature_facts(check: SignatureCheck) -> dict:
    return {"signer": check.signer, "demo": check.demo, "intact": check.intact}


def _found(certificate: Certificate, reason: str, check=None) -> Verdict:
    status = "revoked" if certificate.revoked_at is not None else "genuine"
    return Verdict(status, reason, certificate, _signature_facts(check) if check else None)


def verify_document(data: bytes) -> Verdict:
    """What the uploaded ``data`` is: genuine, revoked, modified or unknown. Reads only."""
    digest = hashlib.sha256(data).hexdigest()
    issued = db.session.scalar(sa.select(Certificate).where(Certificate.document_sha256 == digest))
    if issued is not None:
        checks = _signatures(data)
        return _found(issued, "hash_match", checks[0] if checks else None)

    try:
        current = signing.fingerprint(signing.configured_signer().certificate)
    except signing.NoSigningKey:
        current = None
    checks = _signatures(data)
    for check in checks:
        claimed = _certificate_by_code(check.code)
        if not _ours(check, claimed, current):
            continue
        if not check.intact:
            return Verdict("modified", "signature_broken", claimed, _signature_facts(check))
        if not check.whole_file:
            original = claimed or db.session.scalar(
                sa.select(Certificate).where(
                    Certificate.document_sha256 == check.signed_revision_sha256
                )
            )
            return Verdict("modified", "changed_after_signing", original, _signature_facts(check))
        if claimed is None:
            # signed by us, whole and unchanged, but naming no certificate we know
            return Verdict("unknown", "no_claim", None, _signature_facts(check))
        return _found(claimed, "valid_signature", check)

    for code in _claimed_codes(data):
        claimed = _certificate_by_code(code)
        if claimed is None:
            continue
        if claimed.document_sha256 is None:
            return Verdict("unknown", "issued_before_signing", claimed)
        facts = _signature_facts(checks[0]) if checks else None
        return Verdict("modified", "content_differs", claimed, facts)
    return Verdict("unknown", "no_claim")


def verdict_json(verdict: Verdict, base: str | None = None) -> dict:
    """The API's answer; the certificate's public facts when the file names one (its
    verification link on ``base``)."""
    body = {
        "status": verdict.status,
        "reason": verdict.reason,
        "message": verdict.message,
        "signature": verdict.signature,
        "certificate": None,
    }
    if verdict.certificate is not None:
        facts = verification_facts(verdict.certificate)
        facts["verification_url"] = verification_url(verdict.certificate.verification_code, base)
        body["certificate"] = facts
    return body
