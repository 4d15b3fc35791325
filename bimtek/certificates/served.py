"""Certificates of those who served an event (narasumber, moderator, panitia): who they
are, what their certificates print, and the preview. Reads: nothing here changes data.

Who served comes from the event's contributors (``events/contributors.py``). A person is
one certificate per role, however many modules they taught: the rows with the same name
(``same_name``) are one person, and the certificate lists their modules with each module's
JP and the sum. A moderator's certificate lists the modules moderated the same way; a
panitia member served the whole event, so theirs lists the whole curriculum and its JP.

Numbers: each role has its own series (``ServedCertificateSettings.last_seq``), printed in
the event's number format with the role's mark after the event's code
(``numbering.served_format``): 001/BIMTEK-KUTIM24A/NS/X/2024, .../MOD/..., .../PAN/...
"""

import hashlib
from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.certificates.models import (
    SERVED_DEFAULT_TEXTS,
    SERVED_MARKS,
    SERVED_ROLES,
    Certificate,
    ServedCertificateSettings,
)
from bimtek.certificates.numbering import (
    CODE_LENGTH,
    format_number,
    issue_day,
    served_format,
)
from bimtek.certificates.printing import design_for, served_subject
from bimtek.certificates.queries import get_settings, verification_url
from bimtek.certificates.rendering import render
from bimtek.certificates.sheets import Design, Sheet
from bimtek.errors import NotFound
from bimtek.events.contributors import contributors_of, same_name
from bimtek.events.models import Contributor, Event
from bimtek.extensions import db


def holder_key(name: str) -> str:
    """Who a served certificate belongs to: the SHA-256 of the name as compared."""
    return hashlib.sha256(same_name(name).encode()).hexdigest()


@dataclass
class ServedPerson:
    """One person in one served role, with what their certificate would print."""

    role: str
    key: str
    name: str
    institution: str = ""
    nip: str = ""
    #: where their certificate is mailed ("" for none): personal data, managers only
    email: str = ""
    #: (title, JP) of the modules taught or moderated; the whole curriculum for panitia
    modules: list[tuple[str, int]] = field(default_factory=list)
    #: the certificate in force, once issued
    certificate: Certificate | None = None
    #: among the event's contributors now (False: removed after their certificate was issued)
    listed: bool = True

    @property
    def total_jp(self) -> int:
        return sum(jp for _title, jp in self.modules)


def check_role(role: str) -> str:
    if role not in SERVED_ROLES:
        raise NotFound(_("Peran tidak dikenal."), code="unknown_role")
    return role


def served_people(event: Event, role: str) -> list[ServedPerson]:
    """Everyone who served ``event`` in ``role``, in the curriculum's order, each with the
    certificate they hold in force; then anyone removed from the list who still holds one."""
    check_role(role)
    people: dict[str, ServedPerson] = {}
    seen: set[tuple[str, int]] = set()
    for contributor in contributors_of(event):
        if contributor.role != role:
            continue
        key = holder_key(contributor.name)
        person = people.get(key)
        if person is None:
            person = people[key] = ServedPerson(role, key, contributor.name)
        person.institution = person.institution or contributor.institution
        person.nip = person.nip or contributor.nip
        person.email = person.email or contributor.email
        module = contributor.module
        if module is not None and (key, module.id) not in seen:
            seen.add((key, module.id))
            person.modules.append((module.title, module.jp))
    if role == "panitia":
        curriculum = [(m.title, m.jp) for m in event.modules]
        for person in people.values():
            person.modules = list(curriculum)
    held = db.session.scalars(
        sa.select(Certificate)
        .where(
            Certificate.event_id == event.id,
            Certificate.role == role,
            Certificate.revoked_at.is_(None),
        )
        .order_by(Certificate.seq)
    )
    for certificate in held:
        person = people.get(certificate.holder_key)
        if person is None:  # no longer listed, still holding one: shown, so it can be revoked
            person = people[certificate.holder_key] = ServedPerson(
                role,
                certificate.holder_key,
                certificate.name,
                certificate.institution,
                modules=[(m["title"], m["jp"]) for m in certificate.modules or ()],
                listed=False,
            )
        person.certificate = certificate
    return list(people.values())


def holder_email(certificate: Certificate) -> str:
    """Where a served certificate is mailed: its holder's address among the event's
    contributors in its role now, the first given in the list's order (as ``served_people``
    takes it); "" when none is on file or the holder is no longer listed."""
    if certificate.role not in SERVED_ROLES:
        return ""
    for contributor in contributors_of(certificate.event):
        if (
            contributor.role == certificate.role
            and contributor.email
            and holder_key(contributor.name) == certificate.holder_key
        ):
            return contributor.email
    return ""


def role_settings(event: Event, role: str) -> ServedCertificateSettings:
    """The role's text and series; the defaults (not stored) while it has none."""
    check_role(role)
    stored = db.session.get(ServedCertificateSettings, (event.id, role))
    if stored is not None:
        return stored
    role_text, body_text = SERVED_DEFAULT_TEXTS[role]
    return ServedCertificateSettings(
        event_id=event.id, role=role, role_text=role_text, body_text=body_text, last_seq=0
    )


def all_role_settings(event: Event) -> dict[str, ServedCertificateSettings]:
    return {role: role_settings(event, role) for role in SERVED_ROLES}


def number_pattern(event: Event, role: str) -> str:
    """The role's number pattern: the event's, with the role's mark after the code."""
    return served_format(get_settings(event).number_format, SERVED_MARKS[role])


def served_number(event: Event, role: str, seq: int) -> str:
    return format_number(
        number_pattern(event, role),
        seq=seq,
        code=event.code,
        day=issue_day(event, get_settings(event)),
    )


def served_design(event: Event, role: str) -> Design:
    """The participants' design (signatories, images, place and date) with the role's texts."""
    settings = role_settings(event, role)
    return replace(design_for(event), role_text=settings.role_text, body_text=settings.body_text)


def preview_pdf(event: Event, role: str, person: ServedPerson, base: str | None = None) -> bytes:
    """What ``person``'s certificate will look like, with the next number, before issuing."""
    code = "CONTOH" + "X" * (CODE_LENGTH - 6)
    sheet = Sheet(
        name=person.name,
        number=served_number(event, role, role_settings(event, role).last_seq + 1),
        code=code,
        url=verification_url(code, base),
        event_title=event.title,
        start_date=event.start_date,
        end_date=event.end_date,
        total_jp=person.total_jp,
        minutes_per_jp=event.minutes_per_jp,
        modules=tuple(person.modules),
        subject=served_subject(role, [title for title, _jp in person.modules]),
    )
    return render(served_design(event, role), [sheet], title=f"Contoh sertifikat {event.code}")


def own_served_certificates(user) -> list[Certificate]:
    """The certificates in force of someone who served with a staff account: those of the
    contributor rows linked to the account (``Contributor.user_id``), newest event first."""
    rows = db.session.execute(
        sa.select(Contributor.event_id, Contributor.role, Contributor.name).where(
            Contributor.user_id == user.id
        )
    ).all()
    wanted = {(event_id, role, holder_key(name)) for event_id, role, name in rows}
    if not wanted:
        return []
    found = db.session.scalars(
        sa.select(Certificate)
        .where(
            Certificate.event_id.in_({event_id for event_id, _role, _key in wanted}),
            Certificate.holder_key.in_({key for _event, _role, key in wanted}),
            Certificate.revoked_at.is_(None),
        )
        .order_by(Certificate.start_date.desc(), Certificate.event_id.desc(), Certificate.seq)
    )
    return [c for c in found if (c.event_id, c.role, c.holder_key) in wanted]


def own_served_certificate(user, certificate_id) -> Certificate:
    """One of ``own_served_certificates``; anyone else's, a revoked one or a missing id is
    the same 404 (nobody learns ids)."""
    for certificate in own_served_certificates(user):
        if str(certificate.id) == str(certificate_id):
            return certificate
    raise NotFound(_("Sertifikat tidak ditemukan."), code="unknown_certificate")
