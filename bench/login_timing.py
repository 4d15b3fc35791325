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
import re
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._server import Gunicorn, fresh_database, migrate, percentile, server_env  # noqa: E402

PORT = 5360
ROUNDS = 50
PASSWORD = "Lembayung-bench-77"


def seed(env: dict) -> tuple[str, str]:
    """An event, a participant with a password, one imported without; their NIKs."""
    from datetime import date, timedelta

    from bimtek import create_app
    from bimtek.events.services import create_event
    from bimtek.extensions import db
    from bimtek.participants.registration import RegistrationTerms, register, register_many

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"]}
    )
    person = {
        "full_name": "Peserta Bench",
        "gender": "L",
        "institution": "KPU Kabupaten Kutai Timur",
        "institution_category": "kpu",
        "job_title": "Anggota PPK",
        "phone": "081234567890",
    }
    with app.app_context():
        start = date.today() + timedelta(days=30)
        event = create_event(
            {
                "code": "BENCH24",
                "title": "Bimtek Bench",
                "organizer": "Pemkab Kutai Timur",
                "venue": "Hotel",
                "city": "Samarinda",
                "start_date": start,
                "end_date": start + timedelta(days=2),
                "capacity": 10,
                "timezone": "Asia/Makassar",
            },
            channel="cli",
        )
        with_password = {**person, "nik": "6408011705900001", "password": PASSWORD}
        register(event, with_password, RegistrationTerms(channel="cli", enforce_window=False))
        register_many(event, [{**person, "nik": "6408011705900002"}], channel="import")
        db.session.commit()
        db.engine.dispose()
    return with_password["nik"], "6408011705900002"


def login_once(base: str, identifier: str) -> float:
    session = requests.Session()
    page = session.get(f"{base}/masuk", timeout=10).text
    token = re.search(r'name="csrf_token" [^>]*value="([^"]+)"', page).group(1)
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
    migrate(env)
    known, imported = seed(env)
    kinds = {
        "existing account, wrong password": lambda i: known,
        "existing account without password": lambda i: imported,
        "unknown NIK": lambda i: f"640801170590{5000 + i:04d}",
        "unknown email": lambda i: f"tidak-ada-{i}@bimtek.local",
    }
    times = {kind: [] for kind in kinds}
    with Gunicorn(env, args.port) as base:
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
