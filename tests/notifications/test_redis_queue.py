"""The Redis-backed queue: the request only queues; ``flask worker`` (a real process) sends.

Run when BIMTEK_TEST_REDIS_URL points at a Redis server (CI: redis://127.0.0.1:6379/3).
"""

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from bimtek.extensions import db
from bimtek.notifications.models import Delivery
from tests.factories import registration_data
from tests.notifications.conftest import wait_for
from tests.servers import Server, environment, flask_worker

REDIS_URL = os.environ.get("BIMTEK_TEST_REDIS_URL")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="BIMTEK_TEST_REDIS_URL not set"),
]


@pytest.fixture
def app_config(app_config):
    return {**app_config, "QUEUE_URL": REDIS_URL, "QUEUE_NAME": f"test-{uuid.uuid4().hex[:10]}"}


@pytest.fixture
def queue(app):
    jobs = app.extensions["bimtek_jobs"]
    yield jobs
    jobs.huey.flush()  # this test's queue keys only


def start_worker(app) -> Server:
    env = environment(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY="test-secret",
        BIMTEK_INSTANCE_PATH=app.instance_path,
        BIMTEK_QUEUE_URL=app.config["QUEUE_URL"],
        BIMTEK_QUEUE_NAME=app.config["QUEUE_NAME"],
        BIMTEK_PUBLIC_BASE_URL=app.config["PUBLIC_BASE_URL"],
        BIMTEK_JOB_RETRY_DELAY="1",
        BIMTEK_JOB_RETRY_BACKOFF="1",
    )
    log = Path(app.instance_path) / "worker.log"
    return flask_worker(env, threads=2, log=log, grace=20).start()


def stop_worker(worker: Server) -> str:
    worker.stop()
    return worker.output(last=None)


def test_request_queues_in_redis_and_the_worker_sends(app, client, mailbox, queue, event):
    assert not queue.embedded
    response = client.post(
        f"/api/v1/events/{event.code}/registrations",
        json=registration_data(email="redis@contoh.id"),
    )
    assert response.status_code == 201
    assert queue.huey.pending_count() == 1  # waiting in Redis, not run by the app
    assert mailbox.messages == []
    worker = start_worker(app)
    try:
        messages = wait_for(lambda: mailbox.to("redis@contoh.id"), seconds=30)
        assert messages, "the worker sent nothing"
        assert wait_for(lambda: _status() == "sent", seconds=10)
    finally:
        output = stop_worker(worker)
    assert "Bimtek worker" in output
    assert len(mailbox.to("redis@contoh.id")) == 1


def test_worker_retries_a_refused_message_and_sends_it_once(app, client, mailbox, queue, event):
    mailbox.refuse = "451 4.3.0 Coba lagi nanti"
    client.post(
        f"/api/v1/events/{event.code}/registrations",
        json=registration_data(email="ulang@contoh.id"),
    )
    worker = start_worker(app)
    try:
        assert wait_for(lambda: _status() == "failed", seconds=30)
        mailbox.refuse = None
        assert wait_for(lambda: mailbox.to("ulang@contoh.id"), seconds=30)
        assert wait_for(lambda: _status() == "sent", seconds=10)
    finally:
        stop_worker(worker)
    assert len(mailbox.to("ulang@contoh.id")) == 1


def _status() -> str | None:
    db.session.expire_all()
    value = db.session.scalar(sa.select(Delivery.status))
    db.session.commit()  # end the read transaction so the next poll sees new rows
    return value
