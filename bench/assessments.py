"""A pre-test session under load, against a real gunicorn, on SQLite or PostgreSQL.

    .venv/bin/python bench/assessments.py                  # SQLite, 120 takers
    .venv/bin/python bench/assessments.py --db postgres --takers 200
    .venv/bin/python bench/assessments.py --participants 20 --takers 2 --port 5351  # smallest

Seeds the demo event (34 questions, ``--participants`` participants: ``--takers`` of them
new, with a password, the others with simulated pre/post attempts, so that for 400 the
results have ~800 attempts and ~27,000 answers to analyse). Then gunicorn (production
config, 127.0.0.1:5350) and 8 client threads: each taker logs in (CSRF on, as in
production), starts the pre-test and saves every answer with its own POST, as the phone
does, then submits. Prints the answer-save throughput
and p50/p99 latency, errors, the rows in the database, and how long the results page and
``GET /api/v1/events/{code}/results`` take with all of it.
"""

import argparse
import queue
import re
import sys
import threading
import time
from pathlib import Path

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import (  # noqa: E402
    api_token,
    bench_app,
    csrf_token,
    fresh_database,
    gunicorn,
    log_in,
    percentile,
    register_people,
    server_env,
    staff_account,
)

PORT = 5350
THREADS = 8
PASSWORD = "rahasia-bench-1"


def seed(env: dict, takers: int, participants: int) -> tuple[str, list[tuple[int, str]], str]:
    """Demo event with its bank and simulated results, ``takers`` fresh participants, admin."""
    from bimtek.demo import demo_people, load_demo
    from bimtek.extensions import db

    app = bench_app(env["DATABASE_URL"])
    with app.app_context():
        event, _ = load_demo(participant_count=participants - takers)
        rows = []
        for index, row in enumerate(demo_people(takers, seed=99)):
            rows.append(
                {**row, "nik": row["nik"][:12] + f"{9000 - index:04d}", "password": PASSWORD}
            )
        people = register_people(event, rows)
        token = api_token(staff_account("bench-admin@bimtek.local", password=PASSWORD))
        db.session.commit()
        code = event.code
        takers_out = [(p.id, p.nik) for p in people if p.status == "registered"]
        db.engine.dispose()
    return code, takers_out, token


def take_one(url: str, participant_id: int, nik: str, latencies: list, errors: list) -> None:
    try:
        session = log_in(url, nik, PASSWORD)
    except RuntimeError as refused:
        errors.append(("login", str(refused)))
        return
    base = f"{url}/peserta/{participant_id}/tes/pre"
    page = session.get(base).text
    session.post(f"{base}/mulai", data={"csrf_token": csrf_token(page)})
    page = session.get(base).text
    token = csrf_token(page)
    questions = re.findall(r'name="q(\d+)" value="(\d+)"', page)
    first_option = {}
    for question_id, option_id in questions:
        first_option.setdefault(question_id, option_id)
    for question_id, option_id in first_option.items():
        started = time.perf_counter()
        response = session.post(
            f"{base}/jawab",
            data={f"q{question_id}": option_id},
            headers={"X-CSRFToken": token, "Accept": "application/json"},
        )
        latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            errors.append(("answer", response.status_code))
    response = session.post(f"{base}/kumpulkan", data={"csrf_token": token})
    if response.status_code != 200:
        errors.append(("submit", response.status_code))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--takers", type=int, default=120)
    parser.add_argument("--participants", type=int, default=400, help="takers included")
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args()

    database_url = fresh_database(args.db, "bimtek_assessments_bench")
    env = server_env(
        database_url, BIMTEK_RATELIMIT_ENABLED="false", BIMTEK_SESSION_COOKIE_SECURE="false"
    )
    started = time.perf_counter()
    code, takers, token = seed(env, args.takers, args.participants)
    print(f"[{args.db}] seeded in {time.perf_counter() - started:.1f} s: {len(takers)} takers")

    latencies, errors = [], []
    work = queue.Queue()
    for item in takers:
        work.put(item)

    with gunicorn(env, args.port) as server:
        url = server.url

        def worker():
            while True:
                try:
                    participant_id, nik = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    take_one(url, participant_id, nik, latencies, errors)
                except requests.RequestException as error:
                    errors.append(("connection", str(error)[:60]))

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started

        admin = log_in(url, "bench-admin@bimtek.local", PASSWORD)
        timings = {}
        for name, target, session, headers in (
            ("results page", f"{url}/admin/kegiatan/{code}/tes/hasil", admin, {}),
            (
                "results API",
                f"{url}/api/v1/events/{code}/results",
                requests,
                {"Authorization": f"Bearer {token}"},
            ),
            ("results .xlsx", f"{url}/admin/kegiatan/{code}/ekspor/nilai.xlsx", admin, {}),
        ):
            runs = []
            for _ in range(3):
                begin = time.perf_counter()
                response = session.get(target, headers=headers)
                runs.append(time.perf_counter() - begin)
                assert response.status_code == 200, (name, response.status_code)
            timings[name] = min(runs)

    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        answers = connection.scalar(
            sa.text(
                "SELECT count(*) FROM assessment_answers a JOIN assessment_attempts t "
                "ON t.id = a.attempt_id WHERE t.participant_id IN ("
                + ",".join(str(p) for p, _ in takers)
                + ")"
            )
        )
        closed = connection.scalar(
            sa.text(
                "SELECT count(*) FROM assessment_attempts WHERE submitted_at IS NOT NULL "
                "AND participant_id IN (" + ",".join(str(p) for p, _ in takers) + ")"
            )
        )
        attempts = connection.scalar(sa.text("SELECT count(*) FROM assessment_attempts"))
    engine.dispose()

    print(
        f"[{args.db}] answer saves: {len(latencies)} in {elapsed:.1f} s = "
        f"{len(latencies) / elapsed:.0f}/s from {THREADS} threads; "
        f"p50 {1000 * percentile(latencies, 0.5):.1f} ms, "
        f"p99 {1000 * percentile(latencies, 0.99):.1f} ms"
    )
    print(f"[{args.db}] errors: {len(errors)} {errors[:5]}")
    print(
        f"[{args.db}] in the database: {answers} answers "
        f"(expected {len(latencies)}), {closed} submitted attempts (expected {len(takers)})"
    )
    for name, seconds in timings.items():
        print(f"[{args.db}] {name} with {attempts} attempts: {1000 * seconds:.0f} ms")


if __name__ == "__main__":
    main()
