"""Issuing for all as a job: the click records a run of the participants eligible then, the
job issues them in chunks; a retry, a second click, a lost worker or a newer attempt never
doubles or skips a number, and never gives one participant two certificates."""

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.auth.models import User
from bimtek.certificates import issuing, runs
from bimtek.certificates.models import (
    Certificate,
    CertificateSettings,
    IssueRun,
    IssueRunItem,
    Signatory,
)
from bimtek.core.timeutil import utcnow
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.cancellation import cancel
from bimtek.participants.models import Participant
from tests import factories
from tests.certificates.conftest import sign
from tests.conftest import requires_postgres
from tests.notifications.conftest import settle, wait_for


@pytest.fixture
def app_config():
    return {"CERT_ISSUE_CHUNK": 2, "JOB_RETRIES": 1, "JOB_RETRY_DELAY": 0.2}


def open_rules(event):
    """Everyone registered earns a certificate (no attendance or test needed), signed."""
    sign(event)
    settings = db.session.get(CertificateSettings, event.id)
    settings.min_attendance_percent = 0
    settings.post_test_required = False
    db.session.commit()


@pytest.fixture
def people(five_sessions):
    open_rules(five_sessions)
    return [
        factories.make_participant(five_sessions, full_name=f"Peserta {letter}")
        for letter in "ABCDE"
    ]


def _certificates():
    db.session.expire_all()
    return db.session.scalars(sa.select(Certificate).order_by(Certificate.seq)).all()


def _run(run_id) -> IssueRun:
    db.session.expire_all()
    return db.session.get(IssueRun, run_id)


def _holds_no_doubles(event, expected: int) -> None:
    certificates = _certificates()
    assert [c.seq for c in certificates] == list(range(1, expected + 1))
    assert len({c.participant_id for c in certificates}) == expected
    assert db.session.get(CertificateSettings, event.id).last_seq == expected


def test_the_click_records_who_when_and_whom_and_the_job_issues_in_chunks(
    app, five_sessions, people, admin
):
    run, started = runs.start_run(five_sessions, actor=admin)
    db.session.commit()
    assert started and run.status == "queued" and run.requested_by_id == admin.id
    items = db.session.scalars(
        sa.select(IssueRunItem).where(IssueRunItem.run_id == run.id).order_by("position")
    ).all()
    assert [i.participant_id for i in items] == [p.id for p in people]  # by name
    assert settle(app)
    run = _run(run.id)
    assert (run.status, run.attempts, run.error) == ("done", 1, "")
    counts = runs.run_counts(run)
    assert (counts.total, counts.done, counts.issued, counts.failed) == (5, 5, 5, 0)
    _holds_no_doubles(five_sessions, 5)
    lines = runs.run_lines(run)
    assert [(line.name, line.number) for line in lines] == [
        (c.name, c.number) for c in _certificates()
    ]
    assert runs.run_lines(run, after=2)[0].position == 3
    chunks = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "certificate.issue_all")
    ).all()
    assert [a.details["count"] for a in chunks] == [2, 2, 1]
    assert {a.actor_id for a in chunks} == {admin.id}
    assert all(c.issued_by_id == admin.id and c.document for c in _certificates())


def test_a_second_click_joins_the_run_under_way(app, five_sessions, people, admin):
    first, started = runs.start_run(five_sessions, actor=admin)
    db.session.info.pop("bimtek_jobs_on_commit")  # its job has not run yet
    db.session.commit()
    again, started_again = runs.start_run(five_sessions, actor=admin)
    db.session.commit()
    assert started and not started_again and again.id == first.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssueRun)) == 1


def test_one_busy_run_per_event_even_past_the_service(app, five_sessions, people, admin):
    runs.start_run(five_sessions, actor=admin)
    db.session.info.pop("bimtek_jobs_on_commit")
    db.session.commit()
    db.session.add(IssueRun(event_id=five_sessions.id, status="queued", attempts=0, error=""))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_run_is_the_eligible_set_at_the_click(app, five_sessions, people, admin):
    """Someone registered after the click waits for the next one; someone cancelled after
    it is reported with the reason; someone issued by hand meanwhile keeps their one."""
    run, _started = runs.start_run(five_sessions, actor=admin)
    db.session.info.pop("bimtek_jobs_on_commit")
    db.session.commit()
    late = factories.make_participant(five_sessions, full_name="Peserta Z Terlambat")
    cancel(people[1], actor=admin, reason="mengundurkan diri")
    by_hand = issuing.issue(people[3], actor=admin)
    db.session.commit()
    runs.issue_run_job(run.id)
    run = _run(run.id)
    assert run.status == "done"
    counts = runs.run_counts(run)
    assert (counts.issued, counts.already, counts.failed) == (3, 1, 1)
    lines = {line.name: line for line in runs.run_lines(run)}
    assert lines["Peserta B"].status == "failed"
    assert lines["Peserta B"].reason == "Belum memenuhi syarat: pendaftaran dibatalkan"
    assert lines["Peserta D"].number == by_hand.number and lines["Peserta D"].status == "already"
    _holds_no_doubles(five_sessions, 4)
    assert late.id not in {c.participant_id for c in _certificates()}


def test_a_retried_or_doubled_job_issues_nothing_more(app, five_sessions, people, admin):
    run, _started = runs.start_run(five_sessions, actor=admin)
    db.session.commit()
    assert settle(app)
    runs.issue_run_job(run.id)  # a retry, or the same job queued twice
    runs.enqueue_on_commit(runs.issue_run_job, run.id)
    db.session.commit()
    assert settle(app)
    assert _run(run.id).attempts == 1
    _holds_no_doubles(five_sessions, 5)


def test_a_chunk_that_fails_leaves_no_number_used_and_is_issued_again(
    app, five_sessions, people, admin, monkeypatch
):
    """The second chunk fails while signing (after numbers were taken in its transaction):
    nothing of it stays, the job is retried and ends with 1..5, no gap."""
    real = issuing.sign_issued
    calls = {"n": 0}

    def flaky(event, certificates, signer):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real(event, certificates, signer)

    monkeypatch.setattr(issuing, "sign_issued", flaky)
    run, _started = runs.start_run(five_sessions, actor=admin)
    db.session.commit()
    assert settle(app, 30)
    run = _run(run.id)
    assert (run.status, run.attempts) == ("done", 2)
    _holds_no_doubles(five_sessions, 5)


def test_a_run_stops_with_the_reason_when_signing_is_no_longer_possible(
    app, five_sessions, people, admin
):
    run, _started = runs.start_run(five_sessions, actor=admin)
    db.session.info.pop("bimtek_jobs_on_commit")
    db.session.commit()
    db.session.execute(sa.delete(Signatory))
    db.session.commit()
    runs.issue_run_job(run.id)
    run = _run(run.id)
    assert run.status == "failed" and "penanda tangan" in run.error
    assert runs.run_counts(run).pending == 5 and _certificates() == []
    sign(five_sessions)
    again, started = runs.start_run(five_sessions, actor=admin)  # a new click, a new run
    db.session.commit()
    assert started and again.id != run.id
    assert settle(app)
    _holds_no_doubles(five_sessions, 5)


def test_a_lost_run_is_queued_again_and_finished_once(app, five_sessions, people, admin):
    """A worker died after the first chunk: its lease lapses, the sweep queues the same run
    again, the next attempt issues the rest."""
    run, _started = runs.start_run(five_sessions, actor=admin)
    db.session.info.pop("bimtek_jobs_on_commit")
    db.session.commit()
    db.session.execute(
        sa.update(IssueRun).where(IssueRun.id == run.id).values(status="running", attempts=1)
    )
    db.session.commit()
    assert runs._issue_chunk(run.id, 1)  # the first chunk, then the worker is gone
    db.session.commit()
    assert runs.requeue_lost() == 0  # its lease still holds
    db.session.execute(
        sa.update(IssueRun)
        .where(IssueRun.id == run.id)
        .values(heartbeat_at=utcnow() - timedelta(hours=1))
    )
    db.session.commit()
    assert runs.stalled(_run(run.id))
    assert runs.requeue_lost_issue_runs_job() == 1
    assert runs.requeue_lost_issue_runs_job() == 0
    assert settle(app)
    run = _run(run.id)
    assert (run.status, run.attempts) == ("done", 2)
    _holds_no_doubles(five_sessions, 5)


def test_an_overtaken_attempt_issues_nothing(app, five_sessions, people, admin):
    run, _started = runs.start_run(five_sessions, actor=admin)
    db.session.info.pop("bimtek_jobs_on_commit")
    db.session.commit()
    db.session.execute(
        sa.update(IssueRun).where(IssueRun.id == run.id).values(status="running", attempts=2)
    )
    db.session.commit()
    with pytest.raises(runs.Overtaken):
        runs._issue_chunk(run.id, 1)
    db.session.rollback()
    assert _certificates() == []


# --- PostgreSQL: at the same moment ---------------------------------------------------------


def _together(app, calls):
    """Run ``calls`` in threads released at once, each in its own app context and session."""
    barrier = threading.Barrier(len(calls))
    errors, results = [], [None] * len(calls)

    def run(index, call):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results[index] = call()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 — collected and asserted below
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors, results


@requires_postgres
def test_clicks_hand_issues_and_two_workers_at_once_never_double_or_skip(
    app, five_sessions, admin, monkeypatch
):
    """Three clicks and two single issues at the same moment make one run; then a second
    worker takes the run over while the first is in the middle of it (its lease taken for
    lapsed): 1..12, each participant once, every item settled."""
    monkeypatch.setattr(runs, "enqueue_on_commit", lambda *args: None)  # the test runs jobs
    open_rules(five_sessions)
    people = [factories.make_participant(five_sessions) for _ in range(12)]
    event_id, admin_id = five_sessions.id, admin.id
    ids = [p.id for p in people]
    db.session.remove()

    def click():
        event = db.session.get(Event, event_id)
        run, _started = runs.start_run(event, actor=db.session.get(User, admin_id))
        return run.id

    def by_hand(participant_id):
        return lambda: issuing.issue(db.session.get(Participant, participant_id)).id

    errors, results = _together(app, [click, click, click, by_hand(ids[0]), by_hand(ids[5])])
    assert errors == []
    assert len(set(results[:3])) == 1
    run_id = results[0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssueRun)) == 1

    real = issuing.sign_issued

    def slow(event, certificates, signer):
        time.sleep(0.3)
        return real(event, certificates, signer)

    monkeypatch.setattr(issuing, "sign_issued", slow)
    first = threading.Thread(target=_job_in_context, args=(app, run_id))
    first.start()

    def some_done():
        db.session.expire_all()
        done = runs.run_counts(db.session.get(IssueRun, run_id)).done
        db.session.commit()
        return done >= 2

    assert wait_for(some_done, seconds=30)
    # a sweep takes the first worker for dead: the same run, queued again (waits for the
    # chunk under way to commit: it holds the run's row)
    db.session.execute(sa.update(IssueRun).where(IssueRun.id == run_id).values(status="queued"))
    db.session.commit()
    second = threading.Thread(target=_job_in_context, args=(app, run_id))
    second.start()
    first.join(60)
    second.join(60)
    run = _run(run_id)
    assert (run.status, run.attempts) == ("done", 2)
    counts = runs.run_counts(run)
    assert counts.pending == 0 and counts.failed == 0
    assert counts.issued + counts.already == counts.total
    _holds_no_doubles(db.session.get(Event, event_id), 12)
    assert sorted(c.participant_id for c in _certificates()) == sorted(ids)


def _job_in_context(app, run_id):
    with app.app_context():
        try:
            runs.issue_run_job(run_id)
        finally:
            db.session.remove()
