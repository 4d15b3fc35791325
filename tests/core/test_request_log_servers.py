"""The request log line under the documented servers: gunicorn with gunicorn.conf.py
(JSON lines) and ``flask run`` (text), read from their real stderr.

Each test starts one server on a free port of 127.0.0.1 and stops it.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.notifications.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _environment(tmp_path, **extra) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/bimtek.sqlite",
        "SECRET_KEY": "request-log-test-secret-key",
        "BIMTEK_INSTANCE_PATH": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    env.pop("FLASK_DEBUG", None)
    return env


def _serve(command, env, port) -> tuple[list[requests.Response], str]:
    """Start the server, make the requests of these tests, stop it: the answers and stderr."""
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/healthz", timeout=10, headers={"X-Request-ID": "warmup"})
                break
            except requests.RequestException:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("the server did not start") from None
                time.sleep(0.2)
        answers = [
            requests.get(f"{base}/healthz", headers={"X-Request-ID": "lb-probe-7"}, timeout=10),
            requests.get(f"{base}/readyz?kode=RAHASIA123", timeout=10),
        ]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            _, stderr = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            _, stderr = server.communicate()
    return answers, stderr


def test_gunicorn_writes_json_request_lines_to_stderr(tmp_path):
    port = free_port()
    env = _environment(
        tmp_path,
        BIMTEK_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        BIMTEK_LOG_FORMAT="json",
    )
    command = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"]
    (probe, ready), stderr = _serve(command, env, port)
    assert probe.status_code == 200 and ready.status_code == 200, stderr
    # every line is one JSON object: the app's and gunicorn's own (start, workers)
    entries = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert any(e["logger"] == "gunicorn.error" for e in entries)
    requests_logged = [e for e in entries if e.get("logger") == "bimtek.request"]
    by_path = {e["path"]: e for e in requests_logged if e["request_id"] != "warmup"}
    assert by_path["/healthz"]["request_id"] == "lb-probe-7"
    assert by_path["/healthz"]["status"] == 200
    assert by_path["/readyz"]["request_id"] == ready.headers["X-Request-ID"]
    for entry in by_path.values():
        assert entry["method"] == "GET"
        assert isinstance(entry["duration_ms"], float)
    assert "RAHASIA123" not in stderr


def test_flask_run_writes_text_request_lines_to_stderr(tmp_path):
    port = free_port()
    env = _environment(tmp_path)
    command = [str(BIN / "flask"), "--app", "bimtek", "run", "--host", "127.0.0.1"]
    command += ["--port", str(port)]
    (probe, ready), stderr = _serve(command, env, port)
    assert probe.status_code == 200 and ready.status_code == 200, stderr
    lines = [line for line in stderr.splitlines() if "bimtek.request" in line]
    assert any(
        "request_id=lb-probe-7 method=GET path=/healthz status=200 duration_ms=" in line
        for line in lines
    ), stderr
    ready_id = ready.headers["X-Request-ID"]
    assert any(f"request_id={ready_id} method=GET path=/readyz status=200" in ln for ln in lines)
    bimtek_lines = "\n".join(lines)
    assert "RAHASIA123" not in bimtek_lines
