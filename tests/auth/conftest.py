"""Fixtures of the account tests: copied browser sessions, limits switched on."""

import pytest

from bimtek.extensions import db
from bimtek.participants.registration import register_many
from tests import factories


@pytest.fixture
def limits_on():
    """Settings that switch the rate limits and login locks on (memory storage per app)."""
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


def copy_session(source, target) -> None:
    """Give ``target`` the cookies ``source`` holds: a stolen or second-device session."""
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


@pytest.fixture
def participant(event):
    """A participant who registered online and has a password (factories.PASSWORD)."""
    return factories.make_participant(event)


@pytest.fixture
def imported(event):
    """A participant imported by the organizer: an account without a password."""
    outcome = register_many(event, [factories.registration_data()], channel="import")[0]
    db.session.commit()
    return outcome.participant
