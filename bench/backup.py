"""Backup and restore of the demo: ``flask backup`` and ``flask restore`` as an operator runs
them, on SQLite and, when a PostgreSQL URL is given, on PostgreSQL.

    .venv/bin/python bench/backup.py [--participants 60] [--postgres URL]
    .venv/bin/python bench/backup.py --participants 3                # smallest

The demo (both Kutai Timur batches, ``--participants`` in Angkatan I with attendance and
tests) with every eligible certificate of Angkatan I issued and signed, is made in a new
database. Then the commands run as processes: ``flask backup`` of it, and ``flask restore``
into a new empty database. Printed: the rows, the backup file's size, the seconds of each
command, the seconds of ``flask backup --help`` (the start of a process, inside both), and
the seconds of the same functions called in this process (``make_backup`` of the source,
``restore_backup`` with ``force`` over the restored database), without that start.
With ``--postgres postgresql://…/NAME`` the databases are NAME_src and NAME_dst on that
server, dropped afterwards.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench._setup import (  # noqa: E402
    bench_app,
    demo_signer,
    drop_database,
    fresh_database,
    server_env,
)
from tests import servers  # noqa: E402

PUBLIC_BASE_URL = "https://bimtek.example.go.id"


def flask(env: dict, *args: str) -> float:
    """Run ``flask --app bimtek ARGS``; its wall-clock seconds."""
    start = time.perf_counter()
    servers.flask(env, *args)
    return time.perf_counter() - start


def load_demo_with_certificates(url: str, participants: int, signer: str) -> dict:
    """The demo in ``url`` (migrated), its signatory made real, Angkatan I's certificates
    issued; the counts of what it holds."""
    from bimtek.assessments.models import Attempt
    from bimtek.attendance.models import Attendance
    from bimtek.certificates.configuration import save_signatory
    from bimtek.certificates.issuing import issue_all
    from bimtek.certificates.models import Certificate
    from bimtek.certificates.queries import get_settings
    from bimtek.demo import load_demo, load_second_batch
    from bimtek.extensions import db
    from bimtek.participants.models import Participant

    app = bench_app(url, CERT_SIGNING_PKCS12=signer, PUBLIC_BASE_URL=PUBLIC_BASE_URL)
    with app.app_context():
        event, _created = load_demo(participant_count=participants)
        load_second_batch()
        save_signatory(
            event,
            {"name": "Drs. H. Irawansyah, M.Si", "title": "Sekretaris Daerah"},
            signatory=get_settings(event).signatories[0],
            channel="cli",
        )
        issue_all(event, channel="cli")
        db.session.commit()
        counts = {
            label: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for label, model in (
                ("participants", Participant),
                ("attendance", Attendance),
                ("attempts", Attempt),
                ("certificates", Certificate),
            )
        }
        app.extensions["bimtek_jobs"].runner.stop()
        db.engine.dispose()
    return counts


def timed_functions(source: str, target: str, path: Path) -> tuple[float, float]:
    """Seconds of ``make_backup`` (of ``source``) and ``restore_backup`` (into ``target``)."""
    from bimtek.backup.services import make_backup, restore_backup
    from bimtek.extensions import db

    seconds = []
    for url, call in (
        (source, lambda: make_backup(path)),
        (target, lambda: restore_backup(path, force=True)),
    ):
        app = bench_app(url)
        with app.app_context():
            start = time.perf_counter()
            call()
            db.session.commit()
            seconds.append(time.perf_counter() - start)
            app.extensions["bimtek_jobs"].runner.stop()
            db.session.remove()
            db.engine.dispose()
    return seconds[0], seconds[1]


def databases(kind: str, postgres: str | None, folder: Path) -> tuple[str, str]:
    """The source and the target, new and empty: in ``folder``, or NAME_src and NAME_dst on
    the server of ``postgres`` (…/NAME)."""
    name = sa.engine.make_url(postgres).database if postgres else "bench"
    return tuple(
        fresh_database(kind, f"{name}_{side}", folder=folder, server=postgres)
        for side in ("src", "dst")
    )


def drop(postgres: str) -> None:
    name = sa.engine.make_url(postgres).database
    for side in ("src", "dst"):
        drop_database(f"{name}_{side}", server=postgres)


def run(kind: str, participants: int, postgres: str | None, signer: str) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as folder:
        folder = Path(folder)
        source, target = databases(kind, postgres, folder)
        env = server_env(source, PUBLIC_BASE_URL=PUBLIC_BASE_URL)
        counts = load_demo_with_certificates(source, participants, signer)
        path = folder / "bimtek.backup"
        startup = min(flask(env, "backup", "--help") for _ in range(3))
        backup_seconds = flask(env, "backup", str(path))
        restore_env = server_env(target)
        restore_seconds = flask(restore_env, "restore", str(path))
        in_process = timed_functions(source, target, folder / "again.backup")
        size = path.stat().st_size
        rows = ", ".join(f"{n} {label}" for label, n in counts.items())
        print(
            f"{kind:10} {rows}\n"
            f"{'':10} file {size / 1024:8.0f} KiB   backup {backup_seconds:5.2f} s   "
            f"restore {restore_seconds:5.2f} s   (process start {startup:4.2f} s in each)\n"
            f"{'':10} in process: backup {in_process[0]:5.2f} s   restore {in_process[1]:5.2f} s"
        )
        if kind == "postgresql":
            drop(postgres)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--postgres", help="postgresql+psycopg://user@host:5432/NAME")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-signer-") as keys:
        signer = demo_signer(Path(keys))
        os.environ.pop("DATABASE_URL", None)
        run("sqlite", options.participants, None, signer)
        if options.postgres:
            run("postgresql", options.participants, options.postgres, signer)


if __name__ == "__main__":
    main()
