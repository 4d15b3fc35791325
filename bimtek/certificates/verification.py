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

What a file may cost is bounded by the shape of a certificate we issue (``our_shape``): one
signature field, named as ``signing.FIELD_NAME``, a signature that reaches the end of the
file. A file of another shape (two signature fields, a field by another name, kids) is
answered ``unknown`` (``unexpected_shape``) before any signature is checked: a 362 KB file
with 3,000 fields pointing at one real signature took 19–30 s when every field was checked
(issue 18), 91 ms now (median, on a loaded machine; bench/verify_hostile.py). A file with
something written after the signature is answered from the signed part's SHA-256 alone. So
at most one signature is ever validated. Parsing itself (a file of 20,000 tiny revisions
takes pyHanko 11 s to open) is bounded by the clock: the PDF work of one upload stops after
``CERT_VERIFY_SECONDS`` (``time_limit``) and the file is answered ``unknown``
(``not_checked_in_time``).

Nothing uploaded is kept: the bytes live in memory for the length of the request.
"""

import hashlib
import io
import logging
import re
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from bimtek.certificates import signing
from bimtek.certificates.models import Certificate
from bimtek.certificates.queries import verification_facts, verification_url
from bimtek.errors import InvalidInput
from bimtek.extensions import db

log = logging.getLogger(__name__)

#: how our files name their certificate: in the signature's reason, the keywords, the text
TEXT_CLAIMS = (
    re.compile(r"kode verifikasi:?\s*([A-Z2-9]{24})", re.IGNORECASE),
    re.compile(r"/verify/([A-Z2-9]{24})"),
)

#: distinct verification codes an unsigned file may name that are looked up
MAX_CLAIMS = 3

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
    #: changed_after_signing, content_differs, issued_before_signing, no_claim,
    #: unexpected_shape, not_checked_in_time
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


@dataclass
class Inspection:
    """What the file is, read without the database: ``shape`` is "unsigned" (no signature
    field), "ours" (the shape we issue) or "other"; for ours, where the signed part ends and,
    when it covers the whole file, its one signature checked."""

    shape: str
    signed_end: int | None = None
    check: SignatureCheck | None = None


class OverTime(BaseException):
    """The PDF work of one upload ran past its time (a BaseException: the libraries' own
    ``except Exception`` must not swallow it)."""


@contextmanager
def time_limit(seconds: float | None):
    """Stop the block after ``seconds`` with ``OverTime`` (a real-time alarm: it interrupts
    a parser in the middle). Only the main thread receives signals, which is where
    gunicorn's sync workers run requests; elsewhere (a threaded server) the block runs
    unbounded by the clock, still bounded by the shape."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    if seconds <= 0:
        raise OverTime

    def expire(_signal, _frame):
        raise OverTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)


def time_budget(config) -> float | None:
    """``CERT_VERIFY_SECONDS`` as seconds (from the environment it may come as text); None
    or 0: not bounded by the clock."""
    seconds = config.get("CERT_VERIFY_SECONDS")
    return float(seconds) if seconds else None


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


def uploaded_pdf() -> bytes:
    """The PDF in the request's ``file`` field, size-limited before the body is parsed."""
    limit = current_app.config["CERT_VERIFY_MAX_BYTES"]
    request.max_content_length = limit + 64 * 1024  # the file plus the multipart framing
    try:
        storage = request.files.get("file")
    except RequestEntityTooLarge as error:
        raise too_large(limit) from error
    return read_upload(storage, limit)


def too_large(limit: int) -> FileTooLarge:
    return FileTooLarge(
        _("Berkas terlalu besar (paling besar %(size)s KB).", size=limit // 1024),
        fields={"file": _("Terlalu besar.")},
    )


def _certificate_by_code(code: str | None) -> Certificate | None:
    if not code:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.verification_code == code))


def _open(data: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(data), strict=False)


def our_shape(reader) -> str:
    """The shape: "unsigned" (no form fields), "ours" or "other". One signature field, by
    our name, without kids, holding a signature, is the shape we issue. Reads the form's
    field list and that one field, nothing more."""
    root = reader.root
    form = root["/AcroForm"] if "/AcroForm" in root else None
    fields = form["/Fields"] if form is not None and "/Fields" in form else None
    if not fields:
        return "unsigned"
    if len(fields) != 1:
        return "other"
    only = fields[0]
    if "/Kids" in only or "/V" not in only:
        return "other"
    if only.get("/FT") != "/Sig" or only.get("/T") != signing.FIELD_NAME:
        return "other"
    return "ours"


def examine(data: bytes) -> Inspection:
    """The file's shape and, when it is ours and nothing follows the signature, that one
    signature checked (pyHanko). Unreadable files are "unsigned": their text may still name
    a certificate."""
    try:
        reader = _open(data)
        shape = our_shape(reader)
        if shape != "ours":
            return Inspection(shape)
        (signature,) = reader.embedded_signatures
        byte_range = [int(part) for part in signature.byte_range]
        signed_end = byte_range[2] + byte_range[3]
    except OverTime:
        raise
    except Exception:  # a damaged or hostile file is simply not readable as signed
        log.info("uploaded PDF not readable for signatures", exc_info=True)
        return Inspection("unsigned")
    if signed_end != len(data):
        return Inspection("ours", signed_end)
    return Inspection("ours", signed_end, _check(signature, data))


def _check(signature, data: bytes) -> SignatureCheck | None:
    """One embedded signature, validated against its own certificate (who signed is decided
    by the fingerprint, afterwards)."""
    from pyhanko.sign import validation
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        certificate = signature.signer_cert
        context = ValidationContext(trust_roots=[certificate], allow_fetching=False)
        status = signing.outside_event_loop(
            lambda: validation.validate_pdf_signature(signature, context, skip_diff=True)
        )
        byte_range = list(signature.byte_range)
        end = byte_range[2] + byte_range[3]
        reason = str(signature.sig_object.get("/Reason") or "")
        found = re.search(r"kode verifikasi ([A-Z2-9]{24})", reason)
        return SignatureCheck(
            fingerprint=signing.fingerprint(certificate),
            signer=certificate.subject.native.get("common_name", ""),
            demo=signing.is_demo(certificate),
            intact=bool(status.intact and status.valid),
            whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            signed_revision_sha256=hashlib.sha256(data[:end]).hexdigest(),
            code=found.group(1) if found else None,
        )
    except OverTime:
        raise
    except Exception:
        log.info("signature in uploaded PDF not checkable", exc_info=True)
        return None


def _claimed_codes(data: bytes, check: SignatureCheck | None) -> list[str]:
    """Verification codes the file names (at most ``MAX_CLAIMS``): in its signature's
    reason, else its keywords, else the text of its first pages (pypdf), read only until
    one is found: extracting a page's text is the slow part."""

    def found(text: str) -> list[str]:
        return [code for pattern in TEXT_CLAIMS for code in pattern.findall(text)]

    codes = [check.code] if check is not None and check.code else []
    if not codes:
        from pypdf import PdfReader

        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            codes = found(str((reader.metadata or {}).get("/Keywords") or ""))
            for page in reader.pages[:2]:
                if codes:
                    break
                codes += found(page.extract_text() or "")
        except OverTime:
            raise
        except Exception:
            log.info("uploaded PDF not readable for text", exc_info=True)
            return []
    return list(dict.fromkeys(codes))[:MAX_CLAIMS]


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


def _by_sha256(digest: str) -> Certificate | None:
    return db.session.scalar(sa.select(Certificate).where(Certificate.document_sha256 == digest))


def verify_document(data: bytes, *, seconds: float | None = None) -> Verdict:
    """What the uploaded ``data`` is: genuine, revoked, modified or unknown. Reads only.
    The PDF work stops after ``seconds`` (None: unbounded by the clock)."""
    deadline = None if seconds is None else time.monotonic() + seconds

    def timed(work):
        with time_limit(None if deadline is None else deadline - time.monotonic()):
            return work(data)

    issued = _by_sha256(hashlib.sha256(data).hexdigest())
    if issued is not None:
        try:
            check = timed(examine).check
        except OverTime:
            check = None
        return _found(issued, "hash_match", check)

    try:
        inspection = timed(examine)
    except OverTime:
        log.info("uploaded PDF not checked in time")
        return Verdict("unknown", "not_checked_in_time")
    if inspection.shape == "other":
        return Verdict("unknown", "unexpected_shape")
    check = inspection.check
    if inspection.shape == "ours" and check is None:
        # something written after the signature: the signed part is what we issued, or not ours
        original = None
        if 0 < inspection.signed_end < len(data):
            original = _by_sha256(hashlib.sha256(data[: inspection.signed_end]).hexdigest())
        if original is None:
            return Verdict("unknown", "unexpected_shape")
        return Verdict("modified", "changed_after_signing", original)

    if check is not None:
        try:
            current = signing.configured_signer().fingerprint
        except signing.NoSigningKey:
            current = None
        claimed = _certificate_by_code(check.code)
        if _ours(check, claimed, current):
            if not check.intact:
                return Verdict("modified", "signature_broken", claimed, _signature_facts(check))
            if not check.whole_file:
                original = claimed or _by_sha256(check.signed_revision_sha256)
                return Verdict(
                    "modified", "changed_after_signing", original, _signature_facts(check)
                )
            if claimed is None:
                # signed by us, whole and unchanged, but naming no certificate we know
                return Verdict("unknown", "no_claim", None, _signature_facts(check))
            return _found(claimed, "valid_signature", check)

    try:
        codes = timed(lambda data: _claimed_codes(data, check))
    except OverTime:
        log.info("uploaded PDF not checked in time")
        return Verdict("unknown", "not_checked_in_time")
    for code in codes:
        claimed = _certificate_by_code(code)
        if claimed is None:
            continue
        if claimed.document_sha256 is None:
            return Verdict("unknown", "issued_before_signing", claimed)
        facts = _signature_facts(check) if check else None
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


def signed_by(certificate: Certificate) -> dict | None:
    """Who signed the certificate's file, for the verify page: the signing certificate's CN
    and O as kept at issue; for one issued before they were kept, the install's signer when
    its fingerprint is the one that signed; None for a certificate never signed."""
    if certificate.signer_name or certificate.signer_organization:
        return {"name": certificate.signer_name, "organization": certificate.signer_organization}
    if not certificate.signer_fingerprint:
        return None
    facts = signing.signer_facts()
    if facts is not None and facts["fingerprint"] == certificate.signer_fingerprint:
        return {"name": facts["name"], "organization": facts["organization"]}
    return None
