"""Reads never write: an attempt past its deadline is treated as closed by every read (with
the score of what was saved before the deadline) and closed for good only by an explicit
operation (the participant's own answer/submit, or the job); no assessment page's GET
commits anything."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event as sa_event

from bimtek.assessments import attempts as attempt_ops
from bimtek.assessments import monitor, portal
from bimtek.assessments import results as test_results
from bimtek.assessments import settings as test_settings
from bimtek.assessments.models import Assessment, Attempt
from bimtek.extensions import db
from tests.assessments.conftest import correct_option, wrong_option
from tests.conftest import login
from tests.factories import make_participant, make_staff

from .test_services import T0


class Writes:
    """Counts flushes and commits of every session (the test's and each request's) while
    it is active."""

    def __init__(self):
        self.flushes = self.commits = 0

    def _flush(self, session, context):
        self.flushes += 1

    def _commit(self, session):
        self.commits += 1

    def __enter__(self):
        sa_event.listen(db.session.session_factory, "after_flush", self._flush)
        sa_event.listen(db.session.session_factory, "before_commit", self._commit)
        return self

    def __exit__(self, *exc):
        sa_event.remove(db.session.session_factory, "after_flush", self._flush)
        sa_event.remove(db.session.session_factory, "before_commit", self._commit)


@pytest.fixture
def expired(event, bank, participant):
    """A pre-test attempt started at T0 with one right and one wrong answer, never submitted;
    its deadline (T0 + 30 min) lies in the past."""
    assessment = test_settings.get_assessment(event, "pre")
    attempt = attempt_ops.start_attempt(assessment, participant, T0)
    attempt_ops.save_answers(
        attempt, {bank[0].id: correct_option(bank[0]), bank[1].id: wrong_option(bank[1])}, T0
    )
    db.session.commit()
    return attempt


def _stored(attempt_id):
    db.session.expire_all()
    return db.session.get(Attempt, attempt_id)


def test_reads_treat_an_expired_attempt_as_closed_and_write_nothing(event, participant, expired):
    later = T0 + timedelta(hours=2)
    assessment = test_settings.get_assessment(event, "pre")
    with Writes() as writes:
        assert test_results.scores(event, "pre", later) == {participant.id: 25.0}
        figures = test_results.results(event, later)
        found = portal.find_attempt(assessment, participant)
        portal.attempt_for(participant, "pre")
        [row] = monitor.event_attempts(event, "pre", later)
        items = portal.portal_overview(participant, later)
        assert not db.session.new and not db.session.dirty and not db.session.deleted
    assert (writes.flushes, writes.commits) == (0, 0)
    assert figures["class"]["pre_taken"] == 1 and figures["class"]["mean_pre_all"] == 25.0
    assert found.id == expired.id
    assert (row["outcome"].reason, row["outcome"].score) == ("expired", 25.0)
    assert (items[0]["state"], items[0]["outcome"].score) == ("done", 25.0)
    stored = _stored(expired.id)
    assert stored.submitted_at is None and stored.score is None


def test_get_assessment_creates_nothing(event):
    with Writes() as writes:
        assessment = test_settings.get_assessment(event, "post")
        assert assessment.kind == "post" and assessment.duration_minutes == 30
    assert (writes.flushes, writes.commits) == (0, 0)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 0


def test_assessment_pages_commit_nothing_on_get(app, event, expired, participant):
    make_staff("manager", "manager@bimtek.local", event=event)
    manager, person = app.test_client(), app.test_client()
    login(manager, "manager@bimtek.local")
    login(person, participant.nik)
    other = make_participant(event)  # no attempt, no assessment rows asked for yet
    db.session.commit()
    base = f"/admin/kegiatan/{event.code}/tes"
    pages = [
        (manager, base),
        (manager, f"{base}/pengaturan/pre"),
        (manager, f"{base}/hasil"),
        (manager, f"{base}/percobaan?tes=pre"),
        (manager, f"/api/v1/events/{event.code}/results"),
        (person, f"/peserta/{participant.id}/tes"),
        (person, f"/peserta/{participant.id}/tes/pre"),
    ]
    del other
    with Writes() as writes:
        for client, url in pages:
            if url.startswith("/api/"):
                continue  # the API needs a token: covered by tests/core/test_get_is_read_only
            response = client.get(url)
            assert response.status_code == 200, url
    assert (writes.flushes, writes.commits) == (0, 0)
    stored = _stored(expired.id)
    assert stored.submitted_at is None


def test_the_participants_own_write_closes_an_expired_attempt_for_good(
    event, bank, participant, expired
):
    with pytest.raises(attempt_ops.DeadlinePassed):
        attempt_ops.save_answers(
            expired, {bank[2].id: correct_option(bank[2])}, T0 + timedelta(hours=1)
        )
    db.session.commit()
    stored = _stored(expired.id)
    assert (stored.closed_reason, stored.score, stored.submitted_at) == (
        "expired",
        25.0,
        stored.deadline_at,
    )


def test_the_job_closes_expired_attempts_for_good(event, participant, expired):
    assert attempt_ops.close_expired_attempts(T0 + timedelta(hours=1)) == 1
    db.session.commit()
    assert _stored(expired.id).closed_reason == "expired"
