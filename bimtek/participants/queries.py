"""Reads about participants: counts and seats left, the waitlist's order and positions, the
search behind the lists, one person's registrations (and the one loader of a registration
of theirs, ``own_participant``), who may download a material. Nothing
here writes.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.auth.models import User
from bimtek.core.database import get_by_id
from bimtek.errors import NotFound
from bimtek.events.access import may
from bimtek.events.models import Event, Material
from bimtek.extensions import db
from bimtek.participants import search as search_keys
from bimtek.participants.models import Participant


def count_registered(event_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Participant)
        .where(Participant.event_id == event_id, Participant.status == "registered")
    )


def status_counts(event_id: int) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Participant.status, sa.func.count())
        .where(Participant.event_id == event_id)
        .group_by(Participant.status)
    )
    counts = dict.fromkeys(("registered", "waitlisted", "cancelled"), 0)
    counts.update(dict(rows.all()))
    return counts


def seats_left(event: Event) -> int:
    return max(0, event.capacity - count_registered(event.id))


def seats_left_of(events: list[Event]) -> dict[int, int]:
    """Event id → seats left, for a list of events in one query (not one per event)."""
    ids = [event.id for event in events]
    registered = (
        dict(
            db.session.execute(
                sa.select(Participant.event_id, sa.func.count(Participant.id))
                .where(Participant.event_id.in_(ids), Participant.status == "registered")
                .group_by(Participant.event_id)
            ).all()
        )
        if ids
        else {}
    )
    return {event.id: max(0, event.capacity - registered.get(event.id, 0)) for event in events}


#: the waitlist's order: the registration number (taken under the event lock), except for a
#: reactivated registration, which joins at the end (``waitlist_seq``); ties keep the number
WAITLIST_KEY = sa.func.coalesce(Participant.waitlist_seq, Participant.registration_number)
WAITLIST_ORDER = (WAITLIST_KEY, Participant.registration_number)


def waitlist_position(participant: Participant) -> int | None:
    if participant.status != "waitlisted":
        return None
    key = participant.waitlist_seq or participant.registration_number
    ahead = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Participant)
        .where(
            Participant.event_id == participant.event_id,
            Participant.status == "waitlisted",
            sa.or_(
                WAITLIST_KEY < key,
                sa.and_(
                    WAITLIST_KEY == key,
                    Participant.registration_number < participant.registration_number,
                ),
            ),
        )
    )
    return ahead + 1


def find_by_ticket(code: str) -> Participant | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    return db.session.scalar(sa.select(Participant).where(Participant.ticket_code == code))


PARTICIPANT_SORTS = {
    "number": Participant.registration_number,
    "name": Participant.sort_name,
    "institution": sa.func.lower(Participant.institution),
}


def participant_query(
    event_id: int,
    *,
    search: str = "",
    category: str = "",
    status: str = "",
    sort: str = "number",
    personal: bool = True,
):
    """The select behind the admin list, the desk search and the API: search by name, NIK,
    number, institution (and phone).

    With ``personal=False`` (someone who may not see personal data, see
    ``participants.visibility``) a NIK matches only in full and the phone is not searched, so
    neither can be read out digit by digit.
    """
    query = sa.select(Participant).where(Participant.event_id == event_id)
    term = " ".join((search or "").split())[:100]
    if term:
        conditions = [Participant.id.in_(_matching_ids(event_id, term, personal=personal))]
        digits = term.replace(" ", "")
        if personal and digits.isascii() and digits.isdigit():
            conditions.append(Participant.nik.like(f"{digits}%"))
        elif len(digits) == 16 and digits.isascii() and digits.isdigit():
            conditions.append(Participant.nik == digits)
        tail = term.rsplit("-", 1)[-1]
        if tail.isascii() and tail.isdigit() and len(tail) <= 6:
            conditions.append(Participant.registration_number == int(tail))
        query = query.where(sa.or_(*conditions))
    if category:
        query = query.where(Participant.institution_category == category)
    if status:
        query = query.where(Participant.status == status)
    order = PARTICIPANT_SORTS.get(sort, Participant.registration_number)
    return query.order_by(order, Participant.id)


def _matching_ids(event_id: int, term: str, *, personal: bool) -> list[int]:
    """The participants of the event whose name or institution (or, with ``personal``, phone)
    matches ``term`` by the rules of ``participants.search``.

    Compared in Python over the event's rows (id, name, institution, phone), the keys cached
    (participants.search): the same on PostgreSQL and SQLite; a whole search of an event of
    3000 takes a median 10-25 ms on the shared test box (bench/search.py). Beyond some ten
    thousand rows per event a normalised search column maintained on write would pay off."""
    phone = search_keys.phone_term(term) if personal else ""
    whole, bare = search_keys.term_keys(term)
    if not whole and not phone:
        return []
    rows = db.session.execute(
        sa.select(
            Participant.id, Participant.full_name, Participant.institution, Participant.phone
        ).where(Participant.event_id == event_id)
    )
    found = []
    for row in rows:
        if whole:
            name_whole, name_bare = search_keys.name_keys(row.full_name)
            place = search_keys.name_keys(row.institution or "")[0]
            if whole in name_whole or bare in name_bare or whole in place:
                found.append(row.id)
                continue
        if phone and phone in search_keys.phone_key(row.phone or ""):
            found.append(row.id)
    return found


def list_participants(event_id: int, **filters) -> list[Participant]:
    """The participants of ``participant_query`` (same filters), as a list."""
    return list(db.session.scalars(participant_query(event_id, **filters)))


def own_participant(participant_id, user) -> Participant:
    """The registration ``participant_id`` when it is ``user``'s; NotFound (404) for anyone
    else's, the same answer as for an id that does not exist, so nobody learns which ids
    exist. Every page of the participant portal loads its registration here."""
    participant = get_by_id(Participant, participant_id)
    if (
        participant is None
        or user is None
        or participant.user_id is None
        or participant.user_id != user.id
    ):
        raise NotFound(_("Peserta tidak ditemukan."), code="unknown_participant")
    return participant


def registrations_of(user: User) -> list[Participant]:
    """Every registration of one person (their account), newest first."""
    return list(
        db.session.scalars(
            sa.select(Participant)
            .where(Participant.user_id == user.id)
            .order_by(Participant.created_at.desc())
        )
    )


def can_download_material(material: Material, user) -> bool:
    """Staff of the material's event, and participants registered in it."""
    if not user or not user.is_authenticated:
        return False
    if user.is_staff:
        return may(user, material.module.event, "panitia")
    return bool(
        db.session.scalar(
            sa.select(Participant.id).where(
                Participant.user_id == user.id,
                Participant.event_id == material.module.event_id,
                Participant.status == "registered",
            )
        )
    )
