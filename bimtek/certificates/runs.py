"""Issuing certificates as a job: "Terbitkan" records a run, a job issues it in chunks.

The click (``start_run``) takes a snapshot: the participants eligible without a certificate
in force at that moment (those the confirmation page counted and numbered) become the run's
items; someone who qualifies later waits for the next click. The request answers at once;
``issue_run_job`` then issues CERT_ISSUE_CHUNK items per transaction through
``issuing.issue_all`` with ``only``: the same rules and numbering as before, eligibility
judged again under the numbering lock, so someone cancelled since the click is reported with
the reason, not issued. A chunk's certificates, the numbers they take
(``CertificateSettings.last_seq``) and its items' outcome commit together: a worker killed
mid-chunk leaves no certificate and no used number from it, and the next attempt issues the
chunk again.

One run at a time per event (a partial unique index; the click takes the numbering lock
before it looks): a second click while one is queued or running joins it. A run holds a
lease like a prepared file (``jobs/prepared.py``): claimed once per attempt (``attempts``),
renewed by a thread; a run whose lease lapsed (its worker died) is queued again by the minute
sweep, by a worker starting and by a new click. Each chunk first takes the run's row and
checks that its attempt is the newest, so two workers never issue one run at once.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from bimtek.audit.services import record
from bimtek.auth.models import User
from bimtek.certificates import issuing
from bimtek.certificates.models import (
    ISSUE_RUN_BUSY,
    Certificate,
    IssueRun,
    IssueRunItem,
)
from bimtek.certificates.queries import get_settings
from bimtek.certificates.rules import eligibility, eligibility_for, ensure_signed
from bimtek.core.timeutil import utcnow
from bimtek.errors import ServiceError
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.jobs import crontab, enqueue_on_commit, job
from bimtek.jobs.prepared import Lease, lease, requeue_lapsed
from bimtek.participants.models import Participant

logger = logging.getLogger(__name__)

# --- reads ----------------------------------------------------------------------------------


def busy_run(event: Event) -> IssueRun | None:
    """The event's run still to be finished (queued or running), if any."""
    return db.session.scalar(
        sa.select(IssueRun)
        .where(IssueRun.event_id == event.id, IssueRun.status.in_(ISSUE_RUN_BUSY))
        .order_by(IssueRun.id.desc())
        .limit(1)
    )


@dataclass
class RunCounts:
    total: int
    pending: int
    issued: int
    already: int
    failed: int

    @property
    def done(self) -> int:
        return self.total - self.pending

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100


def run_counts(run: IssueRun) -> RunCounts:
    """How many of the run's participants are issued, already held one, failed, or wait."""
    rows = db.session.execute(
        sa.select(IssueRunItem.status, sa.func.count())
        .where(IssueRunItem.run_id == run.id)
        .group_by(IssueRunItem.status)
    ).all()
    by_status = dict(rows)
    return RunCounts(
        total=sum(by_status.values()),
        pending=by_status.get("pending", 0),
        issued=by_status.get("issued", 0),
        already=by_status.get("already", 0),
        failed=by_status.get("failed", 0),
    )


@dataclass
class RunLine:
    """One participant of a run, once handled: the name and number, or why not."""

    position: int
    name: str
    status: str
    number: str | None
    reason: str


def run_lines(run: IssueRun, *, after: int = -1) -> list[RunLine]:
    """The run's handled participants past ``position`` ``after``, in the order issued."""
    rows = db.session.execute(
        sa.select(
            IssueRunItem.position,
            IssueRunItem.status,
            IssueRunItem.reason,
            Participant.full_name,
            Certificate.name,
            Certificate.number,
        )
        .join(Participant, Participant.id == IssueRunItem.participant_id)
        .outerjoin(Certificate, Certificate.id == IssueRunItem.certificate_id)
        .where(
            IssueRunItem.run_id == run.id,
            IssueRunItem.status != "pending",
            IssueRunItem.position > after,
        )
        .order_by(IssueRunItem.position)
    ).all()
    return [
        RunLine(position, printed or name, status, number, reason)
        for position, status, reason, name, printed, number in rows
    ]


def stalled(run: IssueRun, now: datetime | None = None) -> bool:
    """A busy run whose lease lapsed: its worker stopped; a new click takes it up again."""
    if run.status not in ISSUE_RUN_BUSY:
        return False
    now = now or utcnow()
    return run.heartbeat_at is None or run.heartbeat_at < now - lease()


# --- the click ------------------------------------------------------------------------------


def start_run(event: Event, *, actor, channel: str = "web") -> tuple[IssueRun | None, bool]:
    """The run that issues every participant eligible now: the one already queued or running
    (joined, ``False``), else a new one queued after the commit (``True``); ``(None, False)``
    when nobody is left to issue. What the settings lack (a signatory, a public address) is
    raised here, before anything is queued; a missing key stops the run with its message."""
    requeue_lost(event=event)
    running = busy_run(event)
    if running is not None:
        return running, False
    issuing.lock_numbering(event)  # one click at a time per event, and no issuing meanwhile
    running = busy_run(event)
    if running is not None:
        return running, False
    ensure_signed(get_settings(event))  # the key is loaded by the job (a second, cold)
    todo = [v.participant.id for v in eligibility(event) if v.eligible and v.certificate is None]
    if not todo:
        return None, False
    now = utcnow()
    run = IssueRun(
        event_id=event.id,
        status="queued",
        requested_by_id=getattr(actor, "id", None),
        requested_at=now,
        heartbeat_at=now,
        attempts=0,
        error="",
    )
    db.session.add(run)
    db.session.flush()
    db.session.execute(
        sa.insert(IssueRunItem),
        [
            {
                "run_id": run.id,
                "position": position,
                "participant_id": participant_id,
                "status": "pending",
                "reason": "",
            }
            for position, participant_id in enumerate(todo)
        ],
    )
    record(
        "certificate.issue_run",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=run,
        details={"count": len(todo)},
    )
    enqueue_on_commit(issue_run_job, run.id)
    return run, True


def requeue_lost(now: datetime | None = None, *, event: Event | None = None) -> int:
    """Queue again the busy runs whose lease lapsed (their worker died); how many."""
    return requeue_lapsed(
        IssueRun, ISSUE_RUN_BUSY, issue_run_job, what="issuing run(s)", now=now, event=event
    )


# --- the job --------------------------------------------------------------------------------


class Overtaken(Exception):
    """A newer attempt owns the run (this one's lease lapsed): stop, keep nothing."""


def _attempts_allowed() -> int:
    return int(current_app.config["JOB_RETRIES"]) + 1


def _settle(run_id: int, attempt: int, status: str, error: str = "") -> None:
    """End this attempt: done, failed (stopped with ``error``) or queued for a retry."""
    now = utcnow()
    values = {"status": status, "error": error, "heartbeat_at": now}
    if status in ("done", "failed"):
        values["finished_at"] = now
    db.session.execute(
        sa.update(IssueRun)
        .where(IssueRun.id == run_id, IssueRun.status == "running", IssueRun.attempts == attempt)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _reason(item: IssueRunItem, verdict) -> str:
    verdict = verdict or eligibility_for(item.participant)  # no longer registered
    return _("Belum memenuhi syarat: %(reason)s", reason=verdict.reason or _("tidak diketahui"))


def _issue_chunk(run_id: int, attempt: int) -> bool:
    """Issue the next CERT_ISSUE_CHUNK participants still pending, in one transaction (the
    caller commits); False when none is left."""
    now = utcnow()
    owned = db.session.execute(
        sa.update(IssueRun)
        .where(IssueRun.id == run_id, IssueRun.status == "running", IssueRun.attempts == attempt)
        .values(heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    if owned.rowcount != 1:
        raise Overtaken
    items = db.session.scalars(
        sa.select(IssueRunItem)
        .where(IssueRunItem.run_id == run_id, IssueRunItem.status == "pending")
        .order_by(IssueRunItem.position)
        .limit(int(current_app.config["CERT_ISSUE_CHUNK"]))
    ).all()
    if not items:
        return False
    run = db.session.get(IssueRun, run_id)
    event = db.session.get(Event, run.event_id)
    actor = db.session.get(User, run.requested_by_id) if run.requested_by_id else None
    outcome = issuing.issue_all(
        event, actor=actor, channel="web", now=now, only={i.participant_id for i in items}
    )
    issued = {c.participant_id: c for c in outcome.issued}
    verdicts = {v.participant.id: v for v in outcome.verdicts}
    for item in items:
        item.done_at = now
        certificate = issued.get(item.participant_id)
        verdict = verdicts.get(item.participant_id)
        if certificate is not None:
            item.status, item.certificate_id = "issued", certificate.id
        elif verdict is not None and verdict.certificate is not None:
            item.status, item.certificate_id = "already", verdict.certificate.id
        else:
            item.status, item.reason = "failed", _reason(item, verdict)
    db.session.flush()
    return True


@job()
def issue_run_job(run_id: int) -> None:
    """Issue a run's pending participants, a chunk per transaction, once: a run already taken
    by another attempt, done or failed is left alone."""
    now = utcnow()
    claimed = db.session.execute(
        sa.update(IssueRun)
        .where(IssueRun.id == run_id, IssueRun.status == "queued")
        .values(
            status="running",
            attempts=IssueRun.attempts + 1,
            heartbeat_at=now,
            started_at=sa.func.coalesce(IssueRun.started_at, now),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return
    attempt = db.session.get(IssueRun, run_id).attempts
    if attempt > _attempts_allowed() + 2:  # its workers kept dying (killed, out of memory)
        _settle(run_id, attempt, "failed", _("Penerbitan terhenti berulang kali; coba lagi."))
        return
    try:
        with Lease(run_id, attempt, model=IssueRun):
            while _issue_chunk(run_id, attempt):
                db.session.commit()
            db.session.rollback()
    except Overtaken:
        db.session.rollback()
        return
    except ServiceError as error:  # what stops issuing (no signatory, no key): the organizer acts
        db.session.rollback()
        _settle(run_id, attempt, "failed", error.message)
        return
    except Exception:
        db.session.rollback()
        logger.exception("issuing run %s failed (attempt %s)", run_id, attempt)
        if attempt >= _attempts_allowed():
            _settle(
                run_id,
                attempt,
                "failed",
                _(
                    "Penerbitan gagal karena kesalahan sistem; yang belum terbit dapat "
                    "diterbitkan lagi."
                ),
            )
            return
        _settle(run_id, attempt, "queued", _("Terjadi kesalahan; dicoba lagi otomatis."))
        raise
    _settle(run_id, attempt, "done")


@job(periodic=crontab(minute="*"), at_start=True)
def requeue_lost_issue_runs_job() -> int:
    """Every minute (and when a worker starts): queue again the runs whose worker died."""
    requeued = requeue_lost()
    db.session.commit()
    return requeued
