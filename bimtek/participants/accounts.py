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
counted per NIK (``throttle.recovery_failed``), requests per address by flask-limiter.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.auth import throttle
from bimtek.auth.models import ActivationCode, User
from bimtek.auth.passwords import WeakPassword, check_new_password
from bimtek.auth.sessions import end_sessions
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput, ServiceError
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.services import TICKET_ALPHABET

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
    participant: Participant, *, actor: User, channel: str = "web"
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
        expires_at=now + timedelta(days=current_app.config["ACTIVATION_CODE_DAYS"]),
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
        check_new_password(password, staff=False, user_inputs=[nik])
    except WeakPassword as problem:
        raise InvalidInput(problem.message, fields={"password": problem.message}) from None
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
    minutes = throttle.recovery_lock(nik)
    if minutes:
        raise TooManyAttempts(
            _(
                "Terlalu banyak percobaan untuk NIK ini. Coba lagi dalam %(n)s menit, atau "
                "minta kode aktivasi baru kepada panitia.",
                n=minutes,
            )
        )
    _check_choice(nik, password, confirm)
    proven = _proven_account(nik, code) if nik and code else None
    if proven is None:
        throttle.recovery_failed(nik)
        message = _(
            "NIK atau kode tidak cocok. Periksa kode tiket (di tiket atau kartu peserta) "
            "atau kode aktivasi dari panitia."
        )
        raise ProofRefused(message, fields={"code": message})
    user, activation = proven
    if user.password_hash and user.check_password(password):
        message = _("Kata sandi baru tidak boleh sama dengan kata sandi lama.")
        raise InvalidInput(message, fields={"password": message})
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
    throttle.account_recovered(nik)
    return user
