"""Accounts: staff and participants, and API tokens for devices.

``role`` says what kind of account this is: the install-wide ``admin``, ``staff`` (whose
rights are per event, see ``bimtek.events.access``) or ``participant``.
"""

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db

ROLES = ("admin", "staff", "participant")
STAFF_ROLES = ("admin", "staff")


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt by default; tests use a cheap one)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: login name for staff; optional for participants
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    #: login name for participants (16-digit national ID)
    nik: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    #: admin (install-wide), staff (rights per event) or participant
    role: Mapped[str] = mapped_column(sa.String(20))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    #: the password was handed out (one-time) and must be changed at the next login
    must_change_password: Mapped[bool] = mapped_column(default=False)
    #: "id" or "en"
    locale: Mapped[str] = mapped_column(sa.String(5), default="id")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: bumped to end every session of this account (logout everywhere, password change)
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    api_tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user")

    def get_id(self) -> str:
        """What the session and remember cookie hold: bumping the version ends them."""
        return f"{self.id}:{self.session_version or 1}"

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role} {self.email or self.nik}>"


class ApiToken(db.Model):
    """A bearer token for scanner devices and integrations; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    #: sha256 hex digest of the token
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: the first characters of the token, to tell tokens apart in lists
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="api_tokens")


class ActivationCode(db.Model):
    """A one-time code a manager hands a participant to set a password (claim or recovery).

    Only its hash is stored; it is shown once, works once, and expires.
    """

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: sha256 hex digest of the code (normalised: upper case, no dashes)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: the manager who generated it
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: set when used, or when a newer code replaced it
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
