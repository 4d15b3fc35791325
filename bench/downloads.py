"""Downloading a kept file: the memory and time it takes an app process to send it.

    .venv/bin/python bench/downloads.py                     # 54 MB, SQLite and PostgreSQL
    .venv/bin/python bench/downloads.py --megabytes 54 --db sqlite

A prepared file (the ZIP of 400 signed certificates is 54.3 MB, bench/certificates.py) is
kept in the database (``storage.files.put``) and sent by ``storage.files.send``, as its
download is. Each download runs in a process of its own; Linux's high-water mark of its
resident memory (VmHWM, reset through /proc/self/clear_refs just before) less its resident
memory then is what the sending took, C libraries included (tracemalloc sees only Python's).
Prints, per database, the median wall and CPU time and the most memory a sending took over
``--runs`` downloads. Runs unchanged on an older checkout: copy this file and bench/_setup.py
into the other worktree's bench/ to measure before and after in one run.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def keep(database_url: str, megabytes: float) -> int:
    """A new file of random bytes kept through storage.files.put; its id."""
    from bench._setup import bench_app
    from bimtek.extensions import db
    from bimtek.storage import files

    app = bench_app(database_url)
    with app.app_context():
        stored = files.put(os.urandom(int(megabytes * 1024 * 1024)), content_type="application/zip")
        db.session.commit()
        return stored.id


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def send_once(database_url: str, file_id: int) -> None:
    """In a process of its own: send the file to the end; print wall, CPU and RSS growth."""
    from bench._setup import SECRET_KEY
    from bimtek import create_app
    from bimtek.storage import files

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY})
    with app.app_context(), app.test_request_context() as context:
        files.get(file_id)  # the row's metadata and a connection, as a request has them
        Path("/proc/self/clear_refs").write_text("5")  # the high-water mark starts again here
        before = _status_kib("VmRSS")
        started, cpu = time.perf_counter(), time.process_time()
        response = files.send(files.get(file_id), download_name="sertifikat.zip")
        body = response.get_app_iter(context.request.environ)
        sent = sum(len(chunk) for chunk in body)
        body.close()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        grown = _status_kib("VmHWM") - before
    print(f"{sent} {wall} {cpu} {grown * 1024}")


def measure(kind: str, megabytes: float, runs: int) -> str:
    from bench._setup import drop_database, fresh_database

    url = fresh_database(kind, "bench_downloads")
    try:
        file_id = keep(url, megabytes)
        walls, cpus, grown = [], [], []
        for _ in range(runs):
            done = subprocess.run(
                [sys.executable, __file__, "--send", url, str(file_id)],
                capture_output=True,
                text=True,
                check=True,
            )
            sent, wall, cpu, rss = done.stdout.split()[-4:]
            walls.append(float(wall))
            cpus.append(float(cpu))
            grown.append(int(rss))
    finally:
        if kind == "postgresql":
            drop_database("bench_downloads")
    return (
        f"{kind + ':':<12}{int(sent) / 1e6:.1f} MB sent: median {statistics.median(walls):.3f} s "
        f"wall / {statistics.median(cpus):.3f} s CPU; the sending took at most "
        f"{max(grown) / 1e6:.1f} MB of {runs} downloads"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=54.3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--send", nargs=2, metavar=("URL", "FILE_ID"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.send:
        send_once(args.send[0], int(args.send[1]))
        return
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    for kind in kinds:
        print(measure(kind, args.megabytes, args.runs), flush=True)
    print(f"load:       {' '.join(f'{v:.2f}' for v in os.getloadavg())} (1/5/15 min, 2 cores)")


if __name__ == "__main__":
    main()
