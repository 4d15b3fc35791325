"""What gets printed: the design and sheets from the database, PDFs, the zip's files,
file names.

Reads: nothing here changes data. The QR codes point at ``base`` (the install's public
address); views pass it explicitly, issuing and jobs use PUBLIC_BASE_URL.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace

import sqlalchemy as sa

from bimtek.certificates import documents
from bimtek.certificates.models import Certificate
from bimtek.certificates.numbering import CODE_LENGTH, format_number, issue_day
from bimtek.certificates.queries import get_settings, verification_url
from bimtek.certificates.rendering import render
from bimtek.certificates.sheets import Design, Sheet, SignatoryPrint
from bimtek.core.timeutil import to_local, utcnow
from bimtek.events.models import Event
from bimtek.extensions import db


def design_for(event: Event) -> Design:
    """The event's certificate design (texts, signatories, images) for the renderer."""
    settings = get_settings(event, with_images=True)
    return Design(
        title_text=settings.title_text,
        awarded_text=settings.awarded_text,
        role_text=settings.role_text,
        body_text=settings.body_text,
        organizer=event.organizer,
        provider=event.provider,
        place=event.place,
        signing_place=settings.signing_place or event.city,
        signing_date=issue_day(event, settings),
        signatories=tuple(
            SignatoryPrint(s.name, s.title, s.nip, s.signature) for s in settings.signatories
        ),
        logo_left=settings.logo_left,
        logo_right=settings.logo_right,
        background=settings.background,
    )


def sheet_for(
    certificate: Certificate, base: str | None = None, design: Design | None = None
) -> Sheet:
    """What one certificate prints: its snapshot and the QR's verification URL (and the
    design it was issued with, when given)."""
    return Sheet(
        name=certificate.name,
        number=certificate.number,
        code=certificate.verification_code,
        url=verification_url(certificate.verification_code, base),
        event_title=certificate.event_title,
        start_date=certificate.start_date,
        end_date=certificate.end_date,
        total_jp=certificate.total_jp,
        minutes_per_jp=certificate.minutes_per_jp,
        modules=tuple((m["title"], m["jp"]) for m in certificate.modules or ()),
        subject=served_subject(certificate.role, [m["title"] for m in certificate.modules or ()]),
        revoked=certificate.revoked_at is not None,
        design=design,
    )


def served_subject(role: str, titles: list[str]) -> str:
    """The line naming what a narasumber or moderator did: the modules' titles."""
    if role not in ("narasumber", "moderator") or not titles:
        return ""
    return "dengan materi: " + "; ".join(titles)


def _issued_designs(certificates: list[Certificate]):
    """certificate -> the design it was issued with (None before snapshots existed)."""
    designs: dict[int, Design] = {}

    def design_of(certificate: Certificate) -> Design | None:
        if certificate.design_id is None:
            return None
        if certificate.design_id not in designs:
            designs[certificate.design_id] = documents.design_from(certificate.design)
        return designs[certificate.design_id]

    return design_of


def certificates_pdf(
    event: Event, certificates: list[Certificate], base: str | None = None
) -> bytes:
    """One PDF with the given certificates (two pages each), each drawn with the design it
    was issued with (a revoked one stamped DICABUT)."""
    design_of = _issued_designs(certificates)
    return render(
        design_for(event),
        [sheet_for(c, base, design_of(c)) for c in certificates],
        title=f"Sertifikat {event.code}",
    )


def print_copy_pdf(event: Event, certificates: list[Certificate], base: str | None = None) -> bytes:
    """The certificates as one PDF for printing, drawn from their issued snapshots; not the
    signed files, and titled and marked on every page as a print copy (``PRINT_COPY_MARK``).
    """
    design_of = _issued_designs(certificates)
    return render(
        design_for(event),
        [replace(sheet_for(c, base, design_of(c)), print_copy=True) for c in certificates],
        title=f"Salinan cetak sertifikat {event.code}",
    )


def certificate_keywords(certificate: Certificate) -> str:
    """The document's keywords: how an uploaded copy says which certificate it claims to be."""
    return f"kode verifikasi {certificate.verification_code}; nomor {certificate.number}"


def issued_pdf(certificate: Certificate, base: str | None = None) -> bytes:
    """The certificate's PDF for download: the signed file as issued while it is in force
    (byte for byte the same every time); a revoked one drawn from its snapshot with the
    DICABUT stamp; one issued before signing existed drawn as it always was."""
    if certificate.revoked_at is None and certificate.document is not None:
        return certificate.document
    return certificates_pdf(certificate.event, [certificate], base)


def sample_pdf(event: Event, base: str | None = None) -> bytes:
    """A preview with a sample name and the next number, before anything is issued."""
    settings = get_settings(event)
    day = to_local(utcnow(), event.timezone).date()
    seq = settings.last_seq + 1
    sheet = Sheet(
        name="Dr. H. M. Contoh Nama Peserta, M.Si",
        number=format_number(settings.number_format, seq=seq, code=event.code, day=day),
        code="CONTOH" + "X" * (CODE_LENGTH - 6),
        url=verification_url("CONTOH" + "X" * (CODE_LENGTH - 6), base),
        event_title=event.title,
        start_date=event.start_date,
        end_date=event.end_date,
        total_jp=event.total_jp,
        minutes_per_jp=event.minutes_per_jp,
        modules=tuple((m.title, m.jp) for m in event.modules),
    )
    return render(design_for(event), [sheet], title=f"Contoh sertifikat {event.code}")


def safe_filename(text: str, limit: int = 80) -> str:
    """ASCII letters, digits, dot, minus and underscore only: safe on every file system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_text).strip("._-")
    return cleaned[:limit].rstrip("._-") or "sertifikat"


def certificate_filename(certificate: Certificate) -> str:
    """e.g. 007-Agus_Hari_Kesuma.pdf; the number keeps names unique inside a zip."""
    return f"{certificate.seq:03d}-{safe_filename(certificate.name, 60)}.pdf"


#: the ZIP's folder for certificates issued before signing existed (drawn, not signed)
UNSIGNED_FOLDER = "belum-ditandatangani"


def issued_files(
    certificates: list[Certificate], base: str | None = None, *, chunk: int = 50
) -> Iterator[list[tuple[str, bytes]]]:
    """The ZIP's files, ``chunk`` certificates at a time: (name, the stored signed file byte
    for byte); one issued before signing existed is drawn from its snapshot, as its own
    download is, into ``UNSIGNED_FOLDER``. Only one chunk of files is loaded at a time."""
    for start in range(0, len(certificates), chunk):
        part = certificates[start : start + chunk]
        stored = dict(
            db.session.execute(
                sa.select(Certificate.id, Certificate.document).where(
                    Certificate.id.in_([c.id for c in part]),
                    Certificate.document.is_not(None),
                )
            ).all()
        )
        files = []
        for certificate in part:
            name = certificate_filename(certificate)
            if certificate.id in stored:
                files.append((name, stored[certificate.id]))
            else:
                files.append((f"{UNSIGNED_FOLDER}/{name}", issued_pdf(certificate, base)))
        yield files
