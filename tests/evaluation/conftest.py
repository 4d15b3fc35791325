"""An event whose module has two narasumber, and helpers to fill the questionnaire."""

from datetime import timedelta

import pytest

from bimtek.evaluation import queries, services
from bimtek.extensions import db
from tests import factories


@pytest.fixture
def rated_event(app):
    """An event (today + 3 days) whose module M1 is taught by two narasumber."""
    event = factories.make_event("EVAL24")
    module = event.modules[0]
    module.speakers = "Dr. Andi Mappa, M.Si\nIr. Budi Santoso"
    db.session.commit()
    return event


def after_event(event):
    """A moment when every part of ``event`` is open (noon of its last day, UTC)."""
    return queries.organizer_opens_at(event) + timedelta(hours=12)


def fill(participant, part_key, value=4, comment="", now=None):
    """Submit one part with every item rated ``value``."""
    event = participant.event
    part = queries.find_part(event, part_key)
    data = {f"item-{item.key}": str(value) for item in queries.items_of(event, part.target)}
    data["comment"] = comment
    services.submit(participant, part_key, data, now=now or after_event(event))
    db.session.commit()


def fill_all(participant, value=4, comment="", now=None):
    for part in queries.parts(participant.event):
        fill(participant, part.key, value, comment, now)
