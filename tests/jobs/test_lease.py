"""A prepared file whose process died (a killed worker) is queued again, the same row, and
ends with one file; a file kept past its time is deleted by the periodic job."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from bimtek.jobs import REGISTRY
from bimtek.jobs import prepared as files
from bimtek.jobs.models import PreparedFile
from bimtek.storage import files as storage
from bimtek.storage.models import StoredFile
from tests.notifications.conftest import settle, wait_for


@pytest.fixture
def app_config():
    return {"JOB_RETRY_DELAY": 0.2, "JOB_RETRIES": 1, "QUEUE_EMBEDDED_WORKERS": 2}


@pytest.fixture
def built(monkeypatch):
    """A kind whose builder counts its runs; ``hold`` keeps the first run waiting."""
    state = {"runs": 0, "hold": None, "started": threading.Event()}

    def build(prepared):
        state["runs"] += 1
        run = state["runs"]
        if run == 1 and state["hold"] is not None:
            state["started"].set()
            state["hold"].wait(30)
        return f"run {run}".encode()

    monkeypatch.setitem(files.BUILDERS, "test_file", build)
    monkeypatch.setitem(files.BACK_TO, "test_file", "reports.dashboard")
    return state


def _prepare(event, admin):
    return files.prepare(
        event,
        "test_file",
        fingerprint="f",
        total=1,
        filename="berkas.zip",
        actor=admin,
        action="certificate.bundle",
    )


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _lose(prepared_id: int) -> None:
    """What a worker killed mid-build leaves: the row claimed, its lease long lapsed."""
    db.session.execute(
        sa.update(PreparedFile)
        .where(PreparedFile.id == prepared_id)
        .values(status="running", attempts=1, heartbeat_at=utcnow() - timedelta(hours=1))
    )
    db.session.commit()


def test_the_minute_job_queues_a_lost_file_again_and_it_is_built_once(app, event, admin, built):
    prepared = _prepare(event, admin)
    prepared_id = prepared.id
    db.session.info.pop("bimtek_jobs_on_commit")  # its job was lost with the worker
    db.session.commit()
    _lose(prepared_id)
    assert REGISTRY["requeue_lost_prepared_files_job"].periodic is not None
    job = REGISTRY["requeue_lost_prepared_files_job"].func
    assert job() == 1
    assert job() == 0  # queued again once, whatever the number of sweeps
    assert settle(app)
    db.session.expire_all()
    row = db.session.get(PreparedFile, prepared_id)
    assert (row.status, row.attempts, built["runs"]) == ("ready", 2, 1)
    assert storage.read(row.file_id) == b"run 1"
    assert _count(StoredFile) == 1 and _count(PreparedFile) == 1
    audit = sa.select(sa.func.count()).where(AuditLog.action == "certificate.bundle")
    assert db.session.scalar(audit) == 1


def test_a_build_holding_its_lease_is_left_alone(app, event, admin, built):
    prepared = _prepare(event, admin)
    db.session.info.pop("bimtek_jobs_on_commit")
    db.session.commit()
    assert files.requeue_lost() == 0  # queued just now: its lease holds
    prepared.status, prepared.heartbeat_at = "running", utcnow() - timedelta(seconds=30)
    db.session.commit()
    assert files.requeue_lost() == 0
    assert prepared.status == "running"


def test_a_build_overtaken_by_a_newer_attempt_keeps_nothing(app, event, admin, built):
    """The first build stalls past its lease; the row is queued again and built; when the
    first one wakes up, its file is not kept and the row keeps the newer one."""
    built["hold"] = threading.Event()
    prepared = _prepare(event, admin)
    prepared_id = prepared.id
    db.session.commit()
    assert built["started"].wait(30)
    db.session.execute(
        sa.update(PreparedFile)
        .where(PreparedFile.id == prepared_id)
        .values(heartbeat_at=utcnow() - timedelta(hours=1))
    )
    assert files.requeue_lost() == 1
    db.session.commit()

    def second_done():
        db.session.expire_all()
        done = db.session.get(PreparedFile, prepared_id).status == "ready"
        db.session.commit()
        return done

    assert wait_for(second_done, seconds=30)
    built["hold"].set()
    assert settle(app)
    db.session.expire_all()
    row = db.session.get(PreparedFile, prepared_id)
    assert (row.status, row.attempts, built["runs"]) == ("ready", 2, 2)
    assert storage.read(row.file_id) == b"run 2"
    assert _count(StoredFile) == 1


def test_a_file_past_its_time_is_deleted_by_the_periodic_job(app, event, admin, built):
    prepared = _prepare(event, admin)
    db.session.commit()
    assert settle(app)
    db.session.refresh(prepared)
    assert prepared.status == "ready" and _count(StoredFile) == 1
    job = REGISTRY["forget_expired_files_job"]
    assert job.periodic is not None
    assert job.func() == 0  # not yet
    past = utcnow() - timedelta(minutes=1)
    prepared.expires_at = past
    db.session.commit()
    assert job.func() == 1
    assert _count(PreparedFile) == 0 and _count(StoredFile) == 0


def test_a_kept_file_past_its_time_goes_even_without_an_owner(app):
    storage.put(b"old", content_type="text/plain", expires_at=utcnow() - timedelta(seconds=1))
    storage.put(b"kept", content_type="text/plain")
    db.session.commit()
    REGISTRY["forget_expired_files_job"].func()
    assert [f.size for f in db.session.scalars(sa.select(StoredFile))] == [4]
