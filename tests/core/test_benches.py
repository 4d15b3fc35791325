"""Every script in bench/ runs on a fresh clone at its smallest size and prints its figures.

Each runs as a subprocess, as a developer would run it (its own temporary SQLite file, its own
gunicorn on 127.0.0.1, its own demo signing key); no timing is asserted, only that it ends
with status 0 and printed the lines that carry its figures, so that none rots unnoticed.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench._setup import drop_database
from bimtek.config import normalize_database_url
from tests.conftest import POSTGRES_URL, requires_postgres
from tests.servers import free_port

#: they start servers and load the machine: alone, after the rest
pytestmark = pytest.mark.serial

BENCH = Path(__file__).resolve().parents[2] / "bench"
NUMBER = r"[\d.]+"


def _login_kinds() -> list[str]:
    return [
        rf"{kind}\s+median +{NUMBER} ms   p90 +{NUMBER} ms"
        for kind in (
            "existing account, wrong password",
            "existing account without password",
            "unknown NIK",
            "unknown email",
        )
    ]


def _national_measures() -> list[str]:
    measures = (
        "home page",
        "participants: search",
        "participants: category",
        "participants: last page",
        "dashboard",
        "results page",
        r"full export \(xlsx\)",
        "eligibility",
        r"issue all \(rolled back\)",
        r"verify \(public\)",
        r"check-in \(API\)",
    )
    return [rf"{m} +{NUMBER} +{NUMBER} +{NUMBER}" for m in measures]


#: script -> (arguments of its smallest run, a callable giving them, or None for these; the
#: patterns its output must contain)
SMALLEST = {
    "assessments": (
        lambda: ["--participants", "20", "--takers", "2", "--port", str(free_port())],
        [
            rf"answer saves: [1-9]\d* in {NUMBER} s",
            r"errors: 0 \[\]",
            r"in the database: (\d+) answers \(expected \1\), 2 submitted attempts \(expected 2\)",
            rf"results page with \d+ attempts: {NUMBER} ms",
            rf"results API with \d+ attempts: {NUMBER} ms",
            rf"results \.xlsx with \d+ attempts: {NUMBER} ms",
        ],
    ),
    "backup": (
        lambda: ["--participants", "3"],
        [
            r"^sqlite +3 participants, \d+ attendance, \d+ attempts, [1-9]\d* certificates$",
            rf"file +{NUMBER} KiB +backup +{NUMBER} s +restore +{NUMBER} s +"
            rf"\(process start {NUMBER} s in each\)",
            rf"in process: backup +{NUMBER} s +restore +{NUMBER} s",
        ],
    ),
    "certificates": (
        lambda: ["--participants", "3", "--runs", "1", "--downloads", "2"],
        [
            rf"issue: +issue_all of 3 .*: {NUMBER} s",
            rf"fast: +3 certificates, one PDF of 6 pages.*median {NUMBER} s wall",
            rf"naive: +3 PDFs .*median {NUMBER} s wall",
            rf"ratio: +naive / fast = {NUMBER}x wall",
            rf"zip: +3 separate PDFs in one \.zip.*: {NUMBER} s wall",
            rf"signed: +sign_issued of 3 .*: {NUMBER} s wall / {NUMBER} s CPU .*per certificate",
            rf"signed: +of which draw \+ cut .*median {NUMBER} s wall / {NUMBER} s CPU",
            rf"signed: +of which signing alone: .*median {NUMBER} ms wall / {NUMBER} ms CPU",
            rf"download: .*median {NUMBER} ms wall",
            rf"verify: .*genuine +file.*median {NUMBER} ms wall",
            rf"verify: .*modified file.*median {NUMBER} ms wall",
            r"targets: +print PDF <= 3\.0 s: .*400 signed <= 60 s: ",
        ],
    ),
    "downloads": (
        lambda: ["--megabytes", "2", "--runs", "1", "--db", "sqlite"],
        [
            rf"sqlite: +2\.1 MB sent: median {NUMBER} s wall / {NUMBER} s CPU; the sending took "
            rf"at most {NUMBER} MB of 1 downloads",
        ],
    ),
    "checkin": (
        lambda: [
            "--db",
            "sqlite",
            "--participants",
            "8",
            "--clients",
            "2",
            "--pings",
            "16",
            "--slices",
            "1",
            "--workers",
            "2",
            "--port",
            str(free_port(5281, 5299)),
        ],  # fmt: skip
        [
            rf"ping +{NUMBER} req/s +p50 +{NUMBER} ms +p99 +{NUMBER} ms",
            rf"check-in first +{NUMBER} req/s .* non-201: 0",
            rf"check-in repeat +{NUMBER} req/s .* not 200-already: 0",
            rf"check-in all +{NUMBER} req/s",
            rf"check-in paced +{NUMBER} req/s +p50 +{NUMBER} ms +p99 +{NUMBER} ms  non-201: 0",
            r"rows 8 \(expected 8\), duplicates 0, errors 0",
            rf"ratio check-in/ping {NUMBER}",
            r"targets: ratio >= 0\.45 .*paced p99 <= 25 ms",
        ],
    ),
    "excel": (
        lambda: ["--runs", "1", "--participants", "10"],
        [
            rf"validate \+ import 10 rows: median {NUMBER} s wall",
            rf"full export, hand-written SpreadsheetML writer .*: median {NUMBER} s wall",
            rf"full export, XlsxWriter in_memory .*: median {NUMBER} s wall",
            rf"writer alone, hand-written: median {NUMBER} s wall",
            rf"writer alone, XlsxWriter: median {NUMBER} s wall",
        ],
    ),
    "spj_bundle": (
        lambda: ["--participants", "5", "--days", "1", "--runs", "1"],
        [
            r"seeded 5 participants, 1 days, 2 sessions",
            rf"SPJ bundle PDF: 5 participants, 1 days: [1-9]\d* pages, {NUMBER} KiB, "
            rf"median {NUMBER} s wall",
            rf"money workbook: {NUMBER} KiB, median {NUMBER} s wall",
        ],
    ),
    "health": (
        lambda: ["--rounds", "3", "--port", str(free_port())],
        [r"^sqlite, embedded queue, memory rate limits:$"]
        + [
            rf"^{label} +median +{NUMBER} ms +p95 +{NUMBER} ms$"
            for label in (
                r"/api/v1/ping \(for comparison\)",
                r"/healthz \(text log\)",
                r"/readyz \(text log\)",
                r"/healthz \(JSON log\)",
            )
        ],
    ),
    "lockout_timing": (
        lambda: [
            "--rounds",
            "2",
            "--port",
            str(free_port()),
            "--redis",
            os.environ["BIMTEK_TEST_REDIS_URL"],
        ],  # fmt: skip
        [r"lockout timing, 2 rounds, scrypt, gunicorn 2 workers, sqlite, Redis"]
        + [
            rf"{kind} +HTTP {status} +median +{NUMBER} ms +p90 +{NUMBER} ms"
            for kind, status in (
                ("login, right password, untouched NIK", "302"),
                ("login, right password, attacked NIK", "302"),
                ("login, right password, locked pair", "429"),
                ("recovery, real ticket, untouched NIK", "302"),
                ("recovery, real ticket, attacked NIK", "302"),
            )
        ],
    ),
    "issuing_job": (
        lambda: (
            ["--participants", "3", "--rounds", "1", "--port", str(free_port())]
            + (["--redis", os.environ["BIMTEK_TEST_REDIS_URL"]] if _redis() else ["--embedded"])
        ),
        [
            rf"click: +Terbitkan \(POST, snapshot of 3, .*\): median {NUMBER} ms of 1",
            rf"progress: JSON poll: median {NUMBER} ms",
            rf"job: +3 signed certificates: median {NUMBER} s wall, .* per certificate "
            rf"{NUMBER} ms wall",
            r"targets: +click < 300 ms: ",
        ],
    ),
    "login_timing": (
        lambda: ["--rounds", "2", "--port", str(free_port())],
        _login_kinds(),
    ),
    "national": (
        lambda: ["--events", "2", "--people", "40", "--repeat", "1", "--prefix", _pg_prefix()],
        [r"lone: \{'events': 1, 'participants': 40", r"national: \{'events': 2"]
        + _national_measures(),
    ),
    "notifications": (
        lambda: (
            ["--count", "3"]
            + (["--redis", os.environ["BIMTEK_TEST_REDIS_URL"]] if _redis() else ["--no-redis"])
        ),
        [
            rf"embedded: 3 registrations in {NUMBER} s.* 3 messages .*: {NUMBER} messages/s",
            rf"zip: +3 certificates, {NUMBER} MB, as a job: request {NUMBER} ms, "
            rf"file ready after {NUMBER} s",
        ],
    ),
    "registration_burst": (
        lambda: [
            "--db",
            "sqlite",
            "--registrations",
            "6",
            "--capacity",
            "4",
            "--clients",
            "3",
            "--workers",
            "2",
            "--port",
            str(free_port()),
        ],  # fmt: skip
        [
            r"\[sqlite\] 6 registrations for 4 seats.* registered=4 waitlisted=2 errors=0 "
            rf"\| p50={NUMBER} ms p99={NUMBER} ms \| {NUMBER} req/s .* OK$"
        ],
    ),
    "search": (
        lambda: ["--db", "sqlite", "--people", "20"],
        [
            rf"sqlite +20 people +{label} +1 found +median +{NUMBER} ms +worst +{NUMBER} ms"
            for label in (
                "name 'nuraini peserta 15'",
                r"phone '.*' \(manager\)",
                r"NIK in full \(panitia\)",
            )
        ],
    ),
    "verify_hostile": (
        lambda: ["--runs", "1"],
        [
            rf"^CERT_VERIFY_SECONDS = {NUMBER}$",
            rf"^genuine +{NUMBER} KB +median +{NUMBER} ms \(max {NUMBER}\) of 1 +"
            r"-> genuine / hash_match$",
            rf"^3000 sigs +{NUMBER} KB +median +{NUMBER} ms \(max {NUMBER}\) of 1 +"
            r"-> unknown / unexpected_shape$",
            rf"^revisions +{NUMBER} KB +median +{NUMBER} ms \(max {NUMBER}\) of 1 +-> ",
        ],
    ),
}


def _redis() -> bool:
    return bool(os.environ.get("BIMTEK_TEST_REDIS_URL"))


def _pg_prefix() -> str:
    """national.py's databases are PREFIX_lone and PREFIX_national beside the test database
    (each developer has their own), on its server."""
    return sa.engine.make_url(normalize_database_url(POSTGRES_URL)).database


def _drop_national_databases() -> None:
    url = sa.engine.make_url(normalize_database_url(POSTGRES_URL))
    for side in ("lone", "national"):
        drop_database(f"{url.database}_{side}", server=url.render_as_string(False))


def scripts() -> list[str]:
    return sorted(path.stem for path in BENCH.glob("*.py") if not path.stem.startswith("_"))


def test_every_bench_has_a_smallest_run():
    assert scripts() == sorted(SMALLEST)


def _params():
    postgres = [pytest.mark.postgres, requires_postgres]  # national.py is PostgreSQL's alone
    redis = [  # CI's Redis step (-m redis) runs it
        pytest.mark.redis,
        pytest.mark.skipif(not _redis(), reason="BIMTEK_TEST_REDIS_URL is not set"),
    ]
    marks = {"national": postgres, "lockout_timing": redis}  # lockout's limits live in Redis
    return [pytest.param(s, marks=marks.get(s, [])) for s in scripts()]


@pytest.mark.parametrize("script", _params())
def test_bench_runs_at_its_smallest_size(script, tmp_path):
    arguments, patterns = SMALLEST[script]
    env = {
        **os.environ,
        "TMPDIR": str(tmp_path),  # its temporary databases, instance and signer go with the test
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "SECRET_KEY", "BIMTEK_INSTANCE_PATH", "FLASK_DEBUG"):
        env.pop(name, None)
    if script == "national":
        url = sa.engine.make_url(normalize_database_url(POSTGRES_URL))
        env["BIMTEK_BENCH_POSTGRES"] = url.set(database="postgres").render_as_string(False)
    try:
        done = subprocess.run(
            [sys.executable, str(BENCH / f"{script}.py"), *arguments()],
            cwd=BENCH.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        if script == "national":
            _drop_national_databases()
    report = f"stdout:\n{done.stdout}\nstderr (end):\n{done.stderr[-3000:]}"
    assert done.returncode == 0, report
    for pattern in patterns:
        assert re.search(pattern, done.stdout, re.MULTILINE), f"no {pattern!r} in\n{report}"
