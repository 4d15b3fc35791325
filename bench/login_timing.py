"""How long a failed login takes for an existing account and for an unknown one.

    .venv/bin/python bench/login_timing.py            # SQLite
    .venv/bin/python bench/login_timing.py --db postgres
    .venv/bin/python bench/login_timing.py --rounds 2 --port 5361   # smallest

Starts the production gunicorn on 127.0.0.1:5360 with the production hash method (scrypt),
one participant account with a password and one imported without, then 50 (``--rounds``)
wrong-password logins for each kind and 50 for NIKs and emails that have no account, in
turn. Prints the median and p90 of each. If they differ, the login says whether an account
exists. The login limits are switched off here (a locked identifier+address pair would
answer the 6th attempt without hashing, for known and unknown accounts alike); everything
else is as in production. bench/lockout_timing.py times the limits themselves.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import (  # noqa: E402
    bench_app,
    csrf_token,
    fresh_database,
    gunicorn,
    nik,
    open_event,
    percentile,
    person,
    register_people,
    server_env,
)

PORT = 5360
ROUNDS = 50
PASSWORD = "Lembayung-bench-77"


def seed(env: dict) -> tuple[str, str]:
    """An event, a participant with a password, one imported without; their NIKs."""
    from bimtek.extensions import db
    from bimtek.participants.registration import register_many

    app = bench_app(env["DATABASE_URL"])
    with app.app_context():
        event = open_event("BENCH24", 10)
        register_people(event, [person(1, password=PASSWORD)])
        register_many(event, [person(2)], channel="import")
        db.session.commit()
        db.engine.dispose()
    return nik(1), nik(2)


def login_once(base: str, identifier: str) -> float:
    session = requests.Session()
    token = csrf_token(session.get(f"{base}/masuk", timeout=10).text)
    started = time.perf_counter()
    response = session.post(
        f"{base}/masuk",
        data={"identifier": identifier, "password": "bukan-sandinya", "csrf_token": token},
        timeout=10,
        allow_redirects=False,
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 400:
        raise RuntimeError(f"expected 400 for a wrong password, got {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="failed logins per kind")
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args()
    database_url = fresh_database(args.db, "bench_login_timing")
    env = server_env(
        database_url,
        BIMTEK_RATELIMIT_ENABLED="false",
        BIMTEK_SESSION_COOKIE_SECURE="false",
        BIMTEK_PASSWORD_HASH_METHOD="scrypt",
        WEB_CONCURRENCY="1",
    )
    known, imported = seed(env)
    kinds = {
        "existing account, wrong password": lambda i: known,
        "existing account without password": lambda i: imported,
        "unknown NIK": lambda i: f"640801170590{5000 + i:04d}",
        "unknown email": lambda i: f"tidak-ada-{i}@bimtek.local",
    }
    times = {kind: [] for kind in kinds}
    with gunicorn(env, args.port) as server:
        base = server.url
        for kind in kinds:  # warm up: the first scrypt and the dummy hash are made once
            login_once(base, kinds[kind](9999))
        for index in range(args.rounds):
            for kind, identifier in kinds.items():  # interleaved: drift hits every kind alike
                times[kind].append(login_once(base, identifier(index)))
    print(f"login timing, {args.rounds} failed logins each, scrypt, gunicorn, {args.db}")
    for kind, values in times.items():
        median = statistics.median(values) * 1000
        p90 = percentile(values, 0.9) * 1000
        print(f"  {kind:36s} median {median:6.1f} ms   p90 {p90:6.1f} ms")


if __name__ == "__main__":
    main()
