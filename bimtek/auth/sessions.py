"""Ending an account's browser sessions without server-side session state.

Each session remembers the account's ``session_version`` when it logged in; bumping the
version makes every such session stale at its next request (the user loader compares them).
"""

from bimtek.auth.models import User
from bimtek.extensions import db


def end_sessions(user: User) -> None:
    """End every browser session of ``user`` (deactivation, password reset, logout everywhere)."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()
