"""Background jobs on Huey: embedded by default, Redis-backed with ``QUEUE_URL=redis://…``.

Why Huey (compared in README.md): one small dependency with Redis *and* SQLite storage,
retries with a delay and backoff per task, a scheduler for retries and periodic tasks, and
a consumer we can also run inside the app's own process. RQ needs Redis always, Dramatiq
and Celery need a broker and a separate worker even for ``make run``.

- No ``QUEUE_URL`` (the embedded default): jobs are stored in ``instance/jobs.sqlite`` and
  a few threads of the process that queued them run them (``EmbeddedRunner``), so
  ``make run`` and a plain ``gunicorn wsgi:app`` need nothing else. The threads stop when
  there is nothing left to do and start again at the next job.
- ``QUEUE_URL=redis://…``: jobs go to Redis; ``flask --app bimtek worker`` runs them, on any
  number of machines.

Jobs are plain functions declared with ``@job(...)`` and queued with ``enqueue`` (now) or
``enqueue_on_commit`` (when the current database transaction commits; nothing if it rolls
back). Each runs in its own app context, so with its own database session. Jobs must be
idempotent: a retried job finds its work done and does nothing.
"""

import atexit
import logging
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey, crontab

from bimtek.extensions import db

logger = logging.getLogger(__name__)

#: name -> JobSpec, filled by @job at import time; every app registers them all
REGISTRY: dict[str, "JobSpec"] = {}
PENDING = "bimtek_jobs_on_commit"


@dataclass
class JobSpec:
    func: object
    retries: int | None
    periodic: object | None = None
    #: a periodic job the worker also runs once when it starts (a sweep for lost work)
    at_start: bool = False


def job(*, retries: int | None = None, periodic=None, at_start: bool = False):
    """Declare a job. ``retries`` defaults to JOB_RETRIES; ``periodic`` is a huey crontab;
    ``at_start``: ``flask worker`` also runs it when it starts."""

    def decorator(func):
        REGISTRY[func.__name__] = JobSpec(func, retries, periodic, at_start)
        return func

    return decorator


class Jobs:
    """One app's queue: its Huey instance and, when embedded, the threads that run it."""

    def __init__(self, app: Flask):
        self.app = app
        url = app.config.get("QUEUE_URL")
        name = app.config["QUEUE_NAME"]
        if url and str(url).startswith(("redis://", "rediss://", "unix://")):
            self.huey = RedisHuey(name, url=url, results=False)
            self.embedded = False
        else:
            path = url.removeprefix("sqlite:///") if url else None
            path = path or str(Path(app.instance_path) / "jobs.sqlite")
            self.huey = SqliteHuey(name, filename=path, results=False)
            self.embedded = True
        self.tasks = {}
        delay = app.config["JOB_RETRY_DELAY"]
        backoff = app.config["JOB_RETRY_BACKOFF"]
        for spec_name, spec in REGISTRY.items():
            retries = app.config["JOB_RETRIES"] if spec.retries is None else spec.retries
            runner = _in_app_context(app, spec.func)
            if spec.periodic is not None:
                self.tasks[spec_name] = self.huey.periodic_task(spec.periodic, name=spec_name)(
                    runner
                )
            else:
                self.tasks[spec_name] = self.huey.task(
                    retries=retries, retry_delay=delay, retry_backoff=backoff, name=spec_name
                )(runner)
        self.runner = EmbeddedRunner(self.huey, app.config["QUEUE_EMBEDDED_WORKERS"])
        self.leftovers_checked = not self.embedded

    def run_leftovers(self) -> None:
        """Once per process: run jobs an earlier process queued but did not finish."""
        if self.leftovers_checked:
            return
        self.leftovers_checked = True
        try:
            waiting = self.huey.pending_count() + self.huey.scheduled_count()
        except Exception:
            logger.exception("job queue unreadable")
            return
        if waiting:
            self.runner.wake()

    def describe(self) -> str:
        """Where the jobs wait, without a password."""
        if self.embedded:
            return f"embedded queue {self.huey.storage.filename}"
        url = sa.engine.make_url(self.app.config["QUEUE_URL"])
        return f"Redis {url.render_as_string(hide_password=True)} queue {self.huey.name!r}"

    def enqueue(self, func, *args) -> None:
        """Queue ``func(*args)``; a queue that cannot be reached is logged, never raised."""
        try:
            self.tasks[func.__name__](*args)
        except Exception:
            logger.exception("could not queue job %s%r", func.__name__, args)
            return
        if self.embedded:
            self.runner.wake()


def _in_app_context(app: Flask, func):
    def run(*args):
        with app.app_context():
            try:
                return func(*args)
            finally:
                db.session.remove()

    run.__name__ = func.__name__
    run.__qualname__ = func.__qualname__
    return run


class EmbeddedRunner:
    """Threads that run this process's queued jobs, due retries and periodic jobs.

    Huey's own consumer installs signal handlers (main thread only) and runs forever; this
    is the small loop inside the app: it drains the queue with ``workers`` threads, moves
    due retries from the schedule, and ends when the queue and the schedule are empty.
    """

    def __init__(self, huey, workers: int = 2, idle_seconds: float = 2.0):
        self.huey = huey
        self.workers = max(1, int(workers))
        self.idle_seconds = idle_seconds
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []
        self.wakeup = threading.Event()
        self.stopping = False
        self.draining = False
        RUNNERS.add(self)

    def wake(self) -> None:
        self.wakeup.set()
        with self.lock:
            self.threads = [t for t in self.threads if t.is_alive()]
            while len(self.threads) < self.workers and not self.stopping:
                thread = threading.Thread(
                    target=self._run, name="bimtek-job", args=(len(self.threads) == 0,)
                )
                thread.daemon = True
                thread.start()
                self.threads.append(thread)

    def stop(self, timeout: float = 10) -> None:
        """Stop the threads after their current job (tests, shutdown)."""
        self.stopping = True
        self.wakeup.set()
        for thread in list(self.threads):
            thread.join(timeout)

    def drain(self, timeout: float = 60) -> None:
        """Finish what is queued (not the retries scheduled later), then stop."""
        self.draining = True
        deadline = time.monotonic() + timeout
        for thread in list(self.threads):
            thread.join(max(0.0, deadline - time.monotonic()))

    def idle(self) -> bool:
        """Nothing queued, nothing scheduled, no thread running a job."""
        return (
            not any(t.is_alive() for t in self.threads)
            and self.huey.pending_count() == 0
            and self.huey.scheduled_count() == 0
        )

    def _run(self, periodic: bool) -> None:
        last_work = time.monotonic()
        last_periodic = 0.0
        while not self.stopping:
            try:
                now = datetime.now(UTC).replace(tzinfo=None)  # huey keeps naive UTC
                for task in self.huey.read_schedule(now):
                    self.huey.enqueue(task)
                if periodic and time.monotonic() - last_periodic >= 60:
                    last_periodic = time.monotonic()
                    for task in self.huey.read_periodic(now):
                        self.huey.enqueue(task)
                task = self.huey.dequeue()
            except Exception:
                logger.exception("job queue unreadable")
                task = None
            if task is not None:
                last_work = time.monotonic()
                try:
                    self.huey.execute(task)
                except Exception:  # huey logs task errors itself; never let the thread die
                    logger.exception("job %s failed", task)
                continue
            waiting = not self.draining and self.huey.scheduled_count() > 0
            if not waiting and time.monotonic() - last_work > self.idle_seconds:
                return
            self.wakeup.wait(0.1 if waiting else 0.05)
            self.wakeup.clear()


#: every embedded runner of this process, drained at exit (a CLI command's jobs get sent)
RUNNERS: "weakref.WeakSet[EmbeddedRunner]" = weakref.WeakSet()


@atexit.register
def _drain_at_exit() -> None:
    for runner in list(RUNNERS):
        if any(t.is_alive() for t in runner.threads):
            runner.drain()


def init_app(app: Flask) -> None:
    """Bind the queue to the app and hook ``enqueue_on_commit`` to the database session."""

    jobs = app.extensions["bimtek_jobs"] = Jobs(app)
    if jobs.embedded and not app.testing:
        app.before_request(jobs.run_leftovers)
    _listen_once()


def jobs_of(app: Flask | None = None) -> Jobs:
    return (app or current_app).extensions["bimtek_jobs"]


def enqueue(func, *args) -> None:
    """Queue ``func(*args)`` now."""
    jobs_of().enqueue(func, *args)


def enqueue_on_commit(func, *args) -> None:
    """Queue ``func(*args)`` when the current transaction commits; drop it on rollback."""

    db.session().info.setdefault(PENDING, []).append((func, args))


_listening = False


def _listen_once() -> None:
    global _listening
    if _listening:
        return
    _listening = True
    sa.event.listen(sa.orm.Session, "after_commit", _after_commit)
    sa.event.listen(sa.orm.Session, "after_soft_rollback", _after_rollback)


def _after_commit(session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    for func, args in pending:
        jobs_of().enqueue(func, *args)


def _after_rollback(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction, not a savepoint
        session.info.pop(PENDING, None)


__all__ = ["crontab", "enqueue", "enqueue_on_commit", "init_app", "job", "jobs_of"]
