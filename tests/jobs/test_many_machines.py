"""Many machines: two gunicorn app servers and a ``flask worker``, each with its own instance
folder, sharing only PostgreSQL and Redis, started as the README documents.

Through HTTP, as a manager: an export prepared as a job, a certificate bundle, a material,
a participant import and a certificate download each work from either server. Then the
worker is killed (SIGKILL) in the middle of a job and another started: the job finishes,
once (one file, one audit row).

Runs when BIMTEK_TEST_DATABASE_URL and BIMTEK_TEST_REDIS_URL are both set.
"""

import io
import os
import re
import time
import uuid
import zipfile
from pathlib import Path

import openpyxl
import pytest
import redis
import requests
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.certificates.issuing import issue_all
from bimtek.certificates.models import Certificate
from bimtek.extensions import db
from bimtek.jobs.models import PreparedFile
from bimtek.participants.models import Participant
from bimtek.storage.models import StoredFile
from tests.certificates.conftest import qualify
from tests.conftest import POSTGRES_URL, demo_signer
from tests.factories import PASSWORD, make_participant, make_staff
from tests.participants.sheets import person_row, xlsx_bytes
from tests.servers import Server, environment, flask_worker, free_port, gunicorn

REDIS_URL = os.environ.get("BIMTEK_TEST_REDIS_URL")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: seconds a build may go without renewing its lease (short, so the test need not wait long)
LEASE = 2

pytestmark = [
    pytest.mark.machines,
    pytest.mark.skipif(
        not (POSTGRES_URL and REDIS_URL),
        reason="needs BIMTEK_TEST_DATABASE_URL (PostgreSQL) and BIMTEK_TEST_REDIS_URL",
    ),
]


class Machines:
    """The processes of one install, each with its own instance folder; stopped at the end."""

    def __init__(self, database_url: str, folder: Path):
        self.folder = folder
        self.env = environment(
            DATABASE_URL=database_url,
            SECRET_KEY="many-machines-secret-key",
            BIMTEK_QUEUE_URL=REDIS_URL,
            BIMTEK_QUEUE_NAME=f"machines-{uuid.uuid4().hex[:10]}",
            BIMTEK_RATELIMIT_STORAGE_URI=REDIS_URL,
            BIMTEK_RATELIMIT_KEY_PREFIX=f"machines-limits-{uuid.uuid4().hex[:10]}",
            BIMTEK_CERT_SIGNING_PKCS12=demo_signer(),
            BIMTEK_PUBLIC_BASE_URL="http://bimtek.test",
            BIMTEK_SESSION_COOKIE_SECURE="false",
            BIMTEK_EXPORT_JOB_THRESHOLD="2",
            BIMTEK_PREPARED_FILE_LEASE_SECONDS=str(LEASE),
        )
        self.env.pop("BIMTEK_TEST_DATABASE_URL", None)
        self.servers: list[Server] = []

    def _own(self, name: str) -> dict:
        """The environment and the log of a process with an instance folder of its own."""
        instance = self.folder / name
        instance.mkdir()
        env = {**self.env, "BIMTEK_INSTANCE_PATH": str(instance)}
        return {"env": env, "log": self.folder / f"{name}.log", "grace": 20}

    def _started(self, server: Server) -> Server:
        self.servers.append(server)
        return server.start()

    def app_servers(self, *names: str) -> list[str]:
        """Start gunicorn servers at once; their URLs once each answers."""
        started = [
            self._started(gunicorn(port=free_port(), workers=1, **self._own(name)))
            for name in names
        ]
        return [server.wait_ready().url for server in started]

    def worker(self, name: str) -> Server:
        return self._started(flask_worker(threads=2, **self._own(name)))

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


@pytest.fixture
def machines(app, database_url, tmp_path):
    install = Machines(database_url, tmp_path)
    yield install
    install.stop()
    client = redis.Redis.from_url(REDIS_URL)
    for name in ("BIMTEK_QUEUE_NAME", "BIMTEK_RATELIMIT_KEY_PREFIX"):
        pattern = f"*{install.env[name]}*"
        for key in client.scan_iter(pattern):
            client.delete(key)
    client.close()


class Browser(requests.Session):
    """A manager's browser against one app server."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 60)
        kwargs["allow_redirects"] = False  # every redirect is looked at
        return super().request(method, self.base + url, *args, **kwargs)

    def token(self, path: str) -> str:
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)

    def login(self, email: str) -> "Browser":
        token = self.token("/masuk")
        response = self.post(
            "/masuk", data={"identifier": email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302, response.text[:500]
        return self

    def wait_ready(self, progress: str, seconds: float = 40) -> dict:
        deadline = time.monotonic() + seconds
        while True:
            state = self.get(progress, headers={"Accept": "application/json"}).json()
            if state["status"] in ("ready", "failed") or time.monotonic() > deadline:
                return state
            time.sleep(0.1)


def _status(prepared_id: int) -> tuple:
    db.session.expire_all()
    row = db.session.get(PreparedFile, prepared_id)
    values = (row.status, row.attempts, row.heartbeat_at, row.file_id)
    db.session.commit()
    return values


def _count(query) -> int:
    value = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    db.session.commit()
    return value


def test_two_app_servers_and_a_worker_share_only_the_database_and_redis(app, event, machines):
    manager = make_staff("manager", "manager.mesin@bimtek.local", event=event)
    people = [make_participant(event, full_name=f"Peserta {n}") for n in range(6)]
    for person in people:
        qualify(event, person)
    assert len(issue_all(event).issued) == 6
    db.session.commit()
    code = event.code

    worker = machines.worker("worker-1")
    urls = machines.app_servers("app-a", "app-b")
    first, second = (Browser(url).login(manager.email) for url in urls)

    # an export prepared as a job: asked on one server, built by the worker, served by both
    token = first.token(f"/admin/kegiatan/{code}/ekspor/semua.xlsx")
    asked = first.post(f"/admin/kegiatan/{code}/ekspor/semua/siapkan", data={"csrf_token": token})
    assert asked.status_code == 302
    progress = asked.headers["Location"].removeprefix(first.base)
    assert second.wait_ready(progress)["status"] == "ready", machines.log("worker-1")
    exported = [browser.get(progress + "/unduh") for browser in (first, second)]
    assert [r.status_code for r in exported] == [200, 200]
    assert exported[0].content == exported[1].content
    assert exported[0].headers["Cache-Control"] == "private, no-store"
    assert exported[1].headers["X-Content-Type-Options"] == "nosniff"
    assert "Peserta" in openpyxl.load_workbook(io.BytesIO(exported[1].content)).sheetnames

    # the certificate bundle (ZIP)
    token = second.token(f"/admin/kegiatan/{code}/sertifikat")
    asked = second.post(f"/admin/kegiatan/{code}/sertifikat/berkas/zip", data={"csrf_token": token})
    assert asked.status_code == 302
    progress = asked.headers["Location"].removeprefix(second.base)
    assert first.wait_ready(progress)["status"] == "ready", machines.log("worker-1")
    bundles = [browser.get(progress + "/unduh") for browser in (first, second)]
    assert bundles[0].content == bundles[1].content
    assert len(zipfile.ZipFile(io.BytesIO(bundles[0].content)).namelist()) == 6
    assert "attachment;" in bundles[0].headers["Content-Disposition"]

    # a material uploaded on one server downloads from the other
    module = event.modules[0]
    token = first.token(f"/admin/kegiatan/{code}/materi/{module.id}")
    uploaded = first.post(
        f"/admin/kegiatan/{code}/materi/{module.id}/bahan",
        data={"csrf_token": token, "material_title": "Peta rawan"},
        files={"file": ("peta.pdf", PDF, "application/pdf")},
    )
    assert uploaded.status_code == 302
    db.session.expire_all()
    material = event.modules[0].materials[0]
    db.session.commit()
    for browser in (second, first):
        download = browser.get(f"/bahan/{material.id}/{material.filename}")
        assert download.status_code == 200 and download.content == PDF
        assert download.headers["Content-Disposition"] == "attachment; filename=peta.pdf"

    # a participant import: uploaded on one server, previewed and confirmed on the other
    sheet = xlsx_bytes([person_row(full_name="Andi Impor"), person_row(full_name="Budi Impor")])
    token = first.token(f"/admin/kegiatan/{code}/impor")
    uploaded = first.post(
        f"/admin/kegiatan/{code}/impor",
        data={"csrf_token": token},
        files={"berkas": ("peserta.xlsx", sheet)},
    )
    assert uploaded.status_code == 302, uploaded.text[:500]
    preview = uploaded.headers["Location"].removeprefix(first.base)
    token = second.token(preview)
    confirmed = second.post(preview + "/simpan", data={"csrf_token": token})
    assert confirmed.status_code == 302
    imported = sa.select(Participant).where(Participant.full_name.like("% Impor"))
    assert _count(imported) == 2

    # a certificate download, the same signed bytes from either server
    certificate = db.session.scalars(sa.select(Certificate).order_by(Certificate.id)).first()
    document = certificate.document
    db.session.commit()
    for browser in (first, second):
        download = browser.get(f"/admin/kegiatan/{code}/sertifikat/{certificate.id}.pdf")
        assert download.status_code == 200 and download.content == document

    # the worker is killed in the middle of a job; another one finishes it, once. The test
    # holds the table of kept files locked against writes (SHARE: reads and foreign-key checks
    # pass), so the worker stops where it keeps the built file.
    held = sa.create_engine(db.engine.url).connect()
    held.begin()
    held.execute(sa.text("LOCK TABLE stored_files IN SHARE MODE"))
    try:
        token = first.token(f"/admin/kegiatan/{code}/sertifikat")
        asked = first.post(
            f"/admin/kegiatan/{code}/sertifikat/berkas/pdf", data={"csrf_token": token}
        )
        assert asked.status_code == 302, (asked.status_code, asked.text[:3000])
        progress = asked.headers["Location"].removeprefix(first.base)
        prepared_id = int(progress.rsplit("/", 1)[-1])
        waiting = sa.text(
            "SELECT count(*) FROM pg_locks WHERE relation = 'stored_files'::regclass "
            "AND NOT granted"
        )
        deadline = time.monotonic() + 30
        while not held.scalar(waiting):
            assert time.monotonic() < deadline, machines.log("worker-1")
            time.sleep(0.05)
        worker.kill()
    finally:
        held.rollback()
        held.close()
        held.engine.dispose()
    status, attempts, _heartbeat, file_id = _status(prepared_id)
    assert (status, attempts, file_id) == ("running", 1, None)  # lost with its worker
    early = first.get(progress + "/unduh")
    assert early.status_code == 302  # not ready: back to its page

    time.sleep(LEASE + 0.5)  # the dead worker's lease lapses
    machines.worker("worker-2")
    assert second.wait_ready(progress)["status"] == "ready", machines.log("worker-2")
    merged = [browser.get(progress + "/unduh") for browser in (first, second)]
    assert merged[0].content.startswith(b"%PDF-") and merged[0].content == merged[1].content
    status, attempts, _heartbeat, file_id = _status(prepared_id)
    assert (status, attempts) == ("ready", 2)
    kept = sa.select(StoredFile.id).where(StoredFile.content_type == "application/pdf")
    assert _count(kept.where(StoredFile.size == len(merged[0].content))) == 1
    assert _count(sa.select(PreparedFile).where(PreparedFile.kind == "certificates_pdf")) == 1
    audit = sa.select(AuditLog).where(
        AuditLog.action == "certificate.bundle", AuditLog.target_id == prepared_id
    )
    assert _count(audit) == 1
