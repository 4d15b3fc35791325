"""API tokens: issued to a staff member, shown once, listed by prefix, revoked at once.

A token acts with exactly its user's rights (``bimtek.events.access``), and only while that
user is an active staff account. Revoking a token answers 401 on the next request (every
request looks the token up; nothing is cached). Taking an account back revokes its tokens
for good (``revoke_tokens_of``): deactivation always (reactivating brings none back), a
password reset and "Keluar dari semua perangkat" unless asked not to.

``last_used_at`` is a bookkeeping stamp written at most once a minute per token
(``TOUCH_INTERVAL``): a scanner checking in 400 people in ten minutes costs ten writes,
not 400. ``note_token_use`` writes that stamp in its own short transaction, outside the
request's session, so GET handlers, which never commit, still record when a token was last
used.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from bimtek.audit.services import record
from bimtek.auth.models import STAFF_ROLES, ApiToken, User
from bimtek.core.database import get_by_id
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput, NotFound
from bimtek.extensions import db

TOKEN_PREFIX = "bmt_"
#: how stale ``last_used_at`` may get before a use writes it again
TOUCH_INTERVAL = timedelta(minutes=1)
NAME_MAX = 100


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def clean_token_name(raw) -> str:
    """What the token is for ("scanner meja 1"): 1–100 characters of one line."""
    name = " ".join(str(raw or "").split())
    if not name:
        raise InvalidInput(
            _("Nama token wajib diisi."), fields={"name": _("Nama token wajib diisi.")}
        )
    if len(name) > NAME_MAX:
        message = _("Nama token paling banyak %(n)s karakter.", n=NAME_MAX)
        raise InvalidInput(message, fields={"name": message})
    return name


def issue_api_token(
    user: User, name: str = "", *, actor: User | None = None, channel: str = "cli"
) -> tuple[ApiToken, str]:
    """A new bearer token for a staff member; the plain token is returned only here."""
    if not user.is_staff:
        raise InvalidInput(_("Token API hanya untuk akun staf."))
    if not user.active:
        raise InvalidInput(_("Akun ini nonaktif."), code="inactive_user")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=clean_token_name(name or "token"),
        token_hash=hash_token(plain),
        prefix=plain[:12],
    )
    db.session.add(token)
    db.session.flush()
    record(
        "api_token.create",
        actor=actor or user,
        channel=channel,
        target=token,
        details={"user_id": user.id, "prefix": token.prefix, "name": token.name},
    )
    return token, plain


def live_token(query: sa.Select) -> sa.Select:
    """``query`` (selecting from ApiToken) joined to the token's user (loaded with it) and
    narrowed to the live token whose hash is the bind parameter ``token_hash``: not revoked,
    its user an active staff account. The check-in API adds its own rows to this one read."""
    return (
        query.join(ApiToken.user)
        .options(contains_eager(ApiToken.user))
        .where(
            ApiToken.token_hash == sa.bindparam("token_hash"),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
            User.role.in_(STAFF_ROLES),
        )
    )


_TOKEN_BY_HASH = live_token(sa.select(ApiToken))


def bearer_hash(plain: str | None) -> str | None:
    """The hash to look a bearer token up by, or None for text that cannot be a token."""
    if not plain or not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    return hash_token(plain)


def token_for_bearer(plain: str | None) -> ApiToken | None:
    """The live token (not revoked, its user an active staff account) or None. Reads only."""
    token_hash = bearer_hash(plain)
    if token_hash is None:
        return None
    # one prebuilt query (token joined to its user): every API call pays it
    return db.session.scalar(_TOKEN_BY_HASH, {"token_hash": token_hash})


def user_for_token(plain: str | None) -> User | None:
    """The active staff member a bearer token belongs to, or None."""
    token = token_for_bearer(plain)
    return token.user if token is not None else None


def stamp_due(token: ApiToken, now=None) -> bool:
    """Whether a use of ``token`` now must write ``last_used_at`` (see ``TOUCH_INTERVAL``)."""
    now = now or utcnow()
    return token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL


def note_token_use(token: ApiToken, now=None) -> bool:
    """Stamp ``last_used_at`` if it is older than ``TOUCH_INTERVAL``; True if it wrote.

    The stamp is bookkeeping, not the request's change: it is written in its own short
    transaction on the engine (not the request's session), so a GET with a token still
    commits nothing, and a request that fails later keeps the stamp.
    """
    now = now or utcnow()
    if not stamp_due(token, now):
        return False
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(ApiToken)
            .where(
                ApiToken.id == token.id,
                sa.or_(
                    ApiToken.last_used_at.is_(None),
                    ApiToken.last_used_at <= now - TOUCH_INTERVAL,
                ),
            )
            .values(last_used_at=now)
        )
    set_committed_value(token, "last_used_at", now)  # as stored; the session stays clean
    return True


def revoke_api_token(token: ApiToken, *, actor: User | None, channel: str = "web") -> None:
    """Revoke ``token``: the next request with it gets 401. Revoking twice changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    record(
        "api_token.revoke",
        actor=actor,
        channel=channel,
        target=token,
        details={"user_id": token.user_id, "prefix": token.prefix},
    )
    db.session.flush()


def revoke_tokens_of(user: User, *, actor: User | None, channel: str) -> int:
    """Revoke every live token of ``user`` (each audited as ``api_token.revoke``); how many."""
    live = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in live:
        revoke_api_token(token, actor=actor, channel=channel)
    return len(live)


def tokens_of(user: User) -> list[ApiToken]:
    """``user``'s tokens, live ones first, newest first."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def all_tokens() -> list[ApiToken]:
    """Every token of the install with its user (for administrators), live ones first."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .join(ApiToken.user)
            .options(contains_eager(ApiToken.user))
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def token_visible_to(token_id, user: User) -> ApiToken:
    """The token with this id if ``user`` may manage it (their own, or any for an admin)."""
    token = get_by_id(ApiToken, token_id)
    if token is None or not (user.is_admin or token.user_id == user.id):
        raise NotFound(_("Token tidak ditemukan."), code="unknown_token")
    return token


def find_token(prefix_or_id: str) -> ApiToken:
    """The token with this id or prefix (as listed); for ``flask revoke-token``."""
    text = str(prefix_or_id or "").strip()
    token = None
    if text.isdigit():
        token = get_by_id(ApiToken, text)
    if token is None and text:
        matches = db.session.scalars(
            sa.select(ApiToken).where(ApiToken.prefix == text[:12]).limit(2)
        ).all()
        if len(matches) > 1:
            raise InvalidInput(
                _("Lebih dari satu token berawalan %(text)s; pakai id-nya.", text=text)
            )
        token = matches[0] if matches else None
    if token is None:
        raise NotFound(_("Token %(text)s tidak ditemukan.", text=text), code="unknown_token")
    return token
