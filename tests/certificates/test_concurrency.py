"""Issuing at the same moment from several requests never duplicates a number."""

import threading

from bimtek.certificates import issuing, queries
from bimtek.certificates.models import Certificate
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant
from tests import factories
from tests.certificates.conftest import qualify
from tests.conftest import requires_postgres


def _run_together(app, jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                job()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 — collected and asserted below
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@requires_postgres
def test_concurrent_issuing_gives_unique_sequential_numbers(app, five_sessions):
    people = [factories.make_participant(five_sessions) for _ in range(12)]
    for person in people:
        qualify(five_sessions, person)
    event_id = five_sessions.id
    ids = [person.id for person in people]
    db.session.remove()

    def issue_one(participant_id):
        return lambda: issuing.issue(db.session.get(Participant, participant_id))

    def issue_everyone():
        issuing.issue_all(db.session.get(Event, event_id))

    jobs = [issue_one(pid) for pid in ids] + [issue_everyone, issue_everyone]
    errors = _run_together(app, jobs)
    assert errors == []
    certificates = db.session.scalars(db.select(Certificate).order_by(Certificate.seq)).all()
    assert [c.seq for c in certificates] == list(range(1, 13))
    assert len({c.number for c in certificates}) == 12
    assert sorted(c.participant_id for c in certificates) == sorted(ids)
    assert queries.get_settings(db.session.get(Event, event_id)).last_seq == 12


def test_issuing_twice_in_a_row_keeps_one_certificate(app, five_sessions):
    person = factories.make_participant(five_sessions)
    qualify(five_sessions, person)
    first = issuing.issue(person)
    second = issuing.issue(person)
    issuing.issue_all(five_sessions)
    db.session.commit()
    assert first.id == second.id
    assert db.session.scalar(db.select(db.func.count()).select_from(Certificate)) == 1
