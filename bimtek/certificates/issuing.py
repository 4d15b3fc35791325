"""Issuing and revoking certificates: the operations that hand out numbers and files.

Numbers come from ``CertificateSettings.last_seq``, advanced under that row's lock (see
``lock_numbering``), so two organizers issuing at once never hand out the same number, and a
number once used is never used again, not even after a revoke. Each operation flushes and
writes an audit record; the caller commits.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.certificates import documents, signing, signing_keys
from bimtek.certificates.configuration import ensure_settings
from bimtek.certificates.models import Certificate, CertificateSettings
from bimtek.certificates.numbering import format_number, issue_day, new_verification_code
from bimtek.certificates.printing import certificate_keywords, design_for, sheet_for
from bimtek.certificates.queries import active_certificate, get_settings
from bimtek.certificates.rendering import render, split
from bimtek.certificates.rules import (
    Eligibility,
    NotEligible,
    eligibility,
    eligibility_for,
    ensure_signed,
)
from bimtek.certificates.sheets import Design
from bimtek.certificates.signals import certificate_issued
from bimtek.core.timeutil import utcnow
from bimtek.errors import Conflict, InvalidInput
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant


def lock_numbering(event: Event, take: int = 0) -> int:
    """Take the row lock on the event's numbering for this transaction; reserve ``take``
    numbers. Returns the last number now reserved (the first is that minus ``take`` plus 1).
    """
    settings = ensure_settings(event)
    last = db.session.execute(
        sa.update(CertificateSettings)
        .where(CertificateSettings.event_id == event.id)
        .values(last_seq=CertificateSettings.last_seq + take)
        .returning(CertificateSettings.last_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    db.session.expire(settings, ["last_seq"])
    return last


def _new_certificate(
    event: Event,
    settings: CertificateSettings,
    participant: Participant,
    seq: int,
    now: datetime,
    actor,
) -> Certificate:
    day = issue_day(event, settings)
    certificate = Certificate(
        event_id=event.id,
        participant_id=participant.id,
        seq=seq,
        number=format_number(settings.number_format, seq=seq, code=event.code, day=day),
        verification_code=new_verification_code(),
        issued_at=now,
        issued_by_id=getattr(actor, "id", None),
        name=participant.full_name,
        event_title=event.title,
        start_date=event.start_date,
        end_date=event.end_date,
        total_jp=event.total_jp,
        minutes_per_jp=event.minutes_per_jp,
        modules=[{"title": m.title, "jp": m.jp} for m in event.modules],
        revoke_reason="",
    )
    db.session.add(certificate)
    return certificate


def issue(
    participant: Participant, *, actor=None, channel="web", now: datetime | None = None
) -> Certificate:
    """Issue the participant's certificate, or return the one already in force."""
    event = participant.event
    lock_numbering(event)
    existing = active_certificate(participant)
    if existing is not None:
        return existing
    verdict = eligibility_for(participant)
    if not verdict.eligible:
        raise NotEligible(
            _(
                "%(name)s belum memenuhi syarat: %(reason)s.",
                name=participant.full_name,
                reason=verdict.reason,
            )
        )
    settings = get_settings(event)
    ensure_signed(settings)
    signer = signing_keys.event_signer(event)
    seq = lock_numbering(event, take=1)
    certificate = _new_certificate(event, settings, participant, seq, now or utcnow(), actor)
    db.session.flush()
    sign_issued(event, [certificate], signer)
    record(
        "certificate.issue",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=certificate,
        details={
            "number": certificate.number,
            "participant_id": participant.id,
            "sha256": certificate.document_sha256,
        },
    )
    certificate_issued.send(certificate)
    return certificate


@dataclass
class IssueOutcome:
    issued: list[Certificate]
    already: int
    not_eligible: int
    #: the verdicts judged, under the numbering lock (of ``only``, when given)
    verdicts: list[Eligibility] = field(default_factory=list)


def issue_all(
    event: Event,
    *,
    actor=None,
    channel="web",
    now: datetime | None = None,
    only: Collection[int] | None = None,
) -> IssueOutcome:
    """Issue a certificate to every eligible participant who has none in force yet; of the
    participants whose ids are in ``only``, when given (a chunk of an issuing run)."""
    lock_numbering(event)
    verdicts = eligibility(event)
    if only is not None:
        verdicts = [v for v in verdicts if v.participant.id in only]
    todo = [v.participant for v in verdicts if v.eligible and v.certificate is None]
    already = sum(1 for v in verdicts if v.certificate is not None)
    not_eligible = sum(1 for v in verdicts if not v.eligible and v.certificate is None)
    issued = []
    if todo:
        settings = get_settings(event)
        ensure_signed(settings)
        signer = signing_keys.event_signer(event)
        last = lock_numbering(event, take=len(todo))
        now = now or utcnow()
        first = last - len(todo) + 1
        for offset, participant in enumerate(todo):
            issued.append(
                _new_certificate(event, settings, participant, first + offset, now, actor)
            )
        db.session.flush()
        sign_issued(event, issued, signer)
        record(
            "certificate.issue_all",
            actor=actor,
            channel=channel,
            event_id=event.id,
            target=event,
            details={"count": len(issued), "first": issued[0].number, "last": issued[-1].number},
        )
        for certificate in issued:
            certificate_issued.send(certificate)
    return IssueOutcome(issued, already, not_eligible, verdicts)


def revoke(certificate: Certificate, reason: str, *, actor=None, channel="web") -> Certificate:
    """Revoke with a reason. The certificate stays verifiable, marked as revoked."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise InvalidInput(
            _("Alasan pencabutan wajib diisi."), fields={"reason": _("Alasan wajib diisi.")}
        )
    if len(reason) > 500:
        raise InvalidInput(
            _("Alasan paling banyak 500 karakter."),
            fields={"reason": _("Paling banyak 500 karakter.")},
        )
    if certificate.revoked_at is not None:
        raise Conflict(_("Sertifikat ini sudah dicabut."), code="already_revoked")
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = getattr(actor, "id", None)
    certificate.revoke_reason = reason
    db.session.flush()
    record(
        "certificate.revoke",
        actor=actor,
        channel=channel,
        event_id=certificate.event_id,
        target=certificate,
        details={"number": certificate.number, "role": certificate.role, "reason": reason},
    )
    return certificate


def sign_issued(
    event: Event, certificates: list[Certificate], signer, design: Design | None = None
) -> None:
    """Draw, sign and keep the files of newly issued certificates, with the design snapshot
    (flushes). From here on a download is these bytes, whatever changes in the settings.
    ``design``: another than the participants' (a served role's texts)."""
    design = design or design_for(event)
    snapshot = documents.store_design(design)
    sheets = [sheet_for(c) for c in certificates]
    titles = [f"Sertifikat {c.number}" for c in certificates]
    keywords = [certificate_keywords(c) for c in certificates]
    if len(sheets) == 1:
        files = [render(design, sheets, title=titles[0], keywords=keywords[0])]
    else:
        files = split(render(design, sheets), 2, titles, keywords)
    signer_fingerprint = signer.fingerprint
    signer_name, signer_organization = signer.subject
    for certificate, data in zip(certificates, files, strict=True):
        details = signing.SignatureDetails(
            certificate.verification_code, certificate.number, design.signing_place
        )
        signed = signing.sign_certificate_pdf(data, signer, details)
        certificate.design_id = snapshot.id
        certificate.document = signed
        certificate.document_sha256 = documents.sha256(signed)
        certificate.signer_fingerprint = signer_fingerprint
        certificate.signer_name = signer_name
        certificate.signer_organization = signer_organization
    db.session.flush()
