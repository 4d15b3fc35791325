"""Issuing for all, killed: a gunicorn app server and a ``flask worker`` on PostgreSQL and
Redis; the manager clicks "Terbitkan" over HTTP, the worker is killed (SIGKILL) in the middle
of a chunk, another worker starts and finishes the run: every number once, in sequence, no
gap, one certificate per participant.

The test holds the certificates table locked against writes (SHARE) once a first chunk is
in, so the worker stops inside the next chunk's transaction, where it has taken its numbers.

Runs when BIMTEK_TEST_DATABASE_URL and BIMTEK_TEST_REDIS_URL are both set.
"""

import time

import pytest
import redis
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.certificates.models import Certificate, CertificateSettings, IssueRun
from bimtek.extensions import db
from tests.certificates.conftest import sign
from tests.conftest import POSTGRES_URL
from tests.factories import make_participant, make_staff
from tests.jobs.test_many_machines import LEASE, REDIS_URL, Browser, Machines

#: participants and the chunk: four chunks, the kill in the second or third
PEOPLE, CHUNK = 20, 5

pytestmark = [
    pytest.mark.machines,
    pytest.mark.serial,
    pytest.mark.skipif(
        not (POSTGRES_URL and REDIS_URL),
        reason="needs BIMTEK_TEST_DATABASE_URL (PostgreSQL) and BIMTEK_TEST_REDIS_URL",
    ),
]


@pytest.fixture
def install(app, database_url, tmp_path):
    machines = Machines(database_url, tmp_path)
    machines.env["BIMTEK_CERT_ISSUE_CHUNK"] = str(CHUNK)
    yield machines
    machines.stop()
    client = redis.Redis.from_url(REDIS_URL)
    for name in ("BIMTEK_QUEUE_NAME", "BIMTEK_RATELIMIT_KEY_PREFIX"):
        for key in client.scan_iter(f"*{machines.env[name]}*"):
            client.delete(key)
    client.close()


def _fresh(query):
    db.session.expire_all()
    value = db.session.execute(query).all()
    db.session.commit()
    return value


def _seqs() -> list[int]:
    return [row[0] for row in _fresh(sa.select(Certificate.seq).order_by(Certificate.seq))]


def test_a_worker_killed_mid_chunk_leaves_no_gap_and_no_double(app, event, install):
    manager = make_staff("manager", "manager.terbit@bimtek.local", event=event)
    sign(event)
    settings = db.session.get(CertificateSettings, event.id)
    settings.min_attendance_percent, settings.post_test_required = 0, False
    people = [make_participant(event, full_name=f"Peserta {n:02d}") for n in range(PEOPLE)]
    db.session.commit()
    code = event.code

    worker = install.worker("worker-1")
    (url,) = install.app_servers("app")
    browser = Browser(url).login(manager.email)
    token = browser.token(f"/admin/kegiatan/{code}/sertifikat/terbitkan")
    asked = browser.post(
        f"/admin/kegiatan/{code}/sertifikat/terbitkan", data={"csrf_token": token, "confirm": "1"}
    )
    assert asked.status_code == 302, asked.text[:2000]
    progress = asked.headers["Location"].removeprefix(url)
    run_id = int(progress.rsplit("/", 1)[-1])

    deadline = time.monotonic() + 60
    while len(_seqs()) < CHUNK:
        assert time.monotonic() < deadline, install.log("worker-1")
        time.sleep(0.05)
    held = sa.create_engine(db.engine.url).connect()
    held.begin()
    try:
        held.execute(sa.text("LOCK TABLE certificates IN SHARE MODE"))
        waiting = sa.text(
            "SELECT count(*) FROM pg_locks WHERE relation = 'certificates'::regclass "
            "AND NOT granted"
        )
        while not held.scalar(waiting):
            assert time.monotonic() < deadline, install.log("worker-1")
            time.sleep(0.05)
        worker.kill()
    finally:
        held.rollback()
        held.close()
        held.engine.dispose()

    # what the killed chunk had taken is gone with its transaction
    kept = _seqs()
    assert kept == list(range(1, len(kept) + 1)) and len(kept) % CHUNK == 0
    assert 0 < len(kept) < PEOPLE
    ((last_seq,),) = _fresh(
        sa.select(CertificateSettings.last_seq).where(CertificateSettings.event_id == event.id)
    )
    assert last_seq == len(kept)
    ((status, attempts),) = _fresh(
        sa.select(IssueRun.status, IssueRun.attempts).where(IssueRun.id == run_id)
    )
    assert (status, attempts) == ("running", 1)
    state = browser.get(progress, headers={"Accept": "application/json"}).json()
    assert (state["done"], state["total"]) == (len(kept), PEOPLE)

    time.sleep(LEASE + 0.5)  # the dead worker's lease lapses
    install.worker("worker-2")  # sweeps for lost runs as it starts
    deadline = time.monotonic() + 90
    while True:
        state = browser.get(progress, headers={"Accept": "application/json"}).json()
        if state["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert state["status"] == "done", install.log("worker-2")
    assert (state["issued"], state["failed"], state["done"]) == (PEOPLE, 0, PEOPLE)
    assert _seqs() == list(range(1, PEOPLE + 1))
    holders = _fresh(sa.select(Certificate.participant_id))
    assert sorted(h[0] for h in holders) == sorted(p.id for p in people)
    ((status, attempts),) = _fresh(
        sa.select(IssueRun.status, IssueRun.attempts).where(IssueRun.id == run_id)
    )
    assert (status, attempts) == ("done", 2)
    clicks = _fresh(sa.select(AuditLog.id).where(AuditLog.action == "certificate.issue_run"))
    assert len(clicks) == 1
    page = browser.get(progress)
    assert "Selesai." in page.text and f"{PEOPLE:03d}/BIMTEK-" in page.text
