"""Notifications and bulk jobs: 400 registration emails through the queue, and the ZIP.

    .venv/bin/python bench/notifications.py                 # embedded, Redis, ZIP
    .venv/bin/python bench/notifications.py --no-redis      # without a Redis server
    BIMTEK_BENCH_REDIS=redis://127.0.0.1:6379/3 .venv/bin/python bench/notifications.py

1. embedded  400 registrations (service call + commit each, as 400 requests) with an email
             address each; the app's own threads send every message (text, HTML, ticket PDF)
             to a real SMTP server (aiosmtpd on 127.0.0.1). Prints how long the 400
             registrations took and messages per second from the first registration to the
             400th message accepted by the server.
2. redis     the same with QUEUE_URL=redis://…: the registrations only queue; a separate
             ``flask --app bimtek worker --threads 4`` process sends.
3. zip       400 issued certificates: the ZIP of their stored signed files as a job: the
             request that asks for it, and the job until the file is ready.

SQLite in a temporary folder; the SMTP server keeps messages in memory.
"""

import argparse
import os
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import (  # noqa: E402
    PASSWORD,
    PUBLIC_BASE_URL,
    TEST_CLIENT,
    bench_app,
    demo_signer,
    fresh_database,
    open_event,
    person,
    server_env,
    staff_account,
    workdir,
    worker,
)
from tests.servers import free_port  # noqa: E402


class Counter:
    """An aiosmtpd handler that counts accepted messages and the time of the last one."""

    def __init__(self):
        self.count = 0
        self.last = 0.0
        self.bytes = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            self.bytes += len(envelope.content)
            self.last = time.perf_counter()
        return "250 OK"

    def wait(self, count: int, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.count >= count:
                return True
            time.sleep(0.02)
        return False


def make_app(folder: Path, smtp_port: int, **extra):
    return bench_app(
        fresh_database("sqlite", "bench", folder=folder),
        instance=folder / "instance",
        **{
            **TEST_CLIENT,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_port,
            "MAIL_USE_TLS": False,
            "MAIL_DEFAULT_SENDER": "Bimtek <bimtek@kutaitimurkab.go.id>",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            **extra,
        },
    )


def people(count: int, tag: str) -> list[dict]:
    return [person(n, email=f"peserta{n}.{tag}@contoh.id") for n in range(1, count + 1)]


def register_all(app, count: int, tag: str) -> float:
    """Register ``count`` people, one commit each; seconds taken."""
    from datetime import date, timedelta

    from bimtek.extensions import db
    from bimtek.participants import registration

    with app.app_context():
        event = open_event(
            "MAIL24",
            count,
            start=date.today() + timedelta(days=7),
            title="Mitigasi dan Penanganan Konflik Sosial pada Pilkada 2024",
        )
        db.session.commit()
        rows = people(count, tag)
        started = time.perf_counter()
        for row in rows:
            registration.register(
                event, row, registration.RegistrationTerms(channel="api", enforce_window=False)
            )
            db.session.commit()
        took = time.perf_counter() - started
        db.session.remove()
    return took


def run_embedded(count: int) -> None:
    from aiosmtpd.controller import Controller

    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = make_app(workdir("mail"), port)
        started = time.perf_counter()
        took = register_all(app, count, "e")
        assert counter.wait(count, 600), f"only {counter.count} of {count} arrived"
        total = counter.last - started
        print(
            f"embedded: {count} registrations in {took:.2f} s ({count / took:.0f}/s); "
            f"{counter.count} messages ({counter.bytes / counter.count / 1024:.0f} KB each, "
            f"ticket PDF attached) accepted {total:.2f} s after the first registration: "
            f"{count / total:.1f} messages/s"
        )
        app.extensions["bimtek_jobs"].runner.stop()
    finally:
        controller.stop()


def run_redis(count: int, url: str) -> None:
    from aiosmtpd.controller import Controller

    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    name = f"bench-{uuid.uuid4().hex[:8]}"
    app = make_app(workdir("mail-redis"), port, QUEUE_URL=url, QUEUE_NAME=name)
    env = server_env(
        app.config["SQLALCHEMY_DATABASE_URI"],
        BIMTEK_INSTANCE_PATH=app.instance_path,
        BIMTEK_QUEUE_URL=url,
        BIMTEK_QUEUE_NAME=name,
        BIMTEK_MAIL_SERVER="127.0.0.1",
        BIMTEK_MAIL_PORT=port,
        BIMTEK_MAIL_USE_TLS="false",
        BIMTEK_MAIL_DEFAULT_SENDER="Bimtek <bimtek@kutaitimurkab.go.id>",
        BIMTEK_PUBLIC_BASE_URL=PUBLIC_BASE_URL,
    )
    sender = worker(env, threads=4)
    try:
        started = time.perf_counter()
        took = register_all(app, count, "r")
        assert counter.wait(count, 600), f"only {counter.count} of {count} arrived"
        total = counter.last - started
        print(
            f"redis:    {count} registrations in {took:.2f} s ({count / took:.0f}/s); "
            f"{counter.count} messages sent by 1 worker process (4 threads) "
            f"{total:.2f} s after the first registration: {count / total:.1f} messages/s"
        )
    finally:
        sender.stop()
        with app.app_context():
            app.extensions["bimtek_jobs"].huey.flush()
        controller.stop()


def run_zip(count: int) -> None:
    from bench.certificates import seed
    from bimtek.extensions import db

    folder = workdir("zip")
    app = make_app(folder, free_port(), MAIL_SERVER=None, CERT_SIGNING_PKCS12=demo_signer(folder))
    with app.app_context():
        event, _person, _issue_seconds = seed(count)
        staff_account("admin@bench.local")
        db.session.commit()
        code = event.code
        db.session.remove()
    client = app.test_client()
    response = client.post("/masuk", data={"identifier": "admin@bench.local", "password": PASSWORD})
    assert response.status_code == 302, response.status_code

    started = time.perf_counter()
    response = client.post(f"/admin/kegiatan/{code}/sertifikat/berkas/zip")
    ask = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    progress = response.headers["Location"]
    polls = 0
    while True:
        polls += 1
        state = client.get(progress, headers={"Accept": "application/json"}).get_json()
        if state["status"] in ("ready", "failed"):
            break
        time.sleep(0.1)
    job = time.perf_counter() - started
    assert state["status"] == "ready", state
    started = time.perf_counter()
    download = client.get(progress + "/unduh")
    fetch = time.perf_counter() - started
    size = len(download.data)
    assert size > 0
    download.close()
    print(
        f"zip:      {count} certificates, {size / 1e6:.1f} MB, as a job: "
        f"request {ask * 1000:.0f} ms, "
        f"file ready after {job:.2f} s ({polls} progress polls), download of the kept file "
        f"{fetch * 1000:.0f} ms"
    )
    with app.app_context():
        app.extensions["bimtek_jobs"].runner.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--no-zip", action="store_true")
    parser.add_argument(
        "--redis", default=os.environ.get("BIMTEK_BENCH_REDIS", "redis://127.0.0.1:6379/3")
    )
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, SQLite, aiosmtpd")
    run_embedded(args.count)
    if not args.no_redis:
        run_redis(args.count, args.redis)
    if not args.no_zip:
        run_zip(args.count)


if __name__ == "__main__":
    main()
