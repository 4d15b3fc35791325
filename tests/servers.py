"""Real server processes for the tests and the benches (bench/_setup.py uses it too): gunicorn
with the production settings, ``flask run``, a ``flask worker``, on 127.0.0.1.

    with gunicorn(environment(DATABASE_URL=url, SECRET_KEY="..."), free_port()) as server:
        requests.get(server.url + "/api/v1/ping")

Each process runs in its own session (its workers with it) and writes stdout and stderr to
a log file, never to a pipe nobody reads (a full pipe stalls the workers); ``output()`` reads
it. ``start()`` returns at once, ``wait_ready()`` waits until ``ready`` answers 200, ``stop()``
sends SIGTERM and, after ``grace`` seconds, SIGKILL; ``kill()`` is SIGKILL at once.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def free_port(low: int = 0, high: int = 0) -> int:
    """A port nobody listens on: any, or the first free one in [low, high]."""
    for port in range(low, high + 1) if low else [0]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in {low}-{high}")


def environment(**values) -> dict:
    """This process's environment for a server: the repository importable, no debug mode,
    and ``values`` (DATABASE_URL, SECRET_KEY, BIMTEK_*) on top."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("FLASK_DEBUG", None)
    env.update({name: str(value) for name, value in values.items()})
    return env


def flask(env: dict, *args: str) -> str:
    """Run ``flask --app bimtek ARGS`` (init-db, seed-demo, ...) to its end; its stdout."""
    done = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "bimtek", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


class Server:
    """One process; ``with Server(...) as server:`` starts it, waits for it, and stops it."""

    def __init__(
        self,
        command: list[str],
        env: dict,
        *,
        port: int | None = None,
        ready: str | None = "/api/v1/ping",
        log: Path | str | None = None,
        stdout: bool = True,
        timeout: float = 60,
        grace: float = 30,
    ):
        self.command = [str(part) for part in command]
        self.env = env
        self.port = port
        self.url = f"http://127.0.0.1:{port}" if port else None
        self.ready = ready
        self.log = Path(log) if log else None
        self.stdout = stdout
        self.timeout = timeout
        self.grace = grace
        self.process: subprocess.Popen | None = None

    def start(self) -> "Server":
        if self.port and _answers(self.port):
            raise RuntimeError(f"port {self.port} is already serving: stop that server first")
        if self.log is None:
            handle, name = tempfile.mkstemp(prefix="bimtek-server-", suffix=".log")
            os.close(handle)
            self.log = Path(name)
        with open(self.log, "wb") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log if self.stdout else subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        return self

    def wait_ready(self) -> "Server":
        """Wait until GET ``ready`` answers 200; stopped, with its log, if it never does."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if requests.get(self.url + self.ready, timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"{self.command[0]} did not come up on {self.url}; see {self.log}:\n"
                    + self.output()
                )
            time.sleep(0.1)

    def wait_output(self, text: str, timeout: float = 60) -> "Server":
        """Wait until ``text`` is in its log (a process without a URL saying it started)."""
        deadline = time.monotonic() + timeout
        while text not in self.output(last=None):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"no {text!r} from {self.command}; see {self.log}")
            time.sleep(0.1)
        return self

    def __enter__(self) -> "Server":
        self.start()
        if self.ready is not None:
            self.wait_ready()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def workers(self) -> list[int]:
        """The process ids of its children (gunicorn's workers)."""
        pid = self.process.pid
        path = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(child) for child in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        """SIGTERM to the process and its workers; SIGKILL after ``grace`` seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        _signal_group(self.process, signal.SIGTERM)
        try:
            self.process.wait(timeout=self.grace)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL to the process and its workers: no chance to finish or flush anything.
        Returns once they are all gone (their port free for the next server)."""
        if self.process is None or self.process.poll() is not None:
            return
        workers = self.workers()
        _signal_group(self.process, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)

    def output(self, last: int | None = 3000) -> str:
        """The end of what it wrote (stdout and stderr, or stderr alone); all of it: None."""
        text = self.log.read_text(errors="replace") if self.log else ""
        return text[-last:] if last else text


def gunicorn(env: dict, port: int, *, workers: int | None = None, options=(), **kwargs) -> Server:
    """gunicorn with the production settings (gunicorn.conf.py) on 127.0.0.1:``port``;
    ``options`` go on its command line (they win over gunicorn.conf.py)."""
    env = {**env, "BIMTEK_BIND": f"127.0.0.1:{port}"}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    command = [VENV_BIN / "gunicorn", "-c", ROOT / "gunicorn.conf.py", *options, "wsgi:app"]
    return Server(command, env, port=port, **kwargs)


def flask_worker(env: dict, threads: int = 2, **kwargs) -> Server:
    """``flask --app bimtek worker`` on ``env``'s queue (nothing to wait for but its first
    line, "Bimtek worker: ...", written at once)."""
    command = [VENV_BIN / "flask", "--app", "bimtek", "worker", "--threads", threads]
    return Server(command, {**env, "PYTHONUNBUFFERED": "1"}, ready=None, **kwargs)


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    """Whether a process still runs (a zombie has let go of its sockets already)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def _signal_group(process: subprocess.Popen, number: int) -> None:
    try:
        os.killpg(process.pid, number)
    except ProcessLookupError:
        pass
