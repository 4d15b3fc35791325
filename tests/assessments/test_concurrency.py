"""Answers racing the submit (and a double-tapped submit) from parallel requests: whatever
is stored is exactly what was scored, and there is one attempt and one close."""

import threading

import sqlalchemy as sa

from bimtek.assessments import attempts as attempt_ops
from bimtek.assessments import settings as test_settings
from bimtek.assessments.models import Answer, Attempt
from bimtek.errors import ServiceError
from bimtek.extensions import db
from tests.assessments.conftest import correct_option
from tests.factories import make_participant


def run_parallel(app, jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def wrap(job):
        with app.app_context():
            try:
                barrier.wait()
                job()
                db.session.commit()
            except ServiceError:
                db.session.rollback()
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_saves_racing_a_submit_are_either_scored_or_refused(app, event, bank):
    keys = {q.id: correct_option(q) for q in bank}
    for _round in range(4):
        participant = make_participant(event)
        assessment = test_settings.ensure_assessment(event, "pre")
        attempt_id = attempt_ops.start_attempt(assessment, participant).id
        db.session.commit()

        def save(question_id, attempt_id=attempt_id):
            def job():
                attempt = db.session.get(Attempt, attempt_id)
                attempt_ops.save_answers(attempt, {question_id: keys[question_id]})

            return job

        def submit(attempt_id=attempt_id):
            attempt_ops.submit_attempt(db.session.get(Attempt, attempt_id))

        run_parallel(app, [save(q.id) for q in bank] + [submit, submit])
        db.session.expire_all()
        attempt = db.session.get(Attempt, attempt_id)
        stored = db.session.scalar(
            sa.select(sa.func.count()).select_from(Answer).where(Answer.attempt_id == attempt_id)
        )
        assert attempt.closed_reason == "submitted"
        # every stored answer is right, so the score counts exactly the stored answers
        assert attempt.correct_count == stored
        assert attempt.score == 100 * stored / 4


def test_parallel_starts_make_one_attempt(app, event, bank):
    participant = make_participant(event)
    participant_id, model = participant.id, type(participant)

    def start():
        fresh = db.session.get(model, participant_id)
        attempt_ops.start_attempt(test_settings.ensure_assessment(fresh.event, "post"), fresh)

    run_parallel(app, [start] * 4)
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Attempt)
        .where(Attempt.participant_id == participant_id)
    )
    assert count == 1
