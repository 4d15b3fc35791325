"""Ending sessions without server state: a per-account version in every session cookie.

``User.get_id()`` is "id:version"; flask-login keeps it in the session and in the remember
cookie, and the user loader refuses a cookie whose version is not the account's current one.
Bumping ``session_version`` therefore ends every session of that account on every worker at
once (the next request of each reads the row anyway).
"""

import hashlib
import hmac

from flask import current_app, session
from flask_login import login_user

from bimtek.auth.models import User
from bimtek.core.database import get_by_id
from bimtek.extensions import db


def load_user(session_id):
    """The account of a session or remember cookie, if its version is still current
    (flask-login's user loader, registered by ``create_app``)."""
    parsed = parse_session_id(session_id)
    if parsed is None:
        return None
    user = get_by_id(User, parsed[0])
    if user is None or (user.session_version or 1) != parsed[1]:
        return None
    return user


def end_sessions(user) -> None:
    """End every session of ``user`` (all browsers, remember cookies included)."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()


def parse_session_id(value) -> tuple[int, int] | None:
    """(user id, session version) from a stored ``get_id()``; None for anything else."""
    user_id, sep, version = str(value or "").partition(":")
    if not sep or not user_id.isdigit() or not version.isdigit():
        return None
    return int(user_id), int(version)


#: a readable (not HttpOnly) cookie naming whose data this browser may keep for offline use:
#: the check-in desk's service worker and page compare it with what they kept
DEVICE_COOKIE = "bimtek_device"


def device_scope(user) -> str:
    """An opaque name for what one login keeps in a browser (the desk's Cache Storage): it
    changes with the account and with every end of its sessions, and says nothing about the
    account to whoever reads it."""
    message = f"device:{user.id}:{user.session_version or 1}".encode()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


#: what survives the new session a login starts: the language and a registration under way
KEPT_ACROSS_LOGIN = ("lang", "pending_registration")


def start_session(user) -> None:
    """Log ``user`` in on a fresh session (no fixation), keeping the language picked."""
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    session.clear()
    session.update(kept)
    chosen_language = kept.get("lang")
    if chosen_language in current_app.config["LANGUAGES"]:
        user.locale = chosen_language  # picked before logging in: keep it
    login_user(user)
