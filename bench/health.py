"""What the health checks and the request log line cost, on the production gunicorn.

    .venv/bin/python bench/health.py                      # SQLite, embedded queue
    .venv/bin/python bench/health.py --db postgres --redis redis://127.0.0.1:6379/2
    .venv/bin/python bench/health.py --rounds 3 --port 5371             # smallest

Starts gunicorn (one sync worker) on 127.0.0.1:5370 (``--port``) over a migrated database,
then makes 300 (``--rounds``) requests each to /api/v1/ping (the API's trivial answer, for
comparison), /healthz, /readyz and /healthz with the JSON log format. Prints the median and
p95 in ms as the client sees them. With --redis the job queue and the rate-limit store are
that Redis, so /readyz asks it twice.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import fresh_database, gunicorn, migrate, percentile, server_env  # noqa: E402

PORT = 5370
ROUNDS = 300


def timings(url: str, rounds: int) -> list[float]:
    session = requests.Session()
    session.get(url, timeout=15)  # a first request warms the worker up
    spent = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = session.get(url, timeout=15)
        spent.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    return spent


def report(label: str, spent: list[float]) -> None:
    median, p95 = statistics.median(spent), percentile(spent, 0.95)
    print(f"{label:<34} median {median:6.2f} ms   p95 {p95:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--redis", help="redis://… for the job queue and the rate limits")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="requests per URL")
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args()
    extra = {"BIMTEK_RATELIMIT_ENABLED": "true"}
    if args.redis:
        extra |= {"BIMTEK_QUEUE_URL": args.redis, "BIMTEK_RATELIMIT_STORAGE_URI": args.redis}
    env = server_env(fresh_database(args.db, "bimtek_bench_health"), **extra)
    migrate(env)
    print(f"{args.db}, {'Redis' if args.redis else 'embedded queue, memory rate limits'}:")
    with gunicorn(env, args.port, workers=1) as server:
        report("/api/v1/ping (for comparison)", timings(server.url + "/api/v1/ping", args.rounds))
        report("/healthz (text log)", timings(server.url + "/healthz", args.rounds))
        report("/readyz (text log)", timings(server.url + "/readyz", args.rounds))
    with gunicorn({**env, "BIMTEK_LOG_FORMAT": "json"}, args.port, workers=1) as server:
        report("/healthz (JSON log)", timings(server.url + "/healthz", args.rounds))


if __name__ == "__main__":
    main()
