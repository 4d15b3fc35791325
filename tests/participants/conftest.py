"""Fixtures of the participant account tests."""

import pytest

from bimtek.extensions import db
from bimtek.participants.registration import register_many
from tests import factories


@pytest.fixture
def second_event(app):
    return factories.make_event("UJI25")


@pytest.fixture
def imported(event):
    """A participant imported by the organizer: an account without a password."""
    outcome = register_many(event, [factories.registration_data()], channel="import")[0]
    db.session.commit()
    return outcome.participant


@pytest.fixture
def registered(event):
    """A participant who registered online and chose factories.PASSWORD."""
    return factories.make_participant(event)


@pytest.fixture
def manager(event):
    return factories.make_staff("manager", "manager@bimtek.local", event=event)


def form_data(**overrides) -> dict:
    data = factories.registration_data(**overrides)
    data.setdefault("password_confirm", data["password"])
    data.setdefault("consent", "y")
    return data
