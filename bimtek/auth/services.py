"""Accounts, passwords and API tokens."""

import re
import secrets

import sqlalchemy as sa

from bimtek.audit.services import record
from bimtek.auth.models import ROLES, User
from bimtek.core.timeutil import utcnow
from bimtek.errors import Conflict, InvalidInput, NotFound
from bimtek.extensions import db
from bimtek.participants.validation import FieldProblem, clean_password

LOGIN_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


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


def authenticate(identifier: str, password: str) -> User | None:
    user = find_login(identifier)
    if user is None or not user.active or not user.check_password(password or ""):
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
    ``bimtek.events.staff.assign_staff``).
    """
    if role not in ROLES or role == "participant":
        raise InvalidInput("Peran harus admin atau staff.", fields={"role": role})
    email = clean_login_email(email)
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == email.lower())):
        raise Conflict(f"Pengguna {email} sudah ada.", code="user_exists")
    user = User(email=email, role=role, full_name=full_name or email.split("@")[0])
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    db.session.add(user)
    db.session.flush()
    record("user.create", actor=actor, channel=channel, target=user, details={"role": role})
    return user, password


def reset_password(user: User, *, actor: User | None = None, channel: str = "cli") -> str:
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    record("user.reset_password", actor=actor, channel=channel, target=user)
    db.session.flush()
    return password


def change_password(user: User, current: str, new: str, confirm: str) -> None:
    if not user.check_password(current or ""):
        raise InvalidInput("Kata sandi lama salah.", fields={"current": "Kata sandi lama salah."})
    try:
        clean_password(new, required=True)
    except FieldProblem as problem:
        raise InvalidInput(problem.message, fields={"new": problem.message}) from None
    if new != confirm:
        raise InvalidInput(
            "Konfirmasi kata sandi tidak sama.",
            fields={"confirm": "Konfirmasi kata sandi tidak sama."},
        )
    user.set_password(new)
    user.must_change_password = False
    record("user.change_password", actor=user, channel="web", target=user)
    db.session.flush()


def user_by_email(email: str) -> User:
    user = db.session.scalar(
        sa.select(User).where(sa.func.lower(User.email) == (email or "").strip().lower())
    )
    if user is None:
        raise NotFound(f"Pengguna {email} tidak ditemukan.")
    return user


# API tokens live in bimtek.auth.tokens; these names stay importable from here.
from bimtek.auth.tokens import (  # noqa: E402,F401 (callers import them from here)
    TOKEN_PREFIX,
    hash_token,
    issue_api_token,
    revoke_api_token,
    user_for_token,
)
