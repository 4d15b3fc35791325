"""Files prepared by a job (a certificate ZIP, a merged PDF, a large export), kept a while.

A domain registers a builder for its kinds (``builder("certificates_zip")``) and asks for a
file with ``prepare``: one being built or ready for the same fingerprint is reused, else a
``PreparedFile`` row is written and ``build_prepared_file`` queued after the commit. The job
claims the row once (queued/failed -> running), so a retried job builds nothing twice; the
file lies under ``instance/prepared/`` until PREPARED_FILE_HOURS have passed. The progress
page and the download are shared (``views``), with the manager's right on the event.
"""

import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from bimtek.audit.services import record
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from bimtek.jobs import enqueue_on_commit, job
from bimtek.jobs.models import PreparedFile

#: a file still queued or running after this is taken for lost (its process died)
STALE = timedelta(minutes=15)
#: kind -> function building the file's bytes (it may update ``done``/``total`` and commit)
BUILDERS: dict[str, Callable[[PreparedFile], bytes]] = {}
#: kind -> the admin page the progress page leads back to (an endpoint taking ``code``)
BACK_TO: dict[str, str] = {}
MIMETYPES = {
    "zip": "application/zip",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def builder(*kinds: str, back: str):
    """Declare the function that builds the files of ``kinds``; ``back`` is the endpoint of
    the page they are asked for on."""

    def decorator(func):
        for kind in kinds:
            BUILDERS[kind] = func
            BACK_TO[kind] = back
        return func

    return decorator


def prepared_folder() -> Path:
    folder = Path(current_app.instance_path) / "prepared"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def suffix(prepared: PreparedFile) -> str:
    return prepared.filename.rsplit(".", 1)[-1].lower() if "." in prepared.filename else "bin"


def mimetype(prepared: PreparedFile) -> str:
    return MIMETYPES.get(suffix(prepared), "application/octet-stream")


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
    ``reuse_ready``), else a new row whose job runs after the commit."""
    if kind not in BUILDERS:
        raise ValueError(f"no builder for {kind!r}")
    now = utcnow()
    forget_expired(event, now)
    states = [
        sa.and_(  # one being built, unless its process died long ago
            PreparedFile.status.in_(("queued", "running")),
            PreparedFile.created_at > now - STALE,
        )
    ]
    if reuse_ready:
        states.append(PreparedFile.status == "ready")
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
        path="",
        size=0,
        error="",
        requested_by_id=getattr(actor, "id", None),
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


def forget_expired(event, now) -> None:
    """Delete the event's files (and rows) kept past their time."""
    expired = db.session.scalars(
        sa.select(PreparedFile).where(
            PreparedFile.event_id == event.id, PreparedFile.expires_at < now
        )
    ).all()
    for prepared in expired:
        if prepared.path:
            (prepared_folder() / prepared.path).unlink(missing_ok=True)
        db.session.delete(prepared)


def ready_path(prepared: PreparedFile) -> Path | None:
    """Where a ready file lies, or None when it is not (or no longer) there."""
    path = prepared_folder() / prepared.path if prepared.path else None
    if prepared.status != "ready" or path is None or not path.is_file():
        return None
    return path


@job()
def build_prepared_file(prepared_id: int) -> None:
    """Build the file once: a ready one is left alone, a failed one is built again."""
    result = db.session.execute(
        sa.update(PreparedFile)
        .where(PreparedFile.id == prepared_id, PreparedFile.status.in_(("queued", "failed")))
        .values(status="running", done=0, error="")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return
    prepared = db.session.get(PreparedFile, prepared_id)
    try:
        data = BUILDERS[prepared.kind](prepared)
        name = f"{prepared.event_id}-{prepared.id}-{secrets.token_hex(8)}.{suffix(prepared)}"
        target = prepared_folder() / name
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)
    except Exception as error:
        db.session.rollback()
        prepared = db.session.get(PreparedFile, prepared_id)
        prepared.status = "failed"
        prepared.error = repr(error)[:1000]
        db.session.commit()
        raise
    now = utcnow()
    prepared.status = "ready"
    prepared.path = name
    prepared.size = len(data)
    prepared.done = prepared.total
    prepared.finished_at = now
    prepared.expires_at = now + timedelta(hours=current_app.config["PREPARED_FILE_HOURS"])
    db.session.commit()
