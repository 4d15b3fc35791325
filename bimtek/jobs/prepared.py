"""Files prepared by a job (a certificate ZIP, a merged PDF, a large export), kept a while.

A domain registers a builder for its kinds (``builder("certificates_zip")``) and asks for a
file with ``prepare``: one being built or ready for the same fingerprint is reused, else a
``PreparedFile`` row is written and ``build_prepared_file`` queued after the commit. The job
claims the row once (queued/failed -> running) and keeps the built file in the database
(``bimtek.storage.files``), so any app server serves it, until PREPARED_FILE_HOURS have
passed and the periodic ``forget_expired_files_job`` deletes it. The progress page and the
download are shared (``views``), with the manager's right on the event.

A build holds a lease (``heartbeat_at``, renewed by a thread every third of
PREPARED_FILE_LEASE_SECONDS). A worker killed mid-build (``kill -9``, a lost machine) leaves
its row queued or running with a lapsed lease: ``requeue_lost`` (every minute, when a worker
starts, and when the file is asked for again) puts the same row back in the queue. Each claim
counts an attempt and only the newest attempt may finish the row, so it ends with one file.
"""

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from bimtek.audit.services import record
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from bimtek.jobs import crontab, enqueue_on_commit, job
from bimtek.jobs.models import PreparedFile
from bimtek.storage import files

logger = logging.getLogger(__name__)

#: a row still being prepared
BUSY = ("queued", "running")
#: kind -> function building the file's bytes (it may update ``done``/``total`` and commit)
BUILDERS: dict[str, Callable[[PreparedFile], bytes]] = {}
#: kind -> the admin page the progress page leads back to (an endpoint taking ``code``)
BACK_TO: dict[str, str] = {}
#: kind -> the words of the link back to that page (none: "Sertifikat" or "Ringkasan")
BACK_LABELS: dict[str, str] = {}
MIMETYPES = {
    "zip": "application/zip",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def builder(*kinds: str, back: str, back_label=None):
    """Declare the function that builds the files of ``kinds``; ``back`` is the endpoint of
    the page they are asked for on, ``back_label`` (a lazy translation) the link's words."""

    def decorator(func):
        for kind in kinds:
            BUILDERS[kind] = func
            BACK_TO[kind] = back
            if back_label is not None:
                BACK_LABELS[kind] = back_label
        return func

    return decorator


def suffix(prepared: PreparedFile) -> str:
    return prepared.filename.rsplit(".", 1)[-1].lower() if "." in prepared.filename else "bin"


def mimetype(prepared: PreparedFile) -> str:
    return MIMETYPES.get(suffix(prepared), "application/octet-stream")


def lease() -> timedelta:
    """How long a build may go without renewing its lease before it is taken for lost."""
    return timedelta(seconds=float(current_app.config["PREPARED_FILE_LEASE_SECONDS"]))


def prepare(
    event,
    kind: str,
    *,
    fingerprint: str,
    total: int,
    filename: str,
    actor,
    channel: str = "web",
    action: str,
    details: dict | None = None,
    reuse_ready: bool = True,
) -> PreparedFile:
    """The file of ``kind`` for ``fingerprint``: one being built (or ready, if
    ``reuse_ready``), else a new row whose job runs after the commit. One whose process died
    is queued again, the same row."""
    if kind not in BUILDERS:
        raise ValueError(f"no builder for {kind!r}")
    now = utcnow()
    forget_expired(now, event=event)
    requeue_lost(now, event=event)
    states = [PreparedFile.status.in_(BUSY)]
    if reuse_ready:
        states.append(sa.and_(PreparedFile.status == "ready", PreparedFile.file_id.is_not(None)))
    existing = db.session.scalar(
        sa.select(PreparedFile)
        .where(
            PreparedFile.event_id == event.id,
            PreparedFile.kind == kind,
            PreparedFile.fingerprint == fingerprint,
            sa.or_(*states),
        )
        .order_by(PreparedFile.id.desc())
        .limit(1)
    )
    if existing is not None:
        return existing
    prepared = PreparedFile(
        event_id=event.id,
        kind=kind,
        fingerprint=fingerprint,
        status="queued",
        done=0,
        total=total,
        filename=filename,
        size=0,
        error="",
        requested_by_id=getattr(actor, "id", None),
        heartbeat_at=now,
    )
    db.session.add(prepared)
    db.session.flush()
    record(
        action,
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=prepared,
        details={"kind": kind, **(details or {})},
    )
    enqueue_on_commit(build_prepared_file, prepared.id)
    return prepared


def forget_expired(now, *, event=None) -> int:
    """Delete the files (and rows) kept past their time, of ``event`` or of every event."""
    query = sa.select(PreparedFile).where(PreparedFile.expires_at < now)
    if event is not None:
        query = query.where(PreparedFile.event_id == event.id)
    expired = db.session.scalars(query).all()
    for prepared in expired:
        file_id = prepared.file_id
        db.session.delete(prepared)
        db.session.flush()
        files.delete(file_id)
    return len(expired)


def requeue_lapsed(model, busy, job, *, what: str, now=None, event=None) -> int:
    """Queue ``job`` again for the rows of ``model`` (a prepared file, an issuing run) that
    are still ``busy`` but whose lease lapsed (their process died); how many. The update
    takes each row once, so two sweeps at the same moment queue it once."""
    now = now or utcnow()
    lapsed = sa.and_(
        model.status.in_(busy),
        sa.or_(model.heartbeat_at.is_(None), model.heartbeat_at < now - lease()),
    )
    query = sa.select(model.id).where(lapsed)
    if event is not None:
        query = query.where(model.event_id == event.id)
    requeued = 0
    for row_id in db.session.scalars(query).all():
        result = db.session.execute(
            sa.update(model)
            .where(model.id == row_id, lapsed)
            .values(status="queued", heartbeat_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            requeued += 1
            enqueue_on_commit(job, row_id)
    if requeued:
        logger.warning("queued again %d %s whose process died", requeued, what)
    return requeued


def requeue_lost(now=None, *, event=None) -> int:
    """Queue again the prepared files whose lease lapsed; how many."""
    return requeue_lapsed(
        PreparedFile, BUSY, build_prepared_file, what="prepared file(s)", now=now, event=event
    )


def ready_file(prepared: PreparedFile):
    """The kept file of a ready ``prepared``, or None when it is not (or no longer) there."""
    if prepared.status != "ready":
        return None
    return files.get(prepared.file_id)


class Lease:
    """``with Lease(prepared_id, attempt):`` renews the row's lease from a thread while the
    build runs (a builder may run longer than the lease without reporting progress). Any
    ``model`` with ``status``, ``attempts`` and ``heartbeat_at`` may hold one this way."""

    def __init__(self, prepared_id: int, attempt: int, model=PreparedFile):
        self.prepared_id = prepared_id
        self.attempt = attempt
        self.model = model
        self.engine = db.engine
        self.every = lease().total_seconds() / 3
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._renew, name="bimtek-lease", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()

    def _renew(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                with self.engine.begin() as connection:
                    model = self.model
                    connection.execute(
                        sa.update(model)
                        .where(
                            model.id == self.prepared_id,
                            model.status == "running",
                            model.attempts == self.attempt,
                        )
                        .values(heartbeat_at=utcnow())
                    )
            except Exception:  # a busy database: the next beat tries again
                logger.exception("could not renew the lease of prepared file %s", self.prepared_id)


@job()
def build_prepared_file(prepared_id: int) -> None:
    """Build the file once: a ready one is left alone, a failed one is built again; a build
    whose row was taken by a newer attempt (its lease lapsed) keeps nothing."""
    result = db.session.execute(
        sa.update(PreparedFile)
        .where(PreparedFile.id == prepared_id, PreparedFile.status.in_(("queued", "failed")))
        .values(
            status="running",
            done=0,
            error="",
            heartbeat_at=utcnow(),
            attempts=PreparedFile.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return
    prepared = db.session.get(PreparedFile, prepared_id)
    attempt = prepared.attempts
    mine = sa.and_(
        PreparedFile.id == prepared_id,
        PreparedFile.status == "running",
        PreparedFile.attempts == attempt,
    )
    try:
        with Lease(prepared_id, attempt):
            data = BUILDERS[prepared.kind](prepared)
    except Exception as error:
        db.session.rollback()
        db.session.execute(
            sa.update(PreparedFile)
            .where(mine)
            .values(status="failed", error=repr(error)[:1000])
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        raise
    now = utcnow()
    expires = now + timedelta(hours=current_app.config["PREPARED_FILE_HOURS"])
    stored = files.put(data, content_type=mimetype(prepared), expires_at=expires)
    finished = db.session.execute(
        sa.update(PreparedFile)
        .where(mine)
        .values(
            status="ready",
            file_id=stored.id,
            size=len(data),
            done=PreparedFile.total,
            finished_at=now,
            expires_at=expires,
        )
        .execution_options(synchronize_session=False)
    )
    if finished.rowcount != 1:
        db.session.rollback()  # a newer attempt owns the row: its file, not this one
        return
    db.session.commit()


@job(periodic=crontab(minute="*"))
def requeue_lost_prepared_files_job() -> int:
    """Every minute: queue again the files whose process died."""
    requeued = requeue_lost()
    db.session.commit()
    return requeued


@job(periodic=crontab(minute="*/10"))
def forget_expired_files_job() -> int:
    """Every ten minutes: delete prepared files (and any kept file) past their time."""
    now = utcnow()
    forgotten = forget_expired(now)
    files.delete_expired(now)
    db.session.commit()
    return forgotten
