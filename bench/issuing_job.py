"""Issuing for all as a job: the "Terbitkan" request, and 400 signed certificates by a worker.

    .venv/bin/python bench/issuing_job.py                       # 400, Redis queue, 3 rounds
    .venv/bin/python bench/issuing_job.py --participants 400 --rounds 3 --db postgres
    .venv/bin/python bench/issuing_job.py --embedded            # no Redis: gunicorn's threads

On a fresh clone: makes its own demo signing key, a database (a temporary SQLite file, or a
recreated PostgreSQL database ``bench_issuing_job``), one event of N eligible participants
(``certificates.seed``: logos, two signatories with signature images, five modules) and a
manager. Starts a real gunicorn (gunicorn.conf.py, 2 workers) on 127.0.0.1 and one
``flask --app bimtek worker`` process on a Redis queue of its own, then, as the manager over
HTTP, each round:

1. click     POST .../sertifikat/terbitkan (confirm): the snapshot of the N eligible
             participants, the run and its items recorded, the job queued; the answer is the
             redirect to the progress page;
2. join      the same POST again while the run is under way (joins it, starts nothing);
3. progress  the progress page's JSON poll (counts and the lines past a position);
4. job       the run from its start to its end (``started_at`` → ``finished_at``): N
             certificates numbered, drawn, cut, signed (PAdES) and stored, a chunk
             (CERT_ISSUE_CHUNK) per transaction; the worker process's CPU seconds (from
             /proc) over the run.

Between rounds the certificates are revoked (in the database) so that the same N are
eligible again. Prints medians; target: click < 300 ms.
"""

import argparse
import os
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import (  # noqa: E402
    PUBLIC_BASE_URL,
    bench_app,
    demo_signer,
    fresh_database,
    gunicorn,
    log_in,
    server_env,
    staff_account,
    workdir,
    worker,
)

MANAGER = "manager@bench.local"


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def prepare(database_url: str, participants: int, signer: str, instance: Path):
    """Migrate, seed the event (nobody issued yet) and a manager; the event's code."""
    from bench.certificates import seed
    from bimtek.extensions import db

    app = bench_app(
        database_url,
        instance=instance,
        TESTING=True,
        CERT_SIGNING_PKCS12=signer,
        PUBLIC_BASE_URL=PUBLIC_BASE_URL,
    )
    with app.app_context():
        event, _first, _seconds = seed(participants, issue=False)
        staff_account(MANAGER, "manager", event)
        db.session.commit()
        code = event.code
        db.session.remove()
    return app, code


def revoke_all(app) -> None:
    """Every certificate in force revoked: the same participants are eligible again."""
    import sqlalchemy as sa

    from bimtek.certificates.models import Certificate
    from bimtek.core.timeutil import utcnow
    from bimtek.extensions import db

    with app.app_context():
        db.session.execute(
            sa.update(Certificate)
            .where(Certificate.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoke_reason="bench")
        )
        db.session.commit()
        db.session.remove()


def run_times(app, run_id: int):
    """(queue wait, run wall seconds, status) from the run's own timestamps."""
    from bimtek.certificates.models import IssueRun
    from bimtek.extensions import db

    with app.app_context():
        run = db.session.get(IssueRun, run_id)
        values = (
            (run.started_at - run.requested_at).total_seconds(),
            (run.finished_at - run.started_at).total_seconds(),
            run.status,
        )
        db.session.remove()
    return values


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--port", type=int, default=5101)
    parser.add_argument(
        "--redis", default=os.environ.get("BIMTEK_BENCH_REDIS", "redis://127.0.0.1:6379/1")
    )
    parser.add_argument(
        "--embedded", action="store_true", help="no Redis: gunicorn's own threads run the job"
    )
    args = parser.parse_args()

    folder = workdir("issuing-job")
    signer = demo_signer(folder)
    database_url = fresh_database(args.db, "bench_issuing_job", folder=folder)
    started = time.perf_counter()
    app, code = prepare(database_url, args.participants, signer, folder / "seed-instance")
    print(
        f"seeded {args.participants} eligible participants in "
        f"{time.perf_counter() - started:.1f} s ({args.db})"
    )
    queue = (
        {}
        if args.embedded
        else {
            "BIMTEK_QUEUE_URL": args.redis,
            "BIMTEK_QUEUE_NAME": f"bench-issuing-{uuid.uuid4().hex[:8]}",
        }
    )
    env = server_env(
        database_url,
        BIMTEK_CERT_SIGNING_PKCS12=signer,
        BIMTEK_PUBLIC_BASE_URL=PUBLIC_BASE_URL,
        BIMTEK_SESSION_COOKIE_SECURE="false",
        BIMTEK_RATELIMIT_ENABLED="false",
        **queue,
    )
    jobs = None if args.embedded else worker(env, threads=2)
    where = "1 worker process (Redis queue)" if jobs else "gunicorn's threads (embedded)"
    print(f"issuing job: {args.participants} participants, {args.db}, gunicorn 2 workers, {where}")
    clicks, joins, polls, walls, waits, cpus = [], [], [], [], [], []
    try:
        with gunicorn(env, args.port, workers=2) as server:
            base = server.url
            session = log_in(base, MANAGER)
            issue_url = f"{base}/admin/kegiatan/{code}/sertifikat/terbitkan"
            for round_ in range(args.rounds):
                if round_:
                    revoke_all(app)
                page = session.get(issue_url, timeout=60)
                token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
                cpu_before = cpu_seconds(jobs.process.pid) if jobs else 0.0
                began = time.perf_counter()
                response = session.post(
                    issue_url,
                    data={"csrf_token": token, "confirm": "1"},
                    allow_redirects=False,
                    timeout=60,
                )
                clicks.append(time.perf_counter() - began)
                assert response.status_code == 302, response.text[:1000]
                progress = response.headers["Location"]
                if progress.startswith("/"):
                    progress = base + progress
                assert "/terbitkan/" in progress, progress
                run_id = int(progress.rsplit("/", 1)[-1])
                after, state = -1, {}
                deadline = time.monotonic() + 600
                while time.monotonic() < deadline:
                    began = time.perf_counter()
                    poll = session.get(
                        f"{progress}?setelah={after}",
                        headers={"Accept": "application/json"},
                        timeout=60,
                    )
                    polls.append(time.perf_counter() - began)
                    state = poll.json()
                    if state["lines"]:
                        after = state["lines"][-1]["position"]
                    if state["status"] in ("done", "failed"):
                        break
                    if len(joins) < 3 * (round_ + 1):
                        began = time.perf_counter()
                        again = session.post(
                            issue_url,
                            data={"csrf_token": token, "confirm": "1"},
                            allow_redirects=False,
                            timeout=60,
                        )
                        joins.append(time.perf_counter() - began)
                        assert again.headers["Location"].endswith(f"/terbitkan/{run_id}")
                    time.sleep(0.2)
                cpus.append(cpu_seconds(jobs.process.pid) - cpu_before if jobs else float("nan"))
                assert state.get("status") == "done", state
                assert state["issued"] == args.participants, state
                wait, wall, _status = run_times(app, run_id)
                waits.append(wait)
                walls.append(wall)
                print(
                    f"round {round_ + 1}: click {clicks[-1] * 1000:.0f} ms, job {wall:.2f} s "
                    f"wall / {cpus[-1]:.2f} s CPU (queue wait {wait:.2f} s)"
                )
    finally:
        if jobs is not None:
            jobs.stop()
        if queue:
            import redis

            client = redis.Redis.from_url(args.redis)
            for key in client.scan_iter(f"*{queue['BIMTEK_QUEUE_NAME']}*"):
                client.delete(key)
            client.close()

    n = args.participants
    click = statistics.median(clicks)
    wall = statistics.median(walls)
    cpu = statistics.median(cpus)
    print(
        f"click:    Terbitkan (POST, snapshot of {n}, run recorded, job queued): median "
        f"{click * 1000:.1f} ms of {len(clicks)} (min {min(clicks) * 1000:.1f}, "
        f"max {max(clicks) * 1000:.1f})"
    )
    if joins:
        print(
            f"join:     Terbitkan again while the run is under way: median "
            f"{statistics.median(joins) * 1000:.1f} ms of {len(joins)}"
        )
    print(f"progress: JSON poll: median {statistics.median(polls) * 1000:.1f} ms of {len(polls)}")
    print(
        f"job:      {n} signed certificates: median {wall:.2f} s wall, {cpu:.2f} s CPU of the "
        f"worker; per certificate {wall / n * 1000:.1f} ms wall / {cpu / n * 1000:.1f} ms "
        f"CPU; queue wait median {statistics.median(waits):.2f} s ({len(walls)} runs)"
    )
    print(f"targets:  click < 300 ms: {'ok' if click < 0.3 else 'MISSED'}")
    print(f"load:     {' '.join(f'{v:.2f}' for v in os.getloadavg())} (1/5/15 min, 2 cores)")


if __name__ == "__main__":
    main()
