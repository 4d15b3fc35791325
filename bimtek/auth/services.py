"""Accounts, passwords and API tokens."""

import re
import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from bimtek.audit.services import record
from bimtek.auth import passwords
from bimtek.auth.models import ROLES, User
from bimtek.auth.passwords import WeakPassword, check_new_password
from bimtek.auth.sessions import end_sessions
from bimtek.core.timeutil import utcnow
from bimtek.errors import Conflict, InvalidInput, NotFound
from bimtek.extensions import db

LOGIN_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def login_key(identifier: str) -> str:
    """The account name as the login counts it: a lowercased email, or a NIK's digits."""
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return identifier.lower()[:254]
    return "".join(ch for ch in identifier if ch.isdigit())[:32]


def find_login(identifier: str) -> User | None:
    """Staff log in with their email; participants with their NIK."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        return db.session.scalar(
            sa.select(User).where(sa.func.lower(User.email) == identifier.lower())
        )
    digits = "".join(ch for ch in identifier if ch.isdigit())
    return db.session.scalar(sa.select(User).where(User.nik == digits)) if digits else None


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash made with the configured method, checked when there is no account's to check."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
    return _DUMMY_HASHES[method]


def authenticate(identifier: str, password: str) -> User | None:
    """The active account with this login name and password, else None.

    Exactly one hash is checked, with the configured method, whether the account exists,
    has no password yet or is inactive: the time taken tells nothing about the account.
    """
    user = find_login(identifier)
    stored = user.password_hash if user is not None and user.password_hash else None
    matches = check_password_hash(stored or _dummy_hash(), password or "")
    if user is None or stored is None or not matches or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def clean_login_email(raw) -> str:
    """A staff login name: an address in form only, so in-house domains (.local) work."""
    email = str(raw or "").strip().lower()
    if not LOGIN_EMAIL.match(email):
        message = "Email tidak valid." if email else "Email wajib diisi."
        raise InvalidInput(message, fields={"email": message})
    return email


def one_time_password() -> str:
    return secrets.token_urlsafe(9)


def create_user(
    email: str, *, role: str, full_name: str = "", actor: User | None = None, channel: str = "cli"
) -> tuple[User, str]:
    """Create a staff account with a one-time password, returned once to hand over.

    ``role`` is "admin" (install-wide) or "staff" (rights given per event, see
    ``bimtek.staff.assignments.assign_staff``).
    """
    if role not in ROLES or role == "participant":
        raise InvalidInput(_("Peran harus admin atau staff."), fields={"role": role})
    email = clean_login_email(email)
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == email.lower())):
        raise Conflict(_("Pengguna %(email)s sudah ada.", email=email), code="user_exists")
    user = User(email=email, role=role, full_name=full_name or email.split("@")[0])
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    db.session.add(user)
    db.session.flush()
    record("user.create", actor=actor, channel=channel, target=user, details={"role": role})
    return user, password


def reset_password(
    user: User, *, actor: User | None = None, channel: str = "cli", revoke_tokens: bool = True
) -> str:
    """A new one-time password for a staff member; every session of theirs ends, and with
    ``revoke_tokens`` (the default) every API token too."""
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    end_sessions(user)
    revoked = revoke_tokens_of(user, actor=actor, channel=channel) if revoke_tokens else 0
    record(
        "user.reset_password",
        actor=actor,
        channel=channel,
        target=user,
        details={"tokens_revoked": revoked},
    )
    db.session.flush()
    return password


def personal_words(user: User) -> list[str]:
    """What a password of this person must not be built from."""
    return passwords.personal_words(full_name=user.full_name, email=user.email, nik=user.nik)


def check_password_choice(user: User, new: str, confirm: str, *, field: str = "new") -> str:
    """``new`` if it may become ``user``'s password (rules in auth/passwords.py)."""
    try:
        check_new_password(new, staff=user.is_staff, user_inputs=personal_words(user))
    except WeakPassword as problem:
        raise InvalidInput(
            problem.message, code=problem.code, fields={field: problem.message}
        ) from None
    if user.password_hash and user.check_password(new):
        message = _("Kata sandi baru tidak boleh sama dengan kata sandi lama.")
        raise InvalidInput(message, fields={field: message})
    if new != confirm:
        message = _("Konfirmasi kata sandi tidak sama.")
        raise InvalidInput(message, fields={"confirm": message})
    return new


def change_password(user: User, current: str, new: str, confirm: str) -> None:
    """The person's own change (also the forced one after a one-time password).

    The one-time password itself is refused, as is any common password; every other
    session of the account ends (the caller logs this browser in again).
    """
    if not user.check_password(current or ""):
        message = _("Kata sandi lama salah.")
        raise InvalidInput(message, fields={"current": message})
    check_password_choice(user, new, confirm)
    user.set_password(new)
    user.must_change_password = False
    end_sessions(user)
    record("user.change_password", actor=user, channel="web", target=user)
    db.session.flush()


def log_out_everywhere(user: User, *, channel: str = "web", revoke_tokens: bool = True) -> None:
    """End every session of ``user``, this browser's too, and with ``revoke_tokens`` (the
    default) every API token of theirs: a lost phone may hold a scanner's token."""
    end_sessions(user)
    revoked = revoke_tokens_of(user, actor=user, channel=channel) if revoke_tokens else 0
    record(
        "user.logout_everywhere",
        actor=user,
        channel=channel,
        target=user,
        details={"tokens_revoked": revoked},
    )
    db.session.flush()


def user_by_email(email: str) -> User:
    user = db.session.scalar(
        sa.select(User).where(sa.func.lower(User.email) == (email or "").strip().lower())
    )
    if user is None:
        raise NotFound(_("Pengguna %(email)s tidak ditemukan.", email=email))
    return user


# API tokens live in bimtek.auth.tokens; these names stay importable from here.
from bimtek.auth.tokens import (  # noqa: E402,F401 (callers import them from here)
    TOKEN_PREFIX,
    hash_token,
    issue_api_token,
    revoke_api_token,
    revoke_tokens_of,
    user_for_token,
)
