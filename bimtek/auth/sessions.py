"""Ending sessions without server state: a per-account version in every session cookie.

``User.get_id()`` is "id:version"; flask-login keeps it in the session and in the remember
cookie, and the user loader refuses a cookie whose version is not the account's current one.
Bumping ``session_version`` therefore ends every session of that account on every worker at
once (the next request of each reads the row anyway).
"""

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
