"""The request log line under the documented servers: gunicorn with gunicorn.conf.py
(JSON lines) and ``flask run`` (text), read from their real stderr.

Each test starts one server on a free port of 127.0.0.1 and stops it.
"""

import json

import requests

from tests.servers import VENV_BIN, Server, environment, free_port, gunicorn


def _stderr_alone(tmp_path) -> dict:
    """Server options: its stderr alone in a log file, read when it stopped."""
    return {"log": tmp_path / "server.log", "stdout": False}


def _environment(tmp_path, **extra) -> dict:
    return environment(
        DATABASE_URL=f"sqlite:///{tmp_path}/bimtek.sqlite",
        SECRET_KEY="request-log-test-secret-key",
        BIMTEK_INSTANCE_PATH=tmp_path,
        **extra,
    )


def _serve(server: Server) -> tuple[list[requests.Response], str]:
    """Start the server, make the requests of these tests, stop it: the answers and stderr."""
    with server:
        answers = [
            requests.get(
                f"{server.url}/healthz", headers={"X-Request-ID": "lb-probe-7"}, timeout=10
            ),
            requests.get(f"{server.url}/readyz?kode=RAHASIA123", timeout=10),
        ]
    return answers, server.log.read_text()


def test_gunicorn_writes_json_request_lines_to_stderr(tmp_path):
    port = free_port()
    env = _environment(tmp_path, BIMTEK_LOG_FORMAT="json")
    server = gunicorn(env, port, workers=1, **_stderr_alone(tmp_path))
    (probe, ready), stderr = _serve(server)
    assert probe.status_code == 200 and ready.status_code == 200, stderr
    # every line is one JSON object: the app's and gunicorn's own (start, workers)
    entries = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert any(e["logger"] == "gunicorn.error" for e in entries)
    requests_logged = [e for e in entries if e.get("logger") == "bimtek.request"]
    by_path = {e["path"]: e for e in requests_logged}  # the probe's: /api/v1/ping
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
    command = [VENV_BIN / "flask", "--app", "bimtek", "run", "--host", "127.0.0.1"]
    command += ["--port", str(port)]
    (probe, ready), stderr = _serve(Server(command, env, port=port, **_stderr_alone(tmp_path)))
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
