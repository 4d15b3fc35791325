"""Issuing certificates to those who served (narasumber, moderator, panitia) and changing
their texts: operations that flush and write an audit record; the caller commits.

``issue_served`` is a plain function of the event, the role and the people's keys, so a
job can call it as the page does. Each role's numbers come from its own row of
``ServedCertificateSettings``, advanced under that row's lock (``lock_series``) as the
participants' are (``issuing.lock_numbering``): two managers issuing at once never hand out
one number twice, and a number is never used again, not even after a revoke. Signing,
the kept file, revoking and verifying are the participants' (``issuing.sign_issued``,
``issuing.revoke``).

Each certificate issued is announced as participants' are (``signals.certificate_issued``):
notifications mails it to the holder's address when one is on file; a manager's "Kirim
ulang" (``send_served_again``) mails it again, to the address on file then, at most
``RESENDS_PER_HOUR`` times an hour per certificate, counted from the audit log so that every
server sees one count.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from bimtek.audit.models import AuditLog
from bimtek.audit.services import record
from bimtek.certificates import signing
from bimtek.certificates.issuing import sign_issued
from bimtek.certificates.models import (
    SERVED_DEFAULT_TEXTS,
    SERVED_ROLES,
    Certificate,
    ServedCertificateSettings,
)
from bimtek.certificates.numbering import new_verification_code
from bimtek.certificates.queries import get_settings
from bimtek.certificates.rules import ensure_signed
from bimtek.certificates.served import (
    ServedPerson,
    check_role,
    holder_email,
    served_design,
    served_number,
    served_people,
)
from bimtek.certificates.signals import certificate_issued, served_certificate_resend
from bimtek.core.inputs import has_forbidden_text
from bimtek.core.timeutil import format_clock, utcnow
from bimtek.errors import InvalidInput, NotFound
from bimtek.events.models import Event
from bimtek.extensions import db


def ensure_role_settings(event: Event, role: str) -> ServedCertificateSettings:
    """The role's stored settings, stored with the defaults if it has none yet (flushes)."""
    check_role(role)
    settings = db.session.get(ServedCertificateSettings, (event.id, role))
    if settings is not None:
        return settings
    role_text, body_text = SERVED_DEFAULT_TEXTS[role]
    try:
        with db.session.begin_nested():
            settings = ServedCertificateSettings(
                event_id=event.id, role=role, role_text=role_text, body_text=body_text, last_seq=0
            )
            db.session.add(settings)
    except IntegrityError:  # created at the same moment by another request
        settings = db.session.get(
            ServedCertificateSettings, (event.id, role), populate_existing=True
        )
    return settings


def lock_series(event: Event, role: str, take: int = 0) -> int:
    """Take the row lock on the role's series for this transaction; reserve ``take``
    numbers. Returns the last number now reserved."""
    settings = ensure_role_settings(event, role)
    last = db.session.execute(
        sa.update(ServedCertificateSettings)
        .where(
            ServedCertificateSettings.event_id == event.id,
            ServedCertificateSettings.role == role,
        )
        .values(last_seq=ServedCertificateSettings.last_seq + take)
        .returning(ServedCertificateSettings.last_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    db.session.expire(settings, ["last_seq"])
    return last


@dataclass
class ServedOutcome:
    issued: list[Certificate]
    #: asked for, already holding a certificate in force
    already: int


def issue_served(
    event: Event,
    role: str,
    keys: list[str],
    *,
    actor=None,
    channel: str = "web",
    now: datetime | None = None,
) -> ServedOutcome:
    """Issue the certificates of ``role`` to the people with these keys
    (``served.holder_key``) who hold none in force yet. An unknown key is refused, and
    nothing is issued."""
    check_role(role)
    lock_series(event, role)
    people = {person.key: person for person in served_people(event, role)}
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        raise InvalidInput(
            _("Pilih minimal satu orang."), fields={"keys": _("Pilih minimal satu orang.")}
        )
    unknown = [key for key in wanted if key not in people]
    if unknown:
        raise InvalidInput(
            _("Ada nama yang tidak tercatat bertugas pada kegiatan ini; muat ulang halaman."),
            code="unknown_person",
        )
    todo = [people[key] for key in wanted if people[key].certificate is None]
    already = len(wanted) - len(todo)
    issued: list[Certificate] = []
    if not todo:
        return ServedOutcome(issued, already)
    ensure_signed(get_settings(event))
    signer = signing.configured_signer()
    last = lock_series(event, role, take=len(todo))
    now = now or utcnow()
    first = last - len(todo) + 1
    for offset, person in enumerate(todo):
        issued.append(_new_certificate(event, role, person, first + offset, now, actor))
    db.session.flush()
    sign_issued(event, issued, signer, design=served_design(event, role))
    record(
        "certificate.issue_served",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={
            "role": role,
            "count": len(issued),
            "first": issued[0].number,
            "last": issued[-1].number,
        },
    )
    for certificate in issued:
        certificate_issued.send(certificate)
    return ServedOutcome(issued, already)


#: "Kirim ulang" of one certificate in any hour: enough for a lost message and a corrected
#: address, too few for a run of clicks or a script to bury the holder's inbox
RESENDS_PER_HOUR = 3
RESEND_WINDOW = timedelta(hours=1)


def _check_resend_allowed(certificate: Certificate, now: datetime) -> None:
    """InvalidInput (``resent_too_often``) when the certificate was resent
    ``RESENDS_PER_HOUR`` times in the last hour, naming when the next one may go."""
    recent = db.session.scalars(
        sa.select(AuditLog.at)
        .where(
            AuditLog.action == "certificate.served_mail",
            AuditLog.target_type == "certificate",
            AuditLog.target_id == certificate.id,
            AuditLog.at > now - RESEND_WINDOW,
        )
        .order_by(AuditLog.at.desc())
        .limit(RESENDS_PER_HOUR)
    ).all()
    if len(recent) < RESENDS_PER_HOUR:
        return
    event = db.session.get(Event, certificate.event_id)
    raise InvalidInput(
        _(
            "Sertifikat %(number)s sudah dikirim ulang %(count)d kali dalam satu jam terakhir; "
            "kirim lagi setelah pukul %(clock)s.",
            number=certificate.number,
            count=RESENDS_PER_HOUR,
            clock=format_clock(event.local(recent[-1] + RESEND_WINDOW)),
        ),
        code="resent_too_often",
    )


def send_served_again(certificate: Certificate, *, actor=None, channel: str = "web") -> str:
    """Mail a served certificate in force again ("Kirim ulang"), to the address on file now;
    returns it. InvalidInput when it is revoked, its holder has no address, or it was resent
    ``RESENDS_PER_HOUR`` times in the last hour; NotFound for a participant's certificate."""
    if certificate.role not in SERVED_ROLES:
        raise NotFound(_("Sertifikat tidak ditemukan."), code="unknown_certificate")
    if certificate.revoked_at is not None:
        raise InvalidInput(
            _("Sertifikat %(number)s sudah dicabut: tidak dikirim.", number=certificate.number)
        )
    address = holder_email(certificate)
    if not address:
        raise InvalidInput(
            _(
                "%(name)s belum punya alamat email: isi di daftar narasumber, moderator & "
                "panitia, lalu kirim ulang.",
                name=certificate.name,
            ),
            code="no_email",
        )
    _check_resend_allowed(certificate, utcnow())
    record(
        "certificate.served_mail",
        actor=actor,
        channel=channel,
        event_id=certificate.event_id,
        target=certificate,
        details={"role": certificate.role, "number": certificate.number},
    )
    served_certificate_resend.send(certificate)
    db.session.flush()
    return address


def _new_certificate(
    event: Event, role: str, person: ServedPerson, seq: int, now: datetime, actor
) -> Certificate:
    certificate = Certificate(
        event_id=event.id,
        role=role,
        participant_id=None,
        holder_key=person.key,
        institution=person.institution,
        seq=seq,
        number=served_number(event, role, seq),
        verification_code=new_verification_code(),
        issued_at=now,
        issued_by_id=getattr(actor, "id", None),
        name=person.name,
        event_title=event.title,
        start_date=event.start_date,
        end_date=event.end_date,
        total_jp=person.total_jp,
        minutes_per_jp=event.minutes_per_jp,
        modules=[{"title": title, "jp": jp} for title, jp in person.modules],
        revoke_reason="",
    )
    db.session.add(certificate)
    return certificate


def update_served_texts(event: Event, data, *, actor=None, channel: str = "web") -> None:
    """Change the role and sentence each served role's certificate prints
    (``<role>_role_text``, ``<role>_body_text``); all or nothing."""
    errors, values = {}, {}
    for role in SERVED_ROLES:
        role_text = " ".join(str(data.get(f"{role}_role_text") or "").split())
        body_text = " ".join(str(data.get(f"{role}_body_text") or "").split())
        if not role_text or len(role_text) > 60:
            errors[f"{role}_role_text"] = _("Wajib diisi, paling banyak 60 karakter.")
        if not body_text or len(body_text) > 300:
            errors[f"{role}_body_text"] = _("Wajib diisi, paling banyak 300 karakter.")
        for name, value in ((f"{role}_role_text", role_text), (f"{role}_body_text", body_text)):
            if name not in errors and has_forbidden_text(value):
                errors[name] = _("Isian memuat karakter yang tidak diizinkan.")
        values[role] = (role_text, body_text)
    if errors:
        raise InvalidInput(
            _("Periksa kembali teks sertifikat narasumber/moderator/panitia."), fields=errors
        )
    changed = {}
    for role, (role_text, body_text) in values.items():
        settings = ensure_role_settings(event, role)
        if (settings.role_text, settings.body_text) != (role_text, body_text):
            settings.role_text, settings.body_text = role_text, body_text
            changed[role] = role_text
    db.session.flush()
    record(
        "certificate.served_texts",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={"changed": sorted(changed)},
    )
