"""Account claim (aktivasi akun) and password recovery (lupa kata sandi) for participants.

A participant proves they are the person behind a NIK with something only they were given:

* the ticket code of any of their registrations (printed on the ticket and the badge, and
  sent by the organizer), or
* a one-time activation code a manager of one of their events generates for them (shown
  once, stored hashed, valid ``ACTIVATION_CODE_DAYS`` days, used once; a new one replaces
  the last).

Then they choose a password and are logged in; every other session of the account ends.
Claim and recovery are the same operation (an account without a password is "claimed"),
so the answer never tells whether a NIK has an account, or a password. Wrong proofs are
counted per address (the pages' flask-limiter decorator) and per code value tried
(``throttle.recovery_failed``), never per NIK: whatever others tried, the owner's real
ticket or a fresh activation code works (auth/throttle.py has the arithmetic).
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.auth import services, throttle
from bimtek.auth.models import ActivationCode, User
from bimtek.auth.passwords import WeakPassword, check_new_password, personal_words
from bimtek.auth.sessions import end_sessions
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput, ServiceError
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.registration import TICKET_ALPHABET
from bimtek.participants.signals import account_link_requested

#: 12 characters of the ticket alphabet: 60 bits, typed from paper in three groups of four
ACTIVATION_LENGTH = 12


class ProofRefused(InvalidInput):
    code = "proof_refused"


class TooManyAttempts(ServiceError):
    code = "too_many_attempts"
    status = 429


def normalise_code(raw) -> str:
    """Upper case, without the spaces and dashes people type between groups."""
    return "".join(ch for ch in str(raw or "").upper() if ch.isalnum())[:64]


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue_activation_code(
    participant: Participant,
    *,
    actor: User | None,
    channel: str = "web",
    lifetime: timedelta | None = None,
) -> tuple[ActivationCode, str]:
    """A new one-time code for the account of ``participant``; the plain code is returned
    only here. Earlier unused codes of that account stop working."""
    user = participant.user
    if user is None or user.role != "participant":
        raise InvalidInput(_("Peserta ini tidak punya akun peserta."))
    now = utcnow()
    db.session.execute(
        sa.update(ActivationCode)
        .where(ActivationCode.user_id == user.id, ActivationCode.used_at.is_(None))
        .values(used_at=now)
    )
    plain = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(ACTIVATION_LENGTH))
    code = ActivationCode(
        user_id=user.id,
        code_hash=_hash(plain),
        created_by_id=getattr(actor, "id", None),
        created_at=now,
        expires_at=now + (lifetime or timedelta(days=current_app.config["ACTIVATION_CODE_DAYS"])),
    )
    db.session.add(code)
    db.session.flush()
    record(
        "user.activation_code",
        actor=actor,
        channel=channel,
        event_id=participant.event_id,
        target=user,
        details={"participant_id": participant.id, "expires_at": code.expires_at.isoformat()},
    )
    return code, format_code(plain)


# --- the email route: a one-time link to the address on file -------------------------------


def issue_link_code(participant: Participant) -> tuple[str, object]:
    """The code of a link being mailed (by the notification job): a fresh activation code
    valid ``ACCOUNT_LINK_HOURS``. Returns the plain code (for the message only) and expiry."""
    hours = current_app.config["ACCOUNT_LINK_HOURS"]
    code, plain = issue_activation_code(
        participant, actor=None, channel="email", lifetime=timedelta(hours=hours)
    )
    return plain, code.expires_at


def _link_recipient(identifier: str) -> Participant | None:
    """The registration whose email address receives the link for ``identifier`` (a NIK or
    an email address): the latest one with an address, of an active participant account."""
    query = sa.select(Participant).join(User, User.id == Participant.user_id)
    query = query.where(User.role == "participant", User.active.is_(True))
    if "@" in identifier:
        query = query.where(sa.func.lower(Participant.email) == identifier)
    else:
        query = query.where(User.nik == identifier)
    query = query.where(Participant.email.is_not(None), Participant.email != "")
    return db.session.scalar(query.order_by(Participant.id.desc()).limit(1))


def identifier_key(raw) -> str:
    """A NIK as its digits, an email address in lower case; "" for anything else."""
    text = str(raw or "").strip()[:254]
    if "@" in text:
        return text.lower()
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) == 16 else ""


def request_link(raw_identifier, *, address: str, channel: str = "web") -> None:
    """Mail a one-time claim/recovery link to the address on file for a NIK or an email.

    Says nothing to the caller, whatever happens: an unknown NIK, one without an address,
    and one over ``RATELIMIT_ACCOUNT_LINK`` (per identifier typed and per account) look the
    same as a link sent.
    """

    identifier = identifier_key(raw_identifier)
    if not identifier or not throttle.link_allowed(identifier):
        return
    participant = _link_recipient(identifier)
    if participant is None or not throttle.link_allowed(f"user:{participant.user_id}"):
        return
    record(
        "user.account_link",
        actor=None,
        channel=channel,
        event_id=participant.event_id,
        target=participant.user,
        details={"participant_id": participant.id, "ip": address},
    )
    account_link_requested.send(participant)
    db.session.flush()


def send_link_by_manager(participant: Participant, *, actor: User, channel: str = "web") -> None:
    """A manager mails the participant a one-time claim/recovery link (instead of a printed
    code); the code is made when the message is written, and replaces earlier ones."""

    user = participant.user
    if user is None or user.role != "participant":
        raise InvalidInput(_("Peserta ini tidak punya akun peserta."))
    if not participant.email:
        raise InvalidInput(_("Peserta ini tidak punya alamat email."))
    record(
        "user.account_link",
        actor=actor,
        channel=channel,
        event_id=participant.event_id,
        target=user,
        details={"participant_id": participant.id},
    )
    account_link_requested.send(participant)
    db.session.flush()


def _proven_account(nik: str, code: str) -> tuple[User, ActivationCode | None] | None:
    """The account of ``nik`` if ``code`` is one of its ticket codes or a live activation
    code of it (returned too, to be used up)."""
    user = db.session.scalar(sa.select(User).where(User.nik == nik, User.role == "participant"))
    ticket_owner = db.session.scalar(
        sa.select(Participant.user_id).where(
            Participant.ticket_code == code, Participant.nik == nik
        )
    )
    activation = db.session.scalar(
        sa.select(ActivationCode).where(
            ActivationCode.code_hash == _hash(code),
            ActivationCode.used_at.is_(None),
            ActivationCode.expires_at > utcnow(),
        )
    )
    if user is None or not user.active:
        return None
    if ticket_owner == user.id:
        return user, None
    if activation is not None and activation.user_id == user.id:
        return user, activation
    return None


def _check_choice(nik: str, password: str, confirm: str) -> None:
    """The participant password rules, before the account is known (nothing is revealed)."""
    try:
        check_new_password(password, staff=False, user_inputs=personal_words(nik=nik))
    except WeakPassword as problem:
        raise InvalidInput(
            problem.message, code=problem.code, fields={"password": problem.message}
        ) from None
    if password != confirm:
        message = _("Konfirmasi kata sandi tidak sama.")
        raise InvalidInput(message, fields={"confirm": message})


def recover_account(
    nik: str, code: str, password: str, confirm: str, *, address: str, channel: str = "web"
) -> User:
    """Set the password of the account of ``nik`` once ``code`` proves who is asking.

    Raises InvalidInput (the password), TooManyAttempts or ProofRefused, the last with one
    message whether the NIK is unknown, the code wrong, used or expired.
    """
    nik = "".join(ch for ch in str(nik or "") if ch.isdigit())[:16]
    code = normalise_code(code)
    minutes = throttle.recovery_lock(code)
    if minutes:
        raise TooManyAttempts(
            _(
                "Terlalu banyak percobaan yang salah dengan kode ini. Coba lagi dalam %(n)s "
                "menit, atau minta kode aktivasi baru kepada panitia.",
                n=minutes,
            )
        )
    _check_choice(nik, password, confirm)
    proven = _proven_account(nik, code) if nik and code else None
    if proven is None:
        throttle.recovery_failed(code)
        message = _(
            "NIK atau kode tidak cocok. Periksa kode tiket (di tiket atau kartu peserta) "
            "atau kode aktivasi dari panitia."
        )
        raise ProofRefused(message, fields={"code": message})
    user, activation = proven
    # the same rule as a change, now that the person (name, email) is known
    services.check_password_choice(user, password, confirm, field="password")
    claimed = not user.password_hash
    user.set_password(password)
    user.must_change_password = False
    if activation is not None:
        activation.used_at = utcnow()
    end_sessions(user)
    record(
        "user.claim" if claimed else "user.recover",
        actor=user,
        channel=channel,
        target=user,
        details={"proof": "activation_code" if activation else "ticket_code", "ip": address},
    )
    db.session.flush()
    throttle.account_recovered(nik, address)
    return user
