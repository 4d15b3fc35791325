"""The issued document: the design snapshot it was printed with, and the signed file.

Why the file itself is kept (in the database, ``Certificate.document``) rather than drawn
again on each download: a signed PDF holds the signing time and a signature that cannot be
made again byte for byte without storing as much, and ReportLab writes the creation date
into every file. 400 certificates of about 120 KB are 48 MB per event: small for the
database, which also keeps the file and its row in one transaction (an issue that rolls
back leaves no file behind) and in one backup, and every app server sees it.

The design (texts, signatories, logos, background) is snapshotted as well, so the merged
print file and the revoked stamp are drawn with what was issued, not with today's settings.
Images are stored once by content (``CertificateImage``), designs once by digest.
"""

import hashlib
import json
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bimtek.certificates.models import CertificateDesign, CertificateImage
from bimtek.certificates.sheets import Design, SignatoryPrint
from bimtek.extensions import db

TEXT_FIELDS = (
    "title_text",
    "awarded_text",
    "role_text",
    "body_text",
    "organizer",
    "provider",
    "place",
    "signing_place",
)
IMAGE_FIELDS = ("logo_left", "logo_right", "background")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _store_image(data: bytes | None) -> str | None:
    if not data:
        return None
    digest = sha256(data)
    if db.session.get(CertificateImage, digest) is None:
        try:
            with db.session.begin_nested():
                db.session.add(CertificateImage(digest=digest, data=data))
        except IntegrityError:  # stored at the same moment by another request
            pass
    return digest


def store_design(design: Design) -> CertificateDesign:
    """The snapshot row of ``design``: found by its digest, or written now (flushes)."""
    content = {name: getattr(design, name) for name in TEXT_FIELDS}
    content["signing_date"] = design.signing_date.isoformat()
    content["signatories"] = [
        {"name": s.name, "title": s.title, "nip": s.nip, "image": _store_image(s.image)}
        for s in design.signatories
    ]
    for name in IMAGE_FIELDS:
        content[name] = _store_image(getattr(design, name))
    digest = sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode())
    found = db.session.scalar(
        sa.select(CertificateDesign).where(CertificateDesign.digest == digest)
    )
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            found = CertificateDesign(digest=digest, content=content)
            db.session.add(found)
    except IntegrityError:
        found = db.session.scalar(
            sa.select(CertificateDesign).where(CertificateDesign.digest == digest)
        )
    return found


def design_from(snapshot: CertificateDesign) -> Design:
    """The renderer's Design from a snapshot, images loaded in one query."""
    content = snapshot.content
    wanted = {content.get(name) for name in IMAGE_FIELDS}
    wanted |= {s.get("image") for s in content.get("signatories", ())}
    wanted.discard(None)
    images = {}
    if wanted:
        rows = db.session.execute(
            sa.select(CertificateImage.digest, CertificateImage.data).where(
                CertificateImage.digest.in_(wanted)
            )
        )
        images = dict(rows.all())
    return Design(
        **{name: content.get(name, "") for name in TEXT_FIELDS},
        signing_date=date.fromisoformat(content["signing_date"]),
        signatories=tuple(
            SignatoryPrint(s["name"], s["title"], s["nip"], images.get(s.get("image")))
            for s in content.get("signatories", ())
        ),
        **{name: images.get(content.get(name)) for name in IMAGE_FIELDS},
    )
