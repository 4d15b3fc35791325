"""600 people register for 400 seats at the same moment, against a real gunicorn.

Runs on SQLite and on PostgreSQL (local server), prints registered / waitlisted / errors and
p50/p99 latency, then checks the database: exactly `capacity` seats, the rest waitlisted in
order, no number handed out twice.

    .venv/bin/python bench/registration_burst.py [--db sqlite|postgres|both]
    .venv/bin/python bench/registration_burst.py --db sqlite --registrations 6 --capacity 4 \
        --clients 3 --workers 2 --port 5151     # smallest

The per-IP registration rate limit is switched off for the run: every request comes from
127.0.0.1 here, unlike phones on a real network.
"""

import argparse
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import (  # noqa: E402
    bench_app,
    fresh_database,
    gunicorn,
    open_event,
    percentile,
    person,
    server_env,
)


def create_event(database_url: str, capacity: int) -> str:
    """The event (registration open until it starts, in 30 days); its code."""
    from bimtek.extensions import db

    app = bench_app(database_url, TESTING=True)
    with app.app_context():
        code = open_event("BURST24", capacity, title="Bimtek burst").code
        db.session.commit()
        db.engine.dispose()
    return code


def people(count: int):
    for serial in range(1, count + 1):
        yield person(
            serial,
            full_name=f"Peserta Burst {serial}",
            institution="Polres Kutai Timur",
            institution_category="polri",
            job_title="Bhabinkamtibmas",
            phone=f"0813{serial:08d}",
            consent=True,
        )


def burst(url: str, code: str, count: int, clients: int):
    payloads = list(people(count))
    start_together = threading.Barrier(clients)
    local = threading.local()
    results = []

    def send(payload):
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            start_together.wait()
        began = time.perf_counter()
        try:
            response = session.post(
                f"{url}/api/v1/events/{code}/registrations", json=payload, timeout=60
            )
            outcome = (response.status_code, response.json())
        except requests.RequestException as error:
            outcome = (0, {"error": repr(error)})
        return outcome, time.perf_counter() - began

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(send, payloads))
    return results, time.perf_counter() - began


def check_database(database_url: str) -> dict:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT status, count(*) FROM participants GROUP BY status")
        ).all()
        numbers = connection.execute(
            sa.text(
                "SELECT count(*), count(DISTINCT registration_number), "
                "max(CASE WHEN status='registered' THEN registration_number END), "
                "min(CASE WHEN status='waitlisted' THEN registration_number END) "
                "FROM participants"
            )
        ).one()
    engine.dispose()
    return {
        "counts": dict(rows),
        "rows": numbers[0],
        "distinct_numbers": numbers[1],
        "last_seat_number": numbers[2],
        "first_waitlist_number": numbers[3],
    }


def run(kind: str, args) -> bool:
    database_url = fresh_database(kind, "bimtek_bench_registration")
    env = server_env(database_url, BIMTEK_RATELIMIT_ENABLED="false")
    code = create_event(database_url, args.capacity)
    with gunicorn(env, args.port, workers=args.workers) as server:
        results, elapsed = burst(server.url, code, args.registrations, args.clients)
    statuses = [body.get("status") for (status, body), _ in results if status == 201]
    errors = [(status, body) for (status, body), _ in results if status != 201]
    latencies_ms = [seconds * 1000 for _, seconds in results]
    positions = sorted(
        body["position"]
        for (status, body), _ in results
        if status == 201 and body.get("status") == "waitlisted"
    )
    db_state = check_database(database_url)
    expected_wait = args.registrations - args.capacity
    ok = (
        statuses.count("registered") == args.capacity
        and statuses.count("waitlisted") == expected_wait
        and not errors
        and positions == list(range(1, expected_wait + 1))
        and db_state["distinct_numbers"] == args.registrations
        and db_state["counts"].get("registered") == args.capacity
    )
    print(
        f"[{kind}] {args.registrations} registrations for {args.capacity} seats, "
        f"{args.clients} clients, gunicorn {args.workers} sync workers: "
        f"registered={statuses.count('registered')} waitlisted={statuses.count('waitlisted')} "
        f"errors={len(errors)} | p50={percentile(latencies_ms, 0.5):.1f} ms "
        f"p99={percentile(latencies_ms, 0.99):.1f} ms | {args.registrations / elapsed:.0f} req/s "
        f"| db: {db_state} | waitlist positions 1..{positions[-1] if positions else 0} "
        f"{'OK' if ok else 'MISMATCH'}"
    )
    for status, body in errors[:5]:
        print(f"  error {status}: {body}")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--registrations", type=int, default=600)
    parser.add_argument("--capacity", type=int, default=400)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=5150)
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = [run(kind, args) for kind in kinds]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
