"""The SPJ's part of an event's personal-data purge and of a person's data download
(UU 27/2022; ``bimtek.privacy`` calls both).

What the purge erases: the NIP and the name of each narasumber on the honor rows (the name
becomes "Narasumber 1", "Narasumber 2"… in the order they were entered), the note of a
kontribusi payment (free text that may name who paid), and the dokumentasi photos with their
captions and stored files (faces of people, and captions that may name them). The SPJ's audit
rows lose the same: the names and NIPs that the honor rows' entries (added, changed,
deleted) and the captions that the photos' entries hold are erased there too, a name that
still has its honor row becoming that row's "Narasumber N"; every other detail (amounts, JP,
office, counts, bytes, numbers, agencies, a correction's reason) stays. (The note of a
payment is not written to the audit log.) Letters hold no
personal data of their own: a letter row keeps its number, date and subject (an agency, or a
participant's id), and its text is drawn from the event's data when downloaded, so after the
purge it shows what the purge left (names, jabatan, instansi; no NIK or NIP).

What stays, for the auditor (BPK, the inspektorat) who checks the SPJ: every amount (rates,
the daftar penerimaan per day with its totals, honor gross, PPh 21 withheld and net,
tagihan and payments with their dates and method), every count, every letter and tagihan
number, and the agencies' names; the office of each narasumber and whether they were taxed
as an ASN by golongan (the rule applied to the tax); the participants' names, as the rest of
the purge keeps them. A participant's rate group under the basis "asal" is frozen
(``FrozenOrigin``) before the purge erases their kecamatan, so the daftar penerimaan pays the
same amounts after it. The signature blocks (name, office, NIP, stamp of the officials who
sign) stay: they are the organizer's officials signing in office, as the certificate
signatories are, not data collected from the event's participants or speakers, and every
document printed later still needs them.
"""

import copy

import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.audit.services import CORRECTION_SUFFIX
from bimtek.events.models import Event, Session
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.spj import dokumentasi, money
from bimtek.spj.models import FrozenOrigin, Honorarium, Invoice, Letter, Photo

#: the SPJ's audit actions whose details name a narasumber (and corrections of them)
HONOR_ACTIONS = ("spj.honor_add", "spj.honor_change", "spj.honor_delete")
#: the SPJ's audit actions whose details hold a photo's caption
PHOTO_ACTIONS = ("spj.photo_add", "spj.photo_delete")


def purge_spj(event: Event) -> dict:
    """Erase the SPJ's personal data of ``event``; call before the participants' kecamatan
    are erased. Flushes; the caller commits and audits. Returns what was done."""
    home = money.home_districts(money.get_money_settings(event))
    frozen = set(
        db.session.scalars(
            sa.select(FrozenOrigin.participant_id)
            .join(Participant, Participant.id == FrozenOrigin.participant_id)
            .where(Participant.event_id == event.id)
        )
    )
    for person in db.session.scalars(
        sa.select(Participant).where(Participant.event_id == event.id)
    ):
        if person.id not in frozen:
            db.session.add(
                FrozenOrigin(participant_id=person.id, origin=money.origin_of(person, home))
            )
    honoraria = list(
        db.session.scalars(
            sa.select(Honorarium).where(Honorarium.event_id == event.id).order_by(Honorarium.id)
        )
    )
    pseudonyms = {}
    for number, honor in enumerate(honoraria, start=1):
        honor.name = pseudonyms[honor.id] = f"Narasumber {number}"
        honor.nip = ""
    db.session.execute(
        sa.update(Invoice).where(Invoice.event_id == event.id).values(payment_note="")
    )
    photos = list(
        db.session.scalars(
            sa.select(Photo)
            .join(Session, Session.id == Photo.session_id)
            .where(Session.event_id == event.id)
        )
    )
    db.session.flush()
    return {
        "honoraria": len(honoraria),
        "photos": dokumentasi.forget_photos(photos),
        "audit_entries": _forget_in_audit(event, pseudonyms),
    }


def _forget_in_audit(event: Event, pseudonyms: dict[int, str]) -> int:
    """Erase the names, NIPs and captions from ``event``'s SPJ audit rows; a name of an
    honor row that is still there becomes its pseudonym, any other ''. How many rows."""
    actions = [
        action + suffix for action in HONOR_ACTIONS for suffix in ("", CORRECTION_SUFFIX)
    ] + list(PHOTO_ACTIONS)
    count = 0
    for entry in db.session.scalars(
        sa.select(AuditLog).where(AuditLog.event_id == event.id, AuditLog.action.in_(actions))
    ):
        details = copy.deepcopy(entry.details) if isinstance(entry.details, dict) else {}
        if entry.action.removesuffix(CORRECTION_SUFFIX) in HONOR_ACTIONS:
            pseudonym = (
                pseudonyms.get(entry.target_id, "") if entry.target_type == "honorarium" else ""
            )
            _forget(details, "name", pseudonym)
            _forget(details, "nip", "")
            changes = details.get("changes")
            if isinstance(changes, dict):
                _forget(changes, "name", pseudonym)
                _forget(changes, "nip", "")
        else:
            _forget(details, "caption", "")
        if details != entry.details:
            entry.details = details
            count += 1
    db.session.flush()
    return count


def _forget(details: dict, key: str, replacement: str) -> None:
    """``details[key]`` (a value, or a change's [before, after]) with each value given
    replaced by ``replacement``; an empty one stays empty."""
    if key not in details:
        return
    value = details[key]
    if isinstance(value, list):
        details[key] = [replacement if item else item for item in value]
    elif value:
        details[key] = replacement


def spj_of(person: Participant) -> dict:
    """What the SPJ holds about one participant: the money received each day and their
    surats keterangan. Reads only."""
    event = person.event
    received = [
        {
            "day": day_list.day.isoformat(),
            "transport": row.transport,
            "saku": row.saku,
            "harian": row.harian,
            "total": row.total,
        }
        for day_list in money.penerimaan(event)
        for row in day_list.rows
        if row.participant.id == person.id
    ]
    statements = db.session.scalars(
        sa.select(Letter)
        .where(
            Letter.event_id == event.id,
            Letter.kind == "keterangan",
            Letter.subject == str(person.id),
        )
        .order_by(Letter.seq)
    )
    return {
        "received": received,
        "statements": [
            {"number": letter.number, "issued_on": letter.issued_on.isoformat()}
            for letter in statements
        ],
    }
