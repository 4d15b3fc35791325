"""Fixtures for attendance: a session, a few participants, fixed clocks."""

from datetime import timedelta

import pytest

from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from tests import factories


@pytest.fixture
def session(event):
    """The first session (08:00–09:30 WITA today, grace 15 minutes)."""
    return event.sessions[0]


@pytest.fixture
def person(event):
    return factories.make_participant(
        event,
        full_name="Siti Aminah",
        institution="Bawaslu Kutai Timur",
        institution_category="bawaslu",
    )


@pytest.fixture
def on_time(session):
    """Five minutes after the start: hadir."""
    return session.starts_at + timedelta(minutes=5)


@pytest.fixture
def late(session):
    """Twenty minutes after the start: terlambat."""
    return session.starts_at + timedelta(minutes=20)


@pytest.fixture
def running(event):
    """Make the first session run now (started five minutes ago) so scans are on time."""

    session = event.sessions[0]
    session.starts_at = utcnow() - timedelta(minutes=5)
    session.ends_at = utcnow() + timedelta(hours=2)
    db.session.commit()
    return session
