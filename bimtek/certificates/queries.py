"""Reading certificates: settings, lookups, lists, verification facts and links.

Nothing here changes data (Indico's ``util.py`` to ``operations.py``): a function of this
module never adds, flushes or commits. An event without stored settings reads the defaults
(``get_settings``); they are stored by the first operation that changes them.
"""

import re
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload, undefer

from bimtek.certificates.models import (
    SERVED_ROLES,
    Certificate,
    CertificateSettings,
    Signatory,
)
from bimtek.certificates.numbering import CODE_PATTERN
from bimtek.core.timeutil import format_date_range_id, to_local
from bimtek.core.web import link_base
from bimtek.errors import NotFound
from bimtek.events.access import load_in_event
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant


class UnknownCertificate(NotFound):
    code = "unknown_certificate"


def get_settings(event: Event, *, with_images: bool = False) -> CertificateSettings:
    """The event's certificate settings; the defaults (not stored) when it has none yet.

    ``with_images`` loads the logos, background and signatures in the same round trips.
    """
    options = []
    if with_images:
        options = [
            undefer(CertificateSettings.logo_left),
            undefer(CertificateSettings.logo_right),
            undefer(CertificateSettings.background),
            selectinload(CertificateSettings.signatories).undefer(Signatory.signature),
        ]
    settings = db.session.get(CertificateSettings, event.id, options=options)
    if settings is not None:
        return settings
    return default_settings(event)


def default_settings(event: Event) -> CertificateSettings:
    """Settings with every column's default, not added to the session."""
    values = {
        column.key: column.default.arg
        for column in CertificateSettings.__table__.columns
        if column.default is not None and column.default.is_scalar
    }
    return CertificateSettings(**values, event_id=event.id)


def get_signatory(event: Event, signatory_id) -> Signatory:
    """A signatory of ``event``'s certificates (404 ``unknown_signatory`` otherwise)."""
    return load_in_event(Signatory, signatory_id, event)


def normalise_lookup(text: str) -> str:
    """What someone typed on /verify, as compared: upper case, without spaces or dashes
    (codes are read aloud and copied in groups; numbers are typed with odd spacing)."""
    return re.sub(r"[\s\-\u2010-\u2015]+", "", str(text or "")).upper()


def get_by_code(code: str) -> Certificate:
    """The certificate with this verification code (valid or revoked)."""
    code = normalise_lookup(code)
    certificate = None
    if CODE_PATTERN.match(code):
        certificate = db.session.scalar(
            sa.select(Certificate).where(Certificate.verification_code == code)
        )
    if certificate is None:
        raise UnknownCertificate(_("Sertifikat tidak ditemukan. Periksa kembali kodenya."))
    return certificate


def _comparable_number(column):
    """The number column, normalised in SQL as ``normalise_lookup`` does in Python."""
    for ch in (" ", "-", "\t"):
        column = sa.func.replace(column, ch, "")
    return sa.func.upper(column)


def find_for_verification(text: str) -> Certificate:
    """The certificate someone typed on /verify: its verification code or its printed
    number (the most visible one), in any case, with or without spaces and dashes."""
    wanted = normalise_lookup(text)
    if not wanted or len(wanted) > 160:
        raise UnknownCertificate(
            _("Sertifikat tidak ditemukan. Periksa kembali nomor atau kodenya.")
        )
    if CODE_PATTERN.match(wanted):
        certificate = db.session.scalar(
            sa.select(Certificate).where(Certificate.verification_code == wanted)
        )
        if certificate is not None:
            return certificate
    certificate = db.session.scalars(
        sa.select(Certificate)
        .where(_comparable_number(Certificate.number) == wanted)
        .order_by(Certificate.id)
        .limit(1)
    ).first()
    if certificate is None:
        raise UnknownCertificate(
            _("Sertifikat tidak ditemukan. Periksa kembali nomor atau kodenya.")
        )
    return certificate


def get_certificate(event: Event, certificate_id) -> Certificate:
    """A certificate of ``event`` (404 ``unknown_certificate`` otherwise)."""
    return load_in_event(Certificate, certificate_id, event)


def issued_certificates(
    event: Event,
    *,
    include_revoked: bool = False,
    with_people: bool = False,
    role: str = "participant",
) -> list[Certificate]:
    """The event's certificates of one role (participants' unless told) in number order
    (``with_people``: participant, issuer and revoker loaded in the same round trips)."""
    query = sa.select(Certificate).where(Certificate.event_id == event.id, Certificate.role == role)
    if with_people:
        query = query.options(
            selectinload(Certificate.participant),
            selectinload(Certificate.issued_by),
            selectinload(Certificate.revoked_by),
        )
    if not include_revoked:
        query = query.where(Certificate.revoked_at.is_(None))
    return list(db.session.scalars(query.order_by(Certificate.seq)))


class CertificateCounts(NamedTuple):
    #: numbers handed out (in force + revoked)
    issued: int
    in_force: int
    revoked: int


def certificate_counts(event: Event, role: str = "participant") -> CertificateCounts:
    """Issued, in force and revoked: the one count every page, file and report shows,
    whoever holds the certificates (a cancelled participant's certificate in force counts).
    Participants' certificates unless ``role`` names a served role; ``served_counts`` gives
    those as their own group."""
    revoked = Certificate.revoked_at.is_not(None)
    issued, revoked_count = db.session.execute(
        sa.select(
            sa.func.count(Certificate.id),
            sa.func.count(sa.case((revoked, Certificate.id))),
        ).where(Certificate.event_id == event.id, Certificate.role == role)
    ).one()
    return CertificateCounts(issued, issued - revoked_count, revoked_count)


def served_counts(event: Event) -> dict[str, CertificateCounts]:
    """``certificate_counts`` of each served role (narasumber, moderator, panitia), in one
    query: the separate group beside the participants' count."""
    revoked = Certificate.revoked_at.is_not(None)
    rows = db.session.execute(
        sa.select(
            Certificate.role,
            sa.func.count(Certificate.id),
            sa.func.count(sa.case((revoked, Certificate.id))),
        )
        .where(Certificate.event_id == event.id, Certificate.role.in_(SERVED_ROLES))
        .group_by(Certificate.role)
    ).all()
    found = {role: (issued, gone) for role, issued, gone in rows}
    counts = {}
    for role in SERVED_ROLES:
        issued, gone = found.get(role, (0, 0))
        counts[role] = CertificateCounts(issued, issued - gone, gone)
    return counts


def certificates_of(participant: Participant) -> list[Certificate]:
    """Every certificate of a participant, newest first (revoked ones too)."""
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .where(Certificate.participant_id == participant.id)
            .order_by(Certificate.seq.desc())
        )
    )


def active_certificate(participant: Participant) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate).where(
            Certificate.participant_id == participant.id, Certificate.revoked_at.is_(None)
        )
    )


def verification_url(code: str, base: str | None = None) -> str:
    """The public page that tells whether a certificate is genuine."""
    return f"{link_base(base)}/verify/{code}"


def printed_issue_date(certificate: Certificate) -> date:
    """The date printed on the certificate (the issue date of its design), else, for one
    issued before designs were kept, the day it was issued."""
    if certificate.design is not None and certificate.design.content.get("signing_date"):
        return date.fromisoformat(certificate.design.content["signing_date"])
    return to_local(certificate.issued_at, certificate.event.timezone).date()


def masked_name(name: str) -> str:
    """The name confirmed without being told: each word's first letter or digit, the rest
    of its letters and digits as ``*``, punctuation kept ("A*** H*** K*****, M.**")."""
    words = []
    for word in name.split():
        seen = False
        letters = []
        for character in word:
            if character.isalnum():
                letters.append("*" if seen else character)
                seen = True
            else:
                letters.append(character)
        words.append("".join(letters))
    return " ".join(words)


def verification_facts(certificate: Certificate, *, full_name: bool = True) -> dict:
    """What the public may see: enough to catch an edited PDF, nothing private. The full
    name only to whoever holds the verification code (the QR, the file); by the printed
    number, which is sequential, the name masked. Never why it was revoked."""
    event = certificate.event
    return {
        "number": certificate.number,
        "role": certificate.role,
        "name": certificate.name if full_name else masked_name(certificate.name),
        "event_title": certificate.event_title,
        "event_code": event.code,
        "organizer": event.organizer,
        "start_date": certificate.start_date.isoformat(),
        "end_date": certificate.end_date.isoformat(),
        "dates": format_date_range_id(certificate.start_date, certificate.end_date),
        "total_jp": certificate.total_jp,
        "minutes_per_jp": certificate.minutes_per_jp,
        "issued_on": printed_issue_date(certificate).isoformat(),
        "status": certificate.status,
        "revoked_on": to_local(certificate.revoked_at, event.timezone).date().isoformat()
        if certificate.revoked_at
        else None,
    }
