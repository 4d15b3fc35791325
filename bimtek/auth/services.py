"""Accounts, passwords and API tokens."""

import hashlib
import re
import secrets

import sqlalchemy as sa

from bimtek.audit.services import record
from bimtek.auth.models import ROLES, ApiToken, User
from bimtek.core.timeutil import utcnow
from bimtek.errors import Conflict, InvalidInput, NotFound
from bimtek.extensions import db
from bimtek.participants.validation import FieldProblem, clean_password

TOKEN_PREFIX = "bmt_"
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


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(
    user: User, name: str = "", *, actor: User | None = None, channel: str = "cli"
) -> tuple[ApiToken, str]:
    """A new bearer token for a staff member; the plain token is returned only here."""
    if not user.is_staff:
        raise InvalidInput("Token API hanya untuk akun staf.")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name or "token", token_hash=hash_token(plain), prefix=plain[:12]
    )
    db.session.add(token)
    db.session.flush()
    record("api_token.create", actor=actor or user, channel=channel, target=token)
    return token, plain


_USER_BY_TOKEN = (
    sa.select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == sa.bindparam("token_hash"), ApiToken.revoked_at.is_(None))
)


def user_for_token(plain: str) -> User | None:
    """The active staff member a bearer token belongs to, or None."""
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    # one prebuilt query (token joined to its user): every API call, check-in included, pays it
    user = db.session.scalar(_USER_BY_TOKEN, {"token_hash": hash_token(plain)})
    if user is None or not user.active or not user.is_staff:
        return None
    return user


def revoke_api_token(token: ApiToken, *, actor: User) -> None:
    token.revoked_at = utcnow()
    record("api_token.revoke", actor=actor, target=token)
    db.session.flush()
