"""Capacity holds when hundreds register in the same second (PostgreSQL row lock)."""

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants import queries, registration
from bimtek.participants.models import Participant
from tests.conftest import requires_postgres
from tests.factories import make_event, registration_data


def _register_in_own_session(app, event_id, data):
    with app.app_context():
        event = db.session.get(type_event(), event_id)
        try:
            outcome = registration.register(
                event, data, registration.RegistrationTerms(channel="api")
            )
            db.session.commit()
            return outcome.participant.status
        except Exception as error:  # noqa: BLE001 — every failure is counted by the test
            db.session.rollback()
            return f"error: {error!r}"


def type_event():
    return Event


def burst(app, event, count, workers=24):
    people = [registration_data() for _ in range(count)]
    for index, person in enumerate(people):  # most without a portal password, as via the API
        if index % 10:
            person["password"] = None
    event_id = event.id
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda d: _register_in_own_session(app, event_id, d), people))


@requires_postgres
def test_600_registrations_for_400_seats(app):
    event = make_event(capacity=400)
    results = burst(app, event, 600)
    assert [r for r in results if r.startswith("error")] == []
    assert results.count("registered") == 400 and results.count("waitlisted") == 200
    db.session.expire_all()
    assert queries.status_counts(event.id) == {
        "registered": 400,
        "waitlisted": 200,
        "cancelled": 0,
    }
    numbers = db.session.scalars(
        sa.select(Participant.registration_number).where(Participant.event_id == event.id)
    ).all()
    assert sorted(numbers) == list(range(1, 601))
    # the waitlist is in registration order and nobody registered after a waitlisted person
    last_seat = db.session.scalar(
        sa.select(sa.func.max(Participant.registration_number)).where(
            Participant.status == "registered"
        )
    )
    first_wait = db.session.scalar(
        sa.select(sa.func.min(Participant.registration_number)).where(
            Participant.status == "waitlisted"
        )
    )
    assert last_seat == 400 and first_wait == 401
    waiting = db.session.scalars(
        sa.select(Participant)
        .where(Participant.status == "waitlisted")
        .order_by(Participant.registration_number)
    ).all()
    assert [queries.waitlist_position(p) for p in waiting[:3]] == [1, 2, 3]


@requires_postgres
def test_same_nik_at_once_registers_once(app):
    event = make_event(capacity=10)
    data = registration_data()
    event_id = event.id
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: _register_in_own_session(app, event_id, data), range(8)))
    assert results.count("registered") == 1
    # the losers find the NIK registered, or (public channel) its account already made
    refused = ("duplicate_nik", "DuplicateNik", "account_exists", "AccountExists")
    assert all(any(word in r for word in refused) for r in results if r != "registered")


def test_burst_on_sqlite_also_holds(app):
    """SQLite serialises writers; the same rule must hold there too (smaller burst)."""
    event = make_event(capacity=30)
    results = burst(app, event, 45, workers=8)
    assert [r for r in results if r.startswith("error")] == []
    assert results.count("registered") == 30 and results.count("waitlisted") == 15
