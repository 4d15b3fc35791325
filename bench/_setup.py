"""Shared by the benchmarks: everything a bench sets up on a fresh clone, in one place.

- a database: a temporary SQLite file, or a PostgreSQL database made anew (fresh_database);
- the app over it in this process, its schema migrated (bench_app), and a DEMO signing key
  of its own (demo_signer);
- the environment of a server process over it (server_env) and the servers: the production
  gunicorn on 127.0.0.1 (gunicorn) and a ``flask worker`` (worker), by tests/servers.py;
- the data: an event, its sessions, participants' registration data, a staff account and
  its API token.

Every bench starts with ``sys.path.insert(0, ROOT)`` so that ``bench`` and ``tests`` import.
Only the server processes need tests/servers.py (imported where they start): a bench that
works in this process runs on an older checkout with this file copied beside it.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import TYPE_CHECKING

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if TYPE_CHECKING:
    from tests import servers

#: the PostgreSQL server the benches make their databases on (as its superuser)
POSTGRES_ADMIN_URL = os.environ.get(
    "BIMTEK_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SECRET_KEY = "bench-secret-key"
PUBLIC_BASE_URL = "https://bimtek.kutaitimurkab.go.id"
PASSWORD = "bench-password-1"
#: what an app driven by its test client needs (no CSRF token to fetch, no limits)
TEST_CLIENT = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
}


# --- databases ----------------------------------------------------------------------------------


def workdir(name: str) -> Path:
    """A new temporary folder (under TMPDIR) for one bench run's files."""
    return Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))


def fresh_database(
    kind: str, name: str, *, folder: Path | None = None, server: str | None = None
) -> str:
    """A new empty database: ``name``.sqlite in ``folder`` (a new temporary one by default), or
    the PostgreSQL database ``name`` dropped and made again on ``server`` (a URL of any
    database there; default BIMTEK_BENCH_POSTGRES)."""
    if kind == "sqlite":
        return f"sqlite:///{(folder or workdir(name)) / f'{name}.sqlite'}"
    drop_database(name, server=server)
    with _admin(server) as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(server or POSTGRES_ADMIN_URL).set(database=name)
    return url.render_as_string(hide_password=False)


def drop_database(name: str, *, server: str | None = None) -> None:
    """Drop the PostgreSQL database ``name`` (if there) on ``server``, connections and all."""
    with _admin(server) as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class _admin:
    """An AUTOCOMMIT connection to the server's ``postgres`` database."""

    def __init__(self, server: str | None):
        url = sa.engine.make_url(server or POSTGRES_ADMIN_URL).set(database="postgres")
        self.engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")

    def __enter__(self):
        self.connection = self.engine.connect()
        return self.connection

    def __exit__(self, *exc):
        self.connection.close()
        self.engine.dispose()


# --- the app, in this process -------------------------------------------------------------------


def bench_app(database_url: str, *, instance: Path | None = None, **config):
    """The app over ``database_url``, its schema migrated as ``flask init-db`` does; its
    instance folder (the embedded job queue) ``instance`` or a new temporary one. ``config``
    goes on top (e.g. **TEST_CLIENT)."""
    from flask_migrate import upgrade

    from bimtek import create_app
    from bimtek.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": SECRET_KEY,
            "INSTANCE_PATH": str(instance or workdir("instance")),
            **config,
        }
    )
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()
    return app


def demo_signer(folder: Path) -> str:
    """A DEMO signing key made in ``folder`` (a fresh clone has none to issue with): its .p12."""
    from bimtek.certificates.signing import create_demo_signer

    return str(create_demo_signer(folder / "signer"))


def signing_app(name: str, **config):
    """(the app, its folder): a new SQLite database in a new folder, migrated, with a DEMO
    signing key of its own, driven by its test client; ``config`` on top."""
    folder = workdir(name)
    app = bench_app(
        fresh_database("sqlite", "bench", folder=folder),
        instance=folder / "instance",
        **{**TEST_CLIENT, "CERT_SIGNING_PKCS12": demo_signer(folder), **config},
    )
    return app, folder


# --- server processes ---------------------------------------------------------------------------


def server_env(database_url: str, **extra) -> dict:
    """The environment of a server or ``flask`` process over ``database_url``, with an
    instance folder of its own; ``extra`` (BIMTEK_* settings, WEB_CONCURRENCY) on top."""
    from tests import servers

    values = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY, **extra}
    if "BIMTEK_INSTANCE_PATH" not in values:
        values["BIMTEK_INSTANCE_PATH"] = workdir("instance")
    return servers.environment(**values)


def migrate(env: dict) -> None:
    """``flask --app bimtek init-db`` in ``env``, as an operator runs it."""
    from tests import servers

    servers.flask(env, "init-db")


def gunicorn(env: dict, port: int, workers: int | None = None, **options) -> servers.Server:
    """``with gunicorn(env, port) as server:`` the production gunicorn (gunicorn.conf.py) on
    127.0.0.1:``port``, ready once it lists events (its database answers; a busy machine may
    take a minute to boot the workers); ``server.url``."""
    from tests import servers

    options = {"ready": "/api/v1/events", "timeout": 120, "grace": 15, **options}
    return servers.gunicorn(env, port, workers=workers, **options)


def worker(env: dict, threads: int) -> servers.Server:
    """A ``flask --app bimtek worker`` on ``env``'s queue, started and listening; stop() it."""
    from tests import servers

    return servers.flask_worker(env, threads, grace=30).start().wait_output("Bimtek worker:")


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def csrf_token(html: str) -> str:
    """The CSRF token of a page: its form's field, or the meta tag the page scripts read."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    return match.group(1)


def log_in(base: str, identifier: str, password: str = PASSWORD) -> requests.Session:
    """A browser session logged in at ``base`` (a server with CSRF on, as in production)."""
    session = requests.Session()
    page = session.get(f"{base}/masuk", timeout=30).text
    response = session.post(
        f"{base}/masuk",
        data={"identifier": identifier, "password": password, "csrf_token": csrf_token(page)},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise RuntimeError(f"logging in as {identifier} answered {response.status_code}")
    return session


# --- data (inside an app context) ---------------------------------------------------------------


def nik(serial: int) -> str:
    """A well-formed Kutai Timur NIK, one per serial from 1 (up to 9,000 a birth year)."""
    return f"6408011705{90 + (serial - 1) // 9000:02d}{(serial - 1) % 9000 + 1:04d}"


def person(serial: int, **fields) -> dict:
    """Registration data of participant number ``serial`` (from 1); ``fields`` on top."""
    return {
        "full_name": f"Peserta Bench {serial}",
        "nik": nik(serial),
        "gender": "L",
        "institution": "KPU Kabupaten Kutai Timur",
        "institution_category": "kpu",
        "job_title": "Anggota PPK",
        "phone": f"0812{serial:08d}",
        "district": "Sangatta Utara",
        **fields,
    }


def open_event(code: str, capacity: int, *, start: date | None = None, **fields):
    """An event of ``capacity`` seats from ``start`` (default in 30 days: registration is
    open until it starts) for four days, made as the CLI does; ``fields`` on top."""
    from bimtek.events.services import create_event

    start = start or date.today() + timedelta(days=30)
    data = {
        "code": code,
        "title": "Bimtek Bench",
        "organizer": "Pemerintah Kabupaten Kutai Timur",
        "venue": "Hotel Harris",
        "city": "Samarinda",
        "start_date": start,
        "end_date": start + timedelta(days=3),
        "capacity": capacity,
        "timezone": "Asia/Makassar",
        **fields,
    }
    return create_event(data, channel="cli")


def module_sessions(event, days: int, hours, minutes: int):
    """One module (2 JP a session) taught at each of ``hours`` on each of the ``days`` days
    from the event's start, ``minutes`` long each; the module."""
    from bimtek.events.services import save_module, save_session

    module = save_module(
        event, {"code": "M1", "title": "Mitigasi", "jp": 2 * days * len(hours)}, channel="cli"
    )
    for day in range(days):
        for hour in hours:
            starts = datetime.combine(event.start_date, dt_time(hour)) + timedelta(days=day)
            ends = starts + timedelta(minutes=minutes)
            session = {"module_id": module.id, "day": starts.date()}
            session |= {"start_time": starts.strftime("%H:%M"), "end_time": ends.strftime("%H:%M")}
            save_session(event, session, channel="cli")
    return module


def register_people(event, rows, channel: str = "cli") -> list:
    """Each row registered in ``event`` as ``channel`` would (outside the window too); the
    participants."""
    from bimtek.participants.registration import RegistrationTerms, register

    terms = RegistrationTerms(channel=channel, enforce_window=False)
    return [register(event, row, terms).participant for row in rows]


def staff_account(email: str, role: str = "admin", event=None, password: str = PASSWORD):
    """An administrator, or a staff account with ``role`` ("manager", "panitia") in
    ``event``, with ``password``; flushed, not committed."""
    from bimtek.auth.models import User
    from bimtek.extensions import db
    from bimtek.staff.assignments import assign_staff

    user = User(email=email, role="admin" if role == "admin" else "staff", full_name="Bench")
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    if role != "admin":
        assign_staff(event, user, role, channel="cli")
    return user


def api_token(user) -> str:
    """A new API token of ``user``: the bearer value."""
    from bimtek.auth.services import issue_api_token

    _token, plain = issue_api_token(user, "bench")
    return plain
