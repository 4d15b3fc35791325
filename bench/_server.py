"""Shared by the benchmarks: prepare a database, start and stop a real gunicorn on 127.0.0.1."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
POSTGRES_ADMIN_URL = os.environ.get(
    "BIMTEK_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def fresh_database(kind: str, name: str) -> str:
    """A new empty database: a temp SQLite file, or a recreated PostgreSQL database."""
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix=f"{name}-")
        return f"sqlite:///{folder}/bench.sqlite"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return (
        sa.engine.make_url(POSTGRES_ADMIN_URL)
        .set(database=name)
        .render_as_string(hide_password=False)
    )


def server_env(database_url: str, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret-key",
            "BIMTEK_INSTANCE_PATH": tempfile.mkdtemp(prefix="bimtek-bench-instance-"),
        }
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def migrate(env: dict) -> None:
    subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "bimtek", "init-db"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


class Gunicorn:
    """``with Gunicorn(env, port) as url:`` runs the production config on 127.0.0.1."""

    def __init__(self, env: dict, port: int, workers: int | None = None):
        self.env = dict(env)
        self.port = port
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        self.env["BIMTEK_BIND"] = f"127.0.0.1:{port}"
        self.process = None
        self.log = None

    def __enter__(self) -> str:
        try:
            requests.get(f"http://127.0.0.1:{self.port}/", timeout=1)
        except requests.RequestException:
            pass
        else:
            raise RuntimeError(f"port {self.port} is already serving: stop that server first")
        # its log goes to a file: a pipe nobody reads would fill and stall the workers
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in __exit__
            "w+", prefix="bench-gunicorn-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(url + "/api/v1/events", timeout=5).status_code == 200:
                    return url
            except requests.RequestException:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not come up; see {self.log.name}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.log is not None:
            self.log.close()


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]
