"""Registration and the waitlist: who gets a seat, and who waits for one.

``_seat`` is the one function that decides whether a new registrant gets a seat or a
waitlist place ("why was this person put on the waitlist?"); ``fill_from_waitlist`` gives
freed and new seats to the waitlist in order. Cancelling and reactivating a registration
live in ``participants.cancellation``, the reads (counts, the waitlist's order and
positions) in ``participants.queries``.

Every change to who holds a seat in an event runs under that event's row lock (see
``lock_event``), so capacity holds even when hundreds register in the same second, on
PostgreSQL (row lock) and SQLite (the database write lock) alike.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from bimtek.audit.services import record
from bimtek.auth.models import User, hash_password
from bimtek.auth.passwords import WeakPassword
from bimtek.core.timeutil import format_datetime, utcnow, zone_abbreviation
from bimtek.errors import Conflict, Forbidden, InvalidInput
from bimtek.events.access import may
from bimtek.events.models import Event
from bimtek.events.services import update_event
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.queries import WAITLIST_ORDER, count_registered, status_counts
from bimtek.participants.signals import participant_promoted, participant_registered
from bimtek.participants.validation import clean_registration

TICKET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TICKET_LENGTH = 16  # 80 bits
REASON_MAX = 500
#: where a person registers themself (no staff in between)
OWNER_CHANNELS = ("public", "api")


class RegistrationClosed(Forbidden):
    code = "registration_closed"


class DuplicateNik(Conflict):
    code = "duplicate_nik"


class OverCapacityRefused(Forbidden):
    code = "over_capacity_refused"


class AccountExists(Conflict):
    """A public registration for a NIK that already has an account: its owner must log in."""

    code = "account_exists"


class EventFull(Conflict):
    code = "event_full"


@dataclass(frozen=True)
class RegistrationOutcome:
    participant: Participant
    #: for a waitlisted registrant, their place in the queue (1 = next to get a seat)
    waitlist_position: int | None
    #: the account already existed (same NIK) and kept its password
    existing_account: bool


def new_ticket_code() -> str:
    """An unguessable code a keyboard-wedge scanner can type: no 0/O or 1/I to confuse."""
    return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))


def lock_event(event_id: int, *, take: int = 0) -> int:
    """Take the event's row lock for the rest of the transaction; return the registration seq.

    This must be the transaction's first write. With ``take`` the event's registration
    counter is advanced by that many numbers and the last one returned.
    """
    return db.session.execute(
        sa.update(Event)
        .where(Event.id == event_id)
        .values(registration_seq=Event.registration_seq + take)
        .returning(Event.registration_seq)
    ).scalar_one()


def check_registration_window(event: Event, now: datetime) -> None:
    state = event.registration_state(now)
    if not event.published:
        raise RegistrationClosed(_("Kegiatan ini tidak menerima pendaftaran."))
    if state == "not_yet":
        opens = event.local(event.registration_opens_at)
        raise RegistrationClosed(
            _(
                "Pendaftaran belum dibuka. Dibuka %(when)s.",
                when=format_datetime(opens, zone_abbreviation(event.timezone)),
            )
        )
    if state == "closed":
        raise RegistrationClosed(_("Pendaftaran sudah ditutup."))


@dataclass(frozen=True)
class RegistrationTerms:
    """How a registration arrives, apart from the person's own data: through which
    ``channel`` ("public", "api", "admin", "import", "cli", "desk"), by which staff ``actor``
    or logged-in participant ``account``, with what consent, and what it may do (skip the
    registration window, need a seat, go past capacity with a manager's reason)."""

    channel: str = "public"
    actor: User | None = None
    account: User | None = None
    consent: bool | None = None
    password_required: bool = False
    enforce_window: bool = True
    seat_required: bool = False
    over_capacity_reason: str = ""
    now: datetime | None = None


def register(
    event: Event, data, terms: RegistrationTerms = RegistrationTerms()
) -> RegistrationOutcome:
    """Register a person for an event: a seat while there is one, else the waitlist.

    ``data`` holds the raw form or JSON values; they are checked here. ``account`` is the
    logged-in participant registering themself: their own NIK is used, whatever was sent.
    Without one, a registration from the public (``channel`` "public" or "api") may only
    create a new account: a NIK that already has one raises AccountExists (its owner logs
    in or claims it first), so nobody gets hold of, or changes, somebody else's account.
    Organizers (import, CLI, admin) may register a NIK that has an account; the account is
    never changed. ``consent`` (the form's checkbox, the API's ``consent: true``) must be
    true when given; its time is stored. ``over_capacity_reason``: a seat even when the
    event is full, only for an ``actor`` who manages the event, with the reason audited
    (OverCapacityRefused otherwise). With ``seat_required`` (a walk-in at the desk) a full
    event raises EventFull instead of waitlisting, unless a manager gives that reason.
    Raises InvalidInput (with the failing fields), RegistrationClosed, AccountExists,
    DuplicateNik, EventFull or OverCapacityRefused.
    """
    now = terms.now or utcnow()
    channel, actor, account, consent = terms.channel, terms.actor, terms.account, terms.consent
    seat_required, password_required = terms.seat_required, terms.password_required
    over_capacity_reason = " ".join(str(terms.over_capacity_reason or "").split())
    if over_capacity_reason:
        _check_over_capacity(event, actor, over_capacity_reason, walk_in=seat_required)
    if account is not None:
        data = {**data, "nik": account.nik, "password": ""}
        password_required = False
    elif actor is not None:  # staff never choose a participant's password
        data = {**data, "password": ""}
    values, errors = clean_registration(data, password_required=password_required, today=now.date())
    if consent is not None and not consent:
        errors["consent"] = _("Persetujuan pemrosesan data pribadi wajib diberikan.")
    if errors:
        # the password alone refused: one code the API's callers can act on
        code = WeakPassword.code if set(errors) == {"password"} else None
        raise InvalidInput(_("Periksa kembali isian yang ditandai."), code=code, fields=errors)
    if terms.enforce_window:
        check_registration_window(event, now)
    password = values.pop("password")
    if consent:
        values["consented_at"] = now
    # hashing is slow on purpose: do it before taking the event lock, not while holding it
    password_hash = hash_password(password) if password else None
    return _seat(
        event,
        [(values, password_hash)],
        now=now,
        channel=channel,
        actor=actor,
        account=account,
        refuse_existing=account is None and channel in ("public", "api"),
        seat_required=seat_required,
        over_capacity_reason=over_capacity_reason,
    )[0]


def _check_over_capacity(event: Event, actor, reason: str, *, walk_in: bool = False) -> None:
    """Only a manager of the event seats someone beyond its capacity, and says why."""

    if actor is None or not may(actor, event, "manager"):
        if walk_in:
            _refuse_walk_in_over_capacity(event, actor)
        raise OverCapacityRefused(
            _("Hanya pengelola kegiatan yang dapat menambah peserta melebihi kapasitas.")
        )
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("Alasan paling banyak %(n)s karakter.", n=REASON_MAX),
            fields={"over_capacity_reason": _("Alasan terlalu panjang.")},
        )


def register_many(
    event: Event,
    rows: list,
    *,
    now: datetime | None = None,
    channel: str = "import",
    actor: User | None = None,
) -> list[RegistrationOutcome]:
    """Register many people at once (a spreadsheet import) by the rules of ``register``.

    Same checks, seats in the given order then the waitlist, accounts without a password,
    all under one event lock. The registration window is not checked (an organizer's
    action). Raises InvalidInput (``fields`` of the first bad row, message naming its 1-based
    index) or DuplicateNik; nothing is half-done as long as the caller rolls back on error.
    """
    now = now or utcnow()
    people = []
    for index, data in enumerate(rows, start=1):
        values, errors = clean_registration(data, today=now.date())
        if errors:
            raise InvalidInput(
                _("Data ke-%(index)s: periksa kembali isian.", index=index), fields=errors
            )
        values.pop("password")
        people.append((values, None))
    niks = [values["nik"] for values, _hash in people]
    if len(set(niks)) != len(niks):
        twice = next(nik for nik in niks if niks.count(nik) > 1)
        raise DuplicateNik(_("NIK %(twice)s muncul lebih dari sekali dalam daftar.", twice=twice))
    return _seat(event, people, now=now, channel=channel, actor=actor) if people else []


def _seat(
    event: Event,
    people: list[tuple[dict, str | None]],
    *,
    now,
    channel,
    actor,
    account: User | None = None,
    refuse_existing: bool = False,
    seat_required: bool = False,
    over_capacity_reason: str = "",
) -> list[RegistrationOutcome]:
    """Why a person got a seat or a waitlist place: the one place that decides it.

    Under the event lock, in the given order: a seat while ``capacity`` allows, else the end
    of the waitlist. ``people`` holds checked values and a password hash (or None) each; the
    hash only goes to an account created here, an existing account is never changed.

    Every path that puts a NIK into an event (form, API, walk-in, manager add, import, CLI)
    comes through here, and here each registration's ``proof_source`` is set: "owner" when
    the person registers themself (logged in as the account, or creating it), "staff"
    otherwise; ``participants.accounts`` decides from it what the ticket proves.
    """
    last_number = lock_event(event.id, take=len(people))
    niks = [values["nik"] for values, _hash in people]
    accounts = {u.nik: u for u in db.session.scalars(sa.select(User).where(User.nik.in_(niks)))}
    if account is not None:
        accounts[account.nik] = account
    elif refuse_existing and accounts:
        raise AccountExists(
            _(
                "NIK ini sudah punya akun. Masuk dengan NIK dan kata sandi Anda, atau "
                "pulihkan akun Anda di /akun/lupa-kata-sandi dengan kode tiket atau tautan "
                "email, untuk melanjutkan pendaftaran. Bila Anda belum pernah mendaftar "
                "dengan NIK ini, orang lain telah memakainya: datanglah ke panitia kegiatan "
                "dengan KTP asli Anda, mereka dapat menyerahkan akun ini kepada Anda."
            )
        )
    existing = db.session.scalar(
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.nik.in_(niks))
        .limit(1)
    )
    if existing is not None:
        duplicate = _duplicate(existing)
        if len(people) > 1:
            duplicate = DuplicateNik(
                _("NIK %(nik)s: %(message)s", nik=existing.nik, message=duplicate.message)
            )
        raise duplicate
    free = event.capacity - count_registered(event.id)
    within_capacity = free
    reason = " ".join((over_capacity_reason or "").split())
    if free < len(people):
        if reason:  # checked by register(): a manager of the event, with a reason
            free = len(people)
        elif seat_required:
            _refuse_walk_in_over_capacity(event, actor)
    else:
        reason = ""
    waiting = status_counts(event.id)["waitlisted"] if free < len(people) else 0
    seated = []
    for offset, (values, password_hash) in enumerate(people):
        user = accounts.get(values["nik"])
        existing_account = user is not None
        by_owner = account is not None or (
            user is None and (channel in OWNER_CHANNELS or password_hash is not None)
        )
        if user is None:
            user = User(
                nik=values["nik"],
                full_name=values["full_name"],
                role="participant",
                password_hash=password_hash,
            )
            db.session.add(user)
            accounts[user.nik] = user
        has_seat = offset < free
        participant = Participant(
            event_id=event.id,
            user=user,
            registration_number=last_number - len(people) + 1 + offset,
            ticket_code=new_ticket_code(),
            status="registered" if has_seat else "waitlisted",
            waitlisted_at=None if has_seat else now,
            created_at=now,
            proof_source="owner" if by_owner else "staff",
            **values,
        )
        db.session.add(participant)
        seated.append((participant, existing_account))
    try:
        db.session.flush()
    except IntegrityError:
        # only reachable if the lock was bypassed; the transaction is spoilt either way
        db.session.rollback()
        raise DuplicateNik(_("NIK ini sudah terdaftar pada kegiatan ini.")) from None
    outcomes = []
    for offset, (participant, existing_account) in enumerate(seated):
        details = {"status": participant.status}
        if reason and offset >= within_capacity:
            details["over_capacity_reason"] = reason
        record(
            "participant.register",
            actor=actor or participant.user,
            channel=channel,
            event_id=event.id,
            target=participant,
            details=details,
        )
        position = None
        if participant.status == "waitlisted":
            waiting += 1
            position = waiting  # the newest registrants stand at the end of the queue
        outcomes.append(RegistrationOutcome(participant, position, existing_account))
        participant_registered.send(participant)
    return outcomes


def _refuse_walk_in_over_capacity(event: Event, actor) -> None:
    """A walk-in at a full event: panitia are told it is full, a manager must give a reason."""

    if actor is None or not may(actor, event, "manager"):
        raise EventFull(
            _(
                "Kuota kegiatan sudah penuh. Hanya manajer kegiatan yang dapat menambah peserta "
                "melebihi kuota, dengan alasan."
            )
        )
    raise InvalidInput(
        _("Tulis alasan menambah peserta melebihi kuota."),
        fields={"over_capacity_reason": _("Alasan wajib diisi.")},
    )


def _duplicate(existing: Participant) -> DuplicateNik:
    if existing.status == "cancelled":
        return DuplicateNik(
            _(
                "NIK ini pernah terdaftar pada kegiatan ini dan pendaftarannya "
                "dibatalkan. Pengelola kegiatan (penyelenggara) dapat mengaktifkannya "
                "kembali: kursi bila masih ada, bila penuh di akhir daftar tunggu."
            )
        )
    return DuplicateNik(
        _(
            "NIK ini sudah terdaftar pada kegiatan ini. Masuk ke portal peserta "
            "untuk melihat tiket Anda."
        )
    )


def fill_from_waitlist(
    event: Event, *, actor: User | None, channel: str = "web", now: datetime | None = None
) -> list[Participant]:
    """Give free seats to the waitlist in order. The caller holds the event lock."""
    now = now or utcnow()
    free = event.capacity - count_registered(event.id)
    if free <= 0:
        return []
    queue = db.session.scalars(
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "waitlisted")
        .order_by(*WAITLIST_ORDER)
        .limit(free)
    ).all()
    for person in queue:
        person.status = "registered"
        person.promoted_at = now
        record(
            "participant.promote", actor=actor, channel=channel, event_id=event.id, target=person
        )
    db.session.flush()
    for person in queue:
        participant_promoted.send(person)
    return list(queue)


def change_event(event: Event, data, *, actor=None, channel: str = "web") -> Event:
    """Save an event's settings: its capacity never drops below its registered participants,
    and a larger capacity gives the new seats to the waitlist at once.

    Called, not subscribed: the count is taken under the event's lock (no registration slips
    in between the count and the change) and handed to ``events.services.update_event``,
    which refuses a smaller capacity; events sit below participants and cannot count them."""
    lock_event(event.id)
    updated = update_event(
        event, data, registered=count_registered(event.id), actor=actor, channel=channel
    )
    fill_from_waitlist(event, actor=actor, channel=channel)
    return updated
