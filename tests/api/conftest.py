"""A real gunicorn over a temporary SQLite database with the demo data, for schemathesis."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flask(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "bimtek", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


@pytest.fixture(scope="module")
def live_api():
    """(base URL, an administrator's bearer token) of gunicorn serving the demo events."""
    folder = tempfile.mkdtemp(prefix="bimtek-apischema-")
    port = _free_port()
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{folder}/api.sqlite",
            "SECRET_KEY": "schemathesis-secret-key",
            "BIMTEK_INSTANCE_PATH": folder,
            "BIMTEK_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "PYTHONPATH": str(ROOT),
        }
    )
    _flask(env, "init-db")
    _flask(env, "seed-demo", "--participants", "12")
    token = _flask(env, "create-token", "admin@bimtek.local", "--name", "schemathesis").strip()
    log = open(f"{folder}/gunicorn.log", "wb")  # noqa: SIM115 (closed after the server)
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url + "/api/v1/ping", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"gunicorn did not come up; see {folder}/gunicorn.log")
            time.sleep(0.2)
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
