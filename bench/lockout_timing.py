"""Login and claim timings for a NIK under attack ("locked" by the old rule) and an untouched one.

    .venv/bin/python bench/lockout_timing.py                  # SQLite, Redis db 6
    .venv/bin/python bench/lockout_timing.py --db postgres --redis redis://127.0.0.1:6379/6
    .venv/bin/python bench/lockout_timing.py --rounds 2 --port 5363   # smallest, Redis db 6

Starts the production gunicorn on 127.0.0.1:5362 (``--port``; scrypt, 2 workers, the
limiter's counts in Redis so both workers share them). Before timing, the attacked NIK gets
10 wrong logins from 10 other addresses (written to the same Redis counters the workers
read, as the workers would) and 10 wrong proofs at recovery. Then, interleaved, 30
(``--rounds``) times each:

* login with the right password: untouched NIK, attacked NIK;
* login from an address that itself failed 5 times for that NIK (the pair is locked: a
  refusal, no hash is checked);
* recovery with the real ticket code: untouched NIK, attacked NIK.

Until issue 18 the attacked NIK answered 429 to its owner at login and at recovery; now it
answers like the untouched one. Prints the status seen and the median and p90 of each.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import (  # noqa: E402
    bench_app,
    csrf_token,
    fresh_database,
    gunicorn,
    open_event,
    percentile,
    person,
    register_people,
    server_env,
)

PORT = 5362
ROUNDS = 30
PASSWORDS = ("Lembayung-bench-77", "Cakrawala-bench-88")
NIKS = {"untouched": "6408011705900001", "attacked": "6408011705900002", "pair": "6408011705900003"}


def seed(env: dict) -> dict[str, str]:
    """An event with three participants (one per NIK above); their ticket codes."""
    from bimtek.extensions import db

    app = bench_app(env["DATABASE_URL"])
    with app.app_context():
        event = open_event("BENCH24", 10)
        rows = [
            person(n, nik=value, password=PASSWORDS[0]) for n, value in enumerate(NIKS.values())
        ]
        participants = register_people(event, rows)
        tickets = {kind: p.ticket_code for kind, p in zip(NIKS, participants, strict=True)}
        db.session.commit()
        db.engine.dispose()
    return tickets


def attack_from_elsewhere(nik: str) -> None:
    """10 wrong logins for ``nik`` from 10 addresses, counted where the workers count."""
    from bimtek import create_app
    from bimtek.auth import services, throttle

    app = create_app()
    with app.test_request_context():
        for index in range(10):
            throttle.login_failed(services.login_key(nik), f"10.66.0.{index + 1}")


def csrf(session: requests.Session, url: str) -> str:
    return csrf_token(session.get(url, timeout=10).text)


def timed_post(session: requests.Session, url: str, data: dict) -> tuple[int, float]:
    started = time.perf_counter()
    response = session.post(url, data=data, timeout=30, allow_redirects=False)
    return response.status_code, time.perf_counter() - started


def login(base: str, nik: str, password: str) -> tuple[int, float]:
    session = requests.Session()
    token = csrf(session, f"{base}/masuk")
    data = {"identifier": nik, "password": password, "csrf_token": token}
    return timed_post(session, f"{base}/masuk", data)


def recover(base: str, nik: str, code: str, password: str) -> tuple[int, float]:
    session = requests.Session()
    token = csrf(session, f"{base}/akun/lupa-kata-sandi")
    data = {"nik": nik, "code": code, "password": password, "confirm": password}
    return timed_post(session, f"{base}/akun/lupa-kata-sandi", {**data, "csrf_token": token})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="timed attempts per kind")
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args()
    database_url = fresh_database(args.db, "bench_lockout_timing")
    env = server_env(
        database_url,
        BIMTEK_RATELIMIT_STORAGE_URI=args.redis,
        BIMTEK_RATELIMIT_KEY_PREFIX=f"bench-lockout-{uuid.uuid4().hex}",
        # the per-address POST budgets would stop a benchmark sent from one address
        BIMTEK_RATELIMIT_LOGIN="10000 per minute",
        BIMTEK_RATELIMIT_ACCOUNT_RECOVERY="10000 per hour",
        BIMTEK_SESSION_COOKIE_SECURE="false",
        BIMTEK_PASSWORD_HASH_METHOD="scrypt",
        WEB_CONCURRENCY="2",
    )
    os.environ.update({k: v for k, v in env.items() if k.startswith("BIMTEK_")})
    os.environ["DATABASE_URL"], os.environ["SECRET_KEY"] = env["DATABASE_URL"], env["SECRET_KEY"]
    tickets = seed(env)
    attack_from_elsewhere(NIKS["attacked"])
    times: dict[str, list[float]] = {}
    statuses: dict[str, set[int]] = {}

    def note(kind: str, outcome: tuple[int, float]) -> None:
        statuses.setdefault(kind, set()).add(outcome[0])
        times.setdefault(kind, []).append(outcome[1])

    with gunicorn(env, args.port) as server:
        base = server.url
        for index in range(10):  # wrong proofs for the attacked NIK, distinct codes
            recover(base, NIKS["attacked"], f"SALAHSALAHSA{index:04d}", PASSWORDS[1])
        for _ in range(5):  # this address fails 5 times for the third NIK: its pair locks
            login(base, NIKS["pair"], "bukan-sandinya")
        current = 0
        for _ in range(args.rounds):
            for kind in ("untouched", "attacked"):
                note(
                    f"login, right password, {kind} NIK",
                    login(base, NIKS[kind], PASSWORDS[current]),
                )
            note("login, right password, locked pair", login(base, NIKS["pair"], PASSWORDS[0]))
            new = 1 - current
            for kind in ("untouched", "attacked"):
                outcome = recover(base, NIKS[kind], tickets[kind], PASSWORDS[new])
                note(f"recovery, real ticket, {kind} NIK", outcome)
            current = new
    print(f"lockout timing, {args.rounds} rounds, scrypt, gunicorn 2 workers, {args.db}, Redis")
    print("  attacked NIK: 10 wrong logins from 10 other addresses, 10 wrong proofs first")
    for kind, values in times.items():
        median = statistics.median(values) * 1000
        p90 = percentile(values, 0.9) * 1000
        seen = ",".join(str(code) for code in sorted(statuses[kind]))
        print(f"  {kind:40s} HTTP {seen:7s} median {median:6.1f} ms   p90 {p90:6.1f} ms")


if __name__ == "__main__":
    main()
