"""An import running while people self-register: capacity holds, numbers stay unique."""

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants import importing, queries, registration
from bimtek.participants.models import Participant
from tests.conftest import requires_postgres
from tests.factories import make_event, registration_data
from tests.participants.sheets import person_row, xlsx_bytes


def _import(app, event_id, data):
    with app.app_context():
        event = db.session.get(Event, event_id)
        report = importing.preview_import(event, data)
        result = importing.import_participants(event, report)
        db.session.commit()
        return ("import", result.registered, result.waitlisted)


def _register(app, event_id, person):
    with app.app_context():
        event = db.session.get(Event, event_id)
        outcome = registration.register(event, person)
        db.session.commit()
        return ("self", outcome.participant.status)


@requires_postgres
def test_import_and_self_registration_at_once(app):
    event = make_event("SERBU", capacity=60)
    file = xlsx_bytes([person_row() for _ in range(50)])
    people = [registration_data() for _ in range(30)]
    event_id = event.id
    with ThreadPoolExecutor(max_workers=12) as pool:
        jobs = [pool.submit(_import, app, event_id, file)]
        jobs += [pool.submit(_register, app, event_id, person) for person in people]
        results = [job.result() for job in jobs]
    imported = results[0]
    assert imported[1] + imported[2] == 50
    db.session.expire_all()
    counts = queries.status_counts(event_id)
    assert counts == {"registered": 60, "waitlisted": 20, "cancelled": 0}
    numbers = db.session.scalars(
        sa.select(Participant.registration_number).where(Participant.event_id == event_id)
    ).all()
    assert sorted(numbers) == list(range(1, 81))
